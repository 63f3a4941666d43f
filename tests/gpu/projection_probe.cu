// The decode reduction with the output projection in one launch (decodeProjection) against the reduction
// followed by cuBLAS's product (what at::linear runs), without LibTorch: batch-1 launches of the Llama-3-8B
// shape (GQA: 32 heads in 8 groups of 128; MLA: 32 heads over 576-wide latent rows, the absorbed output to
// 128 per head) over 4,097 positions, then the 4096 x 4096 o_proj. CUDA graphs of 40 steps, each over its own
// weight copy (800 MB of copies: none stays in L2, as in a decoding step where 32 layers' weights pass), us
// per step for: the split kernel + reduction alone; + cuBLAS; the fused launch (weights asked into L2 early,
// and not). Correctness: the fused result against the reduction + cuBLAS (max |diff| / max |value|).
//   nvcc -arch=sm_90a -std=c++17 -O3 --use_fast_math -DTRANSMLA_DECODE_WGMMA -Icore \
//        tests/gpu/projection_probe.cu core/kernels/decode_attention.cu -lcublas -o /tmp/projection_probe
//   add -DTRANSMLA_DECODE_PHASES for when the fused launch's blocks pass its phases (one launch, alone);
//   TRANSMLA_PROJECT_STAGE=N stages at most N weight rows per block in shared memory (default: what fits)
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "kernels/decode_attention_launch.h"

using namespace transmla::kernels;
using bf16 = __nv_bfloat16;

