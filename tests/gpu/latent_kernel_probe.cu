// The decode attention kernels alone, without LibTorch: a probe for iterating on them where device time is
// short (nvcc builds it in ~15 s, the project in ~60 s). MLA shapes (heads, Dk = r + r_R, Dv = r): random
// bf16 queries and cache, NaN in the rows past each length, the kernel's output against an fp32 reference
// computed on the GPU (max |error| <= 2e-2 * max |reference|, as tst_decode_attention_gpu), and for the large
// shapes the kernel's time (CUDA events, 200 calls; launched one by one, then as one CUDA graph of the 200)
// against a device-to-device copy of the same bytes (also both ways).
//   nvcc -arch=sm_90a -std=c++17 -O3 --use_fast_math -DTRANSMLA_DECODE_WGMMA -Icore \
//        tests/gpu/latent_kernel_probe.cu core/kernels/decode_attention.cu -o /tmp/probe
//   TRANSMLA_DECODE_WGMMA=1 /tmp/probe      the latent kernel (=0 or unset: the Wide kernel)
//   TRANSMLA_DECODE_MIN_TILES=2 /tmp/probe  splits of at least two tiles (decodeMinTiles, as the library)
//   PROBE_ONLY=1x4096 /tmp/probe            one shape (batch x capacity) only
//   PROBE_EMPTY_SPLITS=1 /tmp/probe         splits as before decodeSplitTiles (an empty last one at 32K x 4)
//   /tmp/probe stream                       plain streaming reads of the same bytes by 128..4096 CTAs
//   -DTRANSMLA_DECODE_PHASES (both files)   also where one timed launch's time goes, phase by phase
#include "kernels/decode_attention_launch.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <functional>
#include <random>
#include <string>
#include <vector>
using namespace transmla::kernels;
#define CK(x)                                                                                                \
    do {                                                                                                     \
        cudaError_t e = (x);                                                                                 \
        if (e != cudaSuccess) {                                                                              \
            printf("CUDA %s at %d\n", cudaGetErrorString(e), __LINE__);                                      \
            exit(1);                                                                                         \
        }                                                                                                    \
    } while (0)

__global__ void refKernel(const __nv_bfloat16* q, const __nv_bfloat16* k, const int* lens, int H, int G,
                          int dk, int dv, int cap, float scale, float* scores, float* out, bool mla,
                          const __nv_bfloat16* v) {
    int b = blockIdx.x / H, h = blockIdx.x % H, g = h / (H / G), L = lens[b];
    const __nv_bfloat16* qh = q + ((size_t)b * H + h) * dk;
    float* sc = scores + ((size_t)b * H + h) * cap;
    const __nv_bfloat16* kb = k + (((size_t)b * G + g) * cap) * dk;
    for (int t = threadIdx.x; t < L; t += blockDim.x) {
        float acc = 0;
        for (int d = 0; d < dk; ++d)
            acc += __bfloat162float(qh[d]) * __bfloat162float(kb[(size_t)t * dk + d]);
        sc[t] = acc * scale;
    }
    __syncthreads();
    __shared__ float mx, sum;
    if (threadIdx.x == 0) {
        mx = -1e30f;
        for (int t = 0; t < L; ++t)
            mx = fmaxf(mx, sc[t]);
        sum = 0;
        for (int t = 0; t < L; ++t)
            sum += expf(sc[t] - mx);
    }
    __syncthreads();
    for (int d = threadIdx.x; d < dv; d += blockDim.x) {
        float acc = 0;
        for (int t = 0; t < L; ++t) {
            float val = mla ? __bfloat162float(kb[(size_t)t * dk + d])
                            : __bfloat162float(v[(((size_t)b * G + g) * cap + t) * dv + d]);
            acc += expf(sc[t] - mx) * val;
        }
        out[((size_t)b * H + h) * dv + d] = acc / sum;
    }
}

