#include <ATen/ATen.h>

#include "kernels/step_ops.h"
#include "model/modules.h"

namespace transmla::model {

at::Tensor linear(const at::Tensor& x, const Linear& l) {
    return l.bias.defined() ? at::linear(x, l.weight, l.bias) : at::linear(x, l.weight);
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
