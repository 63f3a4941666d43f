// Element-wise steps of every layer as one kernel each, for the decoding step (step_ops.h): with a
// CUDA graph the step is bound by its count of small kernels, and these replace ~8 (RMSNorm), ~7
// (RoPE), 2 (SiLU * up) and ~9 (residual add + RMSNorm) ATen kernels. Both round where ATen's bf16 ops round,
// so results match within reduction order.
#include <algorithm>
#include <cstdint>
#include <initializer_list>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "kernels/dependent_launch.cuh"
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

__device__ inline float roundBf16(float v) {
    return __bfloat162float(__float2bfloat16(v));
}

// RoPE of one value x whose rotate_half partner is `rotated`, as ATen's bf16 ops round it (transformers'
// form: x cos + rotate_half(x) sin, the tables cast to bf16, each product rounded, then their sum); ropeAt:
// element i of the row x of 2 * half values.
__device__ bf16 ropeValue(float x, float rotated, float cos, float sin) {
    return __float2bfloat16(roundBf16(x * roundBf16(cos)) + roundBf16(rotated * roundBf16(sin)));
}
__device__ float rotatedAt(const bf16* x, int i, int half) {
    return i < half ? -__bfloat162float(x[i + half]) : __bfloat162float(x[i - half]);
}
__device__ bf16 ropeAt(const bf16* x, const float* cos, const float* sin, int i, int half) {
    return ropeValue(__bfloat162float(x[i]), rotatedAt(x, i, half), cos[i], sin[i]);
}

// Rows whose width is a multiple of 8 and whose starts are 16-byte aligned go through the *Vec kernels: a
// thread per 8 values (one 16-byte load each; up to kNormChunks such groups per thread for rows wider than
// 8192), every load of the row issued before the block's one reduction. The scalar kernels above loop with a
// load per value and, in addRmsNormKernel, a store between loads: at batch 1 a row took ~15 us there (Nsight
// Compute on the H200, Mistral-7B shape: 64 of them per step, 0.95 ms of a 5.5 ms step).
constexpr int kNormChunks = 4;

__device__ inline void unpack8(const uint4& u, float f[8]) {
    const __nv_bfloat162* p = reinterpret_cast<const __nv_bfloat162*>(&u);
#pragma unroll
    for (int j = 0; j < 4; ++j) {
        const float2 v = __bfloat1622float2(p[j]);
        f[2 * j] = v.x;
        f[2 * j + 1] = v.y;
    }
}

__device__ inline uint4 pack8(const float f[8]) {
    uint4 u;
    __nv_bfloat162* p = reinterpret_cast<__nv_bfloat162*>(&u);
#pragma unroll
    for (int j = 0; j < 4; ++j)
        p[j] = __floats2bfloat162_rn(f[2 * j], f[2 * j + 1]);
    return u;
}

// The thread's chunks of a row (chunk c is the row's 8-value group threadIdx.x + c * blockDim.x, n groups):
// their sum of squares, and y = w * bf16(x * inv) stored, rounded as rmsNormKernel.
__device__ inline float sumSquares(const uint4 (&xv)[kNormChunks], int n) {
    float ss = 0.f;
#pragma unroll
    for (int c = 0; c < kNormChunks; ++c)
        if (threadIdx.x + c * blockDim.x < n) {
            float f[8];
            unpack8(xv[c], f);
#pragma unroll
            for (int j = 0; j < 8; ++j)
                ss += f[j] * f[j];
        }
    return ss;
}

__device__ inline void storeNormed(const uint4 (&xv)[kNormChunks], const uint4 (&wv)[kNormChunks], float inv,
                                   int n, uint4* y) {
#pragma unroll
    for (int c = 0; c < kNormChunks; ++c) {
        const int idx = threadIdx.x + c * blockDim.x;
        if (idx < n) {
            float f[8], g[8];
            unpack8(xv[c], f);
            unpack8(wv[c], g);
#pragma unroll
            for (int j = 0; j < 8; ++j)
                f[j] = g[j] * roundBf16(f[j] * inv);
            y[idx] = pack8(f);
        }
    }
}