__global__ void streamKernel(const uint4* src, size_t chunkU4, int chunksPerCta, int interleave,
                             unsigned* sink) {
    // CTA c reads chunks: contiguous: c*chunksPerCta + i; interleaved: c + i*gridDim.x
    uint4 acc = make_uint4(0, 0, 0, 0);
    for (int i = 0; i < chunksPerCta; ++i) {
        size_t chunk =
            interleave ? (size_t)blockIdx.x + (size_t)i * gridDim.x : (size_t)blockIdx.x * chunksPerCta + i;
        const uint4* s = src + chunk * chunkU4;
#pragma unroll 4
        for (size_t j = threadIdx.x; j < chunkU4; j += blockDim.x) {
            uint4 v = __ldcg(s + j);
            acc.x ^= v.x;
            acc.y ^= v.y;
            acc.z ^= v.z;
            acc.w ^= v.w;
        }
    }
    if ((acc.x ^ acc.y ^ acc.z ^ acc.w) == 0x12345678u) sink[0] = 1;
}
// Microseconds per call of `enqueue` (one call on the given stream): launched one by one on the default
// stream, n calls after five of warm-up.
static double eagerMicroseconds(const std::function<void(cudaStream_t)>& enqueue, int n) {
    for (int i = 0; i < 5; ++i)
        enqueue(nullptr);
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    CK(cudaEventRecord(e0));
    for (int i = 0; i < n; ++i)
        enqueue(nullptr);
    CK(cudaEventRecord(e1));
    CK(cudaEventSynchronize(e1));
    float ms = 0;
    CK(cudaEventElapsedTime(&ms, e0, e1));
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    return ms * 1000 / n;
}
// The same from one CUDA graph of n calls, replayed once after a warm-up replay.
static double graphMicroseconds(const std::function<void(cudaStream_t)>& enqueue, int n) {
    cudaStream_t s;
    CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal));
    for (int i = 0; i < n; ++i)
        enqueue(s);
    CK(cudaStreamEndCapture(s, &graph));
    CK(cudaGraphInstantiate(&exec, graph, 0));
    CK(cudaGraphLaunch(exec, s));
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    CK(cudaEventRecord(e0, s));
    CK(cudaGraphLaunch(exec, s));
    CK(cudaEventRecord(e1, s));
    CK(cudaEventSynchronize(e1));
    float ms = 0;
    CK(cudaEventElapsedTime(&ms, e0, e1));
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    CK(cudaGraphExecDestroy(exec));
    CK(cudaGraphDestroy(graph));
    CK(cudaStreamDestroy(s));
    return ms * 1000 / n;
}

