// Two element-wise steps of every layer as one kernel each, for the decoding step (step_ops.h): with a
// CUDA graph the step is bound by its count of small kernels, and these replace ~8 (RMSNorm) and ~7
// (RoPE) ATen kernels. Both round where ATen's bf16 ops round, so results match within reduction order.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "kernels/step_ops_launch.h"

namespace transmla::kernels {

namespace {

using bf16 = __nv_bfloat16;

__global__ void rmsNormKernel(const bf16* x, const bf16* w, bf16* y, int d, float eps) {
    __shared__ float partial[32];
    const bf16* xr = x + int64_t(blockIdx.x) * d;
    bf16* yr = y + int64_t(blockIdx.x) * d;
    float ss = 0.f;
    for (int i = threadIdx.x; i < d; i += blockDim.x) {
        const float v = __bfloat162float(xr[i]);
        ss += v * v;
    }
    for (int o = 16; o > 0; o >>= 1)
        ss += __shfl_xor_sync(0xffffffffu, ss, o);
    if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = ss;
    __syncthreads();
    if (threadIdx.x < 32) {
        float t = threadIdx.x < blockDim.x / 32 ? partial[threadIdx.x] : 0.f;
        for (int o = 16; o > 0; o >>= 1)
            t += __shfl_xor_sync(0xffffffffu, t, o);
        if (threadIdx.x == 0) partial[0] = t;
    }
    __syncthreads();
    const float inv = rsqrtf(partial[0] / float(d) + eps);
    for (int i = threadIdx.x; i < d; i += blockDim.x) {
        const float normed = __bfloat162float(__float2bfloat16(__bfloat162float(xr[i]) * inv));
        yr[i] = __float2bfloat16(__bfloat162float(w[i]) * normed);
    }
}

__global__ void ropeKernel(const bf16* x, const float* cos, const float* sin, bf16* y, int64_t total, int T,
                           int heads, int d) {
    const int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (idx >= total) return;
    const int i = int(idx % d), half = d / 2;
    const int t = int((idx / (int64_t(d) * heads)) % T);
    const int64_t base = idx - i;
    const float rotated =
        i < half ? -__bfloat162float(x[base + i + half]) : __bfloat162float(x[base + i - half]);
    const float c = __bfloat162float(__float2bfloat16(cos[int64_t(t) * d + i]));
    const float s = __bfloat162float(__float2bfloat16(sin[int64_t(t) * d + i]));
    const float a = __bfloat162float(__float2bfloat16(__bfloat162float(x[idx]) * c));
    const float b = __bfloat162float(__float2bfloat16(rotated * s));
    y[idx] = __float2bfloat16(a + b);
}

const char* lastError() {
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

} // namespace

const char* launchRmsNorm(const void* x, const void* w, void* y, int64_t rows, int d, float eps,
                          void* stream) {
    rmsNormKernel<<<unsigned(rows), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(x), static_cast<const bf16*>(w), static_cast<bf16*>(y), d, eps);
    return lastError();
}

const char* launchRope(const void* x, const float* cos, const float* sin, void* y, int64_t n, int T,
                       int heads, int d, void* stream) {
    const int64_t total = n * T * heads * d;
    ropeKernel<<<unsigned((total + 255) / 256), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(x), cos, sin, static_cast<bf16*>(y), total, T, heads, d);
    return lastError();
}

} // namespace transmla::kernels
