// Decode attention (one new query per sequence) over a bf16 cache, flash-decoding style:
//   split kernel  grid (B * G, splits): one CTA streams the rows of its share of positions once, in
//                 64-row tiles through a cp.async pipeline (rows past the length are zero-filled), for
//                 all query heads of its kv group (MLA: every head, G = 1). Scores S = Q K^T and P V
//                 on tensor cores with mma.sync m16n8k16 (bf16 in, fp32 accumulate): the query's A
//                 fragments stay in registers for the whole split, the key / value B fragments come
//                 from shared memory by ldmatrix. Online softmax per tile (exp2, scale folded in);
//                 writes (O unnormalised, max m, sum l) per split.
//   reduction     grid (B * H): out = sum_s 2^(m_s - M) O_s / sum_s 2^(m_s - M) l_s, in bf16.
// Two shapes of the split kernel (Config): Wide for MLA's latent rows (Dk <= 576, Dv <= 512, up to
// 32 heads: each warp keeps a quarter of the query's k-steps, four warps add their partial scores in
// shared memory; two 74 KB stages, one CTA per multiprocessor) and Narrow for heads of <= 128 with
// <= 16 queries per group (each warp scores 8 positions over the whole key; three stages, two CTAs
// per multiprocessor). MLA's values are the first Dv columns of the key rows [latent | k_rope], so
// one read of a latent row serves both products of every head.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cfloat>
#include <cstdint>

#include "kernels/decode_attention_launch.h"

namespace transmla::kernels {

namespace {

using bf16 = __nv_bfloat16;
constexpr int kWarps = 8, kThreads = kWarps * 32, kTile = kDecodeTile;
constexpr int kPad = 8;            // bf16 added to each shared row: ldmatrix's 8 rows hit distinct banks
constexpr int kSLd = kTile + 8;    // floats per partial-score row
constexpr int kPLd = kTile + kPad; // bf16 per probability row

template <int KG_, int KQ_, int NO_, int STAGES_, int MINB_, int MT_> struct Config {
    static constexpr int KG = KG_;                      // warps sharing one row group's scores (k split)
    static constexpr int NT = kTile / 8 * KG_ / kWarps; // n8 position tiles per warp in the scores
    static constexpr int KQ = KQ_;                      // query k-steps (of 16) per warp, in registers
    static constexpr int NO = NO_;                      // n8 output tiles per warp (Dv <= 64 * NO)
    static constexpr int STAGES = STAGES_;              // cp.async pipeline depth
    static constexpr int MINB = MINB_;                  // CTAs per multiprocessor the registers allow
    static constexpr int MT = MT_;                      // m16 tiles of query rows (heads of one group)
};
using Wide = Config<4, 9, 8, 2, 1, 2>;   // Dk <= 4 * 9 * 16 = 576, Dv <= 512, <= 32 queries
using Narrow = Config<1, 8, 2, 3, 2, 1>; // Dk <= 128, Dv <= 128, <= 16 queries

// Shared-memory layout in bytes; every part starts 16-byte aligned.
struct Layout {
    int kLd, vLd, vOffset, stageBytes, scores, probs, alpha, total;
    __host__ __device__ Layout(int kg, int stages, int hp, int dk, int dv, bool shared) {
        kLd = dk + kPad;
        vLd = shared ? kLd : dv + kPad;
        vOffset = shared ? 0 : kTile * kLd * 2;
        stageBytes = kTile * kLd * 2 + (shared ? 0 : kTile * vLd * 2);
        scores = stages * stageBytes;
        probs = scores + kg * hp * kSLd * 4;
        alpha = probs + hp * kPLd * 2;
        total = alpha + hp * 4;
    }
};

__device__ inline unsigned smemAddress(const void* p) {
    return static_cast<unsigned>(__cvta_generic_to_shared(p));
}
// 16 bytes global -> shared; zeros instead where !valid (src must still be a mapped address).
__device__ inline void cpAsync16(void* dst, const void* src, bool valid) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(smemAddress(dst)), "l"(src),
                 "r"(valid ? 16 : 0));
}
__device__ inline void cpAsyncCommit() {
    asm volatile("cp.async.commit_group;\n" ::);
}
template <int N> __device__ inline void cpAsyncWait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}
__device__ inline void ldsm4(uint32_t (&r)[4], const void* p) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(smemAddress(p)));
}
__device__ inline void ldsm2(uint32_t (&r)[2], const void* p) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0, %1}, [%2];\n"
                 : "=r"(r[0]), "=r"(r[1])
                 : "r"(smemAddress(p)));
}
__device__ inline void ldsm4Trans(uint32_t (&r)[4], const void* p) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(smemAddress(p)));
}
// d += a (16x16, row) * b (16x8, col), bf16 in, fp32 accumulate.
__device__ inline void mma(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, "
        "{%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

__device__ inline float warpMax(float x) {
    for (int o = 16; o > 0; o >>= 1)
        x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, o));
    return x;
}
__device__ inline float warpSum(float x) {
    for (int o = 16; o > 0; o >>= 1)
        x += __shfl_xor_sync(0xffffffffu, x, o);
    return x;
}

