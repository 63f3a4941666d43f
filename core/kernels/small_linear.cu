// The projections of a decoding step at batch 1..4 (small_linear_launch.h): each weight row is read once from
// memory and serves every sequence, so the product is bound by the weights' bytes. cuBLAS's kernels for these
// shapes leave bandwidth unused (measured on the H200: q | kv_a of MLA at ~2 TB/s, o_proj split over K with a
// second reduction kernel); here one warp per output row streams the row in 16-byte loads, eight per lane in
// flight, and sums in fp32 with one rounding at the end, as cuBLAS does.
#include <algorithm>
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "kernels/dependent_launch.cuh"
#include "kernels/small_linear_launch.h"

namespace transmla::kernels {

namespace {

using bf16 = __nv_bfloat16;

constexpr int kWarps = 4;    // output rows per block (one per warp)
constexpr int kInFlight = 8; // 16-byte weight loads per lane before any arithmetic

// A weight chunk read once: no L1 allocation (it is never read again by this step).
__device__ inline uint4 loadOnce(const uint4* p) {
    uint4 v;
    asm("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];"
        : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
        : "l"(p));
    return v;
}

// x, the output of the kernel ahead, is read with weak loads (__ldca, not the non-coherent __ldg): as that
// kernel's programmatic dependent this kernel runs while x is written, and the non-coherent path is only for
// data that stays unchanged while the kernel runs (the weights).
// acc += sum of the 8 products of two chunks of 8 bf16 values.
__device__ inline float dot8(float acc, const uint4& a, const uint4& b) {
    const __nv_bfloat162* pa = reinterpret_cast<const __nv_bfloat162*>(&a);
    const __nv_bfloat162* pb = reinterpret_cast<const __nv_bfloat162*>(&b);
#pragma unroll
    for (int j = 0; j < 4; ++j) {
        const float2 fa = __bfloat1622float2(pa[j]), fb = __bfloat1622float2(pb[j]);
        acc = fmaf(fa.x, fb.x, acc);
        acc = fmaf(fa.y, fb.y, acc);
    }
    return acc;
}

// Each warp takes rows warp, warp + all warps, ... (gridFor: the same count for each, in one wave). Its first
// row's first kInFlight chunks per lane are loaded before waitForPrimary: where launched as the programmatic
// dependent of the kernel ahead (dependentLaunch), those weights stream in while that kernel ends, and only
// x, that kernel's output, is waited for.
template <int M> __global__ void __launch_bounds__(kWarps * 32) smallLinearKernel(SmallLinear p) {
    allowDependents();
    const int lane = threadIdx.x % 32, warps = gridDim.x * kWarps;
    const int chunks = p.k / 8;
    const uint4* x[M];
#pragma unroll
    for (int m = 0; m < M; ++m)
        x[m] = reinterpret_cast<const uint4*>(static_cast<const bf16*>(p.x) + int64_t(m) * p.ldx);
    uint4 wv[kInFlight];
    int n = blockIdx.x * kWarps + threadIdx.x / 32;
    const auto load = [&](int row, int base) {
        const uint4* w = reinterpret_cast<const uint4*>(static_cast<const bf16*>(p.w) + int64_t(row) * p.k);
#pragma unroll
        for (int u = 0; u < kInFlight; ++u) {
            const int c = base + 32 * u;
            wv[u] = c < chunks ? loadOnce(w + c) : make_uint4(0, 0, 0, 0);
        }
    };
    if (n < p.n) load(n, lane);
    waitForPrimary();
    for (; n < p.n; n += warps) {
        float acc[M] = {};
        for (int base = lane;;) {
#pragma unroll
            for (int u = 0; u < kInFlight; ++u) {
                const int c = base + 32 * u;
                if (c < chunks) {
#pragma unroll
                    for (int m = 0; m < M; ++m)
                        acc[m] = dot8(acc[m], wv[u], __ldca(x[m] + c));
                }
            }
            base += 32 * kInFlight;
            if (base >= chunks) break;
            load(n, base);
        }
        if (n + warps < p.n)
            load(n + warps, lane); // the next row's first chunks in flight while this one sums
#pragma unroll
        for (int m = 0; m < M; ++m)
            for (int o = 16; o > 0; o >>= 1)
                acc[m] += __shfl_xor_sync(0xffffffffu, acc[m], o);
        if (lane < M) {
            float sum = acc[0];
#pragma unroll
            for (int m = 1; m < M; ++m)
                if (lane == m) sum = acc[m];
            if (p.bias) sum += __bfloat162float(static_cast<const bf16*>(p.bias)[n]);
            static_cast<bf16*>(p.y)[int64_t(lane) * p.n + n] = __float2bfloat16(sum);
        }
    }
}

// The blocks of smallLinearKernel<M> for n rows: every warp the same number of rows (a second, partial round
// of rows would leave most of the device idle while a few warps stream), as few rows per warp as one wave of
// resident blocks allows.
template <int M> unsigned gridFor(int n) {
    static const int resident = [] {
        int perSm = 0;
        if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&perSm, smallLinearKernel<M>, kWarps * 32, 0) !=
                cudaSuccess ||
            perSm < 1)
            perSm = 1;
        int device = 0, sms = 1;
        cudaGetDevice(&device);
        cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
        return perSm * sms * kWarps;
    }();
    const int rowsPerWarp = (n + resident - 1) / resident, warps = (n + rowsPerWarp - 1) / rowsPerWarp;
    return unsigned((warps + kWarps - 1) / kWarps);
}

template <int M> cudaError_t launch(const SmallLinear& p, cudaStream_t stream) {
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(gridFor<M>(p.n));
    config.blockDim = dim3(kWarps * 32);
    config.stream = stream;
    cudaLaunchAttribute dependent{};
    asDependent(config, dependent);
    return cudaLaunchKernelEx(&config, smallLinearKernel<M>, p);
}

bool aligned16(const void* ptr) {
    return reinterpret_cast<uintptr_t>(ptr) % 16 == 0;
}

} // namespace

bool smallLinearFits(const SmallLinear& p) {
    return p.rows >= 1 && p.rows <= kSmallLinearMaxRows && p.n >= 1 && p.k >= 8 && p.k % 8 == 0 &&
           p.ldx % 8 == 0 && aligned16(p.x) && aligned16(p.w) && aligned16(p.y);
}

const char* launchSmallLinear(const SmallLinear& p, void* stream) {
    if (!smallLinearFits(p)) return "rows, widths or alignment the small-batch product does not take";
    const auto s = static_cast<cudaStream_t>(stream);
    const cudaError_t e = p.rows == 1   ? launch<1>(p, s)
                          : p.rows == 2 ? launch<2>(p, s)
                          : p.rows == 3 ? launch<3>(p, s)
                                        : launch<4>(p, s);
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

} // namespace transmla::kernels
