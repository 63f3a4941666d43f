#include "kernels/step_ops.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>

#include <ATen/ATen.h>

#include "kernels/absorbed_weights.h"
#include "kernels/step_ops_launch.h"
#ifdef TRANSMLA_DECODE_KERNELS
#include <ATen/cuda/CUDAContext.h>
#endif

namespace transmla::kernels {

namespace {
thread_local bool stepOpsOn = false;

[[maybe_unused]] bool bf16Cuda(const at::Tensor& t) {
    return t.defined() && t.is_cuda() && t.scalar_type() == at::kBFloat16 && t.is_contiguous();
}

// The distance between consecutive rows (last dimension) of t, bf16 on CUDA with unit stride along the rows
// and evenly spaced rows (a column slice of a wider output too, e.g. of packed projections); 0 otherwise.
[[maybe_unused]] int64_t rowStride(const at::Tensor& t) {
    if (!t.defined() || !t.is_cuda() || t.scalar_type() != at::kBFloat16 || t.dim() < 1 || t.stride(-1) != 1)
        return 0;
    int64_t ld = t.size(-1), span = 0; // span: the elements one step of the next outer dimension must skip
    for (int64_t d = t.dim() - 2; d >= 0; --d) {
        if (t.size(d) == 1) continue; // any stride
        if (span == 0)
            ld = t.stride(d);
        else if (t.stride(d) != span)
            return 0;
        span = t.size(d) * t.stride(d);
    }
    return ld;
}

// Per-head rows [n, T, heads, d]: bf16 on CUDA with unit stride along d (any other strides: column slices of
// a packed product, a head shared by stride 0).
[[maybe_unused]] bool headRows(const at::Tensor& t) {
    return t.defined() && t.is_cuda() && t.scalar_type() == at::kBFloat16 && t.dim() == 4 && t.stride(3) == 1;
}

[[maybe_unused]] void check(const char* err, const char* what) {
    if (err) throw std::runtime_error(std::string(what) + ": " + err);
}
} // namespace

StepOpsScope::StepOpsScope(bool on) : previous(stepOpsOn) {
    stepOpsOn = on;
}
StepOpsScope::~StepOpsScope() {
    stepOpsOn = previous;
}
bool StepOpsScope::active() {
    return stepOpsOn;
}

at::Tensor fusedRmsNorm(const at::Tensor& x, const at::Tensor& w, double eps) {
#ifdef TRANSMLA_DECODE_KERNELS
    const int64_t ldx = rowStride(x);
    if (!ldx || !bf16Cuda(w) || w.dim() != 1 || x.size(-1) != w.size(0)) return {};
    at::Tensor y = at::empty(x.sizes(), x.options());
    check(launchRmsNorm(x.data_ptr(), w.data_ptr(), y.data_ptr(), x.numel() / x.size(-1), int(x.size(-1)),
                        ldx, float(eps), at::cuda::getCurrentCUDAStream().stream()),
          "fused RMSNorm");
    return y;
#else
    (void)x;
    (void)w;
    (void)eps;
    return {};
#endif
}

at::Tensor fusedRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
#ifdef TRANSMLA_DECODE_KERNELS
    if (!headRows(x) || cos.size(-1) != x.size(-1) || x.size(-1) % 2 || cos.scalar_type() != at::kFloat ||
        sin.scalar_type() != at::kFloat || !cos.is_contiguous() || !sin.is_contiguous() ||
        cos.size(0) < x.size(1))
        return {};
    at::Tensor y = at::empty(x.sizes(), x.options());
    check(launchRope(x.data_ptr(), cos.data_ptr<float>(), sin.data_ptr<float>(), y.data_ptr(), x.size(0),
                     int(x.size(1)), int(x.size(2)), int(x.size(3)), x.stride(0), x.stride(1), x.stride(2),
                     at::cuda::getCurrentCUDAStream().stream()),
          "fused RoPE");
    return y;
#else
    (void)x;
    (void)cos;
    (void)sin;
    return {};
#endif
}