// Fragment coordinates (PTX ISA, mma.m16n8k16): lane = 4 * gid + tig; A regs r hold row
// gid + 8 (r & 1), columns 2 tig + 8 (r >> 1) (+1); B regs hold k = 2 tig (+8), n = gid; C holds
// rows gid, gid + 8 and columns 2 tig, 2 tig + 1.
template <class C> __global__ void __launch_bounds__(kThreads, C::MINB) decodeSplitKernel(DecodeLaunch p) {
    extern __shared__ __align__(128) unsigned char smem[];
    const bool sharedValues = p.v == p.k;
    const Layout L(C::KG, C::STAGES, p.paddedHeads, p.dk, p.dv, sharedValues);
    float* partial = reinterpret_cast<float*>(smem + L.scores); // [KG][hp][kSLd]
    bf16* probs = reinterpret_cast<bf16*>(smem + L.probs);      // [hp][kPLd]
    float* alpha = reinterpret_cast<float*>(smem + L.alpha);    // [hp]

    const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32, gid = lane / 4, tig = lane % 4;
    const int b = blockIdx.x / p.groups, group = blockIdx.x % p.groups, split = blockIdx.y;
    const int hp = p.paddedHeads, mTiles = hp / 16, rep = p.rep, len = p.lengths[b];
    const int tile0 = split * p.tilesPerSplit;
    const int nTiles = max(0, min(tile0 + p.tilesPerSplit, (len + kTile - 1) / kTile) - tile0);
    const bf16* kBase = static_cast<const bf16*>(p.k) + b * p.kBatchStride + group * p.kGroupStride;
    const bf16* vBase = static_cast<const bf16*>(p.v) + b * p.vBatchStride + group * p.vGroupStride;
    const int kChunks = p.dk / 8, chunks = kChunks + (sharedValues ? 0 : p.dv / 8);

    // Tile i of this split into stage i % STAGES: 16-byte chunks, rows past the length zero-filled
    // (a zero row adds nothing to P V even where the cache holds garbage).
    const auto load = [&](int i) {
        unsigned char* stage = smem + (i % C::STAGES) * L.stageBytes;
        bf16* kDst = reinterpret_cast<bf16*>(stage);
        bf16* vDst = reinterpret_cast<bf16*>(stage + L.vOffset);
        for (int r = warp; r < kTile; r += kWarps) { // one row per warp, 16 bytes per lane
            const int row = (tile0 + i) * kTile + r;
            const bool valid = row < len;
            const int64_t src = valid ? row : len - 1;
            for (int ch = lane; ch < chunks; ch += 32) {
                if (ch < kChunks)
                    cpAsync16(kDst + r * L.kLd + ch * 8, kBase + src * p.kRowStride + ch * 8, valid);
                else
                    cpAsync16(vDst + r * L.vLd + (ch - kChunks) * 8,
                              vBase + src * p.vRowStride + (ch - kChunks) * 8, valid);
            }
        }
    };
#pragma unroll
    for (int s = 0; s < C::STAGES - 1; ++s) {
        if (s < nTiles) load(s);
        cpAsyncCommit(); // empty groups too: wait_group counts stay exact
    }

    // Scores: warp = (row group rg, k group kg); kg owns k-steps kg, kg + KG, ... of the query.
    const int nk = p.dk / 16, rg = warp / C::KG, kg = warp % C::KG;
    const bf16* q = static_cast<const bf16*>(p.q) + (int64_t(b) * p.groups + group) * rep * p.dk;
    uint32_t qf[C::MT][C::KQ][4];
#pragma unroll
    for (int m = 0; m < C::MT; ++m)
#pragma unroll
        for (int i = 0; i < C::KQ; ++i)
#pragma unroll
            for (int r = 0; r < 4; ++r) {
                const int head = m * 16 + gid + (r & 1) * 8, kk = kg + i * C::KG;
                const int col = kk * 16 + tig * 2 + (r >> 1) * 8;
                qf[m][i][r] = head < rep && kk < nk
                                  ? *reinterpret_cast<const uint32_t*>(q + int64_t(head) * p.dk + col)
                                  : 0u;
            }
    // Padding heads keep zero probabilities and alpha 1 (their rows of O are never read).
    for (int i = tid; i < hp * kPLd; i += kThreads)
        probs[i] = __float2bfloat16(0.f);
    for (int i = tid; i < hp; i += kThreads)
        alpha[i] = 1.f;
    // Softmax: warp w normalises heads 4 w .. 4 w + 3 at once, eight lanes per head; lane q = lane % 8
    // of a head takes positions 4 q .. 4 q + 3 and 32 + 4 q .. 32 + 4 q + 3 of each tile (conflict-free
    // 16-byte reads). Each lane keeps its head's running max and sum.
    const int sHead = warp * 4 + lane / 8, sq = lane % 8;
    float rowM = -FLT_MAX, rowL = 0.f;
    float o[C::MT][C::NO][4];
#pragma unroll
    for (int m = 0; m < C::MT; ++m)
#pragma unroll
        for (int j = 0; j < C::NO; ++j)
#pragma unroll
            for (int r = 0; r < 4; ++r)
                o[m][j][r] = 0.f;
    const int nOut = p.dv / 8; // n8 output tiles; warp takes warp, warp + 8, ...
    const float scaleLog2 = p.scale * 1.4426950408889634f;
    constexpr int NP = C::NT % 2 == 0 ? 2 : 1; // position tiles per ldmatrix

    for (int i = 0; i < nTiles; ++i) {
        // Tile i has landed for every thread, and every warp is done with the stage refilled next.
        cpAsyncWait<C::STAGES - 2>();
        __syncthreads();
        if (i + C::STAGES - 1 < nTiles) load(i + C::STAGES - 1);
        cpAsyncCommit();
        const bf16* kt = reinterpret_cast<const bf16*>(smem + (i % C::STAGES) * L.stageBytes);
        const bf16* vt = reinterpret_cast<const bf16*>(smem + (i % C::STAGES) * L.stageBytes + L.vOffset);

        {
            // All NT position tiles at once (NT * MT independent accumulators per warp). Every warp runs KQ
            // k-steps: past the key width its query fragments are zero and the address is clamped to
            // a real (finite) column, so the extra products add nothing.
            const int n0 = rg * C::NT * 8;
            float s[C::MT][C::NT][4];
#pragma unroll
            for (int m = 0; m < C::MT; ++m)
#pragma unroll
                for (int n = 0; n < C::NT; ++n)
#pragma unroll
                    for (int r = 0; r < 4; ++r)
                        s[m][n][r] = 0.f;
#pragma unroll
            for (int ii = 0; ii < C::KQ; ++ii) {
                const int kk = min(kg + ii * C::KG, nk - 1);
                uint32_t kb[C::NT][2];
#pragma unroll
                for (int n = 0; n < C::NT; n += NP) {
                    const bf16* src =
                        kt + (n0 + n * 8 + (lane & 7)) * L.kLd + kk * 16 + ((lane >> 3) & 1) * 8;
                    if constexpr (NP == 2) { // position tiles n, n + 1
                        uint32_t r4[4];
                        ldsm4(r4, src + (lane >> 4) * 8 * L.kLd);
                        kb[n][0] = r4[0];
                        kb[n][1] = r4[1];
                        kb[n + NP - 1][0] = r4[2];
                        kb[n + NP - 1][1] = r4[3];
                    } else {
                        uint32_t r2[2];
                        ldsm2(r2, src);
                        kb[n][0] = r2[0];
                        kb[n][1] = r2[1];
                    }
                }
#pragma unroll
                for (int m = 0; m < C::MT; ++m)
                    if (m < mTiles)
#pragma unroll
                        for (int n = 0; n < C::NT; ++n)
                            mma(s[m][n], qf[m][ii], kb[n][0], kb[n][1]);
            }
#pragma unroll
            for (int m = 0; m < C::MT; ++m)
                if (m < mTiles)
#pragma unroll
                    for (int n = 0; n < C::NT; ++n) {
                        float* dst = partial + (kg * hp + m * 16 + gid) * kSLd + n0 + n * 8 + tig * 2;
                        *reinterpret_cast<float2*>(dst) = make_float2(s[m][n][0], s[m][n][1]);
                        *reinterpret_cast<float2*>(dst + 8 * kSLd) = make_float2(s[m][n][2], s[m][n][3]);
                    }
        }
        __syncthreads();

        // Online softmax (heads past rep keep zero probabilities and alpha 1; a warp whose four heads
        // are all padding skips it: with GQA's 4 queries per group only warp 0 has real heads).
        if (warp * 4 < rep) {
            const int base = (tile0 + i) * kTile;
            float v[8];
#pragma unroll
            for (int e = 0; e < 8; ++e)
                v[e] = 0.f;
#pragma unroll
            for (int g = 0; g < C::KG; ++g) {
                const float* row = partial + (g * hp + min(sHead, hp - 1)) * kSLd;
                const float4 a = *reinterpret_cast<const float4*>(row + 4 * sq);
                const float4 c = *reinterpret_cast<const float4*>(row + 32 + 4 * sq);
                v[0] += a.x, v[1] += a.y, v[2] += a.z, v[3] += a.w;
                v[4] += c.x, v[5] += c.y, v[6] += c.z, v[7] += c.w;
            }
            float mx = -FLT_MAX;
#pragma unroll
            for (int e = 0; e < 8; ++e) {
                const int pos = base + (e < 4 ? 4 * sq + e : 32 + 4 * sq + e - 4);
                v[e] = pos < len ? v[e] * scaleLog2 : -FLT_MAX;
                mx = fmaxf(mx, v[e]);
            }
#pragma unroll
            for (int o = 1; o < 8; o <<= 1) // the eight lanes of this head
                mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, o));
            const float mNew = fmaxf(rowM, mx); // finite: tile i holds a valid position
            float sum = 0.f;
#pragma unroll
            for (int e = 0; e < 8; ++e) {
                v[e] = v[e] == -FLT_MAX ? 0.f : exp2f(v[e] - mNew);
                sum += v[e];
            }
#pragma unroll
            for (int o = 1; o < 8; o <<= 1)
                sum += __shfl_xor_sync(0xffffffffu, sum, o);
            const float a = exp2f(rowM - mNew);
            rowL = rowL * a + sum;
            rowM = mNew;
            if (sHead < rep) {
                __nv_bfloat162* dst = reinterpret_cast<__nv_bfloat162*>(probs + sHead * kPLd);
                dst[2 * sq] = __floats2bfloat162_rn(v[0], v[1]);
                dst[2 * sq + 1] = __floats2bfloat162_rn(v[2], v[3]);
                dst[16 + 2 * sq] = __floats2bfloat162_rn(v[4], v[5]);
                dst[16 + 2 * sq + 1] = __floats2bfloat162_rn(v[6], v[7]);
                if (sq == 0) alpha[sHead] = a;
            }
        }
        __syncthreads();

        // O = alpha O + P V: warp w owns output columns 8 (w + 8 j) .. + 7 of every head.
