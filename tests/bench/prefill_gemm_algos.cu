// Issue 17, prefill of 16K x 16 (Llama-3-8B shape, bf16, one H200): do cuBLASLt's other algorithms run the
// prompt's products faster than the one its heuristic (and PyTorch) takes, once the board sits at its power
// cap?
//
// For each linear layer of one prompt layer over all 262,144 rows (y = x . W^T, bf16 in and out, fp32
// accumulation), asks cuBLASLt's heuristic for up to 32 algorithms and times each, sustained: rounds in which
// every algorithm runs back to back for ROUND_S seconds (CUDA events), so each sees the same clocks and
// power; the table gives each algorithm's best and median round against the heuristic's first choice. Every
// algorithm's output is compared with the first one's (max |difference| relative to max |y|), so a faster one
// is also right. The row "GemmEx" is cublasGemmEx with the default algorithm, what PyTorch's at::mm calls for
// bf16, timed in the same rounds.
//   nvcc -arch=sm_90a -std=c++17 -O2 tests/bench/prefill_gemm_algos.cu -lcublasLt -lcublas -o /tmp/gemm_algos
//   /tmp/gemm_algos [ROWS] [ROUNDS] [ROUND_S]
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#define CHECK_CUDA(x)                                                                                        \
    do {                                                                                                     \
        cudaError_t e_ = (x);                                                                                \
        if (e_ != cudaSuccess) {                                                                             \
            std::fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_));          \
            std::exit(1);                                                                                    \
        }                                                                                                    \
    } while (0)
#define CHECK_LT(x)                                                                                          \
    do {                                                                                                     \
        cublasStatus_t s_ = (x);                                                                             \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                                                   \
            std::fprintf(stderr, "%s:%d %s: status %d\n", __FILE__, __LINE__, #x, int(s_));                  \
            std::exit(1);                                                                                    \
        }                                                                                                    \
    } while (0)

namespace {

struct Shape {
    const char* name;
    int n, k;
};

__global__ void fillKernel(__nv_bfloat16* p, size_t count, unsigned seed) {
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < count;
         i += size_t(gridDim.x) * blockDim.x) {
        unsigned h = unsigned(i) * 2654435761u ^ seed;
        h ^= h >> 13;
        h *= 0x5bd1e995u;
        h ^= h >> 15;
        p[i] = __float2bfloat16((float(h & 0xffff) / 65535.f - 0.5f) * 0.1f);
    }
}

// max |a - b| / max |b| over count bf16 values, on the device
__global__ void diffKernel(const __nv_bfloat16* a, const __nv_bfloat16* b, size_t count, float* out) {
    float d = 0.f, m = 0.f;
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < count;
         i += size_t(gridDim.x) * blockDim.x) {
        const float x = __bfloat162float(a[i]), y = __bfloat162float(b[i]);
        d = fmaxf(d, fabsf(x - y));
        m = fmaxf(m, fabsf(y));
    }
    atomicMax(reinterpret_cast<int*>(out), __float_as_int(d)); // non-negative floats order as ints
    atomicMax(reinterpret_cast<int*>(out) + 1, __float_as_int(m));
}

std::string describe(const cublasLtMatmulAlgo_t& algo) {
    int id = 0, tile = 0, stages = 0, splitK = 0, swizzle = 0, cluster = 0;
    size_t w = 0;
    cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_ID, &id, sizeof id, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_TILE_ID, &tile, sizeof tile, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_STAGES_ID, &stages, sizeof stages, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, &splitK, sizeof splitK, &w);
    cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING, &swizzle, sizeof swizzle,
                                         &w);
    cublasLtMatmulAlgoConfigGetAttribute(&algo, CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID, &cluster,
                                         sizeof cluster, &w);
    char buf[128];
    std::snprintf(buf, sizeof buf, "algo %d tile %d stages %d splitK %d swizzle %d cluster %d", id, tile,
                  stages, splitK, swizzle, cluster);
    return buf;
}

} // namespace

