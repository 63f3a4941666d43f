// Decode attention (one new query per sequence) over a bf16 cache, flash-decoding style:
//   split kernel  grid (B * G, splits): one CTA reads the rows of its share of positions once, in
//                 tiles of 64 double-buffered by cp.async, for all query heads of its kv group (MLA:
//                 every head, G = 1); scores S = Q K^T and P V on tensor cores (wmma, bf16 in, fp32
//                 accumulate), online softmax per tile; writes (O unnormalised, max m, sum l).
//   reduction     grid (B * H): out = sum_s e^(m_s - M) O_s / sum_s e^(m_s - M) l_s, in bf16.
// MLA's values are the first Dv columns of the key rows [latent | k_rope], so one read of a latent
// row serves both products of every head.
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <mma.h>

#include <cfloat>

#include "kernels/decode_attention_launch.h"

namespace transmla::kernels {

namespace {

using namespace nvcuda;
using bf16 = __nv_bfloat16;
constexpr int kWarps = 8, kThreads = kWarps * 32, kTile = kDecodeTile;
constexpr int kPad = 8; // bf16 elements added to each shared row: rows of 1152 B would share banks
using AccFrag = wmma::fragment<wmma::accumulator, 16, 16, 16, float>;

// Shared-memory layout, in bytes from the (128-aligned) base. Row strides are padded.
struct Layout {
    int qLd, kLd, vLd, sLd, pLd;
    int q, k, v, s, p, rowM, rowL, alpha, probe, total;
    __host__ __device__ Layout(int hp, int dk, int dv, bool shared) {
        qLd = dk + kPad;
        kLd = dk + kPad;
        vLd = shared ? kLd : dv + kPad;
        sLd = kTile + 4;
        pLd = kTile + kPad;
        q = 0;
        k = q + align(hp * qLd * 2);
        v = k + align(2 * kTile * kLd * 2);
        s = v + (shared ? 0 : align(2 * kTile * vLd * 2));
        p = s + align(2 * hp * sLd * 4); // two halves of the key dimension
        rowM = p + align(hp * pLd * 2);
        rowL = rowM + align(hp * 4);
        alpha = rowL + align(hp * 4);
        probe = alpha + align(hp * 4);
        total = probe + align(16 * 16 * 4);
    }
    __host__ __device__ static int align(int n) { return (n + 127) / 128 * 128; }
};

__device__ inline void cpAsync16(void* dst, const void* src) {
    const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(dst));
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(s), "l"(src));
}
__device__ inline void cpAsyncCommit() {
    asm volatile("cp.async.commit_group;\n" ::);
}
template <int N> __device__ inline void cpAsyncWait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
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

// Copies rows [row0, row0 + kTile) (clamped to the capacity: rows past the length are masked) of
// `cols` bf16 each into shared memory with row stride ld.
__device__ inline void loadTile(bf16* dst, int ld, const bf16* base, int64_t rowStride, int row0, int cols,
                                int capacity) {
    const int chunks = cols / 8;
    for (int i = threadIdx.x; i < kTile * chunks; i += kThreads) {
        const int r = i / chunks, c = i % chunks;
        const int row = min(row0 + r, capacity - 1);
        cpAsync16(dst + r * ld + c * 8, base + int64_t(row) * rowStride + c * 8);
    }
}

