#include "convert/balance_kv.h"

#include <ATen/ATen.h>

namespace transmla::convert {

namespace {
// sqrt(diag(W G W^T)): each output dim's RMS over tokens (the column norm up to sqrt(N)).
at::Tensor columnNorms(const at::Tensor& w, const at::Tensor& gram) {
    return (at::matmul(w, gram) * w).sum(1).clamp_min(0).sqrt();
}
} // namespace

double balanceAlpha(const at::Tensor& kNope, const at::Tensor& v, const at::Tensor& xGram) {
    if (kNope.size(0) == 0 || v.size(0) == 0) return 1.0;
    const double k = columnNorms(kNope, xGram).mean().item<double>();
    const double vv = columnNorms(v, xGram).mean().item<double>();
    return (k > 0 && vv > 0) ? k / vv : 1.0;
}

} // namespace transmla::convert
