#include "eval/decode_speed.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/kv_cache.h"
#include "model/model.h"
#include "util/error.h"

namespace transmla::eval {

namespace {

using Clock = std::chrono::steady_clock;

// Waits for the device: a host copy of `t` cannot complete before the kernels that wrote it.
at::Tensor toHostSynced(const at::Tensor& t) {
    return t.to(at::kCPU);
}

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace

int64_t prefillChunk(int64_t batch, bool fused) {
    // Fused (CUDA: SDPA into an empty cache) needs no score matrix, so the chunk only bounds the MLP's
    // activations and the whole context usually goes in one call.
    return std::max<int64_t>(16, (fused ? 262144 : 2048) / std::max<int64_t>(1, batch));
}

int64_t cacheBytesFor(const model::Model& m, int64_t batch, int64_t capacity) {
    const auto& c = m.config;
    const int64_t element = int64_t(at::elementSize(m.computeDtype()));
    int64_t perToken = 0; // elements per token and sequence, all layers (as allocateCache lays them out)
    for (const auto& L : m.layers)
        perToken += L.mla ? L.mla->rank + L.mla->ropeDim : 2 * c.numKvHeads * c.headDim;
    return perToken * element * capacity * batch;
}

int64_t decodeWorkingBytes(const model::Model& m, int64_t batch, int64_t capacity) {
    const auto& c = m.config;
    const bool fused = m.device().is_cuda();
    const int64_t chunk = std::min(prefillChunk(batch, fused), capacity);
    const int64_t rows = batch * chunk, f32 = 4;
    const int64_t logits = batch * c.vocabSize * f32; // prefillCached: the last position's only
    // Scores materialize unless the chunk is fused (only the first chunk, into the empty cache, is).
    const int64_t scores = fused && chunk >= capacity ? 0 : 2 * batch * c.numHeads * chunk * capacity * f32;
    const int64_t mlp = 3 * rows * std::max(c.intermediateSize, c.hiddenSize) * f32;
    return logits + scores + mlp;
}

at::Tensor syntheticContext(int64_t vocab, int64_t batch, int64_t context, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> id(0, vocab - 1);
    std::vector<int64_t> ids(size_t(batch * context));
    for (auto& v : ids)
        v = id(rng);
    return at::tensor(ids, at::kLong).view({batch, context});
}

DecodeSpeed measureDecode(const model::Model& m, const at::Tensor& prompt, int64_t steps,
                          const std::string& label, const Progress& progress) {
    if (steps < 1) throw ArgumentError("decode steps must be at least 1, got " + std::to_string(steps));
    if (prompt.dim() != 2 || prompt.size(0) < 1 || prompt.size(1) < 1)
        throw ArgumentError("the decoding context must be [batch, tokens] with both at least 1");
    c10::InferenceMode guard; // per thread: set here, in the worker
    DecodeSpeed r;
    r.batch = prompt.size(0);
    r.context = prompt.size(1);
    r.steps = steps;
    r.cacheCapacity = r.context + 1 + steps; // the warm-up step's token takes one position
    model::KvCache cache = model::allocateCache(m, r.batch, r.cacheCapacity);
    r.cacheBytes = cache.bytes();
    r.cacheBytesPerToken = cache.bytesPerToken();

    // [B, context] -> prefilled cache; the last position's argmax is the first new token.
    const at::Tensor ids = prompt.to(m.device());
    const int64_t chunk = prefillChunk(r.batch, m.device().is_cuda());
    const auto tp = Clock::now();
    at::Tensor logits;
    for (int64_t s = 0; s < r.context; s += chunk) {
        progress(s, r.context, label + " prefill");
        logits = model::prefillCached(m, ids.narrow(1, s, std::min(chunk, r.context - s)), cache);
    }
    at::Tensor next = logits.select(1, logits.size(1) - 1).argmax(-1, true); // [B, 1]
    std::vector<at::Tensor> tokens{next};
    toHostSynced(next);
    r.prefillSeconds = secondsSince(tp);

    progress(0, steps, label + " decode");
    next = model::forwardCached(m, next, cache).select(1, 0).argmax(-1, true); // warm-up, untimed
    tokens.push_back(next);
    toHostSynced(next);
    const auto t0 = Clock::now();
    for (int64_t s = 0; s < steps; ++s) {
        // The cancel check costs no sync: the next step's kernels queue behind this one's.
        progress(s, steps, label + " decode");
        next = model::forwardCached(m, next, cache).select(1, 0).argmax(-1, true);
        tokens.push_back(next);
    }
    toHostSynced(next);
    r.decodeSeconds = secondsSince(t0);
    progress(steps, steps, label + " decode");
    r.tokens = toHostSynced(at::cat(tokens, 1));
    return r;
}

} // namespace transmla::eval