__global__ void __launch_bounds__(kThreads) decodeSplitKernel(DecodeLaunch p) {
    extern __shared__ __align__(128) unsigned char smem[];
    const bool sharedValues = p.v == p.k;
    const Layout L(p.paddedHeads, p.dk, p.dv, sharedValues);
    bf16* qs = reinterpret_cast<bf16*>(smem + L.q);
    bf16* ks = reinterpret_cast<bf16*>(smem + L.k);
    bf16* vs = sharedValues ? ks : reinterpret_cast<bf16*>(smem + L.v);
    float* ss = reinterpret_cast<float*>(smem + L.s);
    bf16* ps = reinterpret_cast<bf16*>(smem + L.p);
    float* rowM = reinterpret_cast<float*>(smem + L.rowM);
    float* rowL = reinterpret_cast<float*>(smem + L.rowL);
    float* alpha = reinterpret_cast<float*>(smem + L.alpha);
    float* probe = reinterpret_cast<float*>(smem + L.probe);

    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int b = blockIdx.x / p.groups, g = blockIdx.x % p.groups, split = blockIdx.y;
    const int hp = p.paddedHeads, mTiles = hp / 16, len = p.lengths[b];
    const int tile0 = split * p.tilesPerSplit;
    const int tileEnd = min(tile0 + p.tilesPerSplit, (len + kTile - 1) / kTile);
    const bf16* kBase = static_cast<const bf16*>(p.k) + b * p.kBatchStride + g * p.kGroupStride;
    const bf16* vBase = static_cast<const bf16*>(p.v) + b * p.vBatchStride + g * p.vGroupStride;

    if (tile0 < tileEnd) loadTile(ks, L.kLd, kBase, p.kRowStride, tile0 * kTile, p.dk, p.capacity);
    if (tile0 < tileEnd && !sharedValues)
        loadTile(vs, L.vLd, vBase, p.vRowStride, tile0 * kTile, p.dv, p.capacity);
    cpAsyncCommit();

    // The query rows of this group (padding rows zero), the running softmax state, and a probe that
    // tells each lane which row its accumulator elements belong to (needed to rescale them).
    const bf16* q = static_cast<const bf16*>(p.q) + (int64_t(b) * p.groups + g) * p.rep * p.dk;
    for (int i = threadIdx.x; i < hp * (p.dk / 8); i += kThreads) {
        const int r = i / (p.dk / 8), c = i % (p.dk / 8);
        uint4 val = make_uint4(0, 0, 0, 0);
        if (r < p.rep) val = *reinterpret_cast<const uint4*>(q + int64_t(r) * p.dk + c * 8);
        *reinterpret_cast<uint4*>(qs + r * L.qLd + c * 8) = val;
    }
    for (int i = threadIdx.x; i < hp; i += kThreads) {
        rowM[i] = -FLT_MAX;
        rowL[i] = 0.f;
    }
    for (int i = threadIdx.x; i < 256; i += kThreads)
        probe[i] = float(i / 16);
    __syncthreads();
    AccFrag rows;
    wmma::load_matrix_sync(rows, probe, 16, wmma::mem_row_major);
    int rowOf[AccFrag::num_elements];
#pragma unroll
    for (int i = 0; i < AccFrag::num_elements; ++i)
        rowOf[i] = int(rows.x[i]);

    // Output tiles of this warp: columns nt = warp + kWarps * j, every row tile.
    const int nTilesOut = p.dv / 16;
    AccFrag o[kDecodeMaxNTiles][kDecodeMaxMTiles];
#pragma unroll
    for (int j = 0; j < kDecodeMaxNTiles; ++j)
#pragma unroll
        for (int m = 0; m < kDecodeMaxMTiles; ++m)
            wmma::fill_fragment(o[j][m], 0.f);

    const int kSteps = p.dk / 16, kHalf = kSteps / 2;
    for (int t = tile0; t < tileEnd; ++t) {
        const int buf = (t - tile0) & 1;
        bf16* kt = ks + buf * kTile * L.kLd;
        bf16* vt = sharedValues ? kt : vs + buf * kTile * L.vLd;
        if (t + 1 < tileEnd) {
            loadTile(ks + (buf ^ 1) * kTile * L.kLd, L.kLd, kBase, p.kRowStride, (t + 1) * kTile, p.dk,
                     p.capacity);
            if (!sharedValues)
                loadTile(vs + (buf ^ 1) * kTile * L.vLd, L.vLd, vBase, p.vRowStride, (t + 1) * kTile, p.dv,
                         p.capacity);
            cpAsyncCommit();
            cpAsyncWait<1>();
        } else {
            cpAsyncWait<0>();
        }
        __syncthreads();

        // Scores: warp w takes key columns nt = w % 4 over half w / 4 of the key dimension.
        {
            const int nt = warp % 4, half = warp / 4;
            const int k0 = half ? kHalf : 0, k1 = half ? kSteps : kHalf;
            AccFrag s[kDecodeMaxMTiles];
#pragma unroll
            for (int m = 0; m < kDecodeMaxMTiles; ++m)
                wmma::fill_fragment(s[m], 0.f);
            for (int kk = k0; kk < k1; ++kk) {
                wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::col_major> kb;
                wmma::load_matrix_sync(kb, kt + nt * 16 * L.kLd + kk * 16, L.kLd);
#pragma unroll
                for (int m = 0; m < kDecodeMaxMTiles; ++m) {
                    if (m >= mTiles) break;
                    wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major> qa;
                    wmma::load_matrix_sync(qa, qs + m * 16 * L.qLd + kk * 16, L.qLd);
                    wmma::mma_sync(s[m], qa, kb, s[m]);
                }
            }
#pragma unroll
            for (int m = 0; m < kDecodeMaxMTiles; ++m)
                if (m < mTiles)
                    wmma::store_matrix_sync(ss + (half * hp + m * 16) * L.sLd + nt * 16, s[m], L.sLd,
                                            wmma::mem_row_major);
        }
        __syncthreads();

        // Online softmax, one warp per row, two columns per lane.
        for (int r = warp; r < hp; r += kWarps) {
            float v2[2];
            float mx = -FLT_MAX;
#pragma unroll
            for (int c = 0; c < 2; ++c) {
                const int col = lane + 32 * c;
                const float sc = (ss[r * L.sLd + col] + ss[(hp + r) * L.sLd + col]) * p.scale;
                v2[c] = t * kTile + col < len ? sc : -FLT_MAX;
                mx = fmaxf(mx, v2[c]);
            }
            mx = warpMax(mx);
            const float mOld = rowM[r], mNew = fmaxf(mOld, mx);
            float sum = 0.f;
#pragma unroll
            for (int c = 0; c < 2; ++c) {
                const int col = lane + 32 * c;
                const float e = t * kTile + col < len ? __expf(v2[c] - mNew) : 0.f;
                ps[r * L.pLd + col] = __float2bfloat16(e);
                sum += e;
            }
            sum = warpSum(sum);
            if (lane == 0) {
                const float a = __expf(mOld - mNew);
                alpha[r] = a;
                rowL[r] = rowL[r] * a + sum;
                rowM[r] = mNew;
            }
        }
        __syncthreads();

        // O = alpha O + P V over this tile (each P fragment loaded once per key step, for every column).
#pragma unroll
        for (int j = 0; j < kDecodeMaxNTiles; ++j) {
            if (warp + kWarps * j >= nTilesOut) break;
#pragma unroll
            for (int m = 0; m < kDecodeMaxMTiles; ++m) {
                if (m >= mTiles) break;
#pragma unroll
                for (int i = 0; i < AccFrag::num_elements; ++i)
                    o[j][m].x[i] *= alpha[m * 16 + rowOf[i]];
            }
        }
        for (int kk = 0; kk < kTile / 16; ++kk) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major> pa[kDecodeMaxMTiles];
#pragma unroll
            for (int m = 0; m < kDecodeMaxMTiles; ++m)
                if (m < mTiles) wmma::load_matrix_sync(pa[m], ps + m * 16 * L.pLd + kk * 16, L.pLd);
#pragma unroll
            for (int j = 0; j < kDecodeMaxNTiles; ++j) {
                const int nt = warp + kWarps * j;
                if (nt >= nTilesOut) break;
                wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::row_major> vb;
                wmma::load_matrix_sync(vb, vt + kk * 16 * L.vLd + nt * 16, L.vLd);
#pragma unroll
                for (int m = 0; m < kDecodeMaxMTiles; ++m)
                    if (m < mTiles) wmma::mma_sync(o[j][m], pa[m], vb, o[j][m]);
            }
        }
        __syncthreads();
    }

    const int64_t part = (int64_t(b) * p.groups + g) * p.splits + split;
