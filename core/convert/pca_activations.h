// The joint PCA's input statistics from another model's activations (ConvertSettings::pcaActivations).
// The statistics of the original model (collectLayerStats) give RoRoPE its key Grams in every case;
// only each layer's xGram (the Gram of the attention inputs [x; 1], or [u; 1] on q/k-norm layers, that
// the latent is a linear map of) is taken again, from the hidden states of
//   partial_rope: the full-rank conversion at the same r_R and FreqFold (RoPE removed, nothing
//                 truncated): what the reference TransMLA calibrates its low-rank step on;
//   sequential:   the model converted at the target rank in the layers before (layer l's Gram sees the
//                 error its predecessors make), built layer by layer.
// The rows are projected with the original layer's GQA weights: the inputs of what is being compressed.
// Needs the model resident; memory: one more model copy's converted attention weights.
#pragma once
#include <vector>

#include <ATen/core/Tensor.h>

#include "convert/calibration.h"
#include "convert/settings.h"
#include "util/progress.h"

namespace transmla::model {
class Model;
}

namespace transmla::convert {

// Replaces stats[l].xGram for l in [first, last] by the Gram of layer l's inputs when the calibration
// ids run through `source`'s layers (< l); rows projected with `original`'s layer l (pcaInputRows).
void regatherInputGrams(const model::Model& source, const model::Model& original, const at::Tensor& ids,
                        int64_t microBatch, std::vector<LayerStats>& stats, int64_t first, int64_t last,
                        const Progress& progress = {});

// Throws where pcaActivationStats cannot run: Best (chosen by the held-out search first), or a source
// other than Original on a streamed model. Cheap: callers check before any calibration work.
void checkPcaActivations(const model::Model& original, const ConvertSettings& settings);

// originalStats (collectLayerStats of `original` on ids) with the xGrams settings.pcaActivations asks
// for (Original: returned unchanged). settings: a compressed conversion of `original` (not Best).
std::vector<LayerStats> pcaActivationStats(const model::Model& original, const at::Tensor& ids,
                                           const ConvertSettings& settings,
                                           const std::vector<LayerStats>& originalStats,
                                           const Progress& progress = {});

} // namespace transmla::convert
