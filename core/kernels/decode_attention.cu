// Decode attention (one new query per sequence) over a bf16 cache, flash-decoding style:
//   split kernel  grid (B * G, splits): one CTA streams the rows of its share of positions once, in
//                 64-row tiles through a cp.async pipeline (rows past the length are zero-filled), for
//                 all query heads of its kv group (MLA: every head, G = 1). Scores S = Q K^T and P V
//                 on tensor cores with mma.sync m16n8k16 (bf16 in, fp32 accumulate): the query's A
//                 fragments stay in registers for the whole split, the key / value B fragments come
//                 from shared memory by ldmatrix. Online softmax per tile (exp2, scale folded in);
//                 writes (O unnormalised, max m, sum l) per split.
//   reduction     grid (B * H): out = sum_s 2^(m_s - M) O_s / sum_s 2^(m_s - M) l_s, in bf16 (the latent
//                 kernel below does it itself where it can: decodeFusedReduction).
// Two shapes of the split kernel (Config): Wide for MLA's latent rows (Dk <= 576, Dv <= 512, up to
// 32 heads: each warp keeps a quarter of the query's k-steps, four warps add their partial scores in
// shared memory; two 74 KB stages, one CTA per multiprocessor) and Narrow for heads of <= 128 with
// <= 16 queries per group (each warp scores 8 positions over the whole key; three stages, two CTAs
// per multiprocessor). MLA's values are the first Dv columns of the key rows [latent | k_rope], so
// one read of a latent row serves both products of every head.
// On Hopper (built for sm_90a, TRANSMLA_DECODE_WGMMA=1) MLA's shape can run the latent kernel instead (below:
// tensor-memory-accelerator loads, warpgroup MMA, two warpgroups); the Wide kernel stays the default until
// the latent kernel is measured faster.
#include <cuda.h>
#include <cudaTypedefs.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cfloat>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "kernels/decode_attention_launch.h"
#include "kernels/dependent_launch.cuh"

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

// The reductions' inner loop (decodeReduceKernel, and the latent kernel's own: fusedReduction): one thread's
// splits of a column quad, grp, grp + groups, ... < splits, up to kReduceBatch of them loaded together
// (maxima, sums, partial outputs), then combined as an online softmax into acc / mRun / lRun, relative to the
// running maximum. o, m, l are the quad's entries of split 0; split s's lie s * oStride (o) and s * mlStride
// (m, l) further. Cg: loads through L2 only (partials other blocks of the same grid wrote).
constexpr int kReduceBatch = 8; // a thread's splits whose (max, sum, partial output) are loaded together
template <bool Cg>
__device__ inline void combineSplits(const float* o, const float* m, const float* l, int64_t oStride,
                                     int mlStride, int splits, int grp, int groups, float4& acc, float& mRun,
                                     float& lRun) {
    for (int s0 = grp; s0 < splits; s0 += groups * kReduceBatch) {
        float mv[kReduceBatch], lv[kReduceBatch];
        float4 xv[kReduceBatch];
#pragma unroll
        for (int k = 0; k < kReduceBatch; ++k) {
            const int s = s0 + k * groups;
            const bool in = s < splits;
            const float4* x = reinterpret_cast<const float4*>(o + s * oStride);
            // empty splits hold -FLT_MAX, 0, 0 as well
            mv[k] = in ? (Cg ? __ldcg(m + s * mlStride) : m[s * mlStride]) : -FLT_MAX;
            lv[k] = in ? (Cg ? __ldcg(l + s * mlStride) : l[s * mlStride]) : 0.f;
            xv[k] = in ? (Cg ? __ldcg(x) : *x) : make_float4(0.f, 0.f, 0.f, 0.f);
        }
        float mNew = mRun;
#pragma unroll
        for (int k = 0; k < kReduceBatch; ++k)
            mNew = fmaxf(mNew, mv[k]);
        const float c = exp2f(mRun - mNew);
        acc.x *= c, acc.y *= c, acc.z *= c, acc.w *= c, lRun *= c;
#pragma unroll
        for (int k = 0; k < kReduceBatch; ++k) {
            const float w = exp2f(mv[k] - mNew);
            acc.x += w * xv[k].x;
            acc.y += w * xv[k].y;
            acc.z += w * xv[k].z;
            acc.w += w * xv[k].w;
            lRun += w * lv[k];
        }
        mRun = mNew;
    }
}

// Where several thread groups shared a column's splits (combineSplits): group 0's running acc / mRun / lRun
// and those of groups 1 .. groups - 1 (unnormalised output sums[g * sumStride], (max, sum) ml[g * mlStride]),
// rescaled to their common maximum and added, in group order.
__device__ inline void mergeGroups(const float4* sums, int sumStride, const float2* ml, int mlStride,
                                   int groups, float4& acc, float mRun, float& lRun) {
    float M = mRun;
    for (int g = 1; g < groups; ++g)
        M = fmaxf(M, ml[g * mlStride].x);
    const float c = exp2f(mRun - M);
    acc.x *= c, acc.y *= c, acc.z *= c, acc.w *= c, lRun *= c;
    for (int g = 1; g < groups; ++g) {
        const float2 m = ml[g * mlStride];
        const float w = exp2f(m.x - M);
        const float4 x = sums[g * sumStride];
        acc.x += w * x.x;
        acc.y += w * x.y;
        acc.z += w * x.z;
        acc.w += w * x.w;
        lRun += w * m.y;
    }
}

// A combined column quad's output: acc / lRun (zero where no position counted), rounded to bf16 as two pairs.
__device__ inline void normalisedQuad(const float4& acc, float lRun, __nv_bfloat162& lo, __nv_bfloat162& hi) {
    const float inv = lRun > 0.f ? 1.f / lRun : 0.f;
    lo = __floats2bfloat162_rn(acc.x * inv, acc.y * inv);
    hi = __floats2bfloat162_rn(acc.z * inv, acc.w * inv);
}

// The query of one kv group through shared memory: 16-byte copies (coalesced) into `dst`, one row of dk per
// head, each aligned group of eight chunks permuted by the row (row r's chunk c at c ^ (r % 8)), so that
// ldmatrix's eight rows of one chunk column fall in eight distinct bank groups; then one ldmatrix.x4 per
// m16 x k16 fragment. (The fragments loaded from global memory four bytes at a time cost ~5 us of a batch-1
// launch's ~14 in the Wide kernel and ~11 us in the latent one: probe-phases.)
__device__ inline int swizzledChunk(int row, int chunk, int chunks) {
    return (chunk | 7) < chunks ? chunk ^ (row & 7) : chunk;
}
__device__ inline void stageQuery(bf16* dst, const bf16* q, int rows, int dk, int tid, int threads) {
    const int chunks = dk / 8;
    for (int i = tid; i < rows * chunks; i += threads) {
        const int row = i / chunks, ch = i % chunks;
        cpAsync16(dst + row * dk + swizzledChunk(row, ch, chunks) * 8, q + int64_t(row) * dk + ch * 8, true);
    }
}
// The m16n8k16 A fragment of rows m0.. m0 + 15 and k-step kk of the staged query; rows at or past `rows`
// zero.
__device__ inline void queryFragment(uint32_t (&a)[4], const bf16* qs, int m0, int kk, int rows, int dk) {
    const int lane = threadIdx.x % 32, row = m0 + (lane & 15);
    ldsm4(a, qs + row * dk + swizzledChunk(row, 2 * kk + (lane >> 4), dk / 8) * 8);
    const int gid = lane / 4;
    if (m0 + gid >= rows) a[0] = a[2] = 0u;
    if (m0 + gid + 8 >= rows) a[1] = a[3] = 0u;
}