#pragma unroll
    for (int j = 0; j < kDecodeMaxNTiles; ++j) {
        const int nt = warp + kWarps * j;
        if (nt >= nTilesOut) break;
#pragma unroll
        for (int m = 0; m < kDecodeMaxMTiles; ++m)
            if (m < mTiles)
                wmma::store_matrix_sync(p.oPart + (part * hp + m * 16) * p.dv + nt * 16, o[j][m], p.dv,
                                        wmma::mem_row_major);
    }
    for (int i = threadIdx.x; i < hp; i += kThreads) {
        p.mPart[part * hp + i] = rowM[i];
        p.lPart[part * hp + i] = rowL[i];
    }
}

__global__ void decodeReduceKernel(DecodeLaunch p) {
    const int heads = p.groups * p.rep;
    const int b = blockIdx.x / heads, h = blockIdx.x % heads, g = h / p.rep, r = h % p.rep;
    const int64_t first = (int64_t(b) * p.groups + g) * p.splits;
    float M = -FLT_MAX;
    for (int s = 0; s < p.splits; ++s)
        M = fmaxf(M, p.mPart[(first + s) * p.paddedHeads + r]);
    float L = 0.f;
    for (int s = 0; s < p.splits; ++s)
        L += __expf(p.mPart[(first + s) * p.paddedHeads + r] - M) * p.lPart[(first + s) * p.paddedHeads + r];
    bf16* out = static_cast<bf16*>(p.out) + (int64_t(b) * heads + h) * p.dv;
    for (int d = threadIdx.x; d < p.dv; d += blockDim.x) {
        float acc = 0.f;
        for (int s = 0; s < p.splits; ++s) {
            const int64_t i = (first + s) * p.paddedHeads + r;
            acc += __expf(p.mPart[i] - M) * p.oPart[i * p.dv + d];
        }
        out[d] = __float2bfloat16(L > 0.f ? acc / L : 0.f);
    }
}

} // namespace