// rmsNormKernel's arithmetic, 8 values per load.
__global__ void rmsNormVecKernel(const bf16* x, const bf16* w, bf16* y, int d, int64_t ldx, float eps) {
    const uint4* xr = reinterpret_cast<const uint4*>(x + int64_t(blockIdx.x) * ldx);
    const uint4* wr = reinterpret_cast<const uint4*>(w);
    const int n = d / 8;
    uint4 xv[kNormChunks], wv[kNormChunks];
#pragma unroll
    for (int c = 0; c < kNormChunks; ++c) {
        const int idx = threadIdx.x + c * blockDim.x;
        if (idx < n) {
            xv[c] = xr[idx];
            wv[c] = __ldg(wr + idx);
        }
    }
    const float inv = rsqrtf(blockSum(sumSquares(xv, n)) / float(d) + eps);
    storeNormed(xv, wv, inv, n, reinterpret_cast<uint4*>(y + int64_t(blockIdx.x) * d));
}

// addRmsNormKernel's arithmetic, 8 values per load.
__global__ void addRmsNormVecKernel(const bf16* h, const bf16* a, const bf16* w, bf16* hOut, bf16* y, int d,
                                    float eps) {
    const int64_t base = int64_t(blockIdx.x) * d;
    const uint4 *hr = reinterpret_cast<const uint4*>(h + base),
                *ar = reinterpret_cast<const uint4*>(a + base), *wr = reinterpret_cast<const uint4*>(w);
    const int n = d / 8;
    uint4 hv[kNormChunks], av[kNormChunks], wv[kNormChunks];
#pragma unroll
    for (int c = 0; c < kNormChunks; ++c) {
        const int idx = threadIdx.x + c * blockDim.x;
        if (idx < n) {
            hv[c] = hr[idx];
            av[c] = ar[idx];
            wv[c] = __ldg(wr + idx);
        }
    }
#pragma unroll
    for (int c = 0; c < kNormChunks; ++c) {
        const int idx = threadIdx.x + c * blockDim.x;
        if (idx < n) {
            float f[8], g[8];
            unpack8(hv[c], f);
            unpack8(av[c], g);
#pragma unroll
            for (int j = 0; j < 8; ++j)
                f[j] += g[j];
            hv[c] = pack8(f); // the residual in bf16, as ATen's add rounds it
            reinterpret_cast<uint4*>(hOut + base)[idx] = hv[c];
        }
    }
    const float inv = rsqrtf(blockSum(sumSquares(hv, n)) / float(d) + eps);
    storeNormed(hv, wv, inv, n, reinterpret_cast<uint4*>(y + base));
}

// The 8-value element-wise kernels count their chunks (and rows) in 32 bits.
constexpr int64_t kMaxChunks = int64_t(1) << 31;

// Whether 16-byte loads and stores may start at every pointer given (null counts as aligned).
bool aligned16(std::initializer_list<const void*> ptrs) {
    for (const void* p : ptrs)
        if (reinterpret_cast<uintptr_t>(p) % 16) return false;
    return true;
}

// Threads of a *Vec launch for rows of d values, or 0 where the scalar kernel must run (width not a multiple
// of 8, a start not 16-byte aligned, or wider than 1024 threads x kNormChunks x 8).
int vecThreads(int d, int64_t ld, std::initializer_list<const void*> rows) {
    if (d % 8 || ld % 8 || d / 8 > 1024 * kNormChunks || !aligned16(rows)) return 0;
    const int n = d / 8, perThread = (n + 1023) / 1024;
    return std::max(32, ((n + perThread - 1) / perThread + 31) / 32 * 32);
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
    y[idx] = ropeAt(xr, cos + int64_t(t) * d, sin + int64_t(t) * d, i, half);
}

// 16-byte loads and stores of 8 bf16 values (an aligned address: the launchers check).
__device__ inline void load8(const bf16* p, float f[8]) {
    unpack8(*reinterpret_cast<const uint4*>(p), f);
}
__device__ inline void load8(const float* p, float f[8]) {
    const float4 a = __ldg(reinterpret_cast<const float4*>(p)),
                 b = __ldg(reinterpret_cast<const float4*>(p) + 1);
    f[0] = a.x, f[1] = a.y, f[2] = a.z, f[3] = a.w, f[4] = b.x, f[5] = b.y, f[6] = b.z, f[7] = b.w;
}
__device__ inline void store8(bf16* p, const float f[8]) {
    *reinterpret_cast<uint4*>(p) = pack8(f);
}

// Values i0 .. i0 + 7 of RoPE over the row x (2 * half values, half a multiple of 8), rounded as ropeAt:
// the rotation partners are the 8 values half away.
__device__ inline void rope8(const bf16* x, const float* cos, const float* sin, int i0, int half,
                             float out[8]) {
    const bool first = i0 < half;
    float v[8], partner[8], c[8], s[8];
    load8(x + i0, v);
    load8(x + (first ? i0 + half : i0 - half), partner);
    load8(cos + i0, c);
    load8(sin + i0, s);
#pragma unroll
    for (int j = 0; j < 8; ++j) {
        const float rotated = first ? -partner[j] : partner[j];
        out[j] = roundBf16(v[j] * roundBf16(c[j])) + roundBf16(rotated * roundBf16(s[j]));
    }
}