// A split's partial outputs, staged in shared memory as rows of `ld` floats (one per head), to global memory
// [rows][dv]: 16-byte loads and stores, consecutive threads along a row (dv and ld multiples of 4).
[[maybe_unused]] __device__ inline void storePartials(float* dst, const float* st, int ld, int rows, int dv,
                                                      int tid, int threads) {
    const int quads = dv / 4;
    for (int i = tid; i < rows * quads; i += threads) {
        const int row = i / quads, q4 = i % quads;
        *reinterpret_cast<float4*>(dst + int64_t(row) * dv + 4 * q4) =
            *reinterpret_cast<const float4*>(st + row * ld + 4 * q4);
    }
}

// Probe builds only (-DTRANSMLA_DECODE_PHASES, tests/gpu/latent_kernel_probe.cu): the global timer at each
// phase of every block, for where a short launch's time goes (decodePhases reads them back).
#ifdef TRANSMLA_DECODE_PHASES
__device__ unsigned long long gSplitPhases[kPhaseBlocks][kSplitPhases];
__device__ unsigned long long gReducePhases[kPhaseBlocks][kReducePhases];
__device__ inline unsigned long long globalTimer() {
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}
#define TRANSMLA_PHASE(table, i, leader)                                                                     \
    do {                                                                                                     \
        const int blk = blockIdx.x * gridDim.y + blockIdx.y;                                                 \
        if (threadIdx.x == (leader) && blk < kPhaseBlocks) table[blk][i] = globalTimer();                    \
    } while (0)
#else
#define TRANSMLA_PHASE(table, i, leader)                                                                     \
    do {                                                                                                     \
    } while (0)
#endif

// Fragment coordinates (PTX ISA, mma.m16n8k16): lane = 4 * gid + tig; A regs r hold row
// gid + 8 (r & 1), columns 2 tig + 8 (r >> 1) (+1); B regs hold k = 2 tig (+8), n = gid; C holds
// rows gid, gid + 8 and columns 2 tig, 2 tig + 1.
template <class C> __global__ void __launch_bounds__(kThreads, C::MINB) decodeSplitKernel(DecodeLaunch p) {
    TRANSMLA_PHASE(gSplitPhases, 0, 0);
    allowDependents();
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
    // The query first (its own cp.async group), into the score buffer: free until the first tile's scores.
    static_assert(2 * 16 * C::KQ <= kSLd * 4, "the widest query row fits a row of the score buffer");
    bf16* qs = reinterpret_cast<bf16*>(partial);
    stageQuery(qs, static_cast<const bf16*>(p.q) + (int64_t(b) * p.groups + group) * rep * p.dk, rep, p.dk,
               tid, kThreads);
    cpAsyncCommit();

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

    // Scores: warp = (row group rg, k group kg); kg owns k-steps kg, kg + KG, ... of the query, whose
    // fragments (zero past the heads and past Dk) stay in registers. The first tile's barrier orders these
    // reads before its scores overwrite the staged query.
    const int nk = p.dk / 16, rg = warp / C::KG, kg = warp % C::KG;
    cpAsyncWait<C::STAGES - 1>(); // the query's group (the tiles' may still be on their way)
    __syncthreads();
    uint32_t qf[C::MT][C::KQ][4];
#pragma unroll
    for (int m = 0; m < C::MT; ++m)
#pragma unroll
        for (int i = 0; i < C::KQ; ++i) {
            const int kk = kg + i * C::KG;
            if (m * 16 < rep && kk < nk)
                queryFragment(qf[m][i], qs, m * 16, kk, rep, p.dk);
            else
                qf[m][i][0] = qf[m][i][1] = qf[m][i][2] = qf[m][i][3] = 0u;
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
    TRANSMLA_PHASE(gSplitPhases, 1, 0);

    for (int i = 0; i < nTiles; ++i) {
        // Tile i has landed for every thread, and every warp is done with the stage refilled next.
        cpAsyncWait<C::STAGES - 2>();
        __syncthreads();
        if (i == 0) TRANSMLA_PHASE(gSplitPhases, 2, 0);
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

    TRANSMLA_PHASE(gSplitPhases, 3, 0);
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
    TRANSMLA_PHASE(gSplitPhases, 4, 0);
}

// ---- The latent kernel: MLA's shared [latent | k_rope] rows on Hopper, with warpgroup MMA (wgmma) ----
// With cp.async loads (commit 8954c59) it ran at the Wide kernel's 157 us at 16K x 16 (46% of copy) on the
// H200: both were bound by their loads (the loads alone took 158 us, the arithmetic alone 63 us). Here one
// thread per tile issues the tensor memory accelerator's box copies instead (one per 64-column block, in
// the 128-byte swizzle wgmma reads): 89% of copy at 16K x 16 and 80% at 32K x 4 (BENCHMARKS.md, issue 17's
// fourteenth pass).
namespace latent {

// Two warpgroups, three 64-row stages (two tiles on their way while one is used; the shared memory holds
// no Q, which lives in WG 0's registers):
//   WG 0  scores   S [64 heads, 64 positions] = Q K^T    Q in registers (rows past the heads are zero),
//                  K from shared memory; the online softmax per head in registers; P^T and the
//                  rescaling factors into shared memory (two buffers).
//   WG 1  loads every tile (one thread: tensor-memory-accelerator boxes, completion on the stage's mbarrier)
//                  and accumulates O^T [Dv, 32 heads] += V^T [Dv, 64 positions] . P^T   (both operands in
//                  shared memory).
// A tile is nine blocks of 64 rows x 128 bytes in the 128-byte swizzle, read as K-major by the scores and as
// M-major (transposed) by the output. Named barriers hand P over (1, 2: P ready; 3, 4: its buffer free
// again), so WG 0 scores tile i + 1 while WG 1 accumulates tile i. At the end WG 1 stages O in the first
// stage and both warpgroups store it (barrier 7); 5 and 6 are each warpgroup's own. At the start WG 0 stages
// its query in the last stage: 9 once its copies are issued (WG 1 then loads the first tiles), 8 once the
// query is in its registers (WG 1 then loads the last stage).
constexpr int kThreads = 256, kHeads = 32, kStages = 3;
constexpr int kChunks = 576 / 8;                   // 16-byte chunks of the widest key row
constexpr int kBlocks = kChunks / 8;               // 64-column blocks of a row (128 bytes each)
constexpr int kBlockBytes = kTile * 128;           // one block of a tile: 64 rows x 128 B, swizzled
constexpr int kStageBytes = kBlocks * kBlockBytes; // blocks past Dk hold zeros
constexpr int kProbsBytes = kHeads * kTile * 2;    // P^T: [4 head groups][8 position groups][128 B]
constexpr int kStageAt = 0;
constexpr int kProbsAt = kStageAt + kStages * kStageBytes; // two buffers
constexpr int kAlphaAt = kProbsAt + 2 * kProbsBytes;       // two x 32 floats
constexpr int kBarAt = kAlphaAt + 2 * kHeads * 4;          // one mbarrier per stage
constexpr int kSharedBytes = kBarAt + kStages * 8 + 1024;  // + the alignment of the 128-byte swizzle
constexpr int kPartialLd =
    kDecodeMaxValueDim + 4; // floats per head row of the partial outputs staged in stage 0
static_assert(kHeads * kPartialLd * 4 <= kStageBytes, "the staged partial outputs fit one stage");

#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
// Shared-memory matrix descriptor, no swizzle, as two words: lo = start address | the byte distance
// between core matrices along K (lbo) << 16, hi = the distance along M or N (sbo); all in 16-byte units.
// A k-step's operand is the same descriptor with lo advanced (addresses stay below 2^18 bytes: no carry).
struct Desc {
    uint32_t lo, hi;
};
__device__ inline Desc descriptor(uint32_t address, uint32_t lbo, uint32_t sbo, bool swizzle128 = false) {
    return {(address & 0x3FFFF) >> 4 | (lbo >> 4) << 16, sbo >> 4 | (swizzle128 ? 1u << 30 : 0u)};
}
// d += A . B, m64n32k16, A (M-major) and B (K-major) in shared memory; offsets in 16-byte units.
__device__ inline void wgmmaOut(float (&d)[16], const Desc& a, uint32_t aOff, const Desc& b, uint32_t bOff) {
    asm volatile(
        "{\n.reg .b64 da, db;\n.reg .pred accumulate;\n"
        "mov.b64 da, {%16, %17};\nmov.b64 db, {%18, %19};\nsetp.ne.b32 accumulate, %20, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n32k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15}, da, db, accumulate, 1, 1, "
        "1, 0;\n}\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]),
          "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15])
        : "r"(a.lo + aOff), "r"(a.hi), "r"(b.lo + bOff), "r"(b.hi), "r"(1));
}
// d += A . B, m64n64k16, A in registers (the mma.sync m16n8k16 fragment of each warp's 16 rows), B
// (K-major) in shared memory.
__device__ inline void wgmmaScores(float (&d)[32], const uint32_t (&a)[4], const Desc& b, uint32_t bOff) {
    asm volatile("{\n.reg .b64 db;\n.reg .pred accumulate;\n"
                 "mov.b64 db, {%36, %37};\nsetp.ne.b32 accumulate, %38, 0;\n"
                 "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 "
                 "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, "
                 "%20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}, {%32, %33, %34, %35}, db, "
                 "accumulate, 1, 1, 0;\n}\n"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]),
                   "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]),
                   "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]),
                   "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]),
                   "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b.lo + bOff), "r"(b.hi), "r"(1));
}
__device__ inline void wgmmaFence() {
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
}
__device__ inline void wgmmaCommit() {
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
}
__device__ inline void wgmmaWaitAll() {
    asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
}
// Keeps the compiler from moving register reads / writes of an accumulator across the asynchronous MMA.
template <int N> __device__ inline void fenceRegisters(float (&d)[N]) {
#pragma unroll
    for (int i = 0; i < N; ++i)
        asm volatile("" : "+f"(d[i])::"memory");
}
// Shared memory written through the generic proxy (cp.async, stores) before wgmma (the async proxy) reads it.
__device__ inline void fenceProxyAsync() {
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
}
// Box (64 columns, 64 rows, 1) of the tensor map at (column, row, sequence) into shared memory (128-byte
// swizzle), completing `bytes` on the mbarrier; `policy` the L2 policy of its lines (evictFirst: the cache
// rows are read once per launch, and the partial outputs the blocks write at their end, read back by the
// reduction, then stay in L2: 32K x 4 51.1 -> 47.4 us, BENCHMARKS.md, issue 17's fourteenth pass).
__device__ inline void loadBox(uint32_t dst, const CUtensorMap& map, int column, int row, int sequence,
                               uint32_t bar, uint64_t policy) {
    asm volatile(
        "cp.async.bulk.tensor.3d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.L2::cache_hint "
        "[%0], [%1, {%2, %3, %4}], [%5], %6;\n" ::"r"(dst),
        "l"(reinterpret_cast<uint64_t>(&map)), "r"(column), "r"(row), "r"(sequence), "r"(bar), "l"(policy)
        : "memory");
}
__device__ inline uint64_t evictFirst() {
    uint64_t policy;
    asm volatile("createpolicy.fractional.L2::evict_first.b64 %0, 1.0;\n" : "=l"(policy));
    return policy;
}
__device__ inline void barrierExpectBytes(uint32_t bar, uint32_t bytes) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(bar), "r"(bytes)
                 : "memory");
}
__device__ inline void barrierInit(uint32_t bar, int count) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;\n" ::"r"(bar), "r"(count) : "memory");
}
__device__ inline void barrierWait(uint32_t bar, uint32_t parity) {
    uint32_t done = 0;
    while (!done)
        asm volatile("{\n.reg .pred p;\nmbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\n"
                     "selp.u32 %0, 1, 0, p;\n}\n"
                     : "=r"(done)
                     : "r"(bar), "r"(parity)
                     : "memory");
}
// Named barriers between the two warpgroups: one side arrives, the other waits (256 threads in all).
__device__ inline void namedArrive(int id) {
    asm volatile("bar.arrive %0, %1;\n" ::"r"(id), "n"(kThreads) : "memory");
}
__device__ inline void namedSync(int id) {
    asm volatile("bar.sync %0, %1;\n" ::"r"(id), "n"(kThreads) : "memory");
}
#endif

