#include <cmath>

#include <ATen/ATen.h>
#include <torch/version.h>

#include "kernels/decode_attention.h"
#include "model/decode_step.h"
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

[[maybe_unused]] bool cudnnAttentionWanted(const at::Tensor& q) {
    return decodeFastPath().cudnnAttention &&
           (q.scalar_type() == at::kBFloat16 || q.scalar_type() == at::kHalf) &&
           kernels::cudaDeviceMajor() == 9;
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
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
        // cuDNN's fused attention on Hopper: 590 TFLOP/s for the 16K x 16 prefill where flash reaches 350
        // (tests/bench/prefill_pieces.py), and it takes the kv heads unrepeated and MLA's values narrower
        // than its keys. Where it refuses a shape, the flash path below (decode_step.h: cudnnAttention).
        if (!spec.window && cudnnAttentionWanted(q)) {
            try {
                return std::get<0>(at::_scaled_dot_product_cudnn_attention(q, k, v, std::nullopt, false, 0.0,
                                                                           /*is_causal=*/true, false,
                                                                           spec.scale));
            } catch (const std::exception&) {
            }
        }
#endif
        at::Tensor kk = rep == 1 ? k : k.repeat_interleave(rep, 1);
        at::Tensor vv = rep == 1 ? v : v.repeat_interleave(rep, 1);
        // The flash kernel wants one width for q, k and v: zero columns added to v come out as zeros (MLA's
        // expanded form: v of 128 against q and k of 192).
        const int64_t pad = dv < q.size(-1) ? q.size(-1) - dv : 0;
        if (pad) vv = at::constant_pad_nd(vv, {0, pad});
        at::Tensor out =
            !spec.window
                ? at::scaled_dot_product_attention(q, kk, vv, {}, 0.0, /*is_causal=*/true, spec.scale)
                : at::scaled_dot_product_attention(q, kk, vv, allowedMask(Tq, Tk, 0, spec.window, q.device()),
                                                   0.0, false, spec.scale);
        return pad ? out.narrow(-1, 0, dv) : out;
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
