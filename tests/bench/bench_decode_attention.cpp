// The fused decode attention alone (kernels/decode_attention.h) at Llama-3-8B's attention shape, one
// layer: MLA rows [c | k_rope] of 512 + 64 (32 heads share them) and the GQA cache (8 kv heads of 128,
// K and V). Each call is timed with CUDA events over many calls, against the ATen path (model::attend)
// and against a device-to-device copy of the same bytes (read + write: the bandwidth the memory gives).
// Usage: bench_decode_attention [CALLS]   (rows: context x batch 4096x1 16384x1 16384x16 32768x4)
#include <cstdio>
#include <functional>
#include <string>

#include <ATen/ATen.h>
#include <ATen/cuda/CUDAEvent.h>
#include <c10/core/InferenceMode.h>

#include "kernels/decode_attention.h"
#include "model/modules.h"

using namespace transmla;

namespace {

// Milliseconds per call of f, averaged over `calls` after a warm-up.
double timeMs(const std::function<void()>& f, int calls) {
    for (int i = 0; i < 3; ++i)
        f();
    at::cuda::CUDAEvent start(cudaEventDefault), stop(cudaEventDefault);
    start.record();
    for (int i = 0; i < calls; ++i)
        f();
    stop.record();
    stop.synchronize();
    return double(start.elapsed_time(stop)) / calls;
}

} // namespace

int main(int argc, char** argv) {
    c10::InferenceMode guard;
    const int calls = argc > 1 ? std::stoi(argv[1]) : 200;
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    std::printf("| form | context x batch | cache read (MB) | kernel (us) | GB/s | copy GB/s | of copy | "
                "ATen (us) |\n"
                "|---|---|---|---|---|---|---|---|\n");
    for (const auto& [ctx, B] : {std::pair<int64_t, int64_t>{4096, 1}, {16384, 1}, {16384, 16}, {32768, 4}}) {
        for (const bool mla : {false, true}) {
            const int64_t H = 32, G = mla ? 1 : 8, dk = mla ? 576 : 128, dv = mla ? 512 : 128;
            const double scale = mla ? 1.0 / std::sqrt(192.0) : 1.0 / std::sqrt(128.0);
            at::Tensor q = at::randn({B, H, dk}, bf);
            at::Tensor keys = at::randn({B, G, ctx, dk}, bf);
            at::Tensor values = mla ? at::Tensor() : at::randn({B, G, ctx, dv}, bf);
            const at::Tensor lengths = at::full({B}, ctx, bf.dtype(at::kInt));
            const double bytes = double(keys.nbytes()) + (mla ? 0.0 : double(values.nbytes()));
            const double kernelMs =
                timeMs([&] { kernels::decodeAttention(q, keys, values, lengths, dv, scale); }, calls);
            model::AttentionSpec spec;
            spec.scale = scale;
            spec.queryOffset = ctx - 1;
            spec.allowFused = false;
            const at::Tensor v = mla ? keys.narrow(-1, 0, dv) : values;
            const double atenMs =
                timeMs([&] { model::attend(q.unsqueeze(2), keys, v, spec); }, calls / 4 + 1);
            at::Tensor src = at::empty({int64_t(bytes)}, bf.dtype(at::kByte)), dst = at::empty_like(src);
            const double copyMs = timeMs([&] { dst.copy_(src); }, calls);
            const double gbs = bytes / kernelMs / 1e6, copyGbs = 2 * bytes / copyMs / 1e6;
            std::printf("| %s | %lld x %lld | %.0f | %.1f | %.0f | %.0f | %.0f%% | %.1f |\n",
                        mla ? "MLA" : "GQA", (long long)ctx, (long long)B, bytes / 1e6, kernelMs * 1e3, gbs,
                        copyGbs, 100 * gbs / copyGbs, atenMs * 1e3);
        }
    }
    return 0;
}
