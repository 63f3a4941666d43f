// The fused decode attention alone (kernels/decode_attention.h) at Llama-3-8B's attention shape, one
// layer: MLA rows [c | k_rope] of 512 + 64 (32 heads share them) and the GQA cache (8 kv heads of 128,
// K and V). Each call is timed with CUDA events over many calls, against the ATen path (model::attend)
// and against a device-to-device copy of the same bytes (read + write: the bandwidth the memory gives);
// then again replayed from a CUDA graph of 20 calls, as the decode step runs the kernel, against the
// faster of the two copies.
// A second table times the other pieces of a batch-1 decoding step of that model (each linear layer,
// MLA's two per-head products, one small element-wise kernel), replayed from a CUDA graph as the
// step is, so that the step's time can be split into what reads weights and what only launches.
// Usage: bench_decode_attention [CALLS [ROW]]   (rows: context x batch 4096x1 16384x1 16384x16 32768x4;
// ROW, e.g. "MLA 16384x16", runs that row alone and no second table: for a profiler)
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <tuple>

#include <ATen/ATen.h>
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/core/InferenceMode.h>
#include <c10/cuda/CUDAGuard.h>

#include "kernels/decode_attention.h"
#include "kernels/step_ops.h"
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

// GPU microseconds per call of f, from a CUDA graph of `inner` calls replayed `replays` times.
double graphUs(const std::function<void()>& f, int inner, int replays) {
    const at::cuda::CUDAStream side = at::cuda::getStreamFromPool();
    at::cuda::CUDAGraph graph;
    {
        const c10::cuda::CUDAStreamGuard guard(side);
        f(); // cuBLAS sets itself up on this stream outside the capture
        side.synchronize();
        graph.capture_begin();
        for (int i = 0; i < inner; ++i)
            f();
        graph.capture_end();
    }
    return timeMs([&] { graph.replay(); }, replays) * 1e3 / inner;
}

// Batch 1, bf16, Llama-3-8B (hidden 4096, 32 heads of 128, 8 kv heads, MLP 14336, vocab 128256) and
// its MLA conversion (q of 32 x (128 + 64), kvA 4096 -> 512 + 64, W_UK / W_UV of 32 x 128 x 512).
void stepAnatomy(int replays) {
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    at::Tensor src = at::empty({int64_t(1) << 30}, bf.dtype(at::kByte)), dst = at::empty_like(src);
    const double copyGbs = 2.0 * double(src.nbytes()) / timeMs([&] { dst.copy_(src); }, 20) / 1e6;
    src = dst = at::Tensor();
    std::printf(
        "\n| piece (batch 1) | weights (MB) | us per call (graph) | GB/s | of copy (%.0f GB/s) | per step |\n"
        "|---|---|---|---|---|---|\n",
        copyGbs);
    const auto row = [&](const char* name, double mb, double us, int perStep) {
        std::printf("| %s | %.1f | %.2f | %.0f | %.0f%% | x %d = %.0f us |\n", name, mb, us, mb / us * 1e3,
                    100 * mb / us * 1e3 / copyGbs, perStep, us * perStep);
    };
    const at::Tensor x = at::randn({1, 1, 4096}, bf), xm = at::randn({1, 1, 14336}, bf);
    for (const auto& [name, out, in, perStep] :
         {std::tuple<const char*, int64_t, int64_t, int>{"linear 4096 -> 4096 (q, o)", 4096, 4096, 64},
          {"linear 4096 -> 1024 (GQA k, v)", 1024, 4096, 64},
          {"linear 4096 -> 6144 (MLA q)", 6144, 4096, 32},
          {"linear 4096 -> 576 (MLA kvA)", 576, 4096, 32},
          {"linear 4096 -> 14336 (gate, up)", 14336, 4096, 64},
          {"linear 4096 -> 28672 (gate | up in one)", 28672, 4096, 32},
          {"linear 14336 -> 4096 (down)", 4096, 14336, 32},
          {"linear 4096 -> 128256 (lm_head)", 128256, 4096, 1}}) {
        const at::Tensor w = at::randn({out, in}, bf) * 0.02;
        const at::Tensor& xi = in == 4096 ? x : xm;
        row(name, double(w.nbytes()) / 1e6, graphUs([&] { at::linear(xi, w); }, 20, replays), perStep);
    }
    // MLA's absorbed products as block.cpp writes them (einsum over heads).
    const at::Tensor qNope = at::randn({1, 1, 32, 128}, bf), wUK = at::randn({32, 128, 512}, bf);
    const at::Tensor outLat = at::randn({1, 32, 1, 512}, bf);
    row("einsum q_nope W_UK (MLA)", double(wUK.nbytes()) / 1e6,
        graphUs(
            [&] {
                at::einsum("bthd,hdr->bhtr", {qNope, wUK});
            },
            20, replays),
        32);
    row("einsum o_lat W_UV (MLA)", double(wUK.nbytes()) / 1e6,
        graphUs(
            [&] {
                at::einsum("bhtr,hvr->bthv", {outLat, wUK});
            },
            20, replays),
        32);
    // The same as the fast step runs them (kernels/step_ops.h): with the concatenation of q_rope, as
    // block.cpp's einsum path does by at::cat.
    const at::Tensor qRope = at::randn({1, 1, 32, 64}, bf), wUV = at::randn({32, 128, 512}, bf);
    const at::Tensor lat = outLat.view({1, 32, 512});
    row("einsum q_nope W_UK + cat q_rope (MLA)", double(wUK.nbytes()) / 1e6,
        graphUs(
            [&] {
                at::cat({at::einsum("bthd,hdr->bhtr", {qNope, wUK}), qRope.transpose(1, 2)}, -1);
            },
            20, replays),
        32);
    row("fused absorbed query (MLA)", double(wUK.nbytes()) / 1e6,
        graphUs([&] { kernels::fusedAbsorbQuery(qNope, wUK, qRope); }, 20, replays), 32);
    row("fused absorbed output (MLA)", double(wUV.nbytes()) / 1e6,
        graphUs([&] { kernels::fusedAbsorbOutput(lat, wUV); }, 20, replays), 32);
    const at::Tensor y = at::randn({1, 1, 4096}, bf);
    row("x + y, 4096 (one small kernel)", 0.0, graphUs([&] { at::add(x, y); }, 50, replays), 1);
}

} // namespace

