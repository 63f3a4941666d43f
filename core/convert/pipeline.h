// The whole TransMLA conversion of a loaded model, layer by layer:
//   calibrate (stream stats) -> RoRoPE/FreqFold -> balance KV -> joint PCA -> assemble MLA.
// The model is converted in place (each layer's GQA weights are replaced by MLA ones as soon as
// its statistics are in), so peak memory stays near one layer plus the calibration states.
#pragma once
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "convert/joint_pca.h"
#include "convert/rorope.h"
#include "convert/settings.h"
#include "util/progress.h"

namespace transmla::model {
class Model;
}

namespace transmla::convert {

struct LayerStats;

struct LayerReport {
    int64_t layer = 0, rank = 0;
    double retainedEnergy = 1, ropeEnergyFraction = 1, alpha = 1;
    double latentRms = 0;            // sqrt(E|c|^2 / r): the calibrated kv_a_layernorm weight
    std::vector<double> eigenvalues; // joint PCA spectrum (descending)
};

// Where the loss comes from (mean NLL on the evaluation text): the original model, the full-rank
// model at the same r_R and FreqFold (RoPE removed from the NoPE dims, nothing truncated), the model
// at the chosen rank, and after healing. NaN where not measured.
struct LossSplit {
    double original = NAN, fullRank = NAN, converted = NAN, healed = NAN;
    double ropeRemoval() const { return fullRank - original; }
    double rankTruncation() const { return converted - fullRank; }
    double healing() const { return healed - converted; }
    double final() const { return std::isnan(healed) ? converted : healed; }
    nlohmann::json toJson() const;
};

// The same settings at full rank (what LossSplit::fullRank is measured on).
ConvertSettings fullRankSettings(ConvertSettings s);

struct ConvertReport {
    ConvertSettings settings;
    int64_t ropeDim = 0, maxRank = 0, freqFold = 1;
    int64_t kvBytesPerTokenBefore = 0, kvBytesPerTokenAfter = 0; // 16-bit
    // Time per phase: upload (streamed layers to the device), calibrate (statistics and forward
    // through the original layer), pca (RoRoPE, balance, joint PCA, assembly), write (the sink).
    double secondsUpload = 0, secondsCalibrate = 0, secondsPca = 0, secondsWrite = 0, secondsTotal = 0;
    std::vector<LayerReport> layers;
    std::optional<LossSplit> lossSplit; // filled by callers that evaluate (convertModel does not)
    nlohmann::json toJson() const;
};

// Called with each layer as soon as it is converted (e.g. to write it out); for a streamed model
// the layer is released from the device right after.
using LayerSink = std::function<void(int64_t layer, const model::Model& m, const LayerReport& report)>;

// What one layer's conversion computed before the rank is chosen: the RoRoPE rotation, the KV
// balance and the full joint-PCA eigenbasis (fp64, on the model's device; ~(2gd)^2 + (gd)^2
// doubles per layer, e.g. 40 MB for a Llama-3-8B layer).
struct LayerBasis {
    KeyRotation rotation;
    double alpha = 1.0;
    LatentBasis latent; // full rank
    double queryScale = 1.0;
    at::Tensor originalInvFreq;
};
// The rank-independent part of a conversion, kept per (model, calibration, r_R, FreqFold): the
// calibration statistics are consumed into these bases, so a rank change re-truncates and
// re-assembles without calibrating again.
struct ConversionCache {
    ConvertSettings settings; // as resolved by the conversion that filled it
    ResolvedDims dims{};
    std::vector<LayerBasis> layers;
};

// calibrationIds [N, L] (see calibrationTokens); unused (may be undefined) in exact mode.
// A streamed model (LoadOptions::streamLayers) is converted one resident layer at a time; a
// pcaActivations other than original needs a resident model (all layers' statistics first,
// pca_activations.h) and refuses best (chosen beforehand on held-out text, search.h).
// cache, when given, is filled with every layer's basis (for reassembleAtRank).
ConvertReport convertModel(model::Model& m, const ConvertSettings& settings, const at::Tensor& calibrationIds,
                           const Progress& progress = {}, const LayerSink& sink = {},
                           ConversionCache* cache = nullptr);

// Re-truncates `converted` (converted from `original` with `cache` filled) to a uniform kv_lora_rank
// `rank`: each layer's MLA weights are assembled again from the original's GQA weights and the
// cached basis, the same as convertModel at that rank gives (no calibration, no eigendecomposition).
// The new layers replace the old ones only when all are built (cancel leaves the model as it was).
// Throws SettingError for a rank out of range, ArgumentError for an exact or empty cache.
ConvertReport reassembleAtRank(model::Model& converted, const model::Model& original,
                               const ConversionCache& cache, int64_t rank, const Progress& progress = {});

// Many conversions of one model from one calibration (a search over r, r_R and FreqFold): RoRoPE,
// FreqFold and the joint PCA read only the per-layer statistics, which do not depend on those
// settings, so the calibration pass runs once. Memory: numLayers x ((D+1)^2 + (g*d/2)^2) doubles.
std::vector<LayerStats> collectLayerStats(const model::Model& original, const at::Tensor& calibrationIds,
                                          const ConvertSettings& settings, const Progress& progress = {});
// convertModel from collected statistics (no calibration pass). m: a copy of the original model
// (model::Model copies share the weights; the conversion replaces, never writes into, them).
ConvertReport convertFromStats(model::Model& m, const ConvertSettings& settings,
                               const std::vector<LayerStats>& stats, const Progress& progress = {});

// One layer of `m` (still GQA) converted in place from its statistics, as convertFromStats converts
// each layer; the rest of the model is left as it is (no report, config unchanged). For conversions
// that need the layers before `layer` converted first (PcaActivations::Sequential).
LayerReport convertLayerFromStats(model::Model& m, int64_t layer, const LayerStats& stats,
                                  const ConvertSettings& settings);

} // namespace transmla::convert