#pragma unroll
        for (int m = 0; m < C::MT; ++m)
            if (m < mTiles) {
                const float a0 = alpha[m * 16 + gid], a1 = alpha[m * 16 + gid + 8];
#pragma unroll
                for (int j = 0; j < C::NO; ++j) {
                    o[m][j][0] *= a0;
                    o[m][j][1] *= a0;
                    o[m][j][2] *= a1;
                    o[m][j][3] *= a1;
                }
            }
#pragma unroll
        for (int kp = 0; kp < kTile / 32; ++kp) { // 32 positions = two k-steps per round
            uint32_t pa[2][C::MT][4];
#pragma unroll
            for (int s2 = 0; s2 < 2; ++s2)
#pragma unroll
                for (int m = 0; m < C::MT; ++m)
                    if (m < mTiles)
                        ldsm4(pa[s2][m],
                              probs + (m * 16 + (lane & 15)) * kPLd + (kp * 2 + s2) * 16 + (lane >> 4) * 8);
#pragma unroll
            for (int j = 0; j < C::NO; ++j) {
                // Past the value width: a real column again, into an accumulator that is never stored.
                const int nt = min(warp + kWarps * j, nOut - 1);
                uint32_t vb[4]; // rows kp * 32 + lane, columns 8 nt..: B of both k-steps, transposed
                ldsm4Trans(vb, vt + (kp * 32 + lane) * L.vLd + nt * 8);
#pragma unroll
                for (int m = 0; m < C::MT; ++m)
                    if (m < mTiles) {
                        mma(o[m][j], pa[0][m], vb[0], vb[1]);
                        mma(o[m][j], pa[1][m], vb[2], vb[3]);
                    }
            }
        }
    }

    const int64_t part = (int64_t(b) * p.groups + group) * p.splits + split;
