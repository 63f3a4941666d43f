// The plain-C++ boundary of small_linear.cu (see step_ops.h, fusedSmallLinear).
#pragma once
#include <cstdint>

namespace transmla::kernels {

// The most rows of x the small-batch product takes (a decoding step's sequences).
constexpr int kSmallLinearMaxRows = 4;

// y[m, n] = bf16(sum_k x[m, k] w[n, k] + bias[n]) for m < rows <= kSmallLinearMaxRows, fp32 sums: x's rows
// ldx elements apart, w [n, k] and y [rows, n] contiguous, bias [n] or null; bf16 throughout, k and ldx
// multiples of 8 and every pointer 16-byte aligned (smallLinearFits; otherwise nothing runs and the error
// says so).
struct SmallLinear {
    const void* x;
    int64_t ldx;
    const void* w;
    const void* bias;
    void* y;
    int rows, n, k;
};
bool smallLinearFits(const SmallLinear& p);
const char* launchSmallLinear(const SmallLinear& p, void* stream);

} // namespace transmla::kernels