int main(int argc, char** argv) {
    const int rows = argc > 1 ? std::atoi(argv[1]) : 16 * 16384;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    const double roundS = argc > 3 ? std::atof(argv[3]) : 0.4;
    const Shape shapes[] = {
        {"GQA q|k|v 4096 -> 6144", 6144, 4096},         {"MLA q_nope|kv_a 4096 -> 4672", 4672, 4096},
        {"MLA kv_b (8 groups) 512 -> 2048", 2048, 512}, {"o_proj 4096 -> 4096", 4096, 4096},
        {"gate|up 4096 -> 28672", 28672, 4096},         {"down 14336 -> 4096", 4096, 14336}};
    int maxN = 0, maxK = 0;
    for (const Shape& s : shapes)
        maxN = std::max(maxN, s.n), maxK = std::max(maxK, s.k);

    __nv_bfloat16 *x, *w, *y, *ref;
    float* diff;
    const size_t wsBytes = size_t(64) << 20;
    void* ws;
    CHECK_CUDA(cudaMalloc(&x, size_t(rows) * maxK * 2));
    CHECK_CUDA(cudaMalloc(&w, size_t(maxN) * maxK * 2));
    CHECK_CUDA(cudaMalloc(&y, size_t(rows) * maxN * 2));
    CHECK_CUDA(cudaMalloc(&ref, size_t(rows) * maxN * 2));
    CHECK_CUDA(cudaMalloc(&diff, 2 * sizeof(float)));
    CHECK_CUDA(cudaMalloc(&ws, wsBytes));
    fillKernel<<<1024, 256>>>(x, size_t(rows) * maxK, 1u);
    fillKernel<<<1024, 256>>>(w, size_t(maxN) * maxK, 2u);
    CHECK_CUDA(cudaDeviceSynchronize());

    cublasLtHandle_t lt;
    CHECK_LT(cublasLtCreate(&lt));
    cublasHandle_t blas;
    CHECK_LT(cublasCreate(&blas));
    CHECK_LT(cublasSetWorkspace(blas, ws, wsBytes));
    cudaEvent_t e0, e1;
    CHECK_CUDA(cudaEventCreate(&e0));
    CHECK_CUDA(cudaEventCreate(&e1));
    std::printf("rows %d, %d rounds of %.2f s per algorithm, workspace %zu MB\n", rows, rounds, roundS,
                wsBytes >> 20);

    for (const Shape& s : shapes) {
        // column-major view: y^T {n, rows} = W {k, n}^T . x^T {k, rows}
        cublasLtMatmulDesc_t op;
        CHECK_LT(cublasLtMatmulDescCreate(&op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
        const cublasOperation_t tA = CUBLAS_OP_T, tB = CUBLAS_OP_N;
        CHECK_LT(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSA, &tA, sizeof tA));
        CHECK_LT(cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSB, &tB, sizeof tB));
        cublasLtMatrixLayout_t aL, bL, cL;
        CHECK_LT(cublasLtMatrixLayoutCreate(&aL, CUDA_R_16BF, s.k, s.n, s.k));
        CHECK_LT(cublasLtMatrixLayoutCreate(&bL, CUDA_R_16BF, s.k, rows, s.k));
        CHECK_LT(cublasLtMatrixLayoutCreate(&cL, CUDA_R_16BF, s.n, rows, s.n));
        cublasLtMatmulPreference_t pref;
        CHECK_LT(cublasLtMatmulPreferenceCreate(&pref));
        CHECK_LT(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                      &wsBytes, sizeof wsBytes));
        std::vector<cublasLtMatmulHeuristicResult_t> found(32);
        int returned = 0;
        CHECK_LT(cublasLtMatmulAlgoGetHeuristic(lt, op, aL, bL, cL, cL, pref, int(found.size()), found.data(),
                                                &returned));
        found.resize(returned);
        const float alpha = 1.f, beta = 0.f;
        const double flops = 2.0 * rows * s.n * double(s.k);
        const int gemmEx = returned; // the index of the cublasGemmEx row
        auto launch = [&](int i) {
            if (i == gemmEx)
                return cublasGemmEx(blas, CUBLAS_OP_T, CUBLAS_OP_N, s.n, rows, s.k, &alpha, w, CUDA_R_16BF,
                                    s.k, x, CUDA_R_16BF, s.k, &beta, y, CUDA_R_16BF, s.n, CUBLAS_COMPUTE_32F,
                                    CUBLAS_GEMM_DEFAULT_TENSOR_OP);
            return cublasLtMatmul(lt, op, &alpha, w, aL, x, bL, &beta, y, cL, y, cL, &found[i].algo, ws,
                                  wsBytes, nullptr);
        };
        // correctness against the first choice, and which algorithms run at all
        std::vector<int> usable;
        std::vector<float> rel(returned + 1, 0.f);
        for (int i = 0; i <= returned; ++i) {
            if (launch(i) != CUBLAS_STATUS_SUCCESS) continue;
            CHECK_CUDA(cudaDeviceSynchronize());
            if (i == 0) CHECK_CUDA(cudaMemcpy(ref, y, size_t(rows) * s.n * 2, cudaMemcpyDeviceToDevice));
            CHECK_CUDA(cudaMemset(diff, 0, 2 * sizeof(float)));
            diffKernel<<<1024, 256>>>(y, ref, size_t(rows) * s.n, diff);
            float d[2];
            CHECK_CUDA(cudaMemcpy(d, diff, sizeof d, cudaMemcpyDeviceToHost));
            rel[i] = d[0] / d[1];
            usable.push_back(i);
        }
        auto timeCalls = [&](int i, int calls) {
            CHECK_CUDA(cudaEventRecord(e0));
            for (int c = 0; c < calls; ++c)
                launch(i);
            CHECK_CUDA(cudaEventRecord(e1));
            CHECK_CUDA(cudaEventSynchronize(e1));
            float t = 0.f;
            CHECK_CUDA(cudaEventElapsedTime(&t, e0, e1));
            return double(t) / calls;
        };
        std::vector<int> calls(returned + 1, 1); // calls filling about roundS seconds, from one timed call
        for (int i : usable)
            calls[i] = std::max(1, int(roundS * 1e3 / timeCalls(i, 1)));
        std::vector<std::vector<double>> ms(returned + 1);
        for (int r = 0; r < rounds; ++r)
            for (int i : usable)
                ms[i].push_back(timeCalls(i, calls[i]));
        std::printf("\n%s, %.2f TFLOP a call, %d algorithms offered, %zu run\n", s.name, flops / 1e12,
                    returned, usable.size());
        std::printf("| choice | configuration | best ms | median ms | TFLOP/s (median) | vs first (median) | "
                    "rel. diff "
                    "vs first |\n|---|---|---|---|---|---|---|\n");
        double first = 0.;
        for (int i : usable) {
            std::vector<double> v = ms[i];
            std::sort(v.begin(), v.end());
            const double med = v[v.size() / 2];
            if (i == 0) first = med;
            const std::string name = i == gemmEx ? "GemmEx" : std::to_string(i);
            std::printf("| %s | %s | %.2f | %.2f | %.0f | %+.1f%% | %.1e |\n", name.c_str(),
                        i == gemmEx ? "cublasGemmEx, default algorithm" : describe(found[i].algo).c_str(),
                        v.front(), med, flops / med / 1e9, first > 0 ? (med / first - 1) * 100 : 0., rel[i]);
        }
        cublasLtMatmulPreferenceDestroy(pref);
        cublasLtMatrixLayoutDestroy(aL);
        cublasLtMatrixLayoutDestroy(bL);
        cublasLtMatrixLayoutDestroy(cL);
        cublasLtMatmulDescDestroy(op);
    }
    cublasDestroy(blas);
    cublasLtDestroy(lt);
    return 0;
}