// The reduction inside the latent kernel (p.fusedReduce; launched cooperatively, so every block of the grid
// is resident): each block of sequence b stores its partials, arrives, and waits until all p.splits blocks of
// b have; then block `split` reduces heads split, split + splits, ... of b over all Dv columns as
// decodeReduceKernel does (each thread a column quad of one head over a group of the splits, up to
// kReduceBatch splits' maxima, sums and partial outputs loaded at once, combined as an online softmax; the
// groups meet in shared memory). Not with the absorbed output (the host's condition): at 32K x 4 the block's
// W_UV product made the step slower than the separate reduction's (BENCHMARKS.md, issue 17's twelfth pass).
// The last block of b to leave sets both counts back to zero for the next launch. The counts are the
// device's, as the absorbed output's arrivals are: two such launches must not run at once on two streams (the
// workbench and the CLI decode from one job at a time). `scratch`: the kernel's shared memory, free once the
// tiles are done.
[[maybe_unused]] __device__ unsigned gFusedArrivals[kFusedMaxSequences], gFusedDepartures[kFusedMaxSequences];
#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)

__device__ void fusedReduction(const DecodeLaunch& p, int b, int split, unsigned char* scratch) {
    const int tid = int(threadIdx.x), threads = int(blockDim.x);
    __syncthreads(); // every thread's partials stored, both warpgroups done with the shared memory
    if (tid == 0) {
        __threadfence(); // cumulative: the block's partials, before its arrival (CUTLASS's arrive pattern)
        atomicAdd(&gFusedArrivals[b], 1u);
        unsigned seen = 0;
        for (;;) {
            asm volatile("ld.acquire.gpu.global.u32 %0, [%1];\n"
                         : "=r"(seen)
                         : "l"(&gFusedArrivals[b])
                         : "memory");
            if (seen >= unsigned(p.splits)) break;
            __nanosleep(64);
        }
    }
    __syncthreads();
    TRANSMLA_PHASE(gReducePhases, 0, 0); // probe builds: every block of the sequence has arrived
    const int heads = p.rep, hp = p.paddedHeads, quads = p.dv / 4;
    const int items = split < heads ? (heads - 1 - split) / p.splits + 1 : 0, pairs = items * quads;
    float4* sums = reinterpret_cast<float4*>(scratch);           // [threads]
    float2* groupMl = reinterpret_cast<float2*>(sums + threads); // [threads]
    bf16* out = static_cast<bf16*>(p.out);
    const int64_t first = int64_t(b) * p.splits, splitStride = int64_t(hp) * p.dv;
    for (int p0 = 0; p0 < pairs; p0 += threads) {
        const int span = min(threads, pairs - p0), groups = max(1, min(threads / span, p.splits));
        const int pair = p0 + tid % span, grp = tid / span;
        const bool active = grp < groups;
        const int h = split + pair / quads * p.splits, d = pair % quads * 4;
        const float* o = p.oPart + (first * hp + h) * p.dv + d;
        const float* mPart = p.mPart + first * hp + h;
        const float* lPart = p.lPart + first * hp + h;
        float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
        float mRun = -FLT_MAX, lRun = 0.f;
        if (active)
            combineSplits<true>(o, mPart, lPart, splitStride, hp, p.splits, grp, groups, acc, mRun, lRun);
        if (p0 == 0) TRANSMLA_PHASE(gReducePhases, 1, 0); // probe builds: the first pass's splits combined
        if (groups > 1) { // the same for every thread of the block: both barriers are reached by all
            if (active) {
                sums[grp * span + tid % span] = acc;
                groupMl[grp * span + tid % span] = make_float2(mRun, lRun);
            }
            __syncthreads();
            if (active && grp == 0)
                mergeGroups(sums + tid, span, groupMl + tid, span, groups, acc, mRun, lRun);
            __syncthreads(); // sums is reused by the next pass
        }
        if (active && grp == 0) {
            __nv_bfloat162 lo, hi;
            normalisedQuad(acc, lRun, lo, hi);
            bf16* row = out + (int64_t(b) * heads + h) * p.dv + d;
            *reinterpret_cast<__nv_bfloat162*>(row) = lo;
            *reinterpret_cast<__nv_bfloat162*>(row + 2) = hi;
        }
    }
    TRANSMLA_PHASE(gReducePhases, 2, 0);
    __syncthreads();
    if (tid == 0 && atomicAdd(&gFusedDepartures[b], 1u) == unsigned(p.splits - 1)) {
        gFusedArrivals[b] = 0u; // every block of b is past its wait: the counts may start over
        gFusedDepartures[b] = 0u;
    }
}