// Row `row` of an [n, T, heads, ..] layout (rows counted in 32 bits: the launchers check) as its n, t, h.
struct RowIndex {
    unsigned n, t, h;
    __device__ RowIndex(unsigned row, int T, int heads)
        : n(row / unsigned(heads) / unsigned(T)), t(row / unsigned(heads) % unsigned(T)),
          h(row % unsigned(heads)) {}
    __device__ int64_t offset(int64_t sn, int64_t st, int64_t sh) const { return n * sn + t * st + h * sh; }
};

// ropeKernel's arithmetic, 8 values per thread (d a multiple of 16, strides of 8 values, aligned rows): the
// prompt's RoPE over all its rows, where the value-per-thread kernel reached ~0.9 TB/s (Nsight Compute,
// H200).
__global__ void ropeVecKernel(const bf16* x, const float* cos, const float* sin, bf16* y, unsigned chunks,
                              int T, int heads, int d, int64_t strideN, int64_t strideT, int64_t strideH) {
    const unsigned idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= chunks) return;
    const unsigned perRow = unsigned(d) / 8, row = idx / perRow, i0 = idx % perRow * 8;
    const RowIndex at(row, T, heads);
    float out[8];
    rope8(x + at.offset(strideN, strideT, strideH), cos + int64_t(at.t) * d, sin + int64_t(at.t) * d, int(i0),
          d / 2, out);
    store8(y + int64_t(row) * d + i0, out);
}

// [a | RoPE(b)] (or [a | b] without tables) per row into y, contiguous rows of da + db, 8 values per thread:
// MLA's expanded queries and keys for a prompt in one pass.
__global__ void ropeConcatKernel(RopeConcat p, unsigned chunks) {
    const unsigned idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= chunks) return;
    const unsigned perRow = unsigned(p.da + p.db) / 8, row = idx / perRow, i0 = idx % perRow * 8;
    const RowIndex at(row, p.T, p.heads);
    bf16* dst = static_cast<bf16*>(p.y) + int64_t(row) * (p.da + p.db) + i0;
    if (int(i0) < p.da) {
        *reinterpret_cast<uint4*>(dst) =
            *reinterpret_cast<const uint4*>(static_cast<const bf16*>(p.a) + at.offset(p.aN, p.aT, p.aH) + i0);
        return;
    }
    const bf16* b = static_cast<const bf16*>(p.b) + at.offset(p.bN, p.bT, p.bH);
    const int j0 = int(i0) - p.da;
    if (!p.cos) {
        *reinterpret_cast<uint4*>(dst) = *reinterpret_cast<const uint4*>(b + j0);
        return;
    }
    float out[8];
    rope8(b, p.cos + int64_t(at.t) * p.db, p.sin + int64_t(at.t) * p.db, j0, p.db / 2, out);
    store8(dst, out);
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

// siluMulKernel's arithmetic, 8 values per thread (width and ld multiples of 8, aligned rows): over a
// prompt's rows the value-per-thread kernel reached ~1.7 TB/s.
__global__ void siluMulVecKernel(const bf16* gate, const bf16* up, bf16* y, unsigned chunks, int width,
                                 int64_t ld) {
    const unsigned idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= chunks) return;
    const unsigned perRow = unsigned(width) / 8, row = idx / perRow, i0 = idx % perRow * 8;
    float g[8], u[8];
    load8(gate + int64_t(row) * ld + i0, g);
    load8(up + int64_t(row) * ld + i0, u);
#pragma unroll
    for (int j = 0; j < 8; ++j)
        g[j] = roundBf16(g[j] / (1.f + __expf(-g[j]))) * u[j];
    store8(y + int64_t(row) * width + i0, g);
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