#pragma unroll
    for (int m = 0; m < C::MT; ++m)
        if (m < mTiles)
#pragma unroll
            for (int j = 0; j < C::NO; ++j) {
                const int nt = warp + kWarps * j;
                if (nt >= nOut) break;
                float* dst = p.oPart + (part * hp + m * 16 + gid) * p.dv + nt * 8 + tig * 2;
                *reinterpret_cast<float2*>(dst) = make_float2(o[m][j][0], o[m][j][1]);
                *reinterpret_cast<float2*>(dst + 8 * p.dv) = make_float2(o[m][j][2], o[m][j][3]);
            }
    if (sHead < rep && sq == 0) {
        p.mPart[part * hp + sHead] = rowM;
        p.lPart[part * hp + sHead] = rowL;
    }
}

// Max (isMax) or sum over the CTA; every thread gets the result. `scratch` holds one float per warp.
__device__ inline float blockReduce(float x, bool isMax, float* scratch) {
    x = isMax ? warpMax(x) : warpSum(x);
    if (threadIdx.x % 32 == 0) scratch[threadIdx.x / 32] = x;
    __syncthreads();
    float t = isMax ? -FLT_MAX : 0.f;
    for (int w = 0; w < int(blockDim.x / 32); ++w)
        t = isMax ? fmaxf(t, scratch[w]) : t + scratch[w];
    __syncthreads(); // scratch is reused by the next call
    return t;
}