#endif

__global__ void __launch_bounds__(kThreads, 1)
    decodeLatentKernel(DecodeLaunch p, const __grid_constant__ CUtensorMap keys) {
#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
    TRANSMLA_PHASE(gSplitPhases, 0, 0);
    allowDependents();
    extern __shared__ __align__(128) unsigned char smem[];
    const int tid = threadIdx.x, warp = tid / 32 % 4, lane = tid % 32, gid = lane / 4, tig = lane % 4;
    const int b = blockIdx.x / p.groups, group = blockIdx.x % p.groups, split = blockIdx.y;
    const int rep = p.rep, len = p.lengths[b], lenTiles = (len + kTile - 1) / kTile;
    const int nTiles = max(0, min((split + 1) * p.tilesPerSplit, lenTiles) - split * p.tilesPerSplit);
    const auto tileIndex = [&](int i) { return split * p.tilesPerSplit + i; };
    const int64_t part = (int64_t(b) * p.groups + group) * p.splits + split;
    const int hp = p.paddedHeads;
    const uint32_t base = (smemAddress(smem) + 1023) & ~1023u; // the swizzle pattern repeats every 1024 bytes
    unsigned char* const aligned = smem + (base - smemAddress(smem));
    const auto stageAt = [&](int i) { return base + kStageAt + (i % kStages) * kStageBytes; };
    const auto fullAt = [&](int i) { return base + kBarAt + (i % kStages) * 8; };
    float* alphaBuf = reinterpret_cast<float*>(aligned + kAlphaAt);
    const int blocks = (p.dk + 63) / 64; // column blocks the tensor map fills (zeros past Dk)

    // Column blocks past Dk of every stage: zeros, once (the copies never write them).
    for (int i = tid; i < kStages * (kBlocks - blocks) * kBlockBytes / 16; i += kThreads) {
        const int perStage = (kBlocks - blocks) * kBlockBytes / 16;
        reinterpret_cast<uint4*>(aligned + kStageAt + i / perStage * kStageBytes +
                                 blocks * kBlockBytes)[i % perStage] = make_uint4(0, 0, 0, 0);
    }
    if (tid < kStages) barrierInit(base + kBarAt + tid * 8, 1); // the loading thread's expect-bytes arrival
    fenceProxyAsync();
    __syncthreads();

    if (tid >= 128) {
        // ---- WG 1: loads, and O^T += V^T . P^T ----
        // Tile i into its stage by the tensor memory accelerator, one box per 64-column block (rows past the
        // capacity come as zeros; rows past the length but inside the capacity are zeroed below).
        const uint64_t policy = evictFirst();
        const auto load = [&](int i) {
            if (tid != 128) return;
            barrierExpectBytes(fullAt(i), blocks * kBlockBytes);
            for (int c = 0; c < blocks; ++c)
                loadBox(stageAt(i) + c * kBlockBytes, keys, 64 * c, tileIndex(i) * kTile, b, fullAt(i),
                        policy);
        };
        // WG 0's query copies go out before the tiles' burst (they are L2 hits; issued behind it they took
        // ~6 us of every block's start), and the last stage, which stages the query, is loaded as soon as WG
        // 0 holds the query in registers (not once tile 0 is scored): BENCHMARKS.md, issue 17's fourteenth
        // pass.
        namedSync(9);
        for (int i = 0; i < kStages - 1 && i < nTiles; ++i)
            load(i);
        namedSync(8);
        if (kStages - 1 < nTiles) load(kStages - 1);
        float o[8][16];
#pragma unroll
        for (int mb = 0; mb < 8; ++mb)
#pragma unroll
            for (int r = 0; r < 16; ++r)
                o[mb][r] = 0.f;
        for (int i = 0; i < nTiles; ++i) {
            barrierWait(fullAt(i), (i / kStages) & 1);
            const int valid = len - tileIndex(i) * kTile;
            if (valid <
                kTile) { // the cache's rows past the length (any bits, NaN too) must not meet P's zeros
                for (int r = valid + (tid - 128) / 8; r < kTile; r += 16)
                    for (int c = 0; c < blocks; ++c)
                        reinterpret_cast<uint4*>(aligned + (stageAt(i) - base) + c * kBlockBytes +
                                                 r * 128)[tid % 8] = make_uint4(0, 0, 0, 0);
                fenceProxyAsync();
                asm volatile("bar.sync 5, 128;\n" ::: "memory"); // WG 1 only
            }
            namedSync(1 + i % 2); // P^T and the rescaling factors of tile i are in
            fenceProxyAsync();
            const float* alpha = alphaBuf + (i % 2) * kHeads;
            float a[8]; // head 8 j + 2 tig + e in slot 2 j + e
#pragma unroll
            for (int hs = 0; hs < 8; ++hs)
                a[hs] = alpha[8 * (hs / 2) + 2 * tig + hs % 2];
#pragma unroll
            for (int mb = 0; mb < 8; ++mb) {
#pragma unroll
                for (int r = 0; r < 16; ++r)
                    o[mb][r] *= a[2 * (r / 4) + r % 2];
                fenceRegisters(o[mb]);
            }
            wgmmaFence();
            // V^T, M-major in 128-byte rows: 8 positions per 1024 bytes (sbo), a block of 64 columns per m64.
            const Desc v = descriptor(stageAt(i), kBlockBytes, 1024, true);
            const Desc pt = descriptor(base + kProbsAt + (i % 2) * kProbsBytes, 128, 1024);
            // Blocks past the value width (Dv < 512) go into accumulators that are never stored.
#pragma unroll
            for (int mb = 0; mb < 8; ++mb)
#pragma unroll
                for (int ks = 0; ks < kTile / 16; ++ks)
                    wgmmaOut(o[mb], v, (mb * kBlockBytes + ks * 2048) >> 4, pt, ks * 16);
            wgmmaCommit();
            wgmmaWaitAll();
#pragma unroll
            for (int mb = 0; mb < 8; ++mb)
                fenceRegisters(o[mb]);
            if (i + 2 < nTiles) namedArrive(3 + i % 2);  // P buffer i % 2 may be written again
            if (i + kStages < nTiles) load(i + kStages); // WG 0 scored tile i before handing over its P
        }
        TRANSMLA_PHASE(gSplitPhases, 6, 128);
        // o[mb][4 j + 2 h + e]: value column 64 mb + 16 warp + gid + 8 h, head 8 j + 2 tig + e. Through the
        // first stage (every tile is in and consumed; WG 0 reads no stage any more): rows of Dv + 4 floats
        // (a store's four heads in distinct banks), then out a head row at a time in 16-byte stores. Straight
        // from the accumulators (4-byte stores, four 32-byte pieces of four rows per warp) the stores took
        // ~5 us of a 16K x 16 or 32K x 4 launch, staged ~2 us (BENCHMARKS.md, issue 17's thirteenth pass);
        // both warpgroups store them.
        float* st = reinterpret_cast<float*>(aligned + kStageAt);
#pragma unroll
        for (int mb = 0; mb < 8; ++mb)
            if (mb < p.dv / 64)
#pragma unroll
                for (int r = 0; r < 16; ++r)
                    st[(8 * (r / 4) + 2 * tig + r % 2) * kPartialLd + 64 * mb + 16 * warp + gid +
                       8 * ((r / 2) % 2)] = o[mb][r];
        namedSync(7); // with WG 0, which stores half of them (its own path's end)
        storePartials(p.oPart + part * hp * p.dv, st, kPartialLd, rep, p.dv, tid, kThreads);
        TRANSMLA_PHASE(gSplitPhases, 5, 128);
        if (p.fusedReduce) fusedReduction(p, b, split, aligned);
        return;
    }

    // ---- WG 0: scores and the online softmax ----
    // Q's fragments for all 36 k-steps: rows (heads) 16 warp + gid (+ 8), columns 16 kk + 2 tig (+ 8); zeros
    // past the heads and past Dk (warps 2 and 3 hold padding heads only: their scores are never used).
    // Staged through the last stage's buffer (its tile is loaded once tile 0 is scored): rep rows of Dk fill
    // at most 64 Dk bytes of the column blocks the tensor map writes, none of the zeroed ones past Dk.
    uint32_t qf[kChunks / 2][4];
    {
        bf16* qs = reinterpret_cast<bf16*>(aligned + kStageAt + (kStages - 1) * kStageBytes);
        stageQuery(qs, static_cast<const bf16*>(p.q) + (int64_t(b) * p.groups + group) * rep * p.dk, rep,
                   p.dk, tid, 128);
        cpAsyncCommit();
        namedArrive(9); // WG 1 issues the tiles' loads behind these
        cpAsyncWait<0>();
        asm volatile("bar.sync 6, 128;\n" ::: "memory"); // WG 0 only
#pragma unroll
        for (int kk = 0; kk < kChunks / 2; ++kk)
            if (16 * warp < rep && 16 * kk < p.dk)
                queryFragment(qf[kk], qs, 16 * warp, kk, rep, p.dk);
            else
                qf[kk][0] = qf[kk][1] = qf[kk][2] = qf[kk][3] = 0u;
        fenceProxyAsync(); // the staged query is read: the last stage's tile may be loaded over it
        namedArrive(8);
    }
    const float scaleLog2 = p.scale * 1.4426950408889634f;
    float rowM[2] = {-FLT_MAX, -FLT_MAX}, rowL[2] = {0.f, 0.f}; // heads 16 warp + gid + 8 h
    TRANSMLA_PHASE(gSplitPhases, 1, 0);
    for (int i = 0; i < nTiles; ++i) {
        barrierWait(fullAt(i), (i / kStages) & 1);
        if (i == 0) TRANSMLA_PHASE(gSplitPhases, 2, 0);
        fenceProxyAsync();
        float s[32];
#pragma unroll
        for (int r = 0; r < 32; ++r)
            s[r] = 0.f;
        fenceRegisters(s);
        wgmmaFence();
        // B = K^T, K-major in 128-byte swizzled rows: 8 positions per 1024 bytes (sbo); k-step kk is 32 bytes
        // into block kk / 4.
        const Desc k = descriptor(stageAt(i), 16, 1024, true);
#pragma unroll
        for (int kk = 0; kk < kChunks / 2; ++kk)
            wgmmaScores(s, qf[kk], k, ((kk / 4) * kBlockBytes + (kk % 4) * 32) >> 4);
        wgmmaCommit();
        wgmmaWaitAll();
        fenceRegisters(s);

        // s[4 j + 2 h + e]: head 16 warp + gid + 8 h, position 8 j + 2 tig + e of the tile.
        const int pos0 = tileIndex(i) * kTile + 2 * tig;
        float mx[2] = {-INFINITY, -INFINITY};
#pragma unroll
        for (int j = 0; j < 8; ++j)
#pragma unroll
            for (int h = 0; h < 2; ++h)
#pragma unroll
                for (int e = 0; e < 2; ++e) {
                    float& v = s[4 * j + 2 * h + e];
                    v = pos0 + 8 * j + e < len ? v * scaleLog2 : -INFINITY;
                    mx[h] = fmaxf(mx[h], v);
                }
        float alpha[2];
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            mx[h] = fmaxf(mx[h], __shfl_xor_sync(0xffffffffu, mx[h], 1));
            mx[h] = fmaxf(mx[h], __shfl_xor_sync(0xffffffffu, mx[h], 2));
            const float mNew = fmaxf(rowM[h], mx[h]); // finite: tile i holds a valid position
            alpha[h] = exp2f(rowM[h] - mNew);
            rowM[h] = mNew;
            rowL[h] *= alpha[h];
        }
        if (i >= 2) namedSync(3 + i % 2); // WG 1 is done with this P buffer (tile i - 2)
        if (warp < 2) {
            unsigned char* pt = aligned + kProbsAt + (i % 2) * kProbsBytes;
#pragma unroll
            for (int j = 0; j < 8; ++j)
#pragma unroll
                for (int h = 0; h < 2; ++h) {
                    const float pa = exp2f(s[4 * j + 2 * h] - rowM[h]);
                    const float pb = exp2f(s[4 * j + 2 * h + 1] - rowM[h]);
                    rowL[h] += pa + pb;
                    // K-major P^T core matrices: [head group][position group][8 heads x 16 B]
                    *reinterpret_cast<__nv_bfloat162*>(pt + (2 * warp + h) * 1024 + j * 128 + gid * 16 +
                                                       tig * 4) = __floats2bfloat162_rn(pa, pb);
                }
            if (tig == 0) {
                alphaBuf[(i % 2) * kHeads + 16 * warp + gid] = alpha[0];
                alphaBuf[(i % 2) * kHeads + 16 * warp + gid + 8] = alpha[1];
            }
        }
        fenceProxyAsync();
        namedArrive(1 + i % 2);
    }
    TRANSMLA_PHASE(gSplitPhases, 3, 0);
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        rowL[h] += __shfl_xor_sync(0xffffffffu, rowL[h], 1);
        rowL[h] += __shfl_xor_sync(0xffffffffu, rowL[h], 2);
        const int head = 16 * warp + gid + 8 * h;
        if (tig == 0 && head < rep) {
            p.mPart[part * hp + head] = rowM[h];
            p.lPart[part * hp + head] = rowL[h];
        }
    }
    namedSync(7); // WG 1's partial outputs are staged: store half of them
    storePartials(p.oPart + part * hp * p.dv, reinterpret_cast<const float*>(aligned + kStageAt), kPartialLd,
                  rep, p.dv, tid, kThreads);
    TRANSMLA_PHASE(gSplitPhases, 4, 0);
    if (p.fusedReduce) fusedReduction(p, b, split, aligned);
