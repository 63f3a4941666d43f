#include "kernels/tuned_linear.h"

#include <ATen/ATen.h>

#ifdef TRANSMLA_DECODE_KERNELS
#include <dlfcn.h>

#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>
#include <cublasLt.h>
#include <cuda_runtime.h>
#endif

namespace transmla::kernels {

#ifdef TRANSMLA_DECODE_KERNELS
namespace {

// The cuBLASLt entry points of the copy this process has loaded (LibTorch's), looked up once.
struct LtApi {
    decltype(&cublasLtCreate) create = nullptr;
    decltype(&cublasLtMatmulDescCreate) descCreate = nullptr;
    decltype(&cublasLtMatmulDescSetAttribute) descSet = nullptr;
    decltype(&cublasLtMatmulDescDestroy) descDestroy = nullptr;
    decltype(&cublasLtMatrixLayoutCreate) layoutCreate = nullptr;
    decltype(&cublasLtMatrixLayoutDestroy) layoutDestroy = nullptr;
    decltype(&cublasLtMatmulPreferenceCreate) prefCreate = nullptr;
    decltype(&cublasLtMatmulPreferenceSetAttribute) prefSet = nullptr;
    decltype(&cublasLtMatmulPreferenceDestroy) prefDestroy = nullptr;
    decltype(&cublasLtMatmulAlgoGetHeuristic) heuristic = nullptr;
    decltype(&cublasLtMatmul) matmul = nullptr;
    cublasLtHandle_t handle = nullptr;
    bool ok = false;
};

template <typename F> void ltLookUp(void* lib, const char* name, F& f) {
    f = reinterpret_cast<F>(dlsym(lib, name));
}

const LtApi& ltApi() {
    static const LtApi api = [] {
        LtApi a;
        // Global scope first (the library LibTorch's CUDA part was linked against), then by its soname if
        // it is loaded but not global; never a fresh load.
        void* lib = dlsym(RTLD_DEFAULT, "cublasLtMatmul") ? RTLD_DEFAULT : nullptr;
        if (!lib)
            lib = dlopen(("libcublasLt.so." + std::to_string(CUBLAS_VER_MAJOR)).c_str(),
                         RTLD_LAZY | RTLD_NOLOAD);
        if (!lib) return a;
        ltLookUp(lib, "cublasLtCreate", a.create);
        ltLookUp(lib, "cublasLtMatmulDescCreate", a.descCreate);
        ltLookUp(lib, "cublasLtMatmulDescSetAttribute", a.descSet);
        ltLookUp(lib, "cublasLtMatmulDescDestroy", a.descDestroy);
        ltLookUp(lib, "cublasLtMatrixLayoutCreate", a.layoutCreate);
        ltLookUp(lib, "cublasLtMatrixLayoutDestroy", a.layoutDestroy);
        ltLookUp(lib, "cublasLtMatmulPreferenceCreate", a.prefCreate);
        ltLookUp(lib, "cublasLtMatmulPreferenceSetAttribute", a.prefSet);
        ltLookUp(lib, "cublasLtMatmulPreferenceDestroy", a.prefDestroy);
        ltLookUp(lib, "cublasLtMatmulAlgoGetHeuristic", a.heuristic);
        ltLookUp(lib, "cublasLtMatmul", a.matmul);
        a.ok = a.create && a.descCreate && a.descSet && a.descDestroy && a.layoutCreate && a.layoutDestroy &&
               a.prefCreate && a.prefSet && a.prefDestroy && a.heuristic && a.matmul &&
               a.create(&a.handle) == CUBLAS_STATUS_SUCCESS;
        return a;
    }();
    return api;
}

constexpr size_t kWorkspaceBytes = size_t(32) << 20;

// One shape (device, rows, N, K): its descriptors, the heuristic's candidates, their timing events.
struct TunedShape {
    cublasLtMatmulDesc_t op = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
    std::vector<cublasLtMatmulAlgo_t> algos;
    std::vector<cudaEvent_t> start, stop;
    std::vector<bool> timed;
    int next = 0, chosen = -1;
    bool usable = false;
};

struct TunedRegistry {
    std::mutex mutex;
    std::map<std::tuple<int, int64_t, int64_t, int64_t>, TunedShape> shapes;
    TunedLinearStats stats;
};
TunedRegistry& tunedRegistry() {
    static TunedRegistry r;
    return r;
}

void ltRelease(TunedShape& s) {
    const LtApi& lt = ltApi();
    for (cudaEvent_t e : s.start)
        cudaEventDestroy(e);
    for (cudaEvent_t e : s.stop)
        cudaEventDestroy(e);
    if (s.a) lt.layoutDestroy(s.a);
    if (s.b) lt.layoutDestroy(s.b);
    if (s.c) lt.layoutDestroy(s.c);
    if (s.op) lt.descDestroy(s.op);
    s = TunedShape{};
}

// Column-major view of y = x . W^T: y^T {N, rows} = W {K, N}^T . x^T {K, rows}, fp32 accumulation.
void ltDescribe(TunedShape& s, int64_t rows, int64_t N, int64_t K) {
    const LtApi& lt = ltApi();
    if (lt.descCreate(&s.op, CUBLAS_COMPUTE_32F, CUDA_R_32F) != CUBLAS_STATUS_SUCCESS) return;
    const cublasOperation_t tA = CUBLAS_OP_T, tB = CUBLAS_OP_N;
    lt.descSet(s.op, CUBLASLT_MATMUL_DESC_TRANSA, &tA, sizeof tA);
    lt.descSet(s.op, CUBLASLT_MATMUL_DESC_TRANSB, &tB, sizeof tB);
    if (lt.layoutCreate(&s.a, CUDA_R_16BF, uint64_t(K), uint64_t(N), K) != CUBLAS_STATUS_SUCCESS ||
        lt.layoutCreate(&s.b, CUDA_R_16BF, uint64_t(K), uint64_t(rows), K) != CUBLAS_STATUS_SUCCESS ||
        lt.layoutCreate(&s.c, CUDA_R_16BF, uint64_t(N), uint64_t(rows), N) != CUBLAS_STATUS_SUCCESS)
        return;
    cublasLtMatmulPreference_t pref = nullptr;
    if (lt.prefCreate(&pref) != CUBLAS_STATUS_SUCCESS) return;
    const size_t ws = kWorkspaceBytes;
    lt.prefSet(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws);
    cublasLtMatmulHeuristicResult_t found[kTunedCandidates];
    int returned = 0;
    const bool ok = lt.heuristic(lt.handle, s.op, s.a, s.b, s.c, s.c, pref, kTunedCandidates, found,
                                 &returned) == CUBLAS_STATUS_SUCCESS;
    lt.prefDestroy(pref);
    if (!ok) return;
    for (int i = 0; i < returned; ++i) {
        if (found[i].state != CUBLAS_STATUS_SUCCESS || found[i].workspaceSize > kWorkspaceBytes) continue;
        cudaEvent_t e0 = nullptr, e1 = nullptr;
        if (cudaEventCreate(&e0) != cudaSuccess) break;
        if (cudaEventCreate(&e1) != cudaSuccess) {
            cudaEventDestroy(e0);
            break;
        }
        s.algos.push_back(found[i].algo);
        s.start.push_back(e0);
        s.stop.push_back(e1);
        s.timed.push_back(false);
    }
    s.usable = !s.algos.empty();
}

// y = x . W^T by one candidate, with the layouts of x and y for its rows (the shape's, or the warm-up's).
cublasStatus_t ltRun(const TunedShape& s, const cublasLtMatmulAlgo_t& algo, cublasLtMatrixLayout_t xLayout,
                     cublasLtMatrixLayout_t yLayout, const at::Tensor& x, const at::Tensor& w,
                     const at::Tensor& y, const at::Tensor& ws, cudaStream_t stream) {
    const LtApi& lt = ltApi();
    const float alpha = 1.f, beta = 0.f;
    return lt.matmul(lt.handle, s.op, &alpha, w.data_ptr(), s.a, x.data_ptr(), xLayout, &beta, y.data_ptr(),
                     yLayout, y.data_ptr(), yLayout, &algo, ws.data_ptr(), kWorkspaceBytes, stream);
}

// Each candidate run once on the first kWarmRows rows (into a scratch output) before any is timed: a
// kernel's first launch in the process also loads its module (CUDA's lazy loading), which would otherwise
// count in that candidate's one timed call. A candidate that does not take the small shape is left cold.
constexpr int64_t kWarmRows = 256;
void ltWarm(const TunedShape& s, const at::Tensor& x, const at::Tensor& w, int64_t N, int64_t K,
            cudaStream_t stream) {
    const LtApi& lt = ltApi();
    cublasLtMatrixLayout_t b = nullptr, c = nullptr;
    if (lt.layoutCreate(&b, CUDA_R_16BF, uint64_t(K), uint64_t(kWarmRows), K) == CUBLAS_STATUS_SUCCESS &&
        lt.layoutCreate(&c, CUDA_R_16BF, uint64_t(N), uint64_t(kWarmRows), N) == CUBLAS_STATUS_SUCCESS) {
        const at::Tensor y = at::empty({kWarmRows, N}, x.options());
        const at::Tensor ws = at::empty({int64_t(kWorkspaceBytes)}, x.options().dtype(at::kByte));
        for (const cublasLtMatmulAlgo_t& algo : s.algos)
            ltRun(s, algo, b, c, x, w, y, ws, stream);
    }
    if (b) lt.layoutDestroy(b);
    if (c) lt.layoutDestroy(c);
}

// After every candidate ran once timed: the fastest (0 where none ran). Waits for the last candidate's
// event: the host runs layers ahead of the device, and would otherwise reach the prompt's end before the
// timings complete (the device still has that layer's work after the product queued, so it does not idle).
int fastestTimed(TunedShape& s, TunedLinearStats& stats) {
    int best = -1;
    float bestMs = std::numeric_limits<float>::infinity(), firstMs = 0;
    for (size_t i = 0; i < s.algos.size(); ++i) {
        if (!s.timed[i]) continue; // it failed to launch
        float ms = 0;
        if (cudaEventSynchronize(s.stop[i]) != cudaSuccess) {
            cudaGetLastError();
            continue;
        }
        if (cudaEventElapsedTime(&ms, s.start[i], s.stop[i]) != cudaSuccess) {
            cudaGetLastError();
            continue;
        }
        if (i == 0) firstMs = ms;
        if (ms < bestMs) bestMs = ms, best = int(i);
    }
    if (best < 0) return 0;
    stats.lastChosen = best, stats.lastChosenMs = bestMs, stats.lastFirstMs = firstMs;
    ++stats.chosenShapes, stats.chosenMsSum += bestMs, stats.firstMsSum += firstMs;
    return best;
}

} // namespace

at::Tensor tunedLinear(const at::Tensor& x, const at::Tensor& w) {
    if (!x.defined() || !w.defined() || !x.is_cuda() || !w.is_cuda() || x.scalar_type() != at::kBFloat16 ||
        w.scalar_type() != at::kBFloat16 || x.device() != w.device() || !x.is_contiguous() || w.dim() != 2 ||
        x.dim() < 1)
        return {};
    const int64_t K = w.size(1), N = w.size(0);
    if (x.size(-1) != K || K % 8 || N % 8 || w.stride(1) != 1 || w.stride(0) != K || K == 0) return {};
    const int64_t rows = x.numel() / K;
    if (rows < kTunedMinRows ||
        (reinterpret_cast<uintptr_t>(x.data_ptr()) | reinterpret_cast<uintptr_t>(w.data_ptr())) % 16)
        return {};
    const LtApi& lt = ltApi();
    if (!lt.ok) return {};
    c10::cuda::CUDAGuard device(x.device());
    const cudaStream_t stream = at::cuda::getCurrentCUDAStream().stream();
    cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
    if (cudaStreamIsCapturing(stream, &capture) != cudaSuccess || capture != cudaStreamCaptureStatusNone)
        return {};

    TunedRegistry& reg = tunedRegistry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    const auto key = std::make_tuple(int(x.get_device()), rows, N, K);
    auto it = reg.shapes.find(key);
    if (it == reg.shapes.end()) {
        if (reg.shapes.size() >= 256) { // prompts of many lengths: start over rather than grow
            for (auto& [k, s] : reg.shapes)
                ltRelease(s);
            reg.shapes.clear();
        }
        it = reg.shapes.emplace(key, TunedShape{}).first;
        ltDescribe(it->second, rows, N, K);
        if (it->second.usable) ltWarm(it->second, x, w, N, K, stream);
        ++reg.stats.shapes;
    }
    TunedShape& s = it->second;
    if (!s.usable) return {};

    int idx = 0;
    bool timing = false;
    if (s.chosen >= 0) {
        idx = s.chosen;
    } else if (s.next < int(s.algos.size())) {
        idx = s.next++;
        timing = true;
    } else {
        s.chosen = idx = fastestTimed(s, reg.stats);
    }

    std::vector<int64_t> sizes = x.sizes().vec();
    sizes.back() = N;
    at::Tensor y = at::empty(sizes, x.options());
    const at::Tensor ws = at::empty({int64_t(kWorkspaceBytes)}, x.options().dtype(at::kByte));
    auto run = [&](int i) { return ltRun(s, s.algos[i], s.b, s.c, x, w, y, ws, stream); };
    if (timing) cudaEventRecord(s.start[idx], stream);
    cublasStatus_t status = run(idx);
    if (timing) {
        cudaEventRecord(s.stop[idx], stream);
        s.timed[idx] = status == CUBLAS_STATUS_SUCCESS;
        ++reg.stats.timedCalls;
    } else if (s.chosen >= 0) {
        ++reg.stats.chosenCalls;
    }
    if (status != CUBLAS_STATUS_SUCCESS && idx != 0) status = run(0);
    if (status != CUBLAS_STATUS_SUCCESS) {
        s.usable = false; // at::linear from now on for this shape
        return {};
    }
    return y;
}

TunedLinearStats tunedLinearStats() {
    TunedRegistry& reg = tunedRegistry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    return reg.stats;
}

void resetTunedLinear() {
    TunedRegistry& reg = tunedRegistry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    for (auto& [k, s] : reg.shapes)
        ltRelease(s);
    reg.shapes.clear();
    reg.stats = TunedLinearStats{};
}

#else

at::Tensor tunedLinear(const at::Tensor& x, const at::Tensor& w) {
    (void)x;
    (void)w;
    return {};
}
TunedLinearStats tunedLinearStats() {
    return {};
}
void resetTunedLinear() {}

#endif

} // namespace transmla::kernels
