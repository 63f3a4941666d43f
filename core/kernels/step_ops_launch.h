// The plain-C++ boundary of step_ops.cu (see step_ops.h).
#pragma once
#include <cstdint>

namespace transmla::kernels {

// y[r] = w * bf16(x[r] * rsqrt(mean(x[r]^2) + eps)), rows of d bf16 values.
const char* launchRmsNorm(const void* x, const void* w, void* y, int64_t rows, int d, float eps,
                          void* stream);
// x [n, T, heads, d] bf16 contiguous, cos/sin [T, d] fp32: y = x cos + rotate_half(x) sin in bf16 steps.
const char* launchRope(const void* x, const float* cos, const float* sin, void* y, int64_t n, int T,
                       int heads, int d, void* stream);

} // namespace transmla::kernels