#else
    (void)p; // built without sm_90a: launchDecodeAttention never picks this kernel
#endif
}

} // namespace latent

// Shared memory the latent kernel's own reduction uses (fusedReduction's scratch), within the kernel's.
static_assert(latent::kThreads * int(sizeof(float4) + sizeof(float2)) <= latent::kSharedBytes,
              "the latent kernel's own reduction fits its shared memory");

constexpr int kReduceThreads = 512; // at 32K x 4 (33 splits) four groups of splits per column

// One CTA per (sequence, head) and slice of the output columns (blockIdx.y of gridDim.y: more CTAs where the
// heads alone leave most multiprocessors idle, as at batch 1). Thread t takes column quad t % quads of the
// slice over the splits t / quads, + groups, ... (where the slice is narrow, as at batch 1, several threads
// share a column's splits): it loads their maxima, sums and partial outputs together, up to kReduceBatch
// splits at once, and combines them as an online softmax (relative to its own running maximum); the groups'
// results then meet in shared memory, rescaled to their common maximum. No block-wide reduction precedes the
// partials' loads: one round trip to the partials, one barrier.
// Arrivals of the column slices of each (sequence, head) at the reduction's absorbed output: the last to
// arrive adds the slices' partial sums in slice order (the same result whatever the order of arrival) and
// sets its count back to zero for the next launch.
__device__ unsigned gAbsorbedArrivals[kDecodeAbsorbedRows];
constexpr int kAbsorbedPreload = 8; // W_UV chunks per thread loaded before waitForPrimary