#ifdef TRANSMLA_DECODE_PHASES
// One launch's phases (decode_attention_launch.h), in microseconds from the first block's start: when the
// blocks start, how long each phase takes (mean / max over the blocks), when the last one ends, and the
// reduction's start, weights and end (where the latent kernel reduces its own splits, decodeFusedReduction:
// the end of each block's wait for its sequence, of its first pass over the splits (it loads no weights), and
// of its reduction).
static void printPhases(const DecodeLaunch& p) {
    static unsigned long long split[kPhaseBlocks][kSplitPhases], reduce[kPhaseBlocks][kReducePhases];
    CK(cudaDeviceSynchronize());
    decodePhases(&split[0][0], &reduce[0][0]); // clears the earlier launches' stamps
    launchDecodeAttention(p, nullptr);
    CK(cudaDeviceSynchronize());
    if (const char* err = decodePhases(&split[0][0], &reduce[0][0])) {
        printf("%s\n", err);
        return;
    }
    const int n = std::min(kPhaseBlocks, p.batch * p.groups * p.splits);
    int nr = 0; // the reduction's blocks (heads x column slices) that ran
    while (nr < kPhaseBlocks && reduce[nr][0])
        ++nr;
    unsigned long long t0 = ~0ull;
    for (int i = 0; i < n; ++i)
        t0 = std::min(t0, split[i][0]);
    const auto us = [&](unsigned long long t) { return (double(t) - double(t0)) / 1e3; };
    double startMax = 0, endMax = 0, endOutMax = 0, pvMax = 0, sum[kSplitPhases] = {}, mx[kSplitPhases] = {};
    for (int i = 0; i < n; ++i) {
        startMax = std::max(startMax, us(split[i][0]));
        endMax = std::max(endMax, us(split[i][4]));
        if (split[i][5]) endOutMax = std::max(endOutMax, us(split[i][5]));
        if (split[i][6]) pvMax = std::max(pvMax, us(split[i][6]));
        for (int k = 1; k < 5; ++k) {
            const double d = split[i][k] && split[i][k - 1]
                                 ? (double(split[i][k]) - double(split[i][k - 1])) / 1e3
                                 : 0.0; // a split without tiles skips phase 2
            sum[k] += d;
            mx[k] = std::max(mx[k], d);
        }
    }
    double rStart = 1e30, rStartMax = 0, rWeights = 0, rEnd = 0;
    for (int i = 0; i < nr; ++i) {
        rStart = std::min(rStart, us(reduce[i][0]));
        rStartMax = std::max(rStartMax, us(reduce[i][0]));
        rWeights = std::max(rWeights, us(reduce[i][1]));
        rEnd = std::max(rEnd, us(reduce[i][2]));
    }
    printf("  phases (us, %d blocks, reduction %d): last block starts %.2f | set-up %.2f / %.2f | "
           "first tile %.2f / %.2f | tiles %.2f / %.2f | partials %.2f / %.2f | last block ends %.2f "
           "(output side: products %.2f, stored %.2f) | reduction starts %.2f (last %.2f), "
           "weights (own reduction: first pass combined) by %.2f, ends %.2f\n",
           n, nr, startMax, sum[1] / n, mx[1], sum[2] / n, mx[2], sum[3] / n, mx[3], sum[4] / n, mx[4],
           endMax, pvMax, endOutMax, rStart, rStartMax, rWeights, rEnd);
}
#endif

static void streamTests() {
    size_t bytes = (size_t)16 * 16384 * 576 * 2;
    uint4* src;
    unsigned* sink;
    CK(cudaMalloc(&src, bytes));
    CK(cudaMalloc(&sink, 4));
    CK(cudaMemset(src, 1, bytes));
    size_t chunk = 64 * 576 * 2;
    size_t chunks = bytes / chunk; // 4096 tiles
    struct V {
        int ctas, threads, inter;
    };
    V vs[] = {{128, 128, 0}, {128, 128, 1},  {128, 256, 0},  {128, 256, 1},    {256, 256, 0},
              {256, 256, 1}, {1024, 256, 0}, {4096, 256, 0}, {132 * 4, 256, 1}};
    for (V v : vs) {
        int per = (int)(chunks / v.ctas);
        cudaEvent_t e0, e1;
        cudaEventCreate(&e0);
        cudaEventCreate(&e1);
        streamKernel<<<v.ctas, v.threads>>>(src, chunk / 16, per, v.inter, sink);
        cudaEventRecord(e0);
        for (int r = 0; r < 20; ++r)
            streamKernel<<<v.ctas, v.threads>>>(src, chunk / 16, per, v.inter, sink);
        cudaEventRecord(e1);
        CK(cudaEventSynchronize(e1));
        float ms;
        cudaEventElapsedTime(&ms, e0, e1);
        printf("stream read: %d CTAs x %d threads, %s: %.1f us, %.0f GB/s\n", v.ctas, v.threads,
               v.inter ? "interleaved tiles" : "contiguous", ms * 1000 / 20,
               (double)per * v.ctas * chunk / (ms * 1e-3 / 20) / 1e9);
    }
    cudaFree(src);
    cudaFree(sink);
}

