// Uncertainty of a loss over problems: percentile bootstrap of the token-weighted mean NLL
// (sum of NLL / sum of tokens over the resampled problems), resampling whole problems with
// replacement from a fixed seed, so the same losses always give the same interval. The paired
// form resamples the same problems for both models and gives the interval of after - before,
// which is much narrower than the two separate intervals when the models agree per problem.
// Torch-free.
#pragma once
#include <cstdint>
#include <vector>

#include "eval/loss.h"

namespace transmla::eval {

struct Interval {
    double low = 0, high = 0;
};

struct BootstrapOptions {
    int64_t resamples = 2000;
    uint64_t seed = 20260101;
    double level = 0.95; // central interval: quantiles (1 - level)/2 and (1 + level)/2
};

// answerOnly: the answer tokens' NLL (tokens after "Answer:") instead of every predicted token.
// Resamples whose tokens sum to zero are skipped; an empty input gives {0, 0}.
Interval bootstrapMeanNll(const std::vector<DocLoss>& docs, bool answerOnly,
                          const BootstrapOptions& options = {});
// after - before on the same resampled problems; throws std::invalid_argument if the sizes differ.
Interval bootstrapMeanNllDifference(const std::vector<DocLoss>& before, const std::vector<DocLoss>& after,
                                    bool answerOnly, const BootstrapOptions& options = {});

// The q-quantile (0..1) of sorted values, linearly interpolated at q*(n-1) (numpy's default).
double sortedQuantile(const std::vector<double>& sorted, double q);

} // namespace transmla::eval
