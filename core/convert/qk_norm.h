// Converting q/k-norm layers (Qwen3, Gemma-3) exactly, and their DeepSeek-V3-compatible approximation.
//
// The key norm k~_j = w * (W_k^j x) / rms(W_k^j x) is nonlinear per KV head and per token, so no
// kv_a_proj [r + r_R, D] maps x to the latent. Exact form (model.h MlaAttention::normedInput): the latent
// is a linear map of u = [k~ (g*d) ; v (g*d)], the normalised pre-RoPE keys per original KV head and the
// values. RoRoPE sees the Gram of k~, balancing and the joint PCA the Gram of [u; 1] (calibration.h), and
// in assemble.h's algebra the k and v projections become the selections k = [I 0 0], v = [0 I 0] of
// [u; 1]. The cache write applies the group norm before the down-projection kv_a [r + r_R, 2*g*d]; the
// cache holds r + r_R values per token and layer like every family's MLA (no extra scalars). Queries are
// not cached: q_h = qUp_h qnorm(W_q^h x), qUp_h = s [I ; P_j^T] [d + r_R, d] (q = selection [I 0] too).
//
// DeepSeek-V3 approximation (foldQkNorms, before converting): each head's norm becomes a constant scale
// c times its weight, folded into W_q / W_k; the per-token 1/rms is dropped. c is the least-squares scale
// of y onto y / rho over the calibration tokens (y: the head's projection, rho = sqrt(mean y^2 + eps)):
//   c = sum_t |y_t|^2 / rho_t / sum_t |y_t|^2
// The model is then a plain GQA one (its layers carry no norms) and converts and exports as such.
#pragma once
#include <vector>

#include <ATen/core/Tensor.h>

#include "model/model.h"

namespace transmla::convert {

inline bool hasQkNorm(const model::Layer& L) {
    return L.gqa.kNorm.defined();
}

// Selections of [u; 1] (u = [k~; v], 2*g*d): keys [g*d, 2gd+1], values [g*d, 2gd+1]; and of [q~; 1]:
// queries [H*d, H*d+1]. fp64 on `device`: the augmented projections of assemble.h in u / q~ space.
at::Tensor selectNormedKeys(int64_t gd, at::Device device);
at::Tensor selectValues(int64_t gd, at::Device device);
at::Tensor selectNormedQueries(int64_t Hd, at::Device device);

// After assembleMla in u / q~ space: moves the query map [H*(d_n + r_R), H*d] (block diagonal) into
// qUp [H, d_n + r_R, d] and attaches the source layer's projections and norms (model.h).
void attachNormedInput(model::MlaAttention& mla, const model::Layer& source, int64_t H, int64_t d);

struct QkNormFold {
    std::vector<std::vector<double>> qScale, kScale; // [layer][head] the fitted c
    double meanRelativeError = 0; // mean over layers/heads of E|c y - y/rho| / E|y/rho| (keys and queries)
};
// Replaces every layer's q/k norms by the fitted constant scales (in place; layers then carry no norms).
// calibrationIds [N, L]; the statistics of layer l are taken on the hidden states of the already folded
// layers before it.
QkNormFold foldQkNorms(model::Model& m, const at::Tensor& calibrationIds, int64_t microBatch = 8);

// True when the model is of a q/k-norm family whose norms were folded (an approximation, to be labelled).
bool qkNormsFolded(const model::Model& m);

} // namespace transmla::convert
