// Greedy decoding with the KV cache: GQA (K and V of every kv head) vs MLA (absorbed form over the
// r + r_R latent). Prefills a random context of CTX tokens in chunks, then decodes STEPS tokens
// (eval/decode_speed.h: the measurement of `transmla analyze speed` and the workbench's Speed view)
// and reports the cache bytes (measured: the allocated cache tensors) against the budget formula,
// decode tokens/s, the HBM traffic per step (weights + cache) as achieved bandwidth, and the fused
// attention kernel a CUDA step runs at this capacity and batch (kernels/decode_attention.h).
// Usage: bench_decode MODEL_DIR DEVICE DTYPE CTX BATCH STEPS [RANK]   (WARMUP_CTX=N: see main)
// RANK: convert the GQA model in process first (rank RANK, r_R 64, calibrated on random ids: the
// speed depends on shapes only) - for models whose MLA form cannot be exported (a query bias, Qwen2).
#include <cstdio>
#include <cstdlib>
#include <string>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "../random_conversion.h"
#include "eval/decode_speed.h"
#include "kernels/decode_attention.h"
#include "kernels/tuned_linear.h"
#include "model/decode_step.h"
#include "model/model.h"

using namespace transmla;

int main(int argc, char** argv) {
    if (argc < 7) {
        std::fprintf(stderr, "usage: bench_decode MODEL_DIR DEVICE DTYPE CTX BATCH STEPS [RANK]\n");
        return 1;
    }
    c10::InferenceMode guard;
    model::Model m = model::Model::load(argv[1], {argv[2], argv[3]});
    if (argc > 7)
        test::convertOnRandomIds(m, std::stoll(argv[7]), std::min<int64_t>(64, m.config.headDim), 16, 256);
    const int64_t ctx = std::stoll(argv[4]), B = std::stoll(argv[5]), steps = std::stoll(argv[6]);
    // WARMUP_CTX=N: a first prompt of N tokens (and one step) before the measured one, so the prefill figure
    // leaves out the process's one-time costs (loading kernels, library handles; with N = CTX also the
    // attention library's plan for this shape).
    if (const char* w = std::getenv("WARMUP_CTX"); w && std::atoll(w) > 0) {
        const int64_t n = std::atoll(w);
        const eval::DecodeSpeed warm =
            eval::measureDecode(m, eval::syntheticContext(m.config.vocabSize, B, n, 1), 1);
        std::printf("warm-up: prefill of %lld x %lld tokens %.2f s\n", (long long)n, (long long)B,
                    warm.prefillSeconds);
    }
    const eval::DecodeSpeed d =
        eval::measureDecode(m, eval::syntheticContext(m.config.vocabSize, B, ctx, 0), steps);
    const int64_t weightBytes = m.parameterCount() * int64_t(at::elementSize(m.computeDtype()));
    const double meanCtx = double(ctx) + double(steps) / 2;
    const double trafficPerStep = double(weightBytes) + double(d.cacheBytesPerToken) * meanCtx * double(B);
    const model::DecodeAttentionShape a = model::decodeAttentionShape(m, m.layers.front());
    const std::string kernel =
        !m.device().is_cuda() ? "none (CPU)"
        : m.computeDtype() != at::kBFloat16
            ? "none (not bf16)"
            : kernels::decodeAttentionKernel(a.queriesPerGroup, a.keyDim, a.valueDim, a.sharedValues,
                                             d.cacheCapacity, B * a.kvGroups);
    if (const kernels::TunedLinearStats t = kernels::tunedLinearStats();
        t.shapes > 0) // the prompt's products
        std::printf(
            "tuned prompt products: %lld shapes (%lld chosen: %.2f ms a layer against the heuristic's "
            "first choice's %.2f), %lld calls timed, %lld ran the chosen algorithm\n",
            (long long)t.shapes, (long long)t.chosenShapes, t.chosenMsSum, t.firstMsSum,
            (long long)t.timedCalls, (long long)t.chosenCalls);
    std::printf("%s %s ctx %lld batch %lld: cache %.3f GiB (%lld B/token, formula %lld) | prefill %.2f s | "
                "decode %.1f tok/s "
                "(%.2f ms/step) | traffic %.2f GB/step -> %.0f GB/s | attention kernel %s\n",
                m.config.hasMlaCache() ? "MLA" : "GQA", argv[3], (long long)ctx, (long long)B,
                double(d.cacheBytes) / (1ull << 30), (long long)d.cacheBytesPerToken,
                (long long)m.config.kvCacheBytesPerToken(at::elementSize(m.computeDtype())), d.prefillSeconds,
                d.tokensPerSecond(), d.msPerStep(), trafficPerStep / 1e9,
                trafficPerStep / d.msPerStep() / 1e6, kernel.c_str());
    return 0;
}
