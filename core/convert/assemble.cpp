#include "convert/assemble.h"

#include <ATen/ATen.h>

namespace transmla::convert {

at::Tensor augmented(const model::Linear& l, int64_t rows, int64_t D, at::Device device) {
    TORCH_CHECK(l.weight.size(0) == rows && l.weight.size(1) == D, "augmented: projection shape mismatch");
    auto f64 = at::TensorOptions().dtype(at::kDouble).device(device);
    at::Tensor b = l.bias.defined() ? l.bias.to(f64).unsqueeze(1) : at::zeros({rows, 1}, f64);
    return at::cat({l.weight.to(f64), b}, 1);
}

model::Linear fromAugmented(const at::Tensor& w, bool keepBias, at::ScalarType dtype) {
    const int64_t D = w.size(1) - 1;
    model::Linear l;
    l.weight = w.narrow(1, 0, D).to(dtype).contiguous();
    if (keepBias) l.bias = w.select(1, D).to(dtype).contiguous();
    return l;
}

model::MlaAttention assembleMla(const MlaParts& p, const ResolvedDims& dims, const model::Linear& o,
                                bool bias, at::ScalarType dtype) {
    const int64_t H = dims.H, g = dims.g, d = dims.d, rR = dims.ropeDim, n = g * d - rR, rep = H / g;
    const at::Tensor& Rk = p.rotation.rotation;
    const at::Tensor rotK = at::matmul(Rk, p.k); // {g*d, D+1}
    const at::Tensor kRope = rotK.narrow(0, 0, rR), kNope = rotK.narrow(0, rR, n);
    const at::Tensor mz = at::cat({kNope / p.alpha, p.v}, 0); // {n + g*d, D+1}
    const at::Tensor& E = p.latent.basis;                     // {n + g*d, r}
    const int64_t r = E.size(1);
    const at::Tensor RkT = Rk.t(); // {g*d, g*d}: k = RkT k'
    const at::Tensor Ekn = E.narrow(0, 0, n), Ev = E.narrow(0, n, g * d);

    std::vector<at::Tensor> kvB, q;
    at::Tensor wUK; // of kv group j, the same tensor for each of its heads (packProjections keeps one copy)
    for (int64_t h = 0; h < H; ++h) {
        const int64_t j = h / rep;
        const at::Tensor Pj = RkT.narrow(0, j * d, d).narrow(1, 0, rR); // {d, r_R}
        const at::Tensor Qj = RkT.narrow(0, j * d, d).narrow(1, rR, n); // {d, n}
        if (h % rep == 0) wUK = at::matmul(Qj, Ekn) * p.alpha;          // {d, r}  W_UK^h
        kvB.push_back(wUK);
        kvB.push_back(Ev.narrow(0, j * d, d));         // {d, r}  W_UV^h
        const at::Tensor wq = p.q.narrow(0, h * d, d); // {d, D+1}
        q.push_back(wq * p.queryScale);
        q.push_back(at::matmul(Pj.t(), wq) * p.queryScale); // {r_R, D+1}
    }
    model::MlaAttention m;
    m.ropeDim = rR;
    m.nopeDim = d;
    m.vDim = d;
    m.rank = r;
    m.q = fromAugmented(at::cat(q, 0), bias, dtype);
    m.kvA = fromAugmented(at::cat({at::matmul(E.t(), mz), kRope}, 0), bias, dtype);
    m.kvB =
        fromAugmented(at::cat({at::cat(kvB, 0), at::zeros({H * 2 * d, 1}, E.options())}, 1), false, dtype);
    m.o = o;
    at::Tensor idx = at::tensor(p.rotation.freqIndex, at::kLong).to(p.originalInvFreq.device());
    m.ropeInvFreq = p.originalInvFreq.index_select(0, idx).to(at::kFloat);
    return m;
}

} // namespace transmla::convert