at::Tensor fusedSiluMul(const at::Tensor& gate, const at::Tensor& up) {
#ifdef TRANSMLA_DECODE_KERNELS
    const int64_t ld = rowStride(gate);
    if (!ld || ld != rowStride(up) || gate.sizes() != up.sizes() || gate.strides() != up.strides()) return {};
    at::Tensor y = at::empty(gate.sizes(), gate.options());
    check(launchSiluMul(gate.data_ptr(), up.data_ptr(), y.data_ptr(), gate.numel() / gate.size(-1),
                        int(gate.size(-1)), ld, at::cuda::getCurrentCUDAStream().stream()),
          "fused SiLU * up");
    return y;
#else
    (void)gate;
    (void)up;
    return {};
#endif
}

std::pair<at::Tensor, at::Tensor> fusedAddRmsNorm(const at::Tensor& h, const at::Tensor& a,
                                                  const at::Tensor& w, double eps) {
#ifdef TRANSMLA_DECODE_KERNELS
    if (!bf16Cuda(h) || !bf16Cuda(a) || !bf16Cuda(w) || h.sizes() != a.sizes() || w.dim() != 1 ||
        h.size(-1) != w.size(0))
        return {};
    at::Tensor sum = at::empty_like(h), y = at::empty_like(h);
    check(launchAddRmsNorm(h.data_ptr(), a.data_ptr(), w.data_ptr(), sum.data_ptr(), y.data_ptr(),
                           h.numel() / h.size(-1), int(h.size(-1)), float(eps),
                           at::cuda::getCurrentCUDAStream().stream()),
          "fused add + RMSNorm");
    return {sum, y};
#else
    (void)h;
    (void)a;
    (void)w;
    (void)eps;
    return {};
#endif
}

namespace {
// RoPE tables of one position for rows of rR values (the step's: [>= 1, rR] fp32, contiguous, on CUDA).
[[maybe_unused]] bool ropeTable(const at::Tensor& cos, const at::Tensor& sin, int64_t rR) {
    const auto ok = [rR](const at::Tensor& t) {
        return t.defined() && t.is_cuda() && t.scalar_type() == at::kFloat && t.is_contiguous() &&
               t.dim() >= 1 && t.size(-1) == rR && t.numel() >= rR;
    };
    return ok(cos) && ok(sin) && rR % 2 == 0;
}

// One step's per-head rows: [B, 1, heads, d] bf16 on CUDA with unit stride along d (column slices of a packed
// product too).
[[maybe_unused]] bool stepRows(const at::Tensor& t) {
    return headRows(t) && t.size(1) == 1;
}

// The step's cache position: one int64 on the device (a graph replays it).
[[maybe_unused]] bool devicePosition(const at::Tensor& t) {
    return t.defined() && t.is_cuda() && t.scalar_type() == at::kLong && t.numel() == 1;
}

#ifdef TRANSMLA_DECODE_KERNELS
// The kernels' form of MLA's cache row (step_ops.h LatentRow); false where it does not apply.
bool latentAppendParams(const LatentRow& row, LatentAppend& p) {
    const at::Tensor& kv = row.kv;
    const at::Tensor& cache = row.cache;
    const at::Tensor& w = row.w;
    const int64_t r = row.r;
    if (!kv.defined() || !cache.defined() || kv.dim() != 3 || kv.size(1) != 1 || cache.dim() != 3 ||
        !bf16Cuda(cache) || kv.size(0) != cache.size(0) || kv.size(2) != cache.size(2) || !rowStride(kv) ||
        !devicePosition(row.position) || (w.defined() && (!bf16Cuda(w) || w.dim() != 1 || w.size(0) != r)))
        return false;
    const int64_t rR = kv.size(2) - r;
    if (r < 1 || rR < 0 || (rR > 0 && !ropeTable(row.cos, row.sin, rR))) return false;
    p = LatentAppend{};
    p.kv = kv.data_ptr();
    p.kvBatchStride = kv.stride(0);
    p.w = w.defined() ? w.data_ptr() : nullptr;
    p.eps = float(row.eps);
    p.cos = rR ? row.cos.data_ptr<float>() : nullptr;
    p.sin = rR ? row.sin.data_ptr<float>() : nullptr;
    p.cache = cache.data_ptr();
    p.cacheBatchStride = cache.stride(0);
    p.position = row.position.data_ptr<int64_t>();
    p.batch = int(kv.size(0));
    p.r = int(r);
    p.rR = int(rR);
    return true;
}
#endif
} // namespace