template <bool Absorb> __global__ void __launch_bounds__(kReduceThreads) decodeReduceKernel(DecodeLaunch p) {
    TRANSMLA_PHASE(gReducePhases, 0, 0);
    const int heads = p.groups * p.rep;
    const int b = blockIdx.x / heads, h = blockIdx.x % heads, g = h / p.rep, r = h % p.rep;
    const int slice = p.dv / int(gridDim.y), c0 = int(blockIdx.y) * slice;
    // MLA's absorbed output (p.wOut): thread t takes output row t / 4 (+ blockDim / 4, ...) and the slice's
    // 8-column chunks t % 4, t % 4 + 4, ...; its first chunks of W_UV are weights: loaded before the wait.
    constexpr bool absorb = Absorb; // p.wOut set (its own instance: the plain one keeps its registers)
    const int wq = int(threadIdx.x) % 4, chunksEach = slice / 32;
    const bf16* wRow = absorb ? static_cast<const bf16*>(p.wOut) +
                                    (p.wRep > 1 ? h / p.wRep : h) * p.wHeadStride +
                                    int64_t(threadIdx.x / 4) * p.wRowStride + c0
                              : nullptr;
    uint4 wPre[kAbsorbedPreload];
#pragma unroll
    for (int j = 0; j < kAbsorbedPreload; ++j)
        wPre[j] = absorb && j < chunksEach && int(threadIdx.x / 4) < p.dOut
                      ? __ldg(reinterpret_cast<const uint4*>(wRow + (wq + 4 * j) * 8))
                      : make_uint4(0, 0, 0, 0);
    // Where launched as the split kernel's programmatic dependent (dependentLaunch: Hopper, opt-in): resident
    // before the split grid ends, it waits here until that grid is done and its partials are visible.
    waitForPrimary();
    allowDependents(); // MLA's absorbed output: its weights load while this grid runs
    // Shared memory: the groups' sums [kReduceThreads] float4, their (max, sum) [kReduceThreads] float2,
    // then with the absorbed output the slice's latent [slice].
    extern __shared__ float4 sums[];
    float2* groupMl = reinterpret_cast<float2*>(sums + kReduceThreads);
    float* latent = reinterpret_cast<float*>(groupMl + kReduceThreads);
    const int64_t first = (int64_t(b) * p.groups + g) * p.splits;
    const int hp = p.paddedHeads;
    bf16* out = static_cast<bf16*>(p.out) + (int64_t(b) * heads + h) * (absorb ? p.dOut : p.dv);
    const float* o = p.oPart + (first * hp + r) * p.dv;
    const float* mPart = p.mPart + first * hp + r;
    const float* lPart = p.lPart + first * hp + r;
    const int64_t splitStride = int64_t(hp) * p.dv;
    const int quads = min(slice / 4, int(blockDim.x)),
              groups = max(1, min(int(blockDim.x) / quads, p.splits));
    const int quad = int(threadIdx.x) % quads, grp = int(threadIdx.x) / quads;
    for (int q0 = 0; q0 < slice / 4; q0 += quads) {
        const int d = c0 + (q0 + quad) * 4;
        const bool active = grp < groups && q0 + quad < slice / 4;
        float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
        float mRun = -FLT_MAX, lRun = 0.f; // this thread's splits: running maximum, sum relative to it
        if (active)
            combineSplits<false>(o + d, mPart, lPart, splitStride, hp, p.splits, grp, groups, acc, mRun,
                                 lRun);
        if (groups > 1) {
            if (active) {
                sums[grp * quads + quad] = acc;
                if (quad == 0) groupMl[grp] = make_float2(mRun, lRun);
            }
            __syncthreads();
            if (active && grp == 0) mergeGroups(sums + quad, quads, groupMl, 1, groups, acc, mRun, lRun);
            __syncthreads(); // sums is reused by the next pass
        }
        TRANSMLA_PHASE(gReducePhases, 1, 0);
        if (active && grp == 0) {
            __nv_bfloat162 lo, hi;
            normalisedQuad(acc, lRun, lo, hi);
            if (absorb) {
                const float2 l = __bfloat1622float2(lo), u = __bfloat1622float2(hi);
                *reinterpret_cast<float4*>(latent + (d - c0)) = make_float4(l.x, l.y, u.x, u.y);
            } else {
                *reinterpret_cast<__nv_bfloat162*>(out + d) = lo;
                *reinterpret_cast<__nv_bfloat162*>(out + d + 2) = hi;
            }
        }
    }
    TRANSMLA_PHASE(gReducePhases, 2, 0);
    if (!absorb) return;
    __syncthreads(); // the slice's latent
    const int slices = int(gridDim.y), rows = int(blockDim.x) / 4;
    // This slice's sums of the output rows: to the output itself (one slice), else to outPart for the last
    // slice to arrive.
    float* part = p.outPart + ((int64_t(b) * heads + h) * slices + blockIdx.y) * p.dOut;
    for (int v0 = 0; v0 < p.dOut; v0 += rows) {
        const int v = v0 + int(threadIdx.x) / 4;
        float acc = 0.f;
        if (v < p.dOut)
            for (int j = 0; j < chunksEach; ++j) {
                const int c = (wq + 4 * j) * 8;
                uint4 w = make_uint4(0, 0, 0, 0);
                if (v0 == 0 && j < kAbsorbedPreload) {
#pragma unroll
                    for (int k = 0; k < kAbsorbedPreload; ++k)
                        if (k == j) w = wPre[k];
                } else {
                    w = __ldg(reinterpret_cast<const uint4*>(wRow + int64_t(v0) * p.wRowStride + c));
                }
                const __nv_bfloat162* wp = reinterpret_cast<const __nv_bfloat162*>(&w);
                const float4 l0 = *reinterpret_cast<const float4*>(latent + c);
                const float4 l1 = *reinterpret_cast<const float4*>(latent + c + 4);
                const float2 w0 = __bfloat1622float2(wp[0]), w1 = __bfloat1622float2(wp[1]),
                             w2 = __bfloat1622float2(wp[2]), w3 = __bfloat1622float2(wp[3]);
                acc += l0.x * w0.x + l0.y * w0.y + l0.z * w1.x + l0.w * w1.y + l1.x * w2.x + l1.y * w2.y +
                       l1.z * w3.x + l1.w * w3.y;
            }
        acc += __shfl_xor_sync(0xffffffffu, acc, 1);
        acc += __shfl_xor_sync(0xffffffffu, acc, 2);
        if (wq == 0 && v < p.dOut) {
            if (slices == 1)
                out[v] = __float2bfloat16(acc);
            else
                part[v] = acc;
        }
    }
    if (slices == 1) return;
    // The last slice to arrive adds the slices' sums (the others' made visible by their fences).
    __threadfence();
    __syncthreads();
    __shared__ bool last;
    if (threadIdx.x == 0) last = atomicAdd(&gAbsorbedArrivals[b * heads + h], 1u) == unsigned(slices - 1);
    __syncthreads();
    if (!last) return;
    __threadfence();
    const float* parts = p.outPart + (int64_t(b) * heads + h) * slices * p.dOut;
    for (int v = threadIdx.x; v < p.dOut; v += blockDim.x) {
        float total = 0.f;
        for (int sl = 0; sl < slices; ++sl)
            total += __ldcg(parts + int64_t(sl) * p.dOut + v);
        out[v] = __float2bfloat16(total);
    }
    if (threadIdx.x == 0) gAbsorbedArrivals[b * heads + h] = 0u;
}