// MLA's cache row of sequence b, by one block (any multiple of 32 threads, each taking every blockDim-th
// value; latentAppendKernel: a block per sequence, a thread per value up to 1024): the latent's RMSNorm as
// rmsNormKernel (or a copy) and k_rope's RoPE as ropeKernel, written at the step's position (read on the
// device: graphs replay it). Every load (the row, the norm's weights, the RoPE tables) is issued before the
// block's one reduction where the row has at most kRowEach values per thread.
constexpr int kRowEach = 4;
__device__ void appendLatentRow(const LatentAppend& p, int b) {
    const bf16* x = static_cast<const bf16*>(p.kv) + int64_t(b) * p.kvBatchStride;
    const bf16* w = static_cast<const bf16*>(p.w);
    bf16* y =
        static_cast<bf16*>(p.cache) + int64_t(b) * p.cacheBatchStride + *p.position * int64_t(p.r + p.rR);
    const int width = p.r + p.rR, half = p.rR / 2;
    if (width <= kRowEach * int(blockDim.x)) {
        // Value k of this thread, e = threadIdx.x + k * blockDim.x: the latent's x and norm weight (e < r),
        // or k_rope's x, rotated partner and tables (r <= e < width).
        float xv[kRowEach], av[kRowEach], cv[kRowEach], sv[kRowEach];
        float ss = 0.f;
#pragma unroll
        for (int k = 0; k < kRowEach; ++k) {
            const int e = int(threadIdx.x) + k * int(blockDim.x);
            xv[k] = e < width ? __bfloat162float(x[e]) : 0.f;
            if (e < p.r) {
                av[k] = w ? __bfloat162float(w[e]) : 1.f;
                ss += xv[k] * xv[k];
            } else if (e < width) {
                av[k] = rotatedAt(x + p.r, e - p.r, half);
                cv[k] = p.cos[e - p.r];
                sv[k] = p.sin[e - p.r];
            }
        }
        const float inv = w ? rsqrtf(blockSum(ss) / float(p.r) + p.eps) : 1.f;
#pragma unroll
        for (int k = 0; k < kRowEach; ++k) {
            const int e = int(threadIdx.x) + k * int(blockDim.x);
            if (e < p.r)
                y[e] = w ? __float2bfloat16(av[k] * roundBf16(xv[k] * inv)) : __float2bfloat16(xv[k]);
            else if (e < width)
                y[e] = ropeValue(xv[k], av[k], cv[k], sv[k]);
        }
        return;
    }
    float ss = 0.f;
    for (int e = threadIdx.x; e < p.r; e += blockDim.x) {
        const float v = __bfloat162float(x[e]);
        ss += v * v;
    }
    const float inv = w ? rsqrtf(blockSum(ss) / float(p.r) + p.eps) : 1.f;
    for (int e = threadIdx.x; e < width; e += blockDim.x)
        y[e] = e >= p.r ? ropeAt(x + p.r, p.cos, p.sin, e - p.r, half)
               : w      ? __float2bfloat16(__bfloat162float(w[e]) * roundBf16(__bfloat162float(x[e]) * inv))
                        : x[e];
}
__global__ void latentAppendKernel(LatentAppend p) {
    appendLatentRow(p, blockIdx.x);
}