#define CK(x)                                                                                                \
    do {                                                                                                     \
        cudaError_t e = (x);                                                                                 \
        if (e != cudaSuccess) {                                                                              \
            printf("CUDA %s at %d\n", cudaGetErrorString(e), __LINE__);                                      \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

__global__ void fill(bf16* p, size_t n, unsigned seed, float scale) {
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
         i += size_t(gridDim.x) * blockDim.x) {
        unsigned h = unsigned(i) * 2654435761u ^ seed * 40503u ^ unsigned(i >> 32);
        h ^= h >> 13;
        h *= 0x5bd1e995u;
        h ^= h >> 15;
        p[i] = __float2bfloat16(scale * (float(h & 0xffff) / 32768.f - 1.f));
    }
}

template <class T> T* alloc(size_t n) {
    T* p = nullptr;
    CK(cudaMalloc(&p, n * sizeof(T)));
    return p;
}

int main() {
    decodeProjection() = true; // off by default in the library
    int sms = 0;
    CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    cudaStream_t stream;
    CK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    cublasHandle_t handle;
    cublasCreate(&handle);
    cublasSetStream(handle, stream);
    void* workspace = alloc<char>(32 << 20);
    cublasSetWorkspace(handle, workspace, 32 << 20);
    const int N = 4096, copies = 24, cap = 4160, len = 4097;
    std::vector<bf16*> w(copies);
    for (int c = 0; c < copies; ++c) {
        w[c] = alloc<bf16>(size_t(N) * 4096);
        fill<<<1024, 256, 0, stream>>>(w[c], size_t(N) * 4096, 100 + c, 0.02f);
    }
    for (const bool mla : {false, true}) {
        const int H = 32, G = mla ? 1 : 8, dk = mla ? 576 : 128, dv = mla ? 512 : 128, dOut = 128;
        const int hp = ((H / G) + 15) / 16 * 16, K = H * (mla ? dOut : dv);
        bf16* q = alloc<bf16>(size_t(H) * dk);
        bf16* k = alloc<bf16>(size_t(G) * cap * dk);
        bf16* v = mla ? k : alloc<bf16>(size_t(G) * cap * dv);
        bf16* wUV = mla ? alloc<bf16>(size_t(8) * dOut * dv) : nullptr;
        fill<<<64, 256, 0, stream>>>(q, size_t(H) * dk, 1, 1.f);
        fill<<<1024, 256, 0, stream>>>(k, size_t(G) * cap * dk, 2, 1.f);
        if (!mla) fill<<<1024, 256, 0, stream>>>(v, size_t(G) * cap * dv, 3, 1.f);
        if (mla) fill<<<64, 256, 0, stream>>>(wUV, size_t(8) * dOut * dv, 4, 0.05f);
        int32_t* lengths = alloc<int32_t>(1);
        CK(cudaMemcpy(lengths, &len, 4, cudaMemcpyHostToDevice));
        const int bps = decodeBlocksPerMultiprocessor(hp, dk, dv, mla);
        const auto [splits, tiles] = decodeSplitTiles(cap, decodeSplits(cap, G, sms, bps, decodeMinTiles()));
        DecodeLaunch p{};
        p.q = q;
        p.k = k;
        p.v = v;
        p.kBatchStride = int64_t(G) * cap * dk;
        p.kGroupStride = int64_t(cap) * dk;
        p.kRowStride = dk;
        p.vBatchStride = mla ? p.kBatchStride : int64_t(G) * cap * dv;
        p.vGroupStride = mla ? p.kGroupStride : int64_t(cap) * dv;
        p.vRowStride = mla ? dk : dv;
        p.lengths = lengths;
        p.batch = 1;
        p.groups = G;
        p.rep = H / G;
        p.paddedHeads = hp;
        p.dk = dk;
        p.dv = dv;
        p.capacity = cap;
        p.splits = int(splits);
        p.tilesPerSplit = int(tiles);
        p.scale = 1.f / sqrtf(mla ? 192.f : float(dk));
        p.oPart = alloc<float>(size_t(G) * splits * hp * dv);
        p.mPart = alloc<float>(size_t(G) * splits * hp);
        p.lPart = alloc<float>(size_t(G) * splits * hp);
        bf16* out = alloc<bf16>(size_t(K));
        p.out = out;
        if (mla) {
            p.wOut = wUV;
            p.wHeadStride = int64_t(dOut) * dv;
            p.wRowStride = dv;
            p.wRep = 4;
            p.dOut = dOut;
            p.outPart = alloc<float>(size_t(H) * 4 * dOut);
        }
        bf16* y = alloc<bf16>(N);
        bf16* proj = alloc<bf16>(N);
        if (!decodeProjectionApplies(p, N)) {
            printf("%s: the projection does not apply\n", mla ? "MLA" : "GQA");
            return 1;
        }
        DecodeLaunch pp = p;
        pp.wProj = w[0];
        pp.projRowStride = 4096;
        pp.projRows = N;
        pp.proj = proj;
        // Correctness: fused vs reduction + cuBLAS.
        const float one = 1.f, zero = 0.f;
        auto gemv = [&](const bf16* wi) {
            cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, N, 1, K, &one, wi, CUDA_R_16BF, K, out,
                         CUDA_R_16BF, K, &zero, y, CUDA_R_16BF, N, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
        };
        if (const char* e = launchDecodeAttention(p, stream)) printf("launch: %s\n", e);
        gemv(w[0]);
        if (const char* e = launchDecodeAttention(pp, stream)) printf("launch (projected): %s\n", e);
        CK(cudaStreamSynchronize(stream));
        std::vector<bf16> a(N), b(N);
        CK(cudaMemcpy(a.data(), y, N * 2, cudaMemcpyDeviceToHost));
        CK(cudaMemcpy(b.data(), proj, N * 2, cudaMemcpyDeviceToHost));
        double diff = 0, mag = 0;
        for (int i = 0; i < N; ++i) {
            diff = std::max(diff, std::fabs(double(__bfloat162float(a[i])) - __bfloat162float(b[i])));
            mag = std::max(mag, std::fabs(double(__bfloat162float(a[i]))));
        }
        printf("%s batch 1, %d positions, %d splits: fused vs reduction + cuBLAS %.2e\n", mla ? "MLA" : "GQA",
               len, int(splits), diff / mag);
        // which: 0 split + reduction, 1 + cuBLAS, 2 fused, 3 cuBLAS alone
        const char* names[] = {"split + reduction", "split + reduction + cuBLAS", "split + fused",
                               "cuBLAS alone"};
        for (int which = 0; which < 4; ++which) {
            cudaGraph_t graph;
            cudaGraphExec_t exec;
            CK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
            for (int i = 0; i < 40; ++i) {
                DecodeLaunch pi = pp;
                pi.wProj = w[i % copies];
                if (which == 2)
                    launchDecodeAttention(pi, stream);
                else if (which < 2)
                    launchDecodeAttention(p, stream);
                if (which == 1 || which == 3) gemv(w[i % copies]);
            }
            CK(cudaStreamEndCapture(stream, &graph));
            CK(cudaGraphInstantiate(&exec, graph, 0));
            CK(cudaGraphLaunch(exec, stream));
            cudaEvent_t e0, e1;
            CK(cudaEventCreate(&e0));
            CK(cudaEventCreate(&e1));
            CK(cudaEventRecord(e0, stream));
            for (int r = 0; r < 5; ++r)
                CK(cudaGraphLaunch(exec, stream));
            CK(cudaEventRecord(e1, stream));
            CK(cudaEventSynchronize(e1));
            float ms = 0;
            CK(cudaEventElapsedTime(&ms, e0, e1));
            printf("  %-28s %7.2f us per step\n", names[which], ms * 1000.0 / 200);
            CK(cudaGraphExecDestroy(exec));
            CK(cudaGraphDestroy(graph));
        }
#ifdef TRANSMLA_DECODE_PHASES
        static unsigned long long split[kPhaseBlocks][kSplitPhases], reduce[kPhaseBlocks][kReducePhases];
        for (int round = 0; round < 3; ++round) {
            CK(cudaStreamSynchronize(stream));
            decodePhases(&split[0][0], &reduce[0][0]);
            pp.wProj = w[(round + 5) % copies];
            launchDecodeAttention(pp, stream);
            CK(cudaStreamSynchronize(stream));
            decodePhases(&split[0][0], &reduce[0][0]);
            unsigned long long s0 = ~0ull, r0 = ~0ull;
            for (int i = 0; i < G * int(splits); ++i)
                s0 = std::min(s0, split[i][0]);
            double mx[kReducePhases] = {}, mn[kReducePhases];
            std::fill(mn, mn + kReducePhases, 1e30);
            for (int i = 0; i < sms; ++i)
                r0 = std::min(r0, reduce[i][0]);
            for (int i = 0; i < sms; ++i)
                for (int k2 = 0; k2 < kReducePhases; ++k2)
                    if (reduce[i][k2]) {
                        const double t = (double(reduce[i][k2]) - double(s0)) / 1e3;
                        mx[k2] = std::max(mx[k2], t);
                        mn[k2] = std::min(mn[k2], t);
                    }
            printf(
                "  phases from the split kernel's first block (us, first / last block): fused starts %.2f / "
                "%.2f, output staged %.2f / %.2f, first row %.2f / %.2f, past the barrier %.2f / %.2f, rows "
                "stored %.2f / %.2f, staged rows landed %.2f / %.2f\n",
                mn[0], mx[0], mn[1], mx[1], mn[2], mx[2], mn[3], mx[3], mn[4], mx[4], mn[5], mx[5]);
        }
#endif
    }
    return 0;
}