at::Tensor fusedRopeConcat(const at::Tensor& a, const at::Tensor& b, const at::Tensor& cos,
                           const at::Tensor& sin) {
#ifdef TRANSMLA_DECODE_KERNELS
    if (!headRows(a) || !headRows(b) || a.sizes().slice(0, 3) != b.sizes().slice(0, 3) ||
        (cos.defined() && (!ropeTable(cos, sin, b.size(3)) || cos.numel() < a.size(1) * b.size(3))) ||
        a.numel() == 0)
        return {};
    RopeConcat p{};
    p.a = a.data_ptr();
    p.aN = a.stride(0);
    p.aT = a.stride(1);
    p.aH = a.stride(2);
    p.b = b.data_ptr();
    p.bN = b.stride(0);
    p.bT = b.stride(1);
    p.bH = b.stride(2);
    p.cos = cos.defined() ? cos.data_ptr<float>() : nullptr;
    p.sin = cos.defined() ? sin.data_ptr<float>() : nullptr;
    p.n = int(a.size(0));
    p.T = int(a.size(1));
    p.heads = int(a.size(2));
    p.da = int(a.size(3));
    p.db = int(b.size(3));
    if (!ropeConcatFits(p)) return {}; // unaligned rows or odd widths: the caller concatenates
    at::Tensor y = at::empty({a.size(0), a.size(1), a.size(2), a.size(3) + b.size(3)}, a.options());
    p.y = y.data_ptr(); // a fresh tensor's start is aligned
    check(launchRopeConcat(p, at::cuda::getCurrentCUDAStream().stream()), "fused RoPE + concatenation");
    return y;
#else
    (void)a;
    (void)b;
    (void)cos;
    (void)sin;
    return {};
#endif
}

