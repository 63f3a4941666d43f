// One decoder block, shared by the full forward and decoding with a cache (forward.h): projections,
// RoPE, attention with its mask and scale, residuals, norms, MLP or MoE. The cache is an input, as in
// llama.cpp's graphs: without one the block sees positions [0, T) and MLA layers run the expanded form;
// with one the new keys are appended at [cache->length, cache->length + T), attention reads every
// cached position, and MLA layers run the absorbed form over the latent (kv_cache.h). That choice of
// MLA form is the only thing that differs between the two.
#pragma once
#include <ATen/core/Tensor.h>

#include "model/forward.h"
#include "model/kv_cache.h"
#include "model/modules.h"

namespace transmla::model {

// h [B, T, D] -> [B, T, D]; `rope` covers the block's positions. hooks and cache may be null.
// residual (may be null): where it holds a tensor, the block's input is h + *residual, the previous block's
// last sum, added by the same kernel as this block's first norm; and inside a StepOpsScope
// (kernels/step_ops.h) the block leaves its own last sum so: it returns the sum's first term and sets
// *residual to the second.
// lastPositionOnly: every position's keys and values (into the cache, if any), but the attention output,
// the MLP and the result [B, 1, D] of the last position only (a prompt's last block where only the next
// token's logits are wanted: prefillCached).
at::Tensor decoderBlock(const Model& m, int64_t layer, const at::Tensor& h, const RopeTables& rope,
                        ForwardHooks* hooks, KvCache* cache, at::Tensor* residual = nullptr,
                        bool lastPositionOnly = false);

// Per-head RMSNorm of y [.., heads, d] with weight w [d] in the family's form (Qwen3 w * n, Gemma-3
// (1 + w) * n); undefined w: y unchanged.
at::Tensor headNorm(const io::ModelConfig& c, const at::Tensor& y, const at::Tensor& w);
// A GQA layer's keys before RoPE [B, T, g, d], normalised per head where the family has k_norm: what
// RoPE rotates, and what RoRoPE's statistics see. x: the attention input [B, T, D].
at::Tensor preRopeKeys(const Model& m, int64_t layer, const at::Tensor& x);

// The attention part alone (its input x is the normalised h), o_proj included; lastQueryOnly as
// decoderBlock's lastPositionOnly ([B, 1, D] out).
at::Tensor attentionLayer(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& rope,
                          ForwardHooks* hooks, KvCache* cache, bool lastQueryOnly = false);

} // namespace transmla::model
