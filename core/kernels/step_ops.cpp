#include "kernels/step_ops.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

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
    if (!bf16Cuda(x) || !bf16Cuda(w) || w.dim() != 1 || x.size(-1) != w.size(0)) return {};
    at::Tensor y = at::empty_like(x);
    check(launchRmsNorm(x.data_ptr(), w.data_ptr(), y.data_ptr(), x.numel() / x.size(-1), int(x.size(-1)),
                        float(eps), at::cuda::getCurrentCUDAStream().stream()),
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
    if (!bf16Cuda(x) || x.dim() != 4 || cos.size(-1) != x.size(-1) || x.size(-1) % 2 ||
        cos.scalar_type() != at::kFloat || sin.scalar_type() != at::kFloat || !cos.is_contiguous() ||
        !sin.is_contiguous() || cos.size(0) < x.size(1))
        return {};
    at::Tensor y = at::empty_like(x);
    check(launchRope(x.data_ptr(), cos.data_ptr<float>(), sin.data_ptr<float>(), y.data_ptr(), x.size(0),
                     int(x.size(1)), int(x.size(2)), int(x.size(3)),
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

} // namespace transmla::kernels