// MLA's absorbed query for the decode kernel, one block per (head, 128 columns of r, and of r_R with a map):
//   qCat[b, h, c] = bf16(sum_d qNope[b, h, d] wUK[h / wRep, d, c]) for c < r (fp32 sums, as ATen's einsum);
//   qCat[b, h, r + i] = qRope[b, h, i] (the columns' first block), or with p.ropeMap
//   bf16(sum_d qNope[b, h, d] ropeMap[h, d, i]) (the block holding columns r ..); RoPE applied where cos is
//   given.
// 16 column groups of 8 (one 16-byte weight load per row) x 16 row slices: each thread loads all its rows
// (up to 8 per pass: all in flight at once) before any arithmetic; q_nope sits in shared memory (read as
// broadcasts) and the slices' sums meet there too. Up to kAbsorbBatch sequences per pass over the weights.
constexpr int kAbsorbCols = kAbsorbColumns, kAbsorbSlices = 16, kAbsorbBatch = 4, kAbsorbRows = 8;
constexpr int kAbsorbMaxDn = 256; // at most kAbsorbMaxBatch sequences (step_ops_launch.h)
__global__ void __launch_bounds__(256) absorbQueryKernel(AbsorbQuery p) {
    // The blocks past the heads write the step's cache rows (p.append), one per sequence.
    if (blockIdx.x == p.heads) {
        if (int(blockIdx.y) < p.append.batch) appendLatentRow(p.append, blockIdx.y);
        return;
    }
    __shared__ float qs[kAbsorbMaxBatch][kAbsorbMaxDn];
    __shared__ __align__(16) float red[kAbsorbSlices][kAbsorbBatch][kAbsorbCols];
    __shared__ bf16 ropeRows[kAbsorbBatch][kAbsorbCols]; // the mapped q_rope before RoPE (p.ropeMap)
    const int h = blockIdx.x, cg = threadIdx.x % 16, slice = threadIdx.x / 16;
    const int c0 = blockIdx.y * kAbsorbCols + cg * 8;
    // Columns r .. r + rR - 1 with a map: q_nope . ropeMap_h (rows of rR), else W_UK's.
    const bool mapCols = p.ropeMap && c0 >= p.r;
    const int cEnd = p.ropeMap ? p.r + p.rR : p.r;
    const bf16* w =
        mapCols ? static_cast<const bf16*>(p.ropeMap) + int64_t(h) * p.dn * p.rR + (c0 - p.r)
                : static_cast<const bf16*>(p.w) + int64_t(p.wRep > 1 ? h / p.wRep : h) * p.wHeadStride + c0;
    const int64_t rowStride = mapCols ? p.rR : p.wRowStride;
    const bf16* qn = static_cast<const bf16*>(p.qNope) + int64_t(h) * p.qHeadStride;
    bf16* out = static_cast<bf16*>(p.qCat);
    const int width = p.r + p.rR;
    auto loadRows = [&](uint4* raw, int d0) {
#pragma unroll
        for (int k = 0; k < kAbsorbRows; ++k) {
            const int d = d0 + k * kAbsorbSlices;
            raw[k] = c0 < cEnd && d < p.dn ? __ldg(reinterpret_cast<const uint4*>(w + int64_t(d) * rowStride))
                                           : make_uint4(0, 0, 0, 0);
        }
    };
    // The first rows' weights are in flight while q_nope is staged (they do not depend on it): at dn <= 128
    // (every family here) that is all of them.
    uint4 first[kAbsorbRows];
    loadRows(first, slice);
    // The block holding the mapped q_rope (and only it: where the launch writes the cache rows of more
    // sequences than it has column blocks, its grid has blocks past the columns) rotates it at the end: its
    // RoPE tables are loaded now, for each thread's first value there.
    const bool ropeBlock = p.ropeMap && int(blockIdx.y) == p.r / kAbsorbCols;
    float cosFirst = 0.f, sinFirst = 0.f;
    if (ropeBlock && p.cos && int(threadIdx.x) < kAbsorbBatch * p.rR) {
        cosFirst = p.cos[threadIdx.x % p.rR];
        sinFirst = p.sin[threadIdx.x % p.rR];
    }
    for (int i = threadIdx.x; i < p.batch * p.dn; i += blockDim.x)
        qs[i / p.dn][i % p.dn] = __bfloat162float(qn[int64_t(i / p.dn) * p.qBatchStride + i % p.dn]);
    __syncthreads();
    for (int b0 = 0; b0 < p.batch; b0 += kAbsorbBatch) {
        float acc[kAbsorbBatch][8] = {};
        for (int d0 = slice; d0 < p.dn; d0 += kAbsorbSlices * kAbsorbRows) {
            uint4 raw[kAbsorbRows];
            if (d0 == slice) {
#pragma unroll
                for (int k = 0; k < kAbsorbRows; ++k)
                    raw[k] = first[k];
            } else {
                loadRows(raw, d0);
            }
#pragma unroll
            for (int k = 0; k < kAbsorbRows; ++k) {
                const int d = d0 + k * kAbsorbSlices;
                if (d >= p.dn) break;
                const __nv_bfloat162* pair = reinterpret_cast<const __nv_bfloat162*>(&raw[k]);
                float wv[8];
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    const float2 f = __bfloat1622float2(pair[j]);
                    wv[2 * j] = f.x;
                    wv[2 * j + 1] = f.y;
                }
#pragma unroll
                for (int bb = 0; bb < kAbsorbBatch; ++bb) {
                    const float q = b0 + bb < p.batch ? qs[b0 + bb][d] : 0.f;
#pragma unroll
                    for (int j = 0; j < 8; ++j)
                        acc[bb][j] += q * wv[j];
                }
            }
        }
#pragma unroll
        for (int bb = 0; bb < kAbsorbBatch; ++bb) {
            float4* dst = reinterpret_cast<float4*>(&red[slice][bb][cg * 8]);
            dst[0] = make_float4(acc[bb][0], acc[bb][1], acc[bb][2], acc[bb][3]);
            dst[1] = make_float4(acc[bb][4], acc[bb][5], acc[bb][6], acc[bb][7]);
        }
        __syncthreads();
        for (int o = threadIdx.x; o < kAbsorbBatch * kAbsorbCols; o += blockDim.x) {
            const int bb = o / kAbsorbCols, col = o % kAbsorbCols, c = blockIdx.y * kAbsorbCols + col;
            if (b0 + bb >= p.batch || c >= cEnd) continue;
            float sum = 0.f;
#pragma unroll
            for (int sl = 0; sl < kAbsorbSlices; ++sl)
                sum += red[sl][bb][col];
            if (c < p.r)
                out[(int64_t(b0 + bb) * p.heads + h) * width + c] = __float2bfloat16(sum);
            else
                ropeRows[bb][c - p.r] = __float2bfloat16(sum);
        }
        __syncthreads();
        // The mapped q_rope (the block holding columns r .., and only it: the other blocks' rope rows are
        // unset): rotated as below, from its bf16 values.
        if (ropeBlock) {
            for (int i = threadIdx.x; i < kAbsorbBatch * p.rR; i += blockDim.x) {
                const int bb = i / p.rR, e = i % p.rR;
                if (b0 + bb >= p.batch) continue;
                bf16 v = ropeRows[bb][e];
                if (p.cos)
                    v = ropeValue(__bfloat162float(v), rotatedAt(ropeRows[bb], e, p.rR / 2),
                                  i == int(threadIdx.x) ? cosFirst : p.cos[e],
                                  i == int(threadIdx.x) ? sinFirst : p.sin[e]);
                out[(int64_t(b0 + bb) * p.heads + h) * width + p.r + e] = v;
            }
            __syncthreads();
        }
    }
    if (blockIdx.y == 0 && !p.ropeMap) {
        const bf16* qr = static_cast<const bf16*>(p.qRope) + int64_t(h) * p.ropeHeadStride;
        for (int i = threadIdx.x; i < p.batch * p.rR; i += blockDim.x) {
            const bf16* row = qr + int64_t(i / p.rR) * p.ropeBatchStride;
            out[(int64_t(i / p.rR) * p.heads + h) * width + p.r + i % p.rR] =
                p.cos ? ropeAt(row, p.cos, p.sin, i % p.rR, p.rR / 2) : row[i % p.rR];
        }
    }
}