int64_t decodeSharedBytes(int paddedHeads, int dk, int dv, bool sharedValues) {
    if (paddedHeads % 16 || paddedHeads > 16 * kDecodeMaxMTiles || dk % 16 || dv % 16 ||
        dv > 16 * kWarps * kDecodeMaxNTiles || (sharedValues && dv > dk))
        return 0;
    const int total = Layout(paddedHeads, dk, dv, sharedValues).total;
    return total <= 227 * 1024 ? total : 0; // the most one block may take on sm_80 / sm_90
}

namespace {

// Lets the split kernel take `bytes` of shared memory (raised once per size, not per call: a captured
// step replays without host calls anyway). Returns a CUDA error string, or nullptr.
const char* allowSharedBytes(int bytes) {
    static int allowed = 0;
    if (bytes <= allowed) return nullptr;
    const cudaError_t e =
        cudaFuncSetAttribute(decodeSplitKernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);
    if (e != cudaSuccess) return cudaGetErrorString(e);
    allowed = bytes;
    return nullptr;
}

} // namespace

int decodeBlocksPerMultiprocessor(int paddedHeads, int dk, int dv, bool sharedValues) {
    const int bytes = int(decodeSharedBytes(paddedHeads, dk, dv, sharedValues));
    if (bytes == 0 || allowSharedBytes(bytes)) return 1;
    static int lastBytes = -1, lastBlocks = 1;
    if (bytes != lastBytes) {
        int n = 0;
        if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, decodeSplitKernel, kThreads, bytes) !=
            cudaSuccess)
            n = 1;
        lastBytes = bytes;
        lastBlocks = n > 0 ? n : 1;
    }
    return lastBlocks;
}

const char* launchDecodeAttention(const DecodeLaunch& p, void* stream) {
    const int bytes = int(decodeSharedBytes(p.paddedHeads, p.dk, p.dv, p.v == p.k));
    if (bytes == 0) return "decode attention: unsupported shape";
    if (const char* err = allowSharedBytes(bytes)) return err;
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    decodeSplitKernel<<<dim3(unsigned(p.batch * p.groups), unsigned(p.splits)), kThreads, bytes, s>>>(p);
    decodeReduceKernel<<<unsigned(p.batch * p.groups * p.rep), 128, 0, s>>>(p);
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

} // namespace transmla::kernels
