// Greedy decoding with the KV cache: GQA (K and V of every kv head) vs MLA (absorbed form over the
// r + r_R latent). Prefills a random context of CTX tokens in one prompt (prefillCached: the fused
// attention, no [B, T, vocab] logits), then decodes STEPS tokens and
// reports the cache bytes (measured: the allocated cache tensors) against the budget formula,
// decode tokens/s, and the HBM traffic per step (weights + cache) as achieved bandwidth.
// Usage: bench_decode MODEL_DIR DEVICE DTYPE CTX BATCH STEPS [RANK]
// RANK: convert the GQA model in process first (rank RANK, r_R 64, calibrated on random ids: the
// speed depends on shapes only) - for models whose MLA form cannot be exported (a query bias, Qwen2).
#include <chrono>
#include <cstdio>
#include <string>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/pipeline.h"
#include "model/kv_cache.h"

using namespace transmla;

int main(int argc, char** argv) {
    if (argc < 7) {
        std::fprintf(stderr, "usage: bench_decode MODEL_DIR DEVICE DTYPE CTX BATCH STEPS\n");
        return 1;
    }
    c10::InferenceMode guard;
    model::Model m = model::Model::load(argv[1], {argv[2], argv[3]});
    if (argc > 7) {
        convert::ConvertSettings s;
        s.kvLoraRank = std::stoll(argv[7]);
        s.qkRopeHeadDim = 64;
        s.calibration.samples = 16;
        s.calibration.seqLen = 256;
        convert::convertModel(m, s, at::randint(0, m.config.vocabSize, {16, 256}, at::kLong));
    }
    const int64_t ctx = std::stoll(argv[4]), B = std::stoll(argv[5]), steps = std::stoll(argv[6]);
    model::KvCache cache = model::allocateCache(m, B, ctx + steps);
    const at::Tensor prompt = at::randint(0, m.config.vocabSize, {B, ctx}, at::kLong).to(m.device());
    const auto tp = std::chrono::steady_clock::now();
    at::Tensor logits = model::prefillCached(m, prompt, cache);
    logits.sum().item<double>();
    const double prefill = std::chrono::duration<double>(std::chrono::steady_clock::now() - tp).count();
    at::Tensor next = logits.select(1, logits.size(1) - 1).argmax(-1, true);
    const auto t0 = std::chrono::steady_clock::now();
    for (int64_t s = 0; s < steps; ++s) {
        logits = model::forwardCached(m, next, cache);
        next = logits.select(1, 0).argmax(-1, true);
    }
    next.sum().item<double>();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    int64_t weightBytes = m.parameterCount() * at::elementSize(m.computeDtype());
    const double perToken =
        double(cache.bytes()) / double(cache.capacity * B); // bytes per token per sequence
    const double meanCtx = double(ctx) + double(steps) / 2;
    const double trafficPerStep = double(weightBytes) + perToken * meanCtx * double(B);
    std::printf("%s %s ctx %lld batch %lld: cache %.3f GiB (%.0f B/token, formula %lld) | prefill %.2f s | "
                "decode %.1f tok/s "
                "(%.2f ms/step) | traffic %.2f GB/step -> %.0f GB/s\n",
                m.config.hasMlaCache() ? "MLA" : "GQA", argv[3], (long long)ctx, (long long)B,
                double(cache.bytes()) / (1ull << 30), perToken,
                (long long)m.config.kvCacheBytesPerToken(at::elementSize(m.computeDtype())), prefill,
                double(steps * B) / seconds, 1e3 * seconds / double(steps), trafficPerStep / 1e9,
                trafficPerStep * double(steps) / seconds / 1e9);
    return 0;
}