// MLA's absorbed output: out[b, h, v] = bf16(sum_c lat[b, h, c] wUV[h, v, c]); one block per (head, 32
// value rows), four rows per warp whose weights (16-byte chunks across the lanes) are all loaded before any
// arithmetic; every sequence's latent comes from shared memory.
constexpr int kOutRows = 32, kOutRowsPerWarp = 4, kOutChunks = 2; // r <= 32 lanes x 2 chunks x 8 = 512
__global__ void __launch_bounds__(256) absorbOutputKernel(AbsorbOutput p) {
    extern __shared__ uint4 lat[]; // [batch][r / 8]
    const int h = blockIdx.x, warp = threadIdx.x / 32, lane = threadIdx.x % 32, chunks = p.r / 8;
    const int v0 = blockIdx.y * kOutRows + warp * kOutRowsPerWarp;
    uint4 raw[kOutRowsPerWarp][kOutChunks];
#pragma unroll
    for (int rw = 0; rw < kOutRowsPerWarp; ++rw)
#pragma unroll
        for (int k = 0; k < kOutChunks; ++k) {
            const int chunk = lane + 32 * k, v = v0 + rw;
            raw[rw][k] = v < p.dv && chunk < chunks
                             ? __ldg(reinterpret_cast<const uint4*>(static_cast<const bf16*>(p.w) +
                                                                    int64_t(p.wRep > 1 ? h / p.wRep : h) *
                                                                        p.wHeadStride +
                                                                    int64_t(v) * p.wRowStride) +
                                     chunk)
                             : make_uint4(0, 0, 0, 0);
        }
    // Where launched as the decode reduction's programmatic dependent (launchAbsorbOutput): the weights above
    // are loaded while it runs; its output, the latent, only once it is done.
    waitForPrimary();
    for (int i = threadIdx.x; i < p.batch * chunks; i += blockDim.x)
        lat[i] = reinterpret_cast<const uint4*>(static_cast<const bf16*>(p.lat) +
                                                (int64_t(i / chunks) * p.heads + h) * p.r)[i % chunks];
    __syncthreads();
    for (int b = 0; b < p.batch; ++b) {
        float acc[kOutRowsPerWarp] = {};
#pragma unroll
        for (int k = 0; k < kOutChunks; ++k) {
            const int chunk = lane + 32 * k;
            if (chunk >= chunks) continue;
            const uint4 lraw = lat[b * chunks + chunk];
            const __nv_bfloat162* lp = reinterpret_cast<const __nv_bfloat162*>(&lraw);
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const float2 l = __bfloat1622float2(lp[j]);
#pragma unroll
                for (int rw = 0; rw < kOutRowsPerWarp; ++rw) {
                    const float2 wf =
                        __bfloat1622float2(reinterpret_cast<const __nv_bfloat162*>(&raw[rw][k])[j]);
                    acc[rw] += l.x * wf.x + l.y * wf.y;
                }
            }
        }
#pragma unroll
        for (int rw = 0; rw < kOutRowsPerWarp; ++rw) {
            for (int o = 16; o > 0; o >>= 1)
                acc[rw] += __shfl_xor_sync(0xffffffffu, acc[rw], o);
            if (lane == 0 && v0 + rw < p.dv)
                static_cast<bf16*>(p.out)[(int64_t(b) * p.heads + h) * p.dv + v0 + rw] =
                    __float2bfloat16(acc[rw]);
        }
    }
}

