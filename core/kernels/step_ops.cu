// Element-wise steps of every layer as one kernel each, for the decoding step (step_ops.h): with a
// CUDA graph the step is bound by its count of small kernels, and these replace ~8 (RMSNorm), ~7
// (RoPE), 2 (SiLU * up) and ~9 (residual add + RMSNorm) ATen kernels. Both round where ATen's bf16 ops round,
// so results match within reduction order.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "kernels/step_ops_launch.h"

namespace transmla::kernels {

namespace {

using bf16 = __nv_bfloat16;

// The sum of every thread's v over the block (blockDim.x a multiple of 32, at most 1024), returned to
// every thread: warp shuffles, then one warp over the warps' partial sums.
__device__ float blockSum(float v) {
    __shared__ float partial[32];
    for (int o = 16; o > 0; o >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, o);
    if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = v;
    __syncthreads();
    if (threadIdx.x < 32) {
        float t = threadIdx.x < blockDim.x / 32 ? partial[threadIdx.x] : 0.f;
        for (int o = 16; o > 0; o >>= 1)
            t += __shfl_xor_sync(0xffffffffu, t, o);
        if (threadIdx.x == 0) partial[0] = t;
    }
    __syncthreads();
    return partial[0];
}

__global__ void rmsNormKernel(const bf16* x, const bf16* w, bf16* y, int d, int64_t ldx, float eps) {
    const bf16* xr = x + int64_t(blockIdx.x) * ldx;
    bf16* yr = y + int64_t(blockIdx.x) * d;
    float ss = 0.f;
    for (int i = threadIdx.x; i < d; i += blockDim.x) {
        const float v = __bfloat162float(xr[i]);
        ss += v * v;
    }
    const float inv = rsqrtf(blockSum(ss) / float(d) + eps);
    for (int i = threadIdx.x; i < d; i += blockDim.x) {
        const float normed = __bfloat162float(__float2bfloat16(__bfloat162float(xr[i]) * inv));
        yr[i] = __float2bfloat16(__bfloat162float(w[i]) * normed);
    }
}

// x [n, T, heads, d] with any strides but unit along d (MLA's q_rope and k_rope are column slices of
// wider rows); y contiguous.
__global__ void ropeKernel(const bf16* x, const float* cos, const float* sin, bf16* y, int64_t total, int T,
                           int heads, int d, int64_t strideN, int64_t strideT, int64_t strideH) {
    const int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (idx >= total) return;
    const int i = int(idx % d), half = d / 2;
    const int64_t row = idx / d;
    const int h = int(row % heads), t = int((row / heads) % T);
    const int64_t n = row / (int64_t(heads) * T);
    const bf16* xr = x + n * strideN + t * strideT + h * strideH;
    const float rotated = i < half ? -__bfloat162float(xr[i + half]) : __bfloat162float(xr[i - half]);
    const float c = __bfloat162float(__float2bfloat16(cos[int64_t(t) * d + i]));
    const float s = __bfloat162float(__float2bfloat16(sin[int64_t(t) * d + i]));
    const float a = __bfloat162float(__float2bfloat16(__bfloat162float(xr[i]) * c));
    const float b = __bfloat162float(__float2bfloat16(rotated * s));
    y[idx] = __float2bfloat16(a + b);
}

// ATen's silu(gate) * up in bf16: silu rounded to bf16, then the product rounded.
__global__ void siluMulKernel(const bf16* gate, const bf16* up, bf16* y, int64_t total, int width,
                              int64_t ld) {
    const int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (idx >= total) return;
    const int64_t in = idx / width * ld + idx % width;
    const float g = __bfloat162float(gate[in]);
    const float silu = __bfloat162float(__float2bfloat16(g / (1.f + __expf(-g))));
    y[idx] = __float2bfloat16(silu * __bfloat162float(up[in]));
}

// h' = bf16(h + a) (the residual add) and y = RMSNorm(h') as rmsNormKernel, one row per block: each
// thread reads back only the sums it wrote.
__global__ void addRmsNormKernel(const bf16* h, const bf16* a, const bf16* w, bf16* hOut, bf16* y, int d,
                                 float eps) {
    const int64_t base = int64_t(blockIdx.x) * d;
    float ss = 0.f;
    for (int i = threadIdx.x; i < d; i += blockDim.x) {
        const bf16 sum = __float2bfloat16(__bfloat162float(h[base + i]) + __bfloat162float(a[base + i]));
        hOut[base + i] = sum;
        const float v = __bfloat162float(sum);
        ss += v * v;
    }
    const float inv = rsqrtf(blockSum(ss) / float(d) + eps);
    for (int i = threadIdx.x; i < d; i += blockDim.x) {
        const float normed = __bfloat162float(__float2bfloat16(__bfloat162float(hOut[base + i]) * inv));
        y[base + i] = __float2bfloat16(__bfloat162float(w[i]) * normed);
    }
}

const char* lastError() {
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

} // namespace

const char* launchRmsNorm(const void* x, const void* w, void* y, int64_t rows, int d, int64_t ldx, float eps,
                          void* stream) {
    rmsNormKernel<<<unsigned(rows), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(x), static_cast<const bf16*>(w), static_cast<bf16*>(y), d, ldx, eps);
    return lastError();
}

const char* launchRope(const void* x, const float* cos, const float* sin, void* y, int64_t n, int T,
                       int heads, int d, int64_t strideN, int64_t strideT, int64_t strideH, void* stream) {
    const int64_t total = n * T * heads * d;
    ropeKernel<<<unsigned((total + 255) / 256), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(x), cos, sin, static_cast<bf16*>(y), total, T, heads, d, strideN, strideT,
        strideH);
    return lastError();
}

const char* launchSiluMul(const void* gate, const void* up, void* y, int64_t rows, int width, int64_t ld,
                          void* stream) {
    const int64_t n = rows * width;
    siluMulKernel<<<unsigned((n + 255) / 256), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(gate), static_cast<const bf16*>(up), static_cast<bf16*>(y), n, width, ld);
    return lastError();
}

const char* launchAddRmsNorm(const void* h, const void* a, const void* w, void* hOut, void* y, int64_t rows,
                             int d, float eps, void* stream) {
    addRmsNormKernel<<<unsigned(rows), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(h), static_cast<const bf16*>(a), static_cast<const bf16*>(w),
        static_cast<bf16*>(hOut), static_cast<bf16*>(y), d, eps);
    return lastError();
}

} // namespace transmla::kernels
