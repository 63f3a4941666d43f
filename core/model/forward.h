// The one forward pass shared by every family, with the hooks the analyses and the conversion need.
// Every layer runs the one decoder block (block.h); a KV cache, when given, is an input of it.
#pragma once
#include <functional>

#include <ATen/core/Tensor.h>

#include "model/model.h"

namespace transmla::model {

struct KvCache;

struct ForwardHooks {
    // Attention probabilities [B, H, T, T] (fp32) of this layer are stored in `probs`.
    int64_t probsLayer = -1;
    at::Tensor probs;
    // Calibration: the normalised input x [B, T, D] of each layer's attention ...
    std::function<void(int64_t layer, const at::Tensor& x)> onAttentionInput;
    // ... and its keys before/after RoPE and values, each [B, T, kvHeads, d] (GQA layers).
    std::function<void(int64_t layer, const at::Tensor& kPre, const at::Tensor& kPost, const at::Tensor& v)>
        onKv;
    // Stop after this layer (calibration of layer l needs no later layers). -1: run all.
    int64_t lastLayer = -1;
};

// ids [B, T] (int64, positions 0..T-1, right padding allowed: causal attention never looks ahead).
// Returns the final normalised hidden states [B, T, D] in the compute dtype.
// With a cache (kv_cache.h): the ids sit at positions [cache->length, cache->length + T), their keys
// are appended, attention reads every cached position, and cache->length advances by T (throws
// ArgumentError when the capacity would be exceeded; hooks->lastLayer must then be -1).
// lastPositionOnly (no hooks): the last layer computes every position's keys and values but the rest of its
// work for the last position only, and the result is [B, 1, D] (a prompt whose next token alone is wanted).
at::Tensor forwardHidden(const Model& m, const at::Tensor& ids, ForwardHooks* hooks = nullptr,
                         KvCache* cache = nullptr, bool lastPositionOnly = false);

// Throws FormatError naming config.json's vocab_size when a token id is negative or >= vocab_size
// (a tokenizer that does not belong to the model). On the GPU such an id would trip a device-side
// assert that kills the CUDA context, so it is checked on the host, where ids are made. forwardHidden
// checks host ids itself; `source` says where the ids came from.
void checkTokenIds(const Model& m, const at::Tensor& hostIds, const std::string& source);
// lm_head (+ Gemma-2's final soft-capping): [.., D] -> [.., vocab], fp32.
at::Tensor logitsFromHidden(const Model& m, const at::Tensor& hidden);
// Both: logits [B, T, vocab] fp32.
at::Tensor forwardLogits(const Model& m, const at::Tensor& ids, ForwardHooks* hooks = nullptr);

// The pieces of forwardHidden, for work that walks the layers itself (streamed calibration):
at::Tensor embedTokens(const Model& m, const at::Tensor& ids); // [B, T] -> [B, T, D]
at::Tensor runLayer(const Model& m, int64_t layer, const at::Tensor& h, ForwardHooks* hooks = nullptr);
at::Tensor inputNorm(const Model& m, int64_t layer, const at::Tensor& h); // the attention's input

// One layer's attention block (exposed for tests of the conversion steps): x [B, T, D] normalised.
at::Tensor attentionBlock(const Model& m, int64_t layer, const at::Tensor& x, ForwardHooks* hooks = nullptr);

} // namespace transmla::model
