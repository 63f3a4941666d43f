// The KV cache: an input of the one forward (forward.h's forwardHidden), as llama.cpp's graphs take
// theirs. GQA layers cache post-RoPE K and V [B, g, T, d]; MLA layers cache only the latent c (after
// kv_a_layernorm) and the shared post-RoPE key, as rows [B, T, r + r_R], and attend in the absorbed
// form: W_UK folded into the query, W_UV applied after the weighted sum:
//   score(h, s) = (W_UK^h^T q_nope^h) . c_s + q_rope^h . k_rope_s
//   out^h = W_UV^h sum_s p(h, s) c_s
// On CUDA, a decoding step (one new token) runs the fused kernels of kernels/decode_attention.h with
// its position on the device, captured once as a CUDA graph and replayed (decode_step.h).
#pragma once
#include <memory>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "model/model.h"
#include "model/modules.h"

namespace transmla::model {

struct DecodeGraph;

struct KvCache {
    // Per layer, preallocated: GQA k, v [B, g, capacity, d]; MLA [latent | k_rope] [B, capacity, r + r_R]
    // in `first` (`second` undefined).
    std::vector<at::Tensor> first, second;
    int64_t length = 0, capacity = 0;        // positions filled (the forward advances it), allocated
    at::Tensor ropeInvFreqHost, ropeInvFreq; // the model's RoPE frequencies, on the host and the device
    double ropeScaling = 1.0;
    // The fast decoding step (decode_step.h): the first new position on the device (int64 [1]) and
    // the valid lengths after the step's append (int32 [B]), which the kernels and a replayed graph read.
    at::Tensor stepPosition, stepLengths;
    bool deviceStep = false;            // the step now running takes its position from stepPosition
    bool positionSetByGraph = false;    // stepPosition is filled before each replay, not by the step
    int fastDecode = -1;                // -1 not yet decided, else whether steps may run the kernels
    std::shared_ptr<DecodeGraph> graph; // the captured step for this cache's (batch, capacity)
    int64_t bytes() const;              // of the allocated cache tensors
    int64_t bytesPerToken() const;      // per token and sequence, all layers

    // GQA layer: writes k, v [B, g, Tn, d] at positions [length, length + Tn) and returns every cached
    // position so far, [B, g, length + Tn, d] each: views that the attention reads in place.
    std::pair<at::Tensor, at::Tensor> appendKv(int64_t layer, const at::Tensor& k, const at::Tensor& v);
    // MLA layer: writes the rows [latent [B, Tn, r] | kRope [B, Tn, r_R]] and returns every row so far,
    // [B, length + Tn, r + r_R] (a view).
    at::Tensor appendLatent(int64_t layer, const at::Tensor& latent, const at::Tensor& kRope);
    // The same on a device step: writes at stepPosition, returns nothing (the kernel reads the whole
    // cache with stepLengths).
    void appendKvAtStep(int64_t layer, const at::Tensor& k, const at::Tensor& v);
    void appendLatentAtStep(int64_t layer, const at::Tensor& latent, const at::Tensor& kRope);
    // RoPE tables of the positions [length, length + Tn) on `device` (from stepPosition on a device step).
    RopeTables ropeTables(const io::ModelConfig& c, int64_t Tn, at::Device device);
    // The same for explicit plane frequencies (an MLA layer's own).
    RopeTables ropeTablesOf(const at::Tensor& invFreq, int64_t Tn, double scaling) const;
    // An MLA layer's tables from its own frequencies (model.h MlaAttention::ropeInvFreq), equal to
    // ropeTablesOf(them, Tn, 1.0) bit for bit, but computed for every such layer at once at the forward's
    // first call: one set of small kernels per forward (and per captured decoding step) instead of one
    // per layer. layerInvFreq: those frequencies stacked [layers, n] (built once); layerRope: the running
    // forward's tables [layers, Tn, 2n], which forwardHidden clears around each forward.
    RopeTables mlaRopeTables(const Model& m, int64_t layer, int64_t Tn);
    at::Tensor layerInvFreq;
    RopeTables layerRope;
};

KvCache allocateCache(const Model& m, int64_t batch, int64_t capacity);

// Runs ids [B, Tnew] at positions [cache.length, cache.length + Tnew), appends to the cache, and
// returns the logits [B, Tnew, vocab] (fp32): forwardLogits with the cache as input. On CUDA a
// one-token step runs the fused decode kernels, replayed as a CUDA graph (decode_step.h); the result
// is the same within bf16 rounding.
at::Tensor forwardCached(const Model& m, const at::Tensor& ids, KvCache& cache);
// A prompt into the cache: only the last position's logits [B, 1, vocab] (fp32), so a long prompt
// needs no [B, T, vocab] buffer; an empty cache attends with the fused kernel (SDPA) on CUDA. The last
// layer stores every position's keys but attends and runs its MLP for the last position only.
at::Tensor prefillCached(const Model& m, const at::Tensor& ids, KvCache& cache);

// Greedy decoding: prompt [B, T0] -> [B, T0 + steps].
at::Tensor generateGreedy(const Model& m, const at::Tensor& prompt, int64_t steps,
                          KvCache* cacheOut = nullptr);

} // namespace transmla::model