at::Tensor fusedAbsorbQuery(const at::Tensor& qNope, const at::Tensor& wUK, const at::Tensor& qRope,
                            const at::Tensor& cos, const at::Tensor& sin, const LatentRow* append,
                            const at::Tensor& ropeMap) {
#ifdef TRANSMLA_DECODE_KERNELS
    AbsorbQuery p{};
    const bool mapped = ropeMap.defined();
    // The map: [H, dn, rR] bf16 contiguous whose columns fit in the latent's last 128-column block.
    const bool mapFits =
        !mapped || (ropeMap.is_cuda() && ropeMap.scalar_type() == at::kBFloat16 && ropeMap.is_contiguous() &&
                    ropeMap.dim() == 3 && ropeMap.size(0) == qNope.size(2) &&
                    ropeMap.size(1) == wUK.size(1) && ropeMap.size(2) % 8 == 0 && wUK.size(2) % 8 == 0 &&
                    wUK.size(2) % kAbsorbColumns + ropeMap.size(2) <= kAbsorbColumns &&
                    reinterpret_cast<uintptr_t>(ropeMap.data_ptr()) % 16 == 0);
    if (!mapFits || (append && !latentAppendParams(*append, p.append)) || !stepRows(qNope) ||
        (!mapped && !stepRows(qRope)) || !headWeights(wUK) || (!mapped && qNope.size(0) != qRope.size(0)) ||
        qNope.size(2) % wUK.size(0) || (!mapped && qRope.size(2) != qNope.size(2)) ||
        qNope.size(3) != wUK.size(1) || qNope.size(0) > kAbsorbMaxBatch || qNope.size(3) > 256)
        return {};
    const int64_t B = qNope.size(0), H = qNope.size(2), r = wUK.size(2),
                  rR = mapped ? ropeMap.size(2) : qRope.size(3);
    if (cos.defined() && !ropeTable(cos, sin, rR)) return {};
    at::Tensor qCat = at::empty({B, H, r + rR}, qNope.options());
    p.qNope = qNope.data_ptr();
    p.qBatchStride = qNope.stride(0);
    p.qHeadStride = qNope.stride(2);
    if (mapped) {
        p.ropeMap = ropeMap.data_ptr();
    } else {
        p.qRope = qRope.data_ptr();
        p.ropeBatchStride = qRope.stride(0);
        p.ropeHeadStride = qRope.stride(2);
    }
    p.w = wUK.data_ptr();
    p.wHeadStride = wUK.stride(0);
    p.wRowStride = wUK.stride(1);
    p.wRep = int(H / wUK.size(0));
    p.cos = cos.defined() ? cos.data_ptr<float>() : nullptr;
    p.sin = cos.defined() ? sin.data_ptr<float>() : nullptr;
    p.qCat = qCat.data_ptr();
    p.batch = int(B);
    p.heads = int(H);
    p.dn = int(qNope.size(3));
    p.r = int(r);
    p.rR = int(rR);
    check(launchAbsorbQuery(p, at::cuda::getCurrentCUDAStream().stream()), "fused absorbed query");
    return qCat;
#else
    (void)qNope;
    (void)wUK;
    (void)qRope;
    (void)cos;
    (void)sin;
    (void)append;
    (void)ropeMap;
    return {};
#endif
}