// One CTA per (sequence, head): the splits' weights 2^(m_s - M) once, in shared memory (all splits
// at once: at batch 1 there are ~100), then four output columns per thread.
__global__ void decodeReduceKernel(DecodeLaunch p) {
    extern __shared__ float weights[]; // [splits]
    __shared__ float scratch[32];
    const int heads = p.groups * p.rep;
    const int b = blockIdx.x / heads, h = blockIdx.x % heads, g = h / p.rep, r = h % p.rep;
    const int64_t first = (int64_t(b) * p.groups + g) * p.splits;
    const int hp = p.paddedHeads;
    float M = -FLT_MAX;
    for (int s = threadIdx.x; s < p.splits; s += blockDim.x)
        M = fmaxf(M, p.mPart[(first + s) * hp + r]);
    M = blockReduce(M, true, scratch);
    float L = 0.f;
    for (int s = threadIdx.x; s < p.splits; s += blockDim.x) {
        const float w = exp2f(p.mPart[(first + s) * hp + r] - M);
        weights[s] = w;
        L += w * p.lPart[(first + s) * hp + r];
    }
    L = blockReduce(L, false, scratch); // its barriers also publish the weights
    const float inv = L > 0.f ? 1.f / L : 0.f;
    bf16* out = static_cast<bf16*>(p.out) + (int64_t(b) * heads + h) * p.dv;
    const float* o = p.oPart + (first * hp + r) * p.dv;
    const int64_t splitStride = int64_t(hp) * p.dv;
    for (int d = threadIdx.x * 4; d < p.dv; d += blockDim.x * 4) {
        float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
#pragma unroll 4
        for (int s = 0; s < p.splits; ++s) {
            const float w = weights[s];
            const float4 x = *reinterpret_cast<const float4*>(o + s * splitStride + d);
            acc.x += w * x.x;
            acc.y += w * x.y;
            acc.z += w * x.z;
            acc.w += w * x.w;
        }
        *reinterpret_cast<__nv_bfloat162*>(out + d) = __floats2bfloat162_rn(acc.x * inv, acc.y * inv);
        *reinterpret_cast<__nv_bfloat162*>(out + d + 2) = __floats2bfloat162_rn(acc.z * inv, acc.w * inv);
    }
}

