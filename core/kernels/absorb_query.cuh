// Device code of MLA's absorbed query and cache row, shared by their own launches (step_ops.cu) and by the
// fused absorbed decode attention (decode_attention.cu), which runs the same blocks' work as its first phase.
// Included by .cu files only; everything here is internal to the including file.
#pragma once
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "kernels/step_ops_launch.h"

namespace transmla::kernels {
namespace {

using absorb_bf16 = __nv_bfloat16;

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

// Element i of RoPE over the row x of 2 * half values, as ATen's bf16 ops round it (transformers' form:
// x cos + rotate_half(x) sin, the tables cast to bf16, each product rounded, then their sum).
__device__ absorb_bf16 ropeAt(const absorb_bf16* x, const float* cos, const float* sin, int i, int half) {
    const float rotated = i < half ? -__bfloat162float(x[i + half]) : __bfloat162float(x[i - half]);
    const float c = __bfloat162float(__float2bfloat16(cos[i]));
    const float s = __bfloat162float(__float2bfloat16(sin[i]));
    const float a = __bfloat162float(__float2bfloat16(__bfloat162float(x[i]) * c));
    const float b = __bfloat162float(__float2bfloat16(rotated * s));
    return __float2bfloat16(a + b);
}

// MLA's cache row of sequence b, by one block (any multiple of 32 threads, each taking every blockDim-th
// value; latentAppendKernel: a block per sequence, a thread per value up to 1024): the latent's RMSNorm as
// rmsNormKernel (or a copy) and k_rope's RoPE as ropeKernel, written at the step's position (read on the
// device: graphs replay it). Every load is issued before the block's one reduction.
__device__ void appendLatentRow(const LatentAppend& p, int b) {
    using bf16 = absorb_bf16;
    const bf16* x = static_cast<const bf16*>(p.kv) + int64_t(b) * p.kvBatchStride;
    const bf16* w = static_cast<const bf16*>(p.w);
    bf16* y =
        static_cast<bf16*>(p.cache) + int64_t(b) * p.cacheBatchStride + *p.position * int64_t(p.r + p.rR);
    const int width = p.r + p.rR;
    float ss = 0.f;
    for (int e = threadIdx.x; e < p.r; e += blockDim.x) {
        const float v = __bfloat162float(x[e]);
        ss += v * v;
    }
    const float inv = w ? rsqrtf(blockSum(ss) / float(p.r) + p.eps) : 1.f;
    for (int e = threadIdx.x; e < width; e += blockDim.x)
        y[e] = e >= p.r ? ropeAt(x + p.r, p.cos, p.sin, e - p.r, p.rR / 2)
               : w      ? __float2bfloat16(__bfloat162float(w[e]) *
                                           __bfloat162float(__float2bfloat16(__bfloat162float(x[e]) * inv)))
                        : x[e];
}

// MLA's absorbed query for the decode kernel, one block of 256 threads per (head, 128 columns of r, and of
// r_R with a map):
//   qCat[b, h, c]     = bf16(sum_d qNope[b, h, d] wUK[h / wRep, d, c])   (c < r; fp32 sums, as ATen's einsum)
//   qCat[b, h, r + i] = qRope[b, h, i], RoPE applied where cos is given (the columns' first block), or with
//                       p.ropeMap bf16(sum_d qNope[b, h, d] ropeMap[h, d, i]) rotated likewise (the block
//                       holding columns r ..)
// 16 column groups of 8 (one 16-byte weight load per row) x 16 row slices: each thread loads all its rows
// (up to 8 per pass: all in flight at once) before any arithmetic; q_nope sits in shared memory (read as
// broadcasts) and the slices' sums meet there too. Up to kAbsorbBatch sequences per pass over the weights.
constexpr int kAbsorbCols = kAbsorbColumns, kAbsorbSlices = 16, kAbsorbBatch = 4, kAbsorbRows = 8;
constexpr int kAbsorbMaxDn = 256; // at most kAbsorbMaxBatch sequences (step_ops_launch.h)
constexpr int kAbsorbThreads = kAbsorbCols / 8 * kAbsorbSlices;

// The block's shared memory (absorbScratchBytes of it, 16-byte aligned): q_nope in fp32, the slices' sums,
// the mapped q_rope before RoPE.
struct AbsorbScratch {
    float* qs;             // [kAbsorbMaxBatch][kAbsorbMaxDn]
    float* red;            // [kAbsorbSlices][kAbsorbBatch][kAbsorbCols]
    absorb_bf16* ropeRows; // [kAbsorbBatch][kAbsorbCols]
};
constexpr int kAbsorbScratchBytes = kAbsorbMaxBatch * kAbsorbMaxDn * 4 +
                                    kAbsorbSlices * kAbsorbBatch * kAbsorbCols * 4 +
                                    kAbsorbBatch * kAbsorbCols * 2;
__device__ inline AbsorbScratch absorbScratchAt(unsigned char* at) {
    float* qs = reinterpret_cast<float*>(at);
    float* red = qs + kAbsorbMaxBatch * kAbsorbMaxDn;
    return {qs, red, reinterpret_cast<absorb_bf16*>(red + kAbsorbSlices * kAbsorbBatch * kAbsorbCols)};
}

// What this thread reads first in block (h, column block cb): the weights' rows slice + 16 k of its 8
// columns, and q_nope's values tid and tid + blockDim (where the sequences' q_nope fits in two per thread).
struct AbsorbRows {
    uint4 raw[kAbsorbRows];
    float q[2];
};
__device__ inline const absorb_bf16* absorbWeights(const AbsorbQuery& p, int h, int cb, int64_t& rowStride,
                                                   int& c0, int& cEnd) {
    const int cg = threadIdx.x % 16;
    c0 = cb * kAbsorbCols + cg * 8;
    // Columns r .. r + rR - 1 with a map: q_nope . ropeMap_h (rows of rR), else W_UK's.
    const bool mapCols = p.ropeMap && c0 >= p.r;
    cEnd = p.ropeMap ? p.r + p.rR : p.r;
    rowStride = mapCols ? p.rR : p.wRowStride;
    return mapCols ? static_cast<const absorb_bf16*>(p.ropeMap) + int64_t(h) * p.dn * p.rR + (c0 - p.r)
                   : static_cast<const absorb_bf16*>(p.w) +
                         int64_t(p.wRep > 1 ? h / p.wRep : h) * p.wHeadStride + c0;
}
__device__ inline void absorbLoadRows(const AbsorbQuery& p, int h, int cb, int d0, AbsorbRows& rows) {
    int64_t rowStride;
    int c0, cEnd;
    const absorb_bf16* w = absorbWeights(p, h, cb, rowStride, c0, cEnd);
#pragma unroll
    for (int k = 0; k < kAbsorbRows; ++k) {
        const int d = d0 + k * kAbsorbSlices;
        rows.raw[k] = c0 < cEnd && d < p.dn
                          ? __ldg(reinterpret_cast<const uint4*>(w + int64_t(d) * rowStride))
                          : make_uint4(0, 0, 0, 0);
    }
}
// The first rows' weights of block (h, cb): issue them before anything the block waits for (at dn <= 128,
// every family here, that is all of them).
__device__ inline void absorbFirstRows(const AbsorbQuery& p, int h, int cb, AbsorbRows& first) {
    absorbLoadRows(p, h, cb, int(threadIdx.x) / 16, first);
    const absorb_bf16* qn = static_cast<const absorb_bf16*>(p.qNope) + int64_t(h) * p.qHeadStride;
#pragma unroll
    for (int j = 0; j < 2; ++j) {
        const int i = int(threadIdx.x) + j * int(blockDim.x);
        first.q[j] =
            i < p.batch * p.dn ? __bfloat162float(qn[int64_t(i / p.dn) * p.qBatchStride + i % p.dn]) : 0.f;
    }
}

// Block (h, cb) of the absorbed query (kAbsorbThreads threads), its first rows already loaded. Ends with a
// barrier: the scratch may be used again at once.
__device__ void absorbQueryBlock(const AbsorbQuery& p, int h, int cb, const AbsorbRows& first,
                                 AbsorbScratch s) {
    using bf16 = absorb_bf16;
    const int cg = threadIdx.x % 16, slice = threadIdx.x / 16;
    const int cEnd = p.ropeMap ? p.r + p.rR : p.r;
    const bf16* qn = static_cast<const bf16*>(p.qNope) + int64_t(h) * p.qHeadStride;
    bf16* out = static_cast<bf16*>(p.qCat);
    const int width = p.r + p.rR;
    if (p.batch * p.dn <= 2 * int(blockDim.x)) {
#pragma unroll
        for (int j = 0; j < 2; ++j) {
            const int i = int(threadIdx.x) + j * int(blockDim.x);
            if (i < p.batch * p.dn) s.qs[(i / p.dn) * kAbsorbMaxDn + i % p.dn] = first.q[j];
        }
    } else {
        for (int i = threadIdx.x; i < p.batch * p.dn; i += blockDim.x)
            s.qs[(i / p.dn) * kAbsorbMaxDn + i % p.dn] =
                __bfloat162float(qn[int64_t(i / p.dn) * p.qBatchStride + i % p.dn]);
    }
    __syncthreads();
    for (int b0 = 0; b0 < p.batch; b0 += kAbsorbBatch) {
        float acc[kAbsorbBatch][8] = {};
        for (int d0 = slice; d0 < p.dn; d0 += kAbsorbSlices * kAbsorbRows) {
            AbsorbRows rows;
            if (d0 == slice)
                rows = first;
            else
                absorbLoadRows(p, h, cb, d0, rows);
#pragma unroll
            for (int k = 0; k < kAbsorbRows; ++k) {
                const int d = d0 + k * kAbsorbSlices;
                if (d >= p.dn) break;
                const __nv_bfloat162* pair = reinterpret_cast<const __nv_bfloat162*>(&rows.raw[k]);
                float wv[8];
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    const float2 f = __bfloat1622float2(pair[j]);
                    wv[2 * j] = f.x;
                    wv[2 * j + 1] = f.y;
                }
#pragma unroll
                for (int bb = 0; bb < kAbsorbBatch; ++bb) {
                    const float q = b0 + bb < p.batch ? s.qs[(b0 + bb) * kAbsorbMaxDn + d] : 0.f;
#pragma unroll
                    for (int j = 0; j < 8; ++j)
                        acc[bb][j] += q * wv[j];
                }
            }
        }
#pragma unroll
        for (int bb = 0; bb < kAbsorbBatch; ++bb) {
            float4* dst =
                reinterpret_cast<float4*>(s.red + (slice * kAbsorbBatch + bb) * kAbsorbCols + cg * 8);
            dst[0] = make_float4(acc[bb][0], acc[bb][1], acc[bb][2], acc[bb][3]);
            dst[1] = make_float4(acc[bb][4], acc[bb][5], acc[bb][6], acc[bb][7]);
        }
        __syncthreads();
        for (int o = threadIdx.x; o < kAbsorbBatch * kAbsorbCols; o += blockDim.x) {
            const int bb = o / kAbsorbCols, col = o % kAbsorbCols, c = cb * kAbsorbCols + col;
            if (b0 + bb >= p.batch || c >= cEnd) continue;
            float sum = 0.f;
#pragma unroll
            for (int sl = 0; sl < kAbsorbSlices; ++sl)
                sum += s.red[(sl * kAbsorbBatch + bb) * kAbsorbCols + col];
            if (c < p.r)
                out[(int64_t(b0 + bb) * p.heads + h) * width + c] = __float2bfloat16(sum);
            else
                s.ropeRows[bb * kAbsorbCols + c - p.r] = __float2bfloat16(sum);
        }
        __syncthreads();
        // The mapped q_rope (the block holding columns r .., only it: the launch has blocks past the columns
        // where it has more sequences than column blocks, for their cache rows): rotated as below, from its
        // bf16 values.
        if (p.ropeMap && cb == p.r / kAbsorbCols) {
            for (int i = threadIdx.x; i < kAbsorbBatch * p.rR; i += blockDim.x) {
                const int bb = i / p.rR, e = i % p.rR;
                if (b0 + bb < p.batch)
                    out[(int64_t(b0 + bb) * p.heads + h) * width + p.r + e] =
                        p.cos ? ropeAt(s.ropeRows + bb * kAbsorbCols, p.cos, p.sin, e, p.rR / 2)
                              : s.ropeRows[bb * kAbsorbCols + e];
            }
            __syncthreads();
        }
    }
    if (cb == 0 && !p.ropeMap) {
        const bf16* qr = static_cast<const bf16*>(p.qRope) + int64_t(h) * p.ropeHeadStride;
        for (int i = threadIdx.x; i < p.batch * p.rR; i += blockDim.x) {
            const bf16* row = qr + int64_t(i / p.rR) * p.ropeBatchStride;
            out[(int64_t(i / p.rR) * p.heads + h) * width + p.r + i % p.rR] =
                p.cos ? ropeAt(row, p.cos, p.sin, i % p.rR, p.rR / 2) : row[i % p.rR];
        }
    }
    __syncthreads();
}

// The absorbed query's blocks (x: heads, then one more per sequence for the cache rows where p.append is set;
// y: column blocks, at least the sequences): grid dimensions and the block count.
__host__ __device__ inline int absorbColumnBlocks(const AbsorbQuery& p) {
    return (p.r + (p.ropeMap ? p.rR : 0) + kAbsorbCols - 1) / kAbsorbCols;
}

} // namespace
} // namespace transmla::kernels