int64_t fastestProductRows(const at::Tensor& w, const std::vector<int64_t>& candidates) {
#ifdef TRANSMLA_DECODE_KERNELS
    if (candidates.size() < 2 || !w.is_cuda() || w.dim() != 2) return candidates.empty() ? 0 : candidates[0];
    // Timed once per device, width and candidates: every layer of a model asks the same.
    static std::mutex lock;
    static std::map<std::tuple<int, int64_t, at::ScalarType, std::vector<int64_t>>, int64_t> chosen;
    const auto key = std::make_tuple(int(w.get_device()), w.size(1), w.scalar_type(), candidates);
    const std::lock_guard<std::mutex> guard(lock);
    if (const auto it = chosen.find(key); it != chosen.end()) return it->second;
    const at::Tensor x = at::full({1, w.size(1)}, 0.01, w.options()); // values do not matter (not the RNG's)
    const cudaStream_t stream = at::cuda::getCurrentCUDAStream().stream();
    cudaEvent_t start, stop;
    cudaEventCreate(&start);
    cudaEventCreate(&stop);
    std::vector<float> ms;
    for (const int64_t rows : candidates) {
        const at::Tensor wr = w.narrow(0, 0, rows);
        for (int i = 0; i < 3; ++i)
            at::linear(x, wr);
        cudaEventRecord(start, stream);
        for (int i = 0; i < 20; ++i)
            at::linear(x, wr);
        cudaEventRecord(stop, stream);
        cudaEventSynchronize(stop);
        float t = 0;
        cudaEventElapsedTime(&t, start, stop);
        ms.push_back(t);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    size_t best = 0;
    for (size_t i = 1; i < ms.size(); ++i)
        if (ms[i] < ms[best] && ms[i] <= 0.97f * ms[0]) best = i;
    return chosen[key] = candidates[best];
#else
    (void)w;
    return candidates.empty() ? 0 : candidates[0];
#endif
}

at::Tensor fusedAbsorbOutput(const at::Tensor& lat, const at::Tensor& wUV) {
#ifdef TRANSMLA_DECODE_KERNELS
    if (!bf16Cuda(lat) || lat.dim() != 3 || !headWeights(wUV) || lat.size(1) % wUV.size(0) ||
        lat.size(0) > kAbsorbMaxBatch || lat.size(2) != wUV.size(2) || wUV.size(2) > 512 ||
        lat.size(0) * lat.size(2) * 2 > 48 * 1024)
        return {};
    const int64_t B = lat.size(0), H = lat.size(1), dv = wUV.size(1);
    at::Tensor out = at::empty({B, H, dv}, lat.options());
    AbsorbOutput p{};
    p.lat = lat.data_ptr();
    p.w = wUV.data_ptr();
    p.wHeadStride = wUV.stride(0);
    p.wRowStride = wUV.stride(1);
    p.wRep = int(H / wUV.size(0));
    p.out = out.data_ptr();
    p.batch = int(B);
    p.heads = int(H);
    p.r = int(lat.size(2));
    p.dv = int(dv);
    check(launchAbsorbOutput(p, at::cuda::getCurrentCUDAStream().stream()), "fused absorbed output");
    return out;
#else
    (void)lat;
    (void)wUV;
    return {};
#endif
}

bool fusedLatentAppend(const LatentRow& row) {
#ifdef TRANSMLA_DECODE_KERNELS
    LatentAppend p{};
    if (!latentAppendParams(row, p)) return false;
    check(launchLatentAppend(p, at::cuda::getCurrentCUDAStream().stream()), "fused latent append");
    return true;
#else
    (void)row;
    return false;
#endif
}

at::Tensor fusedRopeAppend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                           const at::Tensor& cos, const at::Tensor& sin, const at::Tensor& cacheK,
                           const at::Tensor& cacheV, const at::Tensor& position) {
#ifdef TRANSMLA_DECODE_KERNELS
    if (!stepRows(q) || !stepRows(k) || !stepRows(v) || k.sizes() != v.sizes() || q.size(0) != k.size(0) ||
        q.size(3) != k.size(3) || !bf16Cuda(cacheK) || !bf16Cuda(cacheV) || cacheK.dim() != 4 ||
        cacheK.sizes() != cacheV.sizes() || cacheK.size(0) != k.size(0) || cacheK.size(1) != k.size(2) ||
        cacheK.size(3) != k.size(3) || q.size(3) > 1024 || !ropeTable(cos, sin, q.size(3)) ||
        !devicePosition(position))
        return {};
    const int64_t B = q.size(0), H = q.size(2), d = q.size(3);
    at::Tensor qOut = at::empty({B, H, d}, q.options());
    RopeAppend p{};
    p.q = q.data_ptr();
    p.k = k.data_ptr();
    p.v = v.data_ptr();
    p.qBatchStride = q.stride(0);
    p.qHeadStride = q.stride(2);
    p.kBatchStride = k.stride(0);
    p.kHeadStride = k.stride(2);
    p.vBatchStride = v.stride(0);
    p.vHeadStride = v.stride(2);
    p.cos = cos.data_ptr<float>();
    p.sin = sin.data_ptr<float>();
    p.qOut = qOut.data_ptr();
    p.cacheK = cacheK.data_ptr();
    p.cacheV = cacheV.data_ptr();
    p.cacheBatchStride = cacheK.stride(0);
    p.cacheGroupStride = cacheK.stride(1);
    p.position = position.data_ptr<int64_t>();
    p.batch = int(B);
    p.heads = int(H);
    p.groups = int(k.size(2));
    p.d = int(d);
    check(launchRopeAppend(p, at::cuda::getCurrentCUDAStream().stream()), "fused RoPE + cache append");
    return qOut;
#else
    (void)q;
    (void)k;
    (void)v;
    (void)cos;
    (void)sin;
    (void)cacheK;
    (void)cacheV;
    (void)position;
    return {};
#endif
}

} // namespace transmla::kernels
