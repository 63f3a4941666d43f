#include "convert/qk_norm.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/arch.h"
#include "model/block.h"
#include "model/forward.h"
#include "model/modules.h"

namespace transmla::convert {

namespace {

at::Tensor selection(int64_t rows, int64_t cols, int64_t offset, at::Device device) {
    at::Tensor s = at::zeros({rows, cols}, at::TensorOptions().dtype(at::kDouble).device(device));
    s.narrow(1, offset, rows).copy_(at::eye(rows, s.options()));
    return s;
}

// Per head: sum_t |y|^2 / rho and sum_t |y|^2, y [.., heads, d] (fp64).
void accumulate(const at::Tensor& y, double eps, at::Tensor& num, at::Tensor& den) {
    const at::Tensor yd = y.to(at::kDouble).reshape({-1, y.size(-2), y.size(-1)}); // {N, heads, d}
    const at::Tensor sq = yd.pow(2).sum(-1);                                       // {N, heads}
    const at::Tensor rho = (sq / double(y.size(-1)) + eps).sqrt();
    num += (sq / rho).sum(0);
    den += sq.sum(0);
}

// Relative error of the fitted constant per head: E|c y - y/rho| / E|y/rho| over the tokens of y.
double foldError(const at::Tensor& y, const at::Tensor& c, double eps) {
    const at::Tensor yd = y.to(at::kDouble).reshape({-1, y.size(-2), y.size(-1)});
    const at::Tensor rho = (yd.pow(2).mean(-1, true) + eps).sqrt();
    const at::Tensor exact = yd / rho, approx = yd * c.view({1, -1, 1});
    return ((approx - exact).norm(2, -1).mean() / exact.norm(2, -1).mean()).item<double>();
}

// W rows of head h scaled by c_h * w_eff: the constant that replaces the norm of that head.
void foldInto(model::Linear& l, const at::Tensor& c, const at::Tensor& wEff, int64_t heads, int64_t d) {
    const at::Tensor scale = (c.view({heads, 1}) * wEff.to(at::kDouble).view({1, d})).reshape({heads * d});
    l.weight = (l.weight.to(at::kDouble) * scale.unsqueeze(1)).to(l.weight.scalar_type());
    if (l.bias.defined()) l.bias = (l.bias.to(at::kDouble) * scale).to(l.bias.scalar_type());
}

} // namespace

at::Tensor selectNormedKeys(int64_t gd, at::Device device) {
    return selection(gd, 2 * gd + 1, 0, device);
}
at::Tensor selectValues(int64_t gd, at::Device device) {
    return selection(gd, 2 * gd + 1, gd, device);
}
at::Tensor selectNormedQueries(int64_t Hd, at::Device device) {
    return selection(Hd, Hd + 1, 0, device);
}

void attachNormedInput(model::MlaAttention& mla, const model::Layer& source, int64_t H, int64_t d) {
    const int64_t e = mla.nopeDim + mla.ropeDim;
    const at::Tensor q = mla.q.weight; // {H*e, H*d}, block diagonal
    std::vector<at::Tensor> blocks;
    for (int64_t h = 0; h < H; ++h)
        blocks.push_back(q.narrow(0, h * e, e).narrow(1, h * d, d));
    mla.qUp = at::stack(blocks).contiguous(); // {H, e, d}
    mla.q = {};
    mla.qPre = source.gqa.q;
    mla.kPre = source.gqa.k;
    mla.vPre = source.gqa.v;
    mla.qNorm = source.gqa.qNorm;
    mla.kNorm = source.gqa.kNorm;
}

QkNormFold foldQkNorms(model::Model& m, const at::Tensor& ids, int64_t microBatch) {
    c10::InferenceMode guard;
    const auto& c = m.config;
    const int64_t H = c.numHeads, g = c.numKvHeads, d = c.headDim, N = ids.size(0);
    const bool gemma = model::archFor(c.family).gemmaNorm;
    auto f64 = at::TensorOptions().dtype(at::kDouble).device(m.device());
    std::vector<at::Tensor> hidden;
    for (int64_t s = 0; s < N; s += microBatch)
        hidden.push_back(model::embedTokens(m, ids.narrow(0, s, std::min(microBatch, N - s)).to(m.device())));
    QkNormFold out;
    double errSum = 0;
    int64_t errCount = 0;
    for (int64_t layer = 0; layer < c.numLayers; ++layer) {
        model::GqaAttention& a = m.layers[size_t(layer)].gqa;
        if (!a.kNorm.defined()) {
            for (auto& h : hidden)
                h = model::runLayer(m, layer, h);
            continue;
        }
        at::Tensor qNum = at::zeros({H}, f64), qDen = at::zeros({H}, f64);
        at::Tensor kNum = at::zeros({g}, f64), kDen = at::zeros({g}, f64);
        std::vector<at::Tensor> xs;
        for (const auto& h : hidden) {
            const at::Tensor x = model::inputNorm(m, layer, h);
            accumulate(model::linear(x, a.q).view({x.size(0), x.size(1), H, d}), c.rmsNormEps, qNum, qDen);
            accumulate(model::linear(x, a.k).view({x.size(0), x.size(1), g, d}), c.rmsNormEps, kNum, kDen);
            xs.push_back(x);
        }
        const at::Tensor qc = qNum / qDen.clamp_min(1e-300), kc = kNum / kDen.clamp_min(1e-300);
        for (const auto& x : xs) {
            errSum += foldError(model::linear(x, a.q).view({x.size(0), x.size(1), H, d}), qc, c.rmsNormEps);
            errSum += foldError(model::linear(x, a.k).view({x.size(0), x.size(1), g, d}), kc, c.rmsNormEps);
            errCount += 2;
        }
        const at::Tensor qw = gemma ? a.qNorm.to(at::kDouble) + 1 : a.qNorm.to(at::kDouble);
        const at::Tensor kw = gemma ? a.kNorm.to(at::kDouble) + 1 : a.kNorm.to(at::kDouble);
        foldInto(a.q, qc, qw, H, d);
        foldInto(a.k, kc, kw, g, d);
        a.qNorm = at::Tensor();
        a.kNorm = at::Tensor();
        auto vec = [](const at::Tensor& t) {
            const at::Tensor cpu = t.to(at::kCPU).contiguous();
            return std::vector<double>(cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel());
        };
        out.qScale.push_back(vec(qc));
        out.kScale.push_back(vec(kc));
        for (auto& h : hidden) // advance through the folded layer
            h = model::runLayer(m, layer, h);
    }
    out.meanRelativeError = errCount ? errSum / double(errCount) : 0.0;
    return out;
}

bool qkNormsFolded(const model::Model& m) {
    if (!m.config.qkNorm()) return false;
    for (const auto& L : m.layers)
        if (hasQkNorm(L) || (L.mla && L.mla->normedInput())) return false;
    return true;
}

} // namespace transmla::convert
