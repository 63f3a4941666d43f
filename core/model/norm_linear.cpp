#include <ATen/ATen.h>

#include "model/modules.h"

namespace transmla::model {

at::Tensor linear(const at::Tensor& x, const Linear& l) {
    return l.bias.defined() ? at::linear(x, l.weight, l.bias) : at::linear(x, l.weight);
}

at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& w, double eps, bool gemmaForm) {
    at::Tensor xf = x.to(at::kFloat);
    at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
    if (gemmaForm) return (normed * (1.0 + w.to(at::kFloat))).to(x.scalar_type());
    return w * normed.to(x.scalar_type());
}

} // namespace transmla::model
