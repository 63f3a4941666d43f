#include "eval/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace transmla::eval {

namespace {

struct Sums {
    double nll = 0, tokens = 0;
};
Sums sums(const DocLoss& d, bool answerOnly) {
    return answerOnly ? Sums{d.answerNllSum, double(d.answerTokens)} : Sums{d.nllSum, double(d.tokens)};
}

// statistic(picks) for every resample; picks are problem indices drawn with replacement. The draw
// uses the raw 64-bit generator (not a std:: distribution, whose algorithm differs between standard
// libraries) so the interval is the same everywhere; the modulo bias is below 1e-15 for any n here.
template <class Statistic>
Interval percentileInterval(size_t n, const BootstrapOptions& o, const Statistic& statistic) {
    if (n == 0 || o.resamples < 1) return {};
    std::mt19937_64 rng(o.seed);
    std::vector<size_t> picks(n);
    std::vector<double> stats;
    stats.reserve(size_t(o.resamples));
    for (int64_t b = 0; b < o.resamples; ++b) {
        for (auto& p : picks)
            p = size_t(rng() % n);
        const double s = statistic(picks);
        if (std::isfinite(s)) stats.push_back(s);
    }
    if (stats.empty()) return {};
    std::sort(stats.begin(), stats.end());
    return {sortedQuantile(stats, (1 - o.level) / 2), sortedQuantile(stats, (1 + o.level) / 2)};
}

double ratio(const Sums& s) {
    return s.tokens > 0 ? s.nll / s.tokens : std::nan("");
}

} // namespace

double sortedQuantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const double pos = std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1);
    const size_t i = size_t(std::floor(pos));
    if (i + 1 >= sorted.size()) return sorted.back();
    return sorted[i] + (pos - double(i)) * (sorted[i + 1] - sorted[i]);
}

Interval bootstrapMeanNll(const std::vector<DocLoss>& docs, bool answerOnly,
                          const BootstrapOptions& options) {
    return percentileInterval(docs.size(), options, [&](const std::vector<size_t>& picks) {
        Sums s;
        for (size_t i : picks) {
            const Sums d = sums(docs[i], answerOnly);
            s.nll += d.nll, s.tokens += d.tokens;
        }
        return ratio(s);
    });
}

Interval bootstrapMeanNllDifference(const std::vector<DocLoss>& before, const std::vector<DocLoss>& after,
                                    bool answerOnly, const BootstrapOptions& options) {
    if (before.size() != after.size())
        throw std::invalid_argument("paired bootstrap: " + std::to_string(before.size()) +
                                    " problems before, " + std::to_string(after.size()) + " after");
    return percentileInterval(before.size(), options, [&](const std::vector<size_t>& picks) {
        Sums b, a;
        for (size_t i : picks) {
            const Sums x = sums(before[i], answerOnly), y = sums(after[i], answerOnly);
            b.nll += x.nll, b.tokens += x.tokens;
            a.nll += y.nll, a.tokens += y.tokens;
        }
        return ratio(a) - ratio(b);
    });
}

} // namespace transmla::eval