int main(int argc, char** argv) {
    c10::InferenceMode guard;
    const int calls = argc > 1 ? std::stoi(argv[1]) : 200;
    const std::string only = argc > 2 ? argv[2] : "";
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    std::printf("| form | context x batch | cache read (MB) | kernel (us) | GB/s | copy GB/s | of copy | "
                "ATen (us) | kernel in a graph (us) | of copy (the faster copy) |\n"
                "|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& [ctx, B] : {std::pair<int64_t, int64_t>{4096, 1}, {16384, 1}, {16384, 16}, {32768, 4}}) {
        for (const bool mla : {false, true}) {
            if (!only.empty() &&
                only != (mla ? "MLA " : "GQA ") + std::to_string(ctx) + "x" + std::to_string(B))
                continue;
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
            // The kernel again as the decode step runs it, replayed from a CUDA graph (no host launch path
            // between the calls), against the faster of the two copies (a graph's copy of 537 MB or more
            // measured ~2.8 TB/s here, the eager one ~4.2).
            const double graphKernelUs = graphUs(
                [&] { kernels::decodeAttention(q, keys, values, lengths, dv, scale); }, 20, calls / 20 + 1);
            const double graphCopyUs =
                std::min(copyMs * 1e3, graphUs([&] { dst.copy_(src); }, 20, calls / 20 + 1));
            const double gbs = bytes / kernelMs / 1e6, copyGbs = 2 * bytes / copyMs / 1e6;
            const std::string form = std::string(mla ? "MLA" : "GQA") + " (" +
                                     kernels::decodeAttentionKernel(H / G, dk, dv, mla, ctx, B * G) + ")";
            std::printf("| %s | %lld x %lld | %.0f | %.1f | %.0f | %.0f | %.0f%% | %.1f | %.1f | %.0f%% |\n",
                        form.c_str(), (long long)ctx, (long long)B, bytes / 1e6, kernelMs * 1e3, gbs, copyGbs,
                        100 * gbs / copyGbs, atenMs * 1e3, graphKernelUs,
                        100 * graphCopyUs / graphKernelUs / 2);
        }
    }
    if (only.empty()) stepAnatomy(calls);
    return 0;
}