// GQA's step after the q | k | v product, a block per (row, sequence) of d threads: q's RoPE (to qOut,
// contiguous), k's RoPE and v written at the step's position of the caches, rounded as ropeKernel.
__global__ void ropeAppendKernel(RopeAppend p) {
    const int row = blockIdx.x, b = blockIdx.y, i = threadIdx.x, half = p.d / 2;
    if (i >= p.d) return;
    if (row < p.heads) {
        const bf16* q =
            static_cast<const bf16*>(p.q) + int64_t(b) * p.qBatchStride + int64_t(row) * p.qHeadStride;
        static_cast<bf16*>(p.qOut)[(int64_t(b) * p.heads + row) * p.d + i] = ropeAt(q, p.cos, p.sin, i, half);
        return;
    }
    const int g = (row - p.heads) % p.groups;
    const int64_t at =
        int64_t(b) * p.cacheBatchStride + int64_t(g) * p.cacheGroupStride + *p.position * p.d + i;
    if (row < p.heads + p.groups) {
        const bf16* k =
            static_cast<const bf16*>(p.k) + int64_t(b) * p.kBatchStride + int64_t(g) * p.kHeadStride;
        static_cast<bf16*>(p.cacheK)[at] = ropeAt(k, p.cos, p.sin, i, half);
    } else {
        static_cast<bf16*>(p.cacheV)[at] =
            static_cast<const bf16*>(p.v)[int64_t(b) * p.vBatchStride + int64_t(g) * p.vHeadStride + i];
    }
}

const char* lastError() {
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

} // namespace

const char* launchRmsNorm(const void* x, const void* w, void* y, int64_t rows, int d, int64_t ldx, float eps,
                          void* stream) {
    if (const int threads = vecThreads(d, ldx, {x, w, y}))
        rmsNormVecKernel<<<unsigned(rows), unsigned(threads), 0, static_cast<cudaStream_t>(stream)>>>(
            static_cast<const bf16*>(x), static_cast<const bf16*>(w), static_cast<bf16*>(y), d, ldx, eps);
    else
        rmsNormKernel<<<unsigned(rows), 256, 0, static_cast<cudaStream_t>(stream)>>>(
            static_cast<const bf16*>(x), static_cast<const bf16*>(w), static_cast<bf16*>(y), d, ldx, eps);
    return lastError();
}

const char* launchRope(const void* x, const float* cos, const float* sin, void* y, int64_t n, int T,
                       int heads, int d, int64_t strideN, int64_t strideT, int64_t strideH, void* stream) {
    const int64_t total = n * T * heads * d;
    if (d % 16 == 0 && strideN % 8 == 0 && strideT % 8 == 0 && strideH % 8 == 0 && total / 8 < kMaxChunks &&
        aligned16({x, cos, sin, y})) {
        const unsigned chunks = unsigned(total / 8);
        ropeVecKernel<<<(chunks + 255) / 256, 256, 0, static_cast<cudaStream_t>(stream)>>>(
            static_cast<const bf16*>(x), cos, sin, static_cast<bf16*>(y), chunks, T, heads, d, strideN,
            strideT, strideH);
        return lastError();
    }
    ropeKernel<<<unsigned((total + 255) / 256), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(x), cos, sin, static_cast<bf16*>(y), total, T, heads, d, strideN, strideT,
        strideH);
    return lastError();
}

const char* launchSiluMul(const void* gate, const void* up, void* y, int64_t rows, int width, int64_t ld,
                          void* stream) {
    const int64_t n = rows * width;
    if (width % 8 == 0 && ld % 8 == 0 && n / 8 < kMaxChunks && aligned16({gate, up, y})) {
        const unsigned chunks = unsigned(n / 8);
        siluMulVecKernel<<<(chunks + 255) / 256, 256, 0, static_cast<cudaStream_t>(stream)>>>(
            static_cast<const bf16*>(gate), static_cast<const bf16*>(up), static_cast<bf16*>(y), chunks,
            width, ld);
        return lastError();
    }
    siluMulKernel<<<unsigned((n + 255) / 256), 256, 0, static_cast<cudaStream_t>(stream)>>>(
        static_cast<const bf16*>(gate), static_cast<const bf16*>(up), static_cast<bf16*>(y), n, width, ld);
    return lastError();
}