// An attribute of the current device, or `fallback` where it cannot be read.
int deviceAttribute(cudaDeviceAttr attribute, int fallback) {
    int device = 0, value = 0;
    return cudaGetDevice(&device) == cudaSuccess &&
                   cudaDeviceGetAttribute(&value, attribute, device) == cudaSuccess
               ? value
               : fallback;
}

int deviceMajor() {
    static const int major = deviceAttribute(cudaDevAttrComputeCapabilityMajor, 0);
    return major;
}

// Column slices per head for the reduction: up to four (each of a multiple of 4 columns) while the CTAs stay
// within one per multiprocessor (batch 1, 32 heads, 512 latent columns: 128 CTAs of 128 columns).
int reduceSlices(const DecodeLaunch& p) {
    static const int multiprocessors = deviceAttribute(cudaDevAttrMultiProcessorCount, 1);
    const int ctas = p.batch * p.groups * p.rep;
    const int quantum = p.wOut ? 32 : 4; // the absorbed output takes a slice in chunks of 8 per 4 threads
    int slices = 1;
    while (slices < 4 && 2 * slices * ctas <= multiprocessors && p.dv % (2 * slices * quantum) == 0)
        slices *= 2;
    return slices;
}

enum class Shape { None, Narrow, Wide, Latent };

// The latent kernel (tensor-memory-accelerator loads, wgmma) serves MLA's shape on a 9.x device when built
// for sm_90a: 76% of copy at 16K x 16 where the Wide kernel reaches 46% (BENCHMARKS.md, issue 17's fourth
// pass). TRANSMLA_DECODE_WGMMA=0 keeps the Wide kernel (for comparison, or should a driver refuse the tensor
// map).
bool latentAvailable() {
#ifdef TRANSMLA_DECODE_WGMMA
    static const bool available = [] {
        const char* env = std::getenv("TRANSMLA_DECODE_WGMMA");
        return !(env && std::strcmp(env, "0") == 0) && deviceMajor() == 9;
    }();
    return available;
#else
    return false;
#endif
}

Shape shapeFor(int paddedHeads, int dk, int dv, bool sharedValues) {
    if (paddedHeads <= 0 || paddedHeads % 16 || dk <= 0 || dv <= 0 || dk % 16 || dv % 16 ||
        (sharedValues && dv > dk))
        return Shape::None;
    if (sharedValues && paddedHeads <= latent::kHeads && dk % 32 == 0 && dk <= 36 * 16 && dv % 64 == 0 &&
        dv <= 8 * 64 && latentAvailable())
        return Shape::Latent;
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
template <auto Kernel> const char* allowSharedBytes(int bytes) {
    static int allowed = 0;
    if (bytes <= allowed) return nullptr;
    const cudaError_t e = cudaFuncSetAttribute(Kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);
    if (e != cudaSuccess) return cudaGetErrorString(e);
    allowed = bytes;
    return nullptr;
}

template <class C> int blocksPerMultiprocessor(int bytes) {
    if (allowSharedBytes<decodeSplitKernel<C>>(bytes)) return 1;
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
    if (const char* err = allowSharedBytes<decodeSplitKernel<C>>(bytes)) return err;
    decodeSplitKernel<C><<<dim3(unsigned(p.batch * p.groups), unsigned(p.splits)), kThreads, bytes, s>>>(p);
    return nullptr;
}

// The driver's tensor-map encoder, through the runtime (no link to libcuda); null where the driver lacks it.
PFN_cuTensorMapEncodeTiled_v12000 tensorMapEncoder() {
    static const PFN_cuTensorMapEncodeTiled_v12000 encode = [] {
        void* fn = nullptr;
        cudaDriverEntryPointQueryResult found{};
#if CUDART_VERSION >= 12050
        const cudaError_t e =
            cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &fn, 12000, cudaEnableDefault, &found);
#else
        const cudaError_t e =
            cudaGetDriverEntryPoint("cuTensorMapEncodeTiled", &fn, cudaEnableDefault, &found);
#endif
        return e == cudaSuccess && found == cudaDriverEntryPointSuccess
                   ? reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(fn)
                   : nullptr;
    }();
    return encode;
}

