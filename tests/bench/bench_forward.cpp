// Forward-pass timing by block (embedding, norms, projections, RoPE, attention, MLP, logits) for a
// model on a device and dtype: where the time goes. Usage:
//   bench_forward MODEL_DIR [cpu|cuda] [f32|bf16] [batch] [seqlen] [iterations]
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/forward.h"
#include "model/modules.h"

using namespace transmla;

namespace {
double timeIt(const std::function<at::Tensor()>& f, int iters) {
    f().sum().item<double>(); // warm-up (and CUDA sync)
    const auto t0 = std::chrono::steady_clock::now();
    at::Tensor last;
    for (int i = 0; i < iters; ++i)
        last = f();
    last.sum().item<double>(); // wait for the device
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / iters * 1e3;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: bench_forward MODEL_DIR [cpu|cuda] [f32|bf16] [batch] [seqlen] [iterations]\n");
        return 1;
    }
    const std::string device = argc > 2 ? argv[2] : "cpu", dtype = argc > 3 ? argv[3] : "f32";
    const int64_t B = argc > 4 ? std::stoll(argv[4]) : 8, T = argc > 5 ? std::stoll(argv[5]) : 256;
    const int iters = argc > 6 ? std::stoi(argv[6]) : 10;
    c10::InferenceMode guard;
    const model::Model m = model::Model::load(argv[1], {device, dtype});
    const auto& c = m.config;
    const at::Tensor ids = at::randint(0, c.vocabSize, {B, T}, at::kLong).to(m.device());
    const at::Tensor h = model::embedTokens(m, ids);
    const auto& L = m.layers[0];
    const at::Tensor x = model::inputNorm(m, 0, h);
    const int64_t H = c.numHeads, g = c.numKvHeads, d = c.headDim;
    const model::RopeTables rope = model::ropeTables(c, T, m.device());
    const at::Tensor q = model::linear(x, L.gqa.q).view({B, T, H, d}).transpose(1, 2);
    const at::Tensor k = model::linear(x, L.gqa.k).view({B, T, g, d}).transpose(1, 2);
    const at::Tensor v = model::linear(x, L.gqa.v).view({B, T, g, d}).transpose(1, 2);
    model::AttentionSpec spec;
    spec.scale = model::softmaxScale(c);
    std::printf("model %s, %s %s, batch %lld x %lld tokens, %d iterations (ms per call)\n", argv[1],
                device.c_str(), dtype.c_str(), (long long)B, (long long)T, iters);
    const double full = timeIt([&] { return model::forwardHidden(m, ids); }, iters);
    const double logits = timeIt([&] { return model::logitsFromHidden(m, h); }, iters);
    const double norm = timeIt([&] { return model::inputNorm(m, 0, h); }, iters);
    const double qkv = timeIt(
        [&] {
            return model::linear(x, L.gqa.q) + 0 * model::linear(x, L.gqa.k).sum() +
                   0 * model::linear(x, L.gqa.v).sum();
        },
        iters);
    const double ropeMs = timeIt([&] { return model::applyRope(q.transpose(1, 2), rope); }, iters);
    const double attn = timeIt([&] { return model::attend(q, k, v, spec); }, iters);
    const double mlpMs =
        L.experts.empty() ? timeIt([&] { return model::mlp(h, L.mlp, c.activation); }, iters) : 0;
    std::printf("%-28s %9.3f\n", "forwardHidden (all layers)", full);
    std::printf("%-28s %9.3f\n", "lm_head (fp32 logits)", logits);
    std::printf("%-28s %9.3f  (per layer)\n", "rmsnorm", norm);
    std::printf("%-28s %9.3f  (per layer)\n", "q/k/v projections", qkv);
    std::printf("%-28s %9.3f  (per layer, q only)\n", "rope", ropeMs);
    std::printf("%-28s %9.3f  (per layer)\n", "attention", attn);
    std::printf("%-28s %9.3f  (per layer)\n", "mlp", mlpMs);
    std::printf("tokens/s (forward only): %.0f\n", double(B * T) / (full / 1e3));
    return 0;
}
