// The building blocks every family's forward is assembled from. Tensors are [B, T, ...].
#pragma once
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "io/model_config.h"
#include "model/model.h"

namespace transmla::model {

// y = x W^T + b
at::Tensor linear(const at::Tensor& x, const Linear& l);
// The same for linears whose weights (and biases, if any) are consecutive row blocks of one tensor
// (packProjections, model.h; fused checkpoints such as Phi-3's): one product, each output a column slice
// of it. Empty where they are not.
std::vector<at::Tensor> linearPacked(const at::Tensor& x, std::initializer_list<const Linear*> ls);
bool packedLinears(const std::vector<const Linear*>& ls); // whether linearPacked applies
// The product with the first `rows` rows of the tensor whose first row block first is (its weight and bias
// from their starts): the rows of the linears packed after it too (linearPacked; MLA's split query, model.h).
at::Tensor linearRows(const at::Tensor& x, const Linear& first, int64_t rows);

// RMSNorm in fp32, as transformers: Llama form w * norm(x), Gemma form norm(x) * (1 + w).
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& w, double eps, bool gemmaForm);
// The residual add h + a and the RMSNorm of its sum: {sum, norm}. Inside a StepOpsScope one kernel where it
// applies (kernels/step_ops.h fusedAddRmsNorm, Llama form), else ATen's add and rmsNorm above.
std::pair<at::Tensor, at::Tensor> addRmsNorm(const at::Tensor& h, const at::Tensor& a, const at::Tensor& w,
                                             double eps, bool gemmaForm);

// RoPE tables for positions [0, T): cos/sin of shape [T, rotaryDim], in the HF "halves" layout
// (frequencies repeated: [f0..f_{n-1}, f0..f_{n-1}]). Handles default/linear/dynamic/llama3/yarn.
struct RopeTables {
    at::Tensor cos, sin; // fp32
};
at::Tensor ropeInverseFrequencies(const io::ModelConfig& c, int64_t seqLen, double* attentionScaling);
RopeTables ropeTables(const io::ModelConfig& c, int64_t seqLen, at::Device device);
// Gemma-3's sliding layers rotate with their own base (default RoPE, no scaling): whether `layer` does,
// and its frequencies [rotaryDim/2] fp32 on `device`.
bool usesLocalRope(const io::ModelConfig& c, int64_t layer);
at::Tensor localRopeInverseFrequencies(const io::ModelConfig& c, at::Device device);
// The tables of one layer's positions [offset, offset + seqLen): local or the model's.
RopeTables layerRopeTables(const io::ModelConfig& c, int64_t layer, int64_t seqLen, at::Device device,
                           int64_t offset = 0);
// Tables for explicit plane frequencies invFreq [n] (fp32): cos/sin [T, 2n], times `scaling`.
RopeTables ropeTablesFor(const at::Tensor& invFreq, int64_t seqLen, double scaling,
                         int64_t positionOffset = 0);
// The same with the first position given on the device (int64 [1]): a captured decoding step reads it.
RopeTables ropeTablesAt(const at::Tensor& invFreq, int64_t seqLen, double scaling,
                        const at::Tensor& firstPosition);
// Applies RoPE to the first cos.size(-1) dims of x [B, T, heads, d]; the rest passes through.
at::Tensor applyRope(const at::Tensor& x, const RopeTables& rope);

// Gated MLP: down(act(gate(x)) * up(x)); and Mixtral's top-k routed experts.
at::Tensor mlp(const at::Tensor& x, const Mlp& m, io::Activation act);
at::Tensor moe(const at::Tensor& x, const Layer& layer, const io::ModelConfig& c);

// Attention over q [B, H, Tq, dq], k [B, G, Tk, dq], v [B, G, Tk, dv] with H a multiple of G (head h
// reads kv group h / (H/G)); causal, optionally windowed and soft-capped. Keys sit at positions
// 0..Tk-1 and queries at queryOffset..queryOffset+Tq-1: the full forward has Tq = Tk and offset 0,
// decoding with a cache has the cached positions before the new ones.
struct AttentionSpec {
    double scale = 1.0;            // see softmaxScale
    int64_t queryOffset = 0;       // position of the first query
    std::optional<int64_t> window; // attend only to the last `window` positions (incl. self)
    std::optional<double> softcap;
    at::Tensor* probsOut = nullptr; // when set: receives the probabilities [B, H, Tq, Tk] (fp32)
    // The GPU's fused kernel (needs Tq = Tk, offset 0, no probabilities, no soft-capping): cuDNN's on Hopper
    // in bf16/f16 (kv heads as they are, v narrower than q and k allowed), else flash, which repeats k and v
    // per head and pads v to q's width: not for a cache, where it would copy the cache (a latent one H times)
    // every step.
    bool allowFused = true;
};
at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const AttentionSpec& spec);

// The softmax scale of one layer's scores, in one place for the forward, the cache and the conversion:
// GQA 1/sqrt(query_pre_attn_scalar) where set (Gemma-2), else 1/sqrt(head_dim); MLA (mlaQkDim =
// d_n + r_R > 0) DeepSeek's 1/sqrt(d_n + r_R) for every family (a conversion folds the ratio of the
// two into the query weights).
double softmaxScale(const io::ModelConfig& c, int64_t mlaQkDim = 0);

} // namespace transmla::model
