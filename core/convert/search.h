// Choosing a conversion by its loss on held-out calibration text, and the loss-vs-KV-bytes Pareto
// front of a grid over (r, r_R, FreqFold). The held-out text is a split of the calibration source
// (the rows after the calibration's own, from the same random draw, made of other texts), never the
// GSM8K test set.
// The calibration pass runs once for all candidates (collectLayerStats: the statistics do not depend
// on r, r_R or f); each candidate is then RoRoPE + joint PCA + one held-out evaluation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "convert/search_result.h"
#include "convert/settings.h"
#include "util/progress.h"

namespace transmla::model {
class Model;
}
namespace transmla::tok {
class Tokenizer;
}

namespace transmla::convert {

// Calibration rows [N, L] and the held-out rows [H, L] that follow them in the same draw. The
// calibration rows are exactly those calibrationTokens(s) gives, so a conversion chosen here is
// reproduced by an ordinary conversion with the chosen settings.
struct CalibrationSplit {
    at::Tensor calibration, heldOut;
};
CalibrationSplit splitCalibration(const CalibrationSettings& s, int64_t heldOutSamples,
                                  const tok::Tokenizer& tokenizer, const std::filesystem::path& resourcesDir);

// The cross product of the lists over `base` (an empty list keeps base's value). r = -1: full rank.
std::vector<ConvertSettings> gridCandidates(const ConvertSettings& base, const std::vector<int64_t>& ranks,
                                            const std::vector<int64_t>& ropeDims,
                                            const std::vector<int64_t>& freqFolds);

// The candidates for choosing r_R and/or FreqFold automatically at base's rank: every FreqFold the
// r_R allows; r_R in {d/8, d/4, d/2, d} (even). With a fixed kv_lora_rank the cache per layer
// (r + r_R) stays that of base at its r_R, so the candidates compare at equal KV bytes.
std::vector<ConvertSettings> autoCandidates(const ConvertSettings& base, const io::ModelConfig& config,
                                            bool searchRopeDim, bool searchFreqFold);

// The candidates with PcaActivations::Best replaced by one candidate per source (original,
// partial_rope, sequential); the others as they are. gridCandidates and autoCandidates apply it.
std::vector<ConvertSettings> expandPcaActivations(const std::vector<ConvertSettings>& candidates);

// Converts a copy of `original` (resident, unconverted) with each candidate and evaluates it on
// split.heldOut. Progress stages "calibrate" (layers) and "search" (candidates). A candidate whose
// pcaActivations is not original costs one more calibration pass (and, for partial_rope, a full-rank
// conversion) over the original statistics (pca_activations.h).
SearchResult searchConversions(const model::Model& original, const std::vector<ConvertSettings>& candidates,
                               const CalibrationSplit& split, const Progress& progress = {});

} // namespace transmla::convert
