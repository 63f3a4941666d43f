// Calibration statistics, streamed layer by layer: the calibration tokens' hidden states are kept
// (N x L x D), and for each layer only its statistics are accumulated before the hidden states
// advance through that (original) layer. Never all layers' activations at once.
//   xGram   [D+1, D+1] fp64  mean of [x; 1][x; 1]^T over tokens, x = the attention input
//                            (the appended 1 carries biases through the same algebra); q/k-norm
//                            layers: x replaced by u = [normed pre-RoPE keys; values] [2*g*d] (qk_norm.h)
//   keyGram [g*d/2, g*d/2] fp64  mean over tokens of X^T X + Y^T Y, where X/Y hold the pre-RoPE
//                            keys' (k_proj outputs') plane coordinates (dims i and i + d/2 of each
//                            head), slot m*d/2 + i (preRopeKeys = false: after RoPE, an ablation)
#pragma once
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "convert/settings.h"
#include "util/progress.h"

namespace transmla::model {
class Model;
}
namespace transmla::tok {
class Tokenizer;
}

namespace transmla::convert {

struct LayerStats {
    at::Tensor xGram;   // [D+1, D+1] fp64
    at::Tensor keyGram; // [g*d/2, g*d/2] fp64
    int64_t tokens = 0;
};

// Calibration ids [N, L]: each row a BOS (where the tokenizer adds one) and whole texts of the source
// from a start drawn with the seed, in file order, joined by "\n\n", cut at L tokens; the texts of a
// row are not used again. Rows are drawn one after another: the first N of a draw of N + H are the N.
// A source with too few texts for N such rows is cut into consecutive rows of the whole file instead.
at::Tensor calibrationTokens(const CalibrationSettings& s, const tok::Tokenizer& tokenizer,
                             const std::filesystem::path& resourcesDir);

// Calls onLayer(layer, stats) for each layer in order; stats are freed after the call.
// beforeLayer(layer), when given, runs first (a streamed model uploads the layer there).
// seconds, when given, accumulates the time spent in the statistics and forward passes.
void streamLayerStats(const model::Model& m, const at::Tensor& ids, int64_t microBatch,
                      const std::function<void(int64_t, const LayerStats&)>& onLayer,
                      const Progress& progress, const std::function<void(int64_t)>& beforeLayer = {},
                      double* seconds = nullptr, bool preRopeKeys = true);

// The rows whose Gram is xGram at `layer` of `m` (a GQA layer) for attention inputs x [b, T, D]:
// [x; 1], or [u; 1] on q/k-norm layers [b*T, U+1] fp64. keys: the layer's pre-RoPE keys of x when
// already computed (undefined: computed here where needed).
at::Tensor pcaInputRows(const model::Model& m, int64_t layer, const at::Tensor& x, at::Tensor keys = {});

// Plane coordinates of keys [.., g, d] -> [.., g*d/2] x-coords and y-coords.
std::pair<at::Tensor, at::Tensor> keyPlanes(const at::Tensor& k);

} // namespace transmla::convert