const char* launchLatent(const DecodeLaunch& p, int bytes, cudaStream_t s) {
    if (const char* err = allowSharedBytes<latent::decodeLatentKernel>(bytes)) return err;
    // The cache as (column, row, sequence), boxes of 64 x 64 rows, 128-byte swizzle (what wgmma reads); L2
    // lines filled 128 bytes at a time, a box row (256: 32K x 4 51.9 vs 51.1 us, 16K x 16 87.3 vs 85.5).
    CUtensorMap keys{};
    const cuuint64_t dims[3] = {cuuint64_t(p.dk), cuuint64_t(p.capacity), cuuint64_t(p.batch)};
    const cuuint64_t strides[2] = {cuuint64_t(p.kRowStride) * 2, cuuint64_t(p.kBatchStride) * 2};
    const cuuint32_t box[3] = {64, kTile, 1}, unit[3] = {1, 1, 1};
    const PFN_cuTensorMapEncodeTiled_v12000 encode = tensorMapEncoder();
    if (!encode) return "the driver has no tensor-map encoder";
    if (encode(&keys, CU_TENSOR_MAP_DATA_TYPE_BFLOAT16, 3, const_cast<void*>(p.k), dims, strides, box, unit,
               CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_128B,
               CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE) != CUDA_SUCCESS)
        return "decode attention: the cache's tensor map was refused";
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(unsigned(p.batch * p.groups), unsigned(p.splits));
    config.blockDim = dim3(latent::kThreads);
    config.dynamicSmemBytes = size_t(bytes);
    config.stream = s;
    cudaLaunchAttribute cooperative{};
    if (p.fusedReduce) { // the blocks of a sequence wait for each other: all must be resident
        cooperative.id = cudaLaunchAttributeCooperative;
        cooperative.val.cooperative = 1;
        config.attrs = &cooperative;
        config.numAttrs = 1;
    }
    const cudaError_t e = cudaLaunchKernelEx(&config, latent::decodeLatentKernel, p, keys);
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

// The shape's kernel, where the latent one gives way to Wide for short splits (kLatentMinTiles) and for
// more than one kv group (its tensor map reads one per sequence: MLA's case).
Shape kernelFor(int paddedHeads, int dk, int dv, bool sharedValues, int tilesPerSplit, int groups) {
    const Shape shape = shapeFor(paddedHeads, dk, dv, sharedValues);
    return shape == Shape::Latent && (tilesPerSplit < kLatentMinTiles || groups != 1) ? Shape::Wide : shape;
}

} // namespace

int64_t decodeMinTiles() {
    static const int64_t n = [] {
        const char* v = std::getenv("TRANSMLA_DECODE_MIN_TILES");
        const long t = v ? std::strtol(v, nullptr, 10) : 0;
        return t >= 1 && t <= 64 ? int64_t(t) : int64_t(1);
    }();
    return n;
}

bool& decodeFusedReduction() {
    static bool on = [] {
        const char* env = std::getenv("TRANSMLA_FUSED_REDUCE");
        return !(env && std::strcmp(env, "0") == 0);
    }();
    return on;
}

int decodeReduceSlices(const DecodeLaunch& p) {
    return reduceSlices(p);
}

bool dependentLaunch() {
    static const bool on = [] {
        const char* env = std::getenv("TRANSMLA_DECODE_PDL");
        return env && std::strcmp(env, "1") == 0 && deviceMajor() >= 9;
    }();
    return on;
}

#ifdef TRANSMLA_DECODE_PHASES
const char* decodePhases(unsigned long long* split, unsigned long long* reduce) {
    void *splitAt = nullptr, *reduceAt = nullptr;
    if (cudaMemcpyFromSymbol(split, gSplitPhases, sizeof(gSplitPhases)) != cudaSuccess ||
        cudaMemcpyFromSymbol(reduce, gReducePhases, sizeof(gReducePhases)) != cudaSuccess ||
        cudaGetSymbolAddress(&splitAt, gSplitPhases) != cudaSuccess ||
        cudaGetSymbolAddress(&reduceAt, gReducePhases) != cudaSuccess ||
        cudaMemset(splitAt, 0, sizeof(gSplitPhases)) != cudaSuccess ||
        cudaMemset(reduceAt, 0, sizeof(gReducePhases)) != cudaSuccess)
        return "decode phases: copy failed";
    return nullptr; // and the tables are zero again for the next launch
}
#endif

const char* decodeKernelName(int paddedHeads, int dk, int dv, bool sharedValues, int tilesPerSplit) {
    switch (kernelFor(paddedHeads, dk, dv, sharedValues, tilesPerSplit, 1)) {
    case Shape::Narrow:
        return "narrow";
    case Shape::Wide:
        return "wide";
    case Shape::Latent:
        return "latent";
    default:
        return "none";
    }
}

int64_t decodeSharedBytes(int paddedHeads, int dk, int dv, bool sharedValues) {
    switch (shapeFor(paddedHeads, dk, dv, sharedValues)) {
    case Shape::Narrow:
        return sharedBytesOf<Narrow>(paddedHeads, dk, dv, sharedValues);
    case Shape::Wide:
        return sharedBytesOf<Wide>(paddedHeads, dk, dv, sharedValues);
    case Shape::Latent:
        return latent::kSharedBytes;
    default:
        return 0;
    }
}

int decodeBlocksPerMultiprocessor(int paddedHeads, int dk, int dv, bool sharedValues) {
    const int bytes = int(decodeSharedBytes(paddedHeads, dk, dv, sharedValues));
    if (bytes == 0) return 1;
    switch (shapeFor(paddedHeads, dk, dv, sharedValues)) {
    case Shape::Narrow:
        return blocksPerMultiprocessor<Narrow>(bytes);
    case Shape::Latent:
        return 1; // > 114 KB of shared memory
    default:
        return blocksPerMultiprocessor<Wide>(bytes);
    }
}

const char* launchDecodeAttention(const DecodeLaunch& p, void* stream) {
    const bool sharedValues = p.v == p.k;
    if (decodeSharedBytes(p.paddedHeads, p.dk, p.dv, sharedValues) == 0)
        return "decode attention: unsupported shape";
    if (p.wOut && (p.batch * p.groups * p.rep > kDecodeAbsorbedRows || p.dv % (32 * reduceSlices(p))))
        return "decode attention: the absorbed output does not take this shape";
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    const char* err = nullptr;
    bool reduced = false; // the latent kernel reduced its own splits: no reduction launch
    switch (kernelFor(p.paddedHeads, p.dk, p.dv, sharedValues, p.tilesPerSplit, p.groups)) {
    case Shape::Narrow:
        err = launchSplit<Narrow>(p, sharedBytesOf<Narrow>(p.paddedHeads, p.dk, p.dv, sharedValues), s);
        break;
    case Shape::Latent: {
        // The splits reduced inside the kernel where its blocks fit one wave (one per multiprocessor) and the
        // reduction has no absorbed output to run (kernelFor gives this shape one kv group and Dv a multiple
        // of 64 already).
        static const int multiprocessors = deviceAttribute(cudaDevAttrMultiProcessorCount, 1);
        DecodeLaunch fused = p;
        fused.fusedReduce = decodeFusedReduction() && !p.wOut && p.batch <= kFusedMaxSequences &&
                            p.batch * p.splits <= multiprocessors;
        err = launchLatent(fused, latent::kSharedBytes, s);
        reduced = fused.fusedReduce;
        break;
    }
    default: { // Wide, also where the latent kernel gave way (splits as for one block per multiprocessor)
        const int bytes = sharedBytesOf<Wide>(p.paddedHeads, p.dk, p.dv, sharedValues);
        err = bytes ? launchSplit<Wide>(p, bytes, s) : "decode attention: unsupported shape";
    }
    }
    if (err) return err;
    if (const cudaError_t e = cudaGetLastError(); e != cudaSuccess) return cudaGetErrorString(e);
    if (reduced) return nullptr;
    // Shared memory: the groups' sums and (max, sum) pairs; with the absorbed output the slice's latent after
    // those.
    const int slices = reduceSlices(p);
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(unsigned(p.batch * p.groups * p.rep), unsigned(slices));
    config.blockDim = dim3(kReduceThreads);
    config.dynamicSmemBytes = kReduceThreads * (sizeof(float4) + sizeof(float2)) +
                              (p.wOut ? size_t(p.dv / slices) * sizeof(float) : 0);
    config.stream = s;
    cudaLaunchAttribute dependent{};
    asDependent(config, dependent);
    const cudaError_t e = p.wOut ? cudaLaunchKernelEx(&config, decodeReduceKernel<true>, p)
                                 : cudaLaunchKernelEx(&config, decodeReduceKernel<false>, p);
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

} // namespace transmla::kernels
