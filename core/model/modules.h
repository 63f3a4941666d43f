// The building blocks every family's forward is assembled from. Tensors are [B, T, ...].
#pragma once
#include <optional>

#include <ATen/core/Tensor.h>

#include "io/model_config.h"
#include "model/model.h"

namespace transmla::model {

// y = x W^T + b
at::Tensor linear(const at::Tensor& x, const Linear& l);

// RMSNorm in fp32, as transformers: Llama form w * norm(x), Gemma form norm(x) * (1 + w).
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& w, double eps, bool gemmaForm);

// RoPE tables for positions [0, T): cos/sin of shape [T, rotaryDim], in the HF "halves" layout
// (frequencies repeated: [f0..f_{n-1}, f0..f_{n-1}]). Handles default/linear/dynamic/llama3/yarn.
struct RopeTables {
    at::Tensor cos, sin; // fp32
};
at::Tensor ropeInverseFrequencies(const io::ModelConfig& c, int64_t seqLen, double* attentionScaling);
RopeTables ropeTables(const io::ModelConfig& c, int64_t seqLen, at::Device device);
// Tables for explicit plane frequencies invFreq [n] (fp32): cos/sin [T, 2n], times `scaling`.
RopeTables ropeTablesFor(const at::Tensor& invFreq, int64_t seqLen, double scaling, int64_t positionOffset = 0);
// Applies RoPE to the first cos.size(-1) dims of x [B, T, heads, d]; the rest passes through.
at::Tensor applyRope(const at::Tensor& x, const RopeTables& rope);

// Gated MLP: down(act(gate(x)) * up(x)); and Mixtral's top-k routed experts.
at::Tensor mlp(const at::Tensor& x, const Mlp& m, io::Activation act);
at::Tensor moe(const at::Tensor& x, const Layer& layer, const io::ModelConfig& c);

// Attention over q [B, H, T, dq], k [B, G, T, dq], v [B, G, T, dv] with H a multiple of G
// (head h reads kv group h / (H/G)); causal, optionally windowed and soft-capped.
struct AttentionSpec {
    double scale = 1.0;
    std::optional<int64_t> window; // attend only to the last `window` positions (incl. self)
    std::optional<double> softcap;
    at::Tensor* probsOut = nullptr; // when set: receives the probabilities [B, H, T, T] (fp32)
};
at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const AttentionSpec& spec);

} // namespace transmla::model