enum class Shape { None, Narrow, Wide };

Shape shapeFor(int paddedHeads, int dk, int dv, bool sharedValues) {
    if (paddedHeads <= 0 || paddedHeads % 16 || dk <= 0 || dv <= 0 || dk % 16 || dv % 16 ||
        (sharedValues && dv > dk))
        return Shape::None;
    if (paddedHeads <= 16 * Narrow::MT && dk <= 16 * Narrow::KG * Narrow::KQ && dv <= 8 * kWarps * Narrow::NO)
        return Shape::Narrow;
    if (paddedHeads <= 16 * Wide::MT && dk <= 16 * Wide::KG * Wide::KQ && dv <= 8 * kWarps * Wide::NO)
        return Shape::Wide;
    return Shape::None;
}

template <class C> int sharedBytesOf(int paddedHeads, int dk, int dv, bool sharedValues) {
    const int total = Layout(C::KG, C::STAGES, paddedHeads, dk, dv, sharedValues).total;
    return total <= 227 * 1024 ? total : 0; // the most one block may take on sm_90
}

// Lets the split kernel take `bytes` of shared memory (raised once per size, not per call: a captured
// step replays without host calls anyway). Returns a CUDA error string, or nullptr.
template <class C> const char* allowSharedBytes(int bytes) {
    static int allowed = 0;
    if (bytes <= allowed) return nullptr;
    const cudaError_t e =
        cudaFuncSetAttribute(decodeSplitKernel<C>, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);
    if (e != cudaSuccess) return cudaGetErrorString(e);
    allowed = bytes;
    return nullptr;
}

template <class C> int blocksPerMultiprocessor(int bytes) {
    if (allowSharedBytes<C>(bytes)) return 1;
    static int lastBytes = -1, lastBlocks = 1;
    if (bytes != lastBytes) {
        int n = 0;
        if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, decodeSplitKernel<C>, kThreads, bytes) !=
            cudaSuccess)
            n = 1;
        lastBytes = bytes;
        lastBlocks = n > 0 ? n : 1;
    }
    return lastBlocks;
}

template <class C> const char* launchSplit(const DecodeLaunch& p, int bytes, cudaStream_t s) {
    if (const char* err = allowSharedBytes<C>(bytes)) return err;
    decodeSplitKernel<C><<<dim3(unsigned(p.batch * p.groups), unsigned(p.splits)), kThreads, bytes, s>>>(p);
    return nullptr;
}

} // namespace

int64_t decodeSharedBytes(int paddedHeads, int dk, int dv, bool sharedValues) {
    switch (shapeFor(paddedHeads, dk, dv, sharedValues)) {
    case Shape::Narrow:
        return sharedBytesOf<Narrow>(paddedHeads, dk, dv, sharedValues);
    case Shape::Wide:
        return sharedBytesOf<Wide>(paddedHeads, dk, dv, sharedValues);
    default:
        return 0;
    }
}

int decodeBlocksPerMultiprocessor(int paddedHeads, int dk, int dv, bool sharedValues) {
    const int bytes = int(decodeSharedBytes(paddedHeads, dk, dv, sharedValues));
    if (bytes == 0) return 1;
    return shapeFor(paddedHeads, dk, dv, sharedValues) == Shape::Narrow
               ? blocksPerMultiprocessor<Narrow>(bytes)
               : blocksPerMultiprocessor<Wide>(bytes);
}

const char* launchDecodeAttention(const DecodeLaunch& p, void* stream) {
    const bool sharedValues = p.v == p.k;
    const int bytes = int(decodeSharedBytes(p.paddedHeads, p.dk, p.dv, sharedValues));
    if (bytes == 0) return "decode attention: unsupported shape";
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    const char* err = shapeFor(p.paddedHeads, p.dk, p.dv, sharedValues) == Shape::Narrow
                          ? launchSplit<Narrow>(p, bytes, s)
                          : launchSplit<Wide>(p, bytes, s);
    if (err) return err;
    decodeReduceKernel<<<unsigned(p.batch * p.groups * p.rep), 128, size_t(p.splits) * sizeof(float), s>>>(p);
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

} // namespace transmla::kernels
