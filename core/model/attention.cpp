#include <ATen/ATen.h>
#include <torch/version.h>

#include "model/modules.h"

namespace transmla::model {

namespace {

// Boolean [T, T] mask of the allowed (query i, key j) pairs: j <= i and, with a window W, i - j < W.
at::Tensor allowedMask(int64_t T, std::optional<int64_t> window, at::Device device) {
    auto opts = at::TensorOptions().dtype(at::kLong).device(device);
    at::Tensor i = at::arange(T, opts).unsqueeze(1), j = at::arange(T, opts).unsqueeze(0);
    at::Tensor allowed = j <= i;
    if (window) allowed = allowed.logical_and(i - j < *window);
    return allowed;
}

} // namespace

at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const AttentionSpec& spec) {
    const int64_t B = q.size(0), H = q.size(1), T = q.size(2), G = k.size(1), dv = v.size(-1);
    const int64_t rep = H / G;
#if TORCH_VERSION_MAJOR >= 2
    // Fused kernels on the GPU when nothing needs the explicit probabilities or soft-capping.
    if (q.is_cuda() && !spec.probsOut && !spec.softcap) {
        at::Tensor kk = rep == 1 ? k : k.repeat_interleave(rep, 1);
        at::Tensor vv = rep == 1 ? v : v.repeat_interleave(rep, 1);
        if (!spec.window)
            return at::scaled_dot_product_attention(q, kk, vv, {}, 0.0, /*is_causal=*/true, spec.scale);
        return at::scaled_dot_product_attention(q, kk, vv, allowedMask(T, spec.window, q.device()), 0.0, false,
                                                spec.scale);
    }
#endif
    // Heads of one kv group stacked along time: [B, G, rep*T, d] x [B, G, d, T] reads each k once.
    at::Tensor qg = q.reshape({B, G, rep * T, q.size(-1)});
    at::Tensor scores = at::matmul(qg, k.transpose(-1, -2)).view({B, H, T, T}) * spec.scale;
    if (spec.softcap) scores = at::tanh(scores / *spec.softcap) * *spec.softcap;
    scores = scores.masked_fill(allowedMask(T, spec.window, q.device()).logical_not(),
                                -std::numeric_limits<float>::infinity());
    at::Tensor probs = at::softmax(scores, -1, scores.scalar_type() == at::kDouble ? at::kDouble : at::kFloat);
    if (spec.probsOut) *spec.probsOut = probs;
    at::Tensor out = at::matmul(probs.to(v.scalar_type()).view({B, G, rep * T, T}), v);
    return out.view({B, H, T, dv});
}

} // namespace transmla::model
