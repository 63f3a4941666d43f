// The small-batch projection kernel alone (core/kernels/small_linear.cu) against cuBLAS, without LibTorch:
// the decoding step's projections of the Llama-3-8B shape (and its MLA conversion's q | kv_a), 1..4 rows.
// Correctness: against an fp32 reference on the GPU (max |error| <= 1/128 of max |reference| + one bf16 step
// of it). Time: CUDA graphs of 40 launches over enough weight copies that none is in L2 (as in a step, where
// 32 layers' weights pass), ours and cublasGemmEx (what at::linear runs), per launch; at one row also each
// after a one-row norm kernel, as in the step (with TRANSMLA_DECODE_PDL=1 ours is that kernel's programmatic
// dependent and loads its first weights while the norm runs).
//   nvcc -arch=sm_90a -std=c++17 -O3 -Icore tests/gpu/small_linear_probe.cu core/kernels/small_linear.cu
//        core/kernels/decode_attention.cu -lcublas -o /tmp/small_linear_probe
//   TRANSMLA_DECODE_PDL=0 /tmp/small_linear_probe; TRANSMLA_DECODE_PDL=1 /tmp/small_linear_probe
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "kernels/dependent_launch.cuh"
#include "kernels/small_linear_launch.h"

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
#define CB(x)                                                                                                \
    do {                                                                                                     \
        cublasStatus_t status_ = (x);                                                                        \
        if (status_ != CUBLAS_STATUS_SUCCESS) {                                                              \
            printf("cuBLAS %d at %d\n", int(status_), __LINE__);                                             \
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

// A decoding step's kernel ahead of a projection: one row's RMS norm (one block, latency-bound), which lets
// its dependent start at once (as the step's own kernels do) and writes the projection's input.
__global__ void normAhead(const bf16* in, bf16* out, int k) {
    allowDependents();
    __shared__ float part[32];
    float ss = 0.f;
    for (int i = threadIdx.x; i < k; i += blockDim.x) {
        const float v = __bfloat162float(in[i]);
        ss += v * v;
    }
    for (int o = 16; o > 0; o >>= 1)
        ss += __shfl_xor_sync(0xffffffffu, ss, o);
    if (threadIdx.x % 32 == 0) part[threadIdx.x / 32] = ss;
    __syncthreads();
    float total = 0.f;
    for (int w = 0; w < int(blockDim.x / 32); ++w)
        total += part[w];
    const float inv = rsqrtf(total / float(k) + 1e-5f);
    for (int i = threadIdx.x; i < k; i += blockDim.x)
        out[i] = __float2bfloat16(__bfloat162float(in[i]) * inv);
}

__global__ void reference(const bf16* x, const bf16* w, const bf16* bias, float* y, int rows, int n, int k) {
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n) return;
    for (int m = 0; m < rows; ++m) {
        float acc = 0.f;
        for (int i = 0; i < k; ++i)
            acc += __bfloat162float(x[size_t(m) * k + i]) * __bfloat162float(w[size_t(j) * k + i]);
        y[size_t(m) * n + j] = acc + (bias ? __bfloat162float(bias[j]) : 0.f);
    }
}

struct Shape {
    const char* name;
    int n, k;
};

int main() {
    const Shape shapes[] = {
        {"q|k|v (GQA)", 6144, 4096},       {"q|kv_a (MLA)", 4672, 4096}, {"o_proj", 4096, 4096},
        {"gate|up", 28672, 4096},          {"down", 4096, 14336},        {"lm_head", 128256, 4096},
        {"odd (n 1001, k 264)", 1001, 264}};
    cudaStream_t stream;
    CK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    cublasHandle_t handle;
    CB(cublasCreate(&handle));
    CB(cublasSetStream(handle, stream));
    void* workspace;
    CK(cudaMalloc(&workspace, 32 << 20));
    CB(cublasSetWorkspace(handle, workspace, 32 << 20));
    bool ok = true;
    printf("%-20s %4s %10s %10s %9s %9s %8s\n", "shape", "rows", "ours us", "cuBLAS us", "ours TB/s",
           "cuBLAS", "max err");
    for (const Shape& s : shapes) {
        const size_t wElems = size_t(s.n) * s.k, bytes = wElems * 2;
        const int copies = int(std::max<size_t>(2, (size_t(800) << 20) / bytes + 1));
        std::vector<bf16*> w(copies);
        for (int c = 0; c < copies; ++c) {
            CK(cudaMalloc(&w[c], bytes));
            fill<<<1024, 256, 0, stream>>>(w[c], wElems, 7 + c, 0.05f);
        }
        bf16 *x, *y, *bias;
        float* ref;
        CK(cudaMalloc(&x, size_t(kSmallLinearMaxRows) * s.k * 2));
        CK(cudaMalloc(&y, size_t(kSmallLinearMaxRows) * s.n * 2));
        CK(cudaMalloc(&bias, size_t(s.n) * 2));
        CK(cudaMalloc(&ref, size_t(kSmallLinearMaxRows) * s.n * 4));
        fill<<<64, 256, 0, stream>>>(x, size_t(kSmallLinearMaxRows) * s.k, 1, 1.f);
        fill<<<64, 256, 0, stream>>>(bias, s.n, 3, 0.5f);
        for (int rows = 1; rows <= kSmallLinearMaxRows; ++rows) {
            // Correctness, with a bias on the odd shape.
            const bf16* b = s.n == 1001 ? bias : nullptr;
            SmallLinear p{x, s.k, w[0], b, y, rows, s.n, s.k};
            if (const char* err = launchSmallLinear(p, stream)) {
                printf("%s: %s\n", s.name, err);
                return 1;
            }
            reference<<<(s.n + 127) / 128, 128, 0, stream>>>(x, w[0], b, ref, rows, s.n, s.k);
            CK(cudaStreamSynchronize(stream));
            std::vector<bf16> got(size_t(rows) * s.n);
            std::vector<float> want(size_t(rows) * s.n);
            CK(cudaMemcpy(got.data(), y, got.size() * 2, cudaMemcpyDeviceToHost));
            CK(cudaMemcpy(want.data(), ref, want.size() * 4, cudaMemcpyDeviceToHost));
            double maxErr = 0, maxRef = 0;
            for (size_t i = 0; i < want.size(); ++i) {
                maxErr = std::max(maxErr, std::fabs(double(__bfloat162float(got[i])) - want[i]));
                maxRef = std::max(maxRef, std::fabs(double(want[i])));
            }
            const double rel = maxErr / maxRef;
            if (!(rel <= 1.0 / 128)) ok = false;
            // Time: one graph of 40 launches cycling over the copies, replayed 5 times, ours then cuBLAS's.
            // which 0/1: the projection alone, ours / cuBLAS; 2/3: after a one-row norm kernel (the pair's
            // time), ours (its programmatic dependent where TRANSMLA_DECODE_PDL=1) / cuBLAS.
            double us[4] = {0, 0, 0, 0};
            for (int which = 0; which < (rows == 1 ? 4 : 2); ++which) {
                cudaGraph_t graph;
                cudaGraphExec_t exec;
                CK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
                for (int i = 0; i < 40; ++i) {
                    const bf16* wi = w[i % copies];
                    if (which >= 2) normAhead<<<1, 512, 0, stream>>>(x + s.k, x, s.k);
                    if (which % 2 == 0) {
                        SmallLinear q{x, s.k, wi, nullptr, y, rows, s.n, s.k};
                        launchSmallLinear(q, stream);
                    } else {
                        const float one = 1.f, zero = 0.f;
                        CB(cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, s.n, rows, s.k, &one, wi,
                                        CUDA_R_16BF, s.k, x, CUDA_R_16BF, s.k, &zero, y, CUDA_R_16BF, s.n,
                                        CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
                    }
                }
                CK(cudaStreamEndCapture(stream, &graph));
                CK(cudaGraphInstantiate(&exec, graph, 0));
                CK(cudaGraphLaunch(exec, stream)); // warm-up
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
                us[which] = ms * 1000.0 / 200;
                CK(cudaGraphExecDestroy(exec));
                CK(cudaGraphDestroy(graph));
                CK(cudaEventDestroy(e0));
                CK(cudaEventDestroy(e1));
            }
            printf("%-20s %4d %10.2f %10.2f %9.2f %9.2f %8.1e%s", s.name, rows, us[0], us[1],
                   bytes / us[0] / 1e6, bytes / us[1] / 1e6, rel, rel <= 1.0 / 128 ? "" : "  FAIL");
            if (rows == 1) printf("   after a norm: ours %.2f, cuBLAS %.2f us", us[2], us[3]);
            printf("\n");
        }
        for (bf16* c : w)
            CK(cudaFree(c));
        CK(cudaFree(x));
        CK(cudaFree(y));
        CK(cudaFree(bias));
        CK(cudaFree(ref));
    }
    printf(ok ? "small linear probe: all shapes within tolerance\n" : "small linear probe: FAILED\n");
    return ok ? 0 : 1;
}