int main(int argc, char** argv) {
    int dev;
    CK(cudaGetDevice(&dev));
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, dev));
    if (argc > 1 && std::string(argv[1]) == "stream") {
        streamTests();
        return 0;
    }
    struct C {
        int H, dk, dv, B, cap;
        int lenDelta;
        bool time;
    };
    std::vector<C> cases = {{32, 576, 512, 1, 4096, 0, true},    {32, 576, 512, 1, 16384, 0, true},
                            {32, 576, 512, 16, 16384, 0, true},  {32, 576, 512, 4, 32768, 0, true},
                            {32, 576, 512, 3, 1000, -37, false}, {28, 576, 512, 2, 777, -5, false},
                            {16, 320, 256, 3, 300, -1, false},   {8, 576, 512, 2, 130, -63, false},
                            {32, 576, 512, 5, 65, -64, false},   {32, 192, 128, 2, 500, -11, false},
                            {28, 576, 512, 16, 16384, 0, true}};
    // PROBE_ONLY=BxCAP: that one MLA shape (32 heads, r 512, r_R 64), timed.
    if (const char* only = getenv("PROBE_ONLY")) {
        int B = 0, cap = 0;
        if (sscanf(only, "%dx%d", &B, &cap) == 2 && B > 0 && cap > 0)
            cases = {{32, 576, 512, B, cap, 0, true}};
    }
    int fails = 0;
    for (const C& c : cases) {
        const int H = c.H, G = 1, dk = c.dk, dv = c.dv, B = c.B, cap = c.cap;
        std::vector<int> lens(B);
        for (int b = 0; b < B; ++b)
            lens[b] = std::max(1, cap + c.lenDelta - (c.lenDelta ? 13 * b : 0));
        size_t nq = (size_t)B * H * dk, nk = (size_t)B * cap * dk;
        std::vector<__nv_bfloat16> hq(nq), hk(nk);
        std::mt19937 rng(1);
        std::normal_distribution<float> nd(0, 1);
        for (auto& x : hq)
            x = __float2bfloat16(nd(rng));
        for (int b = 0; b < B; ++b)
            for (int t = 0; t < cap; ++t)
                for (int d = 0; d < dk; ++d)
                    hk[((size_t)b * cap + t) * dk + d] = __float2bfloat16(t < lens[b] ? nd(rng) : NAN);
        __nv_bfloat16 *q, *k, *out;
        int* dl;
        float *sc, *ref;
        CK(cudaMalloc(&q, nq * 2));
        CK(cudaMalloc(&k, nk * 2));
        CK(cudaMalloc(&out, (size_t)B * H * dv * 2));
        CK(cudaMalloc(&dl, B * 4));
        CK(cudaMalloc(&sc, (size_t)B * H * cap * 4));
        CK(cudaMalloc(&ref, (size_t)B * H * dv * 4));
        CK(cudaMemcpy(q, hq.data(), nq * 2, cudaMemcpyHostToDevice));
        CK(cudaMemcpy(k, hk.data(), nk * 2, cudaMemcpyHostToDevice));
        CK(cudaMemcpy(dl, lens.data(), B * 4, cudaMemcpyHostToDevice));
        const int hp = (H + 15) / 16 * 16;
        const int blocks = decodeBlocksPerMultiprocessor(hp, dk, dv, true);
        // PROBE_EMPTY_SPLITS=1: the splits as before decodeSplitTiles (an empty last split at 32K x 4).
        const int wave = int(decodeSplits(cap, B * G, prop.multiProcessorCount, blocks, decodeMinTiles()));
        const auto [nonEmpty, perSplit] = decodeSplitTiles(cap, wave);
        const bool keepEmpty = getenv("PROBE_EMPTY_SPLITS") && atoi(getenv("PROBE_EMPTY_SPLITS"));
        const int splits = keepEmpty ? wave : int(nonEmpty);
        float *oPart, *mPart, *lPart;
        CK(cudaMalloc(&oPart, (size_t)B * G * splits * hp * dv * 4));
        CK(cudaMalloc(&mPart, (size_t)B * G * splits * hp * 4));
        CK(cudaMalloc(&lPart, (size_t)B * G * splits * hp * 4));
        DecodeLaunch p{};
        p.q = q;
        p.k = k;
        p.v = k;
        p.kBatchStride = (int64_t)cap * dk;
        p.kGroupStride = (int64_t)cap * dk;
        p.kRowStride = dk;
        p.vBatchStride = p.kBatchStride;
        p.vGroupStride = p.kGroupStride;
        p.vRowStride = dk;
        p.lengths = dl;
        p.batch = B;
        p.groups = G;
        p.rep = H;
        p.paddedHeads = hp;
        p.dk = dk;
        p.dv = dv;
        p.capacity = cap;
        p.splits = splits;
        p.tilesPerSplit = int(perSplit);
        p.scale = 1.0f / sqrtf(192.f);
        p.oPart = oPart;
        p.mPart = mPart;
        p.lPart = lPart;
        p.out = out;
        const char* err = launchDecodeAttention(p, nullptr);
        if (err) {
            printf("launch error: %s\n", err);
            return 1;
        }
        CK(cudaDeviceSynchronize());
        refKernel<<<B * H, 256>>>(q, k, dl, H, G, dk, dv, cap, p.scale, sc, ref, true, nullptr);
        CK(cudaDeviceSynchronize());
        std::vector<__nv_bfloat16> ho((size_t)B * H * dv);
        std::vector<float> hr((size_t)B * H * dv);
        CK(cudaMemcpy(ho.data(), out, ho.size() * 2, cudaMemcpyDeviceToHost));
        CK(cudaMemcpy(hr.data(), ref, hr.size() * 4, cudaMemcpyDeviceToHost));
        double maxErr = 0, maxRef = 0;
        for (size_t i = 0; i < hr.size(); ++i) {
            double e = fabs((double)__bfloat162float(ho[i]) - hr[i]);
            if (!(e == e)) e = 1e9;
            maxErr = std::max(maxErr, e);
            maxRef = std::max(maxRef, (double)fabs(hr[i]));
        }
        double rel = maxErr / std::max(1e-12, maxRef);
        bool ok = rel <= 2e-2;
        fails += !ok;
        printf("%s H %d dk %d dv %d B %d cap %d len0 %d splits %d: rel err %.2e", ok ? "PASS" : "FAIL", H, dk,
               dv, B, cap, lens[0], splits, rel);
        if (c.time) {
            const int N = 200;
            const auto kernel = [&](cudaStream_t s) { launchDecodeAttention(p, s); };
            const double us = eagerMicroseconds(kernel, N);
            // The same N launches as one CUDA graph (as the decode step replays them): no host launch path
            // between them.
            const double graphUs = graphMicroseconds(kernel, N);
            size_t bytes = (size_t)B * cap * dk * 2;
            __nv_bfloat16* dst;
            CK(cudaMalloc(&dst, bytes));
            const auto copy = [&](cudaStream_t s) {
                cudaMemcpyAsync(dst, k, bytes, cudaMemcpyDeviceToDevice, s);
            };
            const double copyGBs = 2.0 * bytes / (eagerMicroseconds(copy, N) * 1e-6) / 1e9;
            const double graphCopyGBs = 2.0 * bytes / (graphMicroseconds(copy, N) * 1e-6) / 1e9;
            double gbs = bytes / (us * 1e-6) / 1e9;
            printf(" | kernel %.1f us, %.0f GB/s, copy %.0f GB/s, %.0f%% of copy"
                   " | in graphs: kernel %.1f us, copy %.0f GB/s, %.0f%%",
                   us, gbs, copyGBs, 100 * gbs / copyGBs, graphUs, graphCopyGBs,
                   100 * bytes / (graphUs * 1e-6) / 1e9 / std::max(copyGBs, graphCopyGBs));
            cudaFree(dst);
        }
        printf("\n");
#ifdef TRANSMLA_DECODE_PHASES
        if (c.time) printPhases(p);
#endif
        cudaFree(q);
        cudaFree(k);
        cudaFree(out);
        cudaFree(dl);
        cudaFree(sc);
        cudaFree(ref);
        cudaFree(oPart);
        cudaFree(mPart);
        cudaFree(lPart);
    }
    printf("failures: %d\n", fails);
    return fails ? 1 : 0;
}
