// Decoding speed with the engine's cache (model/kv_cache.h), the measurement behind the workbench's
// Speed view, `transmla analyze speed` and tests/bench/bench_decode. A context of `context` tokens per
// sequence is prefilled in chunks, one greedy step runs untimed (warm-up: first-call allocations and
// kernel selection), then `steps` greedy steps are timed. The device is synchronised (a host copy of
// the last token) before each clock read, so queued CUDA work is inside the interval. GQA layers cache
// K and V [B, g, T, d], MLA layers the latent rows [B, T, r + r_R]; which one a layer uses follows the
// model (an original model: GQA; a converted one: MLA in the absorbed form).
#pragma once
#include <cstdint>
#include <string>

#include <ATen/core/Tensor.h>

#include "util/progress.h"

namespace transmla::model {
class Model;
}

namespace transmla::eval {

struct DecodeSpeed {
    int64_t context = 0, batch = 0, steps = 0;
    int64_t cacheCapacity = 0;                    // positions allocated per sequence: context + 1 + steps
    int64_t cacheBytes = 0;                       // of the allocated cache tensors (KvCache::bytes)
    int64_t cacheBytesPerToken = 0;               // per token and sequence, all layers
    double prefillSeconds = 0, decodeSeconds = 0; // decodeSeconds: the `steps` timed steps only
    at::Tensor tokens; // [batch, steps + 2] int64 on the host: the greedy tokens after the context

    double msPerStep() const { return steps > 0 ? 1e3 * decodeSeconds / double(steps) : 0.0; }
    double tokensPerSecond() const { // new tokens of all sequences per second
        return decodeSeconds > 0 ? double(steps * batch) / decodeSeconds : 0.0;
    }
};

// Tokens per prefill chunk at `batch` (bounded, so prefill activations stay a few thousand rows;
// fused = CUDA, where the first chunk goes through SDPA and needs no score matrix: much larger).
int64_t prefillChunk(int64_t batch, bool fused = false);

// What model::allocateCache will allocate for m (from its layers' shapes), without allocating.
int64_t cacheBytesFor(const model::Model& m, int64_t batch, int64_t capacity);
// The transient memory of one prefill chunk on top of the cache (logits, attention scores, MLP
// activations; fp32 upper bound): what must be free besides cacheBytesFor.
int64_t decodeWorkingBytes(const model::Model& m, int64_t batch, int64_t capacity);

// Uniform random context ids [batch, context] from `seed` (the speed depends on shapes, not text).
at::Tensor syntheticContext(int64_t vocab, int64_t batch, int64_t context, uint64_t seed);

// prompt [B, context] (any device). Progress stages "<label> prefill" (tokens) and "<label> decode"
// (steps); cancellable between chunks and steps (Cancelled). Throws ArgumentError for steps < 1 or an
// empty prompt.
DecodeSpeed measureDecode(const model::Model& m, const at::Tensor& prompt, int64_t steps,
                          const std::string& label = "decode", const Progress& progress = {});

} // namespace transmla::eval