const char* launchAddRmsNorm(const void* h, const void* a, const void* w, void* hOut, void* y, int64_t rows,
                             int d, float eps, void* stream) {
    if (const int threads = vecThreads(d, d, {h, a, w, hOut, y}))
        addRmsNormVecKernel<<<unsigned(rows), unsigned(threads), 0, static_cast<cudaStream_t>(stream)>>>(
            static_cast<const bf16*>(h), static_cast<const bf16*>(a), static_cast<const bf16*>(w),
            static_cast<bf16*>(hOut), static_cast<bf16*>(y), d, eps);
    else
        addRmsNormKernel<<<unsigned(rows), 256, 0, static_cast<cudaStream_t>(stream)>>>(
            static_cast<const bf16*>(h), static_cast<const bf16*>(a), static_cast<const bf16*>(w),
            static_cast<bf16*>(hOut), static_cast<bf16*>(y), d, eps);
    return lastError();
}

bool ropeConcatFits(const RopeConcat& p) {
    const int64_t total = int64_t(p.n) * p.T * p.heads * (p.da + p.db);
    return p.da % 8 == 0 && p.db % (p.cos ? 16 : 8) == 0 && p.aN % 8 == 0 && p.aT % 8 == 0 && p.aH % 8 == 0 &&
           p.bN % 8 == 0 && p.bT % 8 == 0 && p.bH % 8 == 0 && total / 8 < kMaxChunks &&
           aligned16({p.a, p.b, p.y, p.cos, p.sin});
}

const char* launchRopeConcat(const RopeConcat& p, void* stream) {
    if (!ropeConcatFits(p)) return "rows not 8-value aligned";
    const unsigned chunks = unsigned(int64_t(p.n) * p.T * p.heads * (p.da + p.db) / 8);
    ropeConcatKernel<<<(chunks + 255) / 256, 256, 0, static_cast<cudaStream_t>(stream)>>>(p, chunks);
    return lastError();
}

const char* launchAbsorbQuery(const AbsorbQuery& p, void* stream) {
    if (p.batch > kAbsorbMaxBatch || p.dn > kAbsorbMaxDn)
        return "absorbed query: more sequences or rows than it takes";
    const bool append = p.append.cache != nullptr;
    if (p.ropeMap && (p.r % kAbsorbCols + p.rR > kAbsorbCols || p.r % 8 || p.rR % 8))
        return "absorbed query: the mapped q_rope's columns straddle two blocks";
    const int slices = (p.r + (p.ropeMap ? p.rR : 0) + kAbsorbCols - 1) / kAbsorbCols;
    absorbQueryKernel<<<dim3(unsigned(p.heads + (append ? 1 : 0)),
                             unsigned(append ? std::max(slices, p.append.batch) : slices)),
                        256, 0, static_cast<cudaStream_t>(stream)>>>(p);
    return lastError();
}

const char* launchAbsorbOutput(const AbsorbOutput& p, void* stream) {
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(unsigned(p.heads), unsigned((p.dv + kOutRows - 1) / kOutRows));
    config.blockDim = dim3(256);
    config.dynamicSmemBytes = size_t(p.batch) * p.r * 2;
    config.stream = static_cast<cudaStream_t>(stream);
    cudaLaunchAttribute dependent{};
    asDependent(config, dependent); // after the decode reduction, whose output it waits for
    const cudaError_t e = cudaLaunchKernelEx(&config, absorbOutputKernel, p);
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

const char* launchLatentAppend(const LatentAppend& p, void* stream) {
    const unsigned threads = unsigned(std::min(1024, (p.r + p.rR + 31) / 32 * 32));
    latentAppendKernel<<<unsigned(p.batch), threads, 0, static_cast<cudaStream_t>(stream)>>>(p);
    return lastError();
}

const char* launchRopeAppend(const RopeAppend& p, void* stream) {
    ropeAppendKernel<<<dim3(unsigned(p.heads + 2 * p.groups), unsigned(p.batch)),
                       unsigned((p.d + 31) / 32 * 32), 0, static_cast<cudaStream_t>(stream)>>>(p);
    return lastError();
}

} // namespace transmla::kernels
