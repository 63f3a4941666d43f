#include <ATen/ATen.h>

#include "kernels/step_ops.h"
#include "model/modules.h"

namespace transmla::model {

at::Tensor linear(const at::Tensor& x, const Linear& l) {
    return l.bias.defined() ? at::linear(x, l.weight, l.bias) : at::linear(x, l.weight);
}

namespace {
// Whether t's data starts at `offset` elements into base's and they share one storage (t then a row block).
bool startsAt(const at::Tensor& t, const at::Tensor& base, int64_t offset) {
    return t.defined() && t.is_contiguous() && t.scalar_type() == base.scalar_type() &&
           t.storage().is_alias_of(base.storage()) && t.storage_offset() == base.storage_offset() + offset;
}
} // namespace

bool packedLinears(const std::vector<const Linear*>& ls) {
    const Linear& first = *ls.front();
    if (ls.size() < 2 || !first.weight.defined() || first.weight.dim() != 2) return false;
    const at::Tensor& w0 = first.weight;
    int64_t rows = 0;
    for (const Linear* l : ls) {
        if (!startsAt(l->weight, w0, rows * w0.size(1)) || l->weight.dim() != 2 ||
            l->weight.size(1) != w0.size(1) || l->bias.defined() != first.bias.defined() ||
            (l->bias.defined() && !startsAt(l->bias, first.bias, rows)))
            return false;
        rows += l->weight.size(0);
    }
    return true;
}

std::vector<at::Tensor> linearPacked(const at::Tensor& x, std::initializer_list<const Linear*> ls) {
    if (!packedLinears(ls)) return {};
    const Linear& first = **ls.begin();
    const at::Tensor& w0 = first.weight;
    const bool biased = first.bias.defined();
    int64_t rows = 0;
    for (const Linear* l : ls)
        rows += l->weight.size(0);
    const at::Tensor w = w0.as_strided({rows, w0.size(1)}, {w0.size(1), 1}, w0.storage_offset());
    const at::Tensor y =
        biased ? at::linear(x, w, first.bias.as_strided({rows}, {1}, first.bias.storage_offset()))
               : at::linear(x, w);
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

} // namespace transmla::model
