#include <cmath>

#include <ATen/ATen.h>
#include <torch/version.h>

#include "model/modules.h"

namespace transmla::model {

namespace {

// Boolean [Tq, Tk] mask of the allowed (query i at position offset + i, key j) pairs: j <= offset + i
// and, with a window W, offset + i - j < W.
at::Tensor allowedMask(int64_t Tq, int64_t Tk, int64_t offset, std::optional<int64_t> window,
                       at::Device device) {
    auto opts = at::TensorOptions().dtype(at::kLong).device(device);
    at::Tensor i = at::arange(offset, offset + Tq, opts).unsqueeze(1), j = at::arange(Tk, opts).unsqueeze(0);
    at::Tensor allowed = j <= i;
    if (window) allowed = allowed.logical_and(i - j < *window);
    return allowed;
}

} // namespace

double softmaxScale(const io::ModelConfig& c, int64_t mlaQkDim) {
    if (mlaQkDim > 0) return 1.0 / std::sqrt(static_cast<double>(mlaQkDim));
    if (c.queryPreAttnScalar) return 1.0 / std::sqrt(*c.queryPreAttnScalar);
    return 1.0 / std::sqrt(static_cast<double>(c.headDim));
}

at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const AttentionSpec& spec) {
    const int64_t B = q.size(0), H = q.size(1), Tq = q.size(2), G = k.size(1), Tk = k.size(2),
                  dv = v.size(-1);
    const int64_t rep = H / G;
#if TORCH_VERSION_MAJOR >= 2
    // Fused kernels on the GPU when nothing needs the explicit probabilities or soft-capping.
    if (q.is_cuda() && spec.allowFused && !spec.probsOut && !spec.softcap && spec.queryOffset == 0 &&
        Tq == Tk) {
        at::Tensor kk = rep == 1 ? k : k.repeat_interleave(rep, 1);
        at::Tensor vv = rep == 1 ? v : v.repeat_interleave(rep, 1);
        if (!spec.window)
            return at::scaled_dot_product_attention(q, kk, vv, {}, 0.0, /*is_causal=*/true, spec.scale);
        return at::scaled_dot_product_attention(q, kk, vv, allowedMask(Tq, Tk, 0, spec.window, q.device()),
                                                0.0, false, spec.scale);
    }
#endif
    // Heads of one kv group stacked along time: [B, G, rep*Tq, d] x [B, G, d, Tk] reads each k once
    // (for a cache: in place, however it is strided).
    at::Tensor qg = q.reshape({B, G, rep * Tq, q.size(-1)});
    at::Tensor scores = at::matmul(qg, k.transpose(-1, -2)).view({B, H, Tq, Tk}) * spec.scale;
    if (spec.softcap) scores = at::tanh(scores / *spec.softcap) * *spec.softcap;
    // One query at the last position without a window sees every key: no mask to build (each decoding step).
    const bool seesAll = Tq == 1 && !spec.window && spec.queryOffset + 1 >= Tk;
    if (!seesAll)
        scores =
            scores.masked_fill(allowedMask(Tq, Tk, spec.queryOffset, spec.window, q.device()).logical_not(),
                               -std::numeric_limits<float>::infinity());
    at::Tensor probs =
        at::softmax(scores, -1, scores.scalar_type() == at::kDouble ? at::kDouble : at::kFloat);
    if (spec.probsOut) *spec.probsOut = probs;
    at::Tensor out = at::matmul(probs.to(v.scalar_type()).view({B, G, rep * Tq, Tk}), v);
    return out.view({B, H, Tq, dv});
}

} // namespace transmla::model
