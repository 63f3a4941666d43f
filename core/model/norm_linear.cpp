#include <ATen/ATen.h>

#include "kernels/step_ops.h"
#include "kernels/tuned_linear.h"
#include "model/decode_step.h"
#include "model/modules.h"

namespace transmla::model {

namespace {
// A prompt's product through the tuned cuBLASLt path (decode_step.h, promptGemm): only inside a prompt
// into a cache with the fused prompt ops (the decoding step's products are too small to qualify).
at::Tensor promptProduct(const at::Tensor& x, const at::Tensor& w) {
    if (!kernels::StepOpsScope::active() || !decodeFastPath().promptGemm) return {};
    return kernels::tunedLinear(x, w);
}
} // namespace

at::Tensor linear(const at::Tensor& x, const Linear& l) {
    if (!l.bias.defined())
        if (at::Tensor y = promptProduct(x, l.weight); y.defined()) return y;
    return l.bias.defined() ? at::linear(x, l.weight, l.bias) : at::linear(x, l.weight);
}

namespace {
// Whether t's data starts at `offset` elements into base's and they share one storage (t then a row block).
bool startsAt(const at::Tensor& t, const at::Tensor& base, int64_t offset) {
    return t.defined() && t.is_contiguous() && t.scalar_type() == base.scalar_type() &&
           t.storage().is_alias_of(base.storage()) && t.storage_offset() == base.storage_offset() + offset;
}

// The rows of the tensor whose consecutive row blocks the linears [begin, end) are (weights, and biases if
// any), or 0 where they are not packed so.
int64_t packedRows(const Linear* const* begin, const Linear* const* end) {
    const Linear& first = **begin;
    if (end - begin < 2 || !first.weight.defined() || first.weight.dim() != 2) return 0;
    const at::Tensor& w0 = first.weight;
    int64_t rows = 0;
    for (const Linear* const* l = begin; l != end; ++l) {
        const Linear& L = **l;
        if (!startsAt(L.weight, w0, rows * w0.size(1)) || L.weight.dim() != 2 ||
            L.weight.size(1) != w0.size(1) || L.bias.defined() != first.bias.defined() ||
            (L.bias.defined() && !startsAt(L.bias, first.bias, rows)))
            return 0;
        rows += L.weight.size(0);
    }
    return rows;
}
} // namespace

bool packedLinears(const std::vector<const Linear*>& ls) {
    return !ls.empty() && packedRows(ls.data(), ls.data() + ls.size()) > 0;
}

at::Tensor linearRows(const at::Tensor& x, const Linear& first, int64_t rows) {
    const at::Tensor& w0 = first.weight;
    const at::Tensor w = w0.as_strided({rows, w0.size(1)}, {w0.size(1), 1}, w0.storage_offset());
    if (!first.bias.defined())
        if (at::Tensor y = promptProduct(x, w); y.defined()) return y;
    return first.bias.defined()
               ? at::linear(x, w, first.bias.as_strided({rows}, {1}, first.bias.storage_offset()))
               : at::linear(x, w);
}

std::vector<at::Tensor> linearPacked(const at::Tensor& x, std::initializer_list<const Linear*> ls) {
    const int64_t rows = packedRows(ls.begin(), ls.end());
    if (rows == 0) return {};
    const at::Tensor y = linearRows(x, **ls.begin(), rows);
    std::vector<at::Tensor> out;
    int64_t row = 0;
    for (const Linear* l : ls) {
        out.push_back(y.narrow(-1, row, l->weight.size(0)));
        row += l->weight.size(0);
    }
    return out;
}

at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& w, double eps, bool gemmaForm) {
    if (!gemmaForm && kernels::StepOpsScope::active()) // one kernel in the decoding step (step_ops.h)
        if (at::Tensor y = kernels::fusedRmsNorm(x, w, eps); y.defined()) return y;
    // At least fp32 (as transformers), fp64 kept as is.
    at::Tensor xf = x.scalar_type() == at::kDouble ? x : x.to(at::kFloat);
    at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
    if (gemmaForm) return (normed * (1.0 + w.to(xf.scalar_type()))).to(x.scalar_type());
    return w * normed.to(x.scalar_type());
}

std::pair<at::Tensor, at::Tensor> addRmsNorm(const at::Tensor& h, const at::Tensor& a, const at::Tensor& w,
                                             double eps, bool gemmaForm) {
    if (!gemmaForm && kernels::StepOpsScope::active()) // one kernel in the decoding step (step_ops.h)
        if (auto fused = kernels::fusedAddRmsNorm(h, a, w, eps); fused.first.defined()) return fused;
    at::Tensor sum = h + a;
    return {sum, rmsNorm(sum, w, eps, gemmaForm)};
}

} // namespace transmla::model
