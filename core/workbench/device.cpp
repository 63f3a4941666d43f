#include "workbench/device.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <ATen/Context.h>
#if defined(TRANSMLA_TORCH_CUDA) && __has_include(<cuda_runtime_api.h>)
#include <cuda_runtime_api.h>
#define TRANSMLA_CUDA_MEMORY 1
#if defined(TRANSMLA_ALLOCATOR_STATS) && __has_include(<c10/cuda/CUDACachingAllocator.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define TRANSMLA_CUDA_CACHE_STATS 1
#endif
#endif

namespace transmla::workbench {

DeviceStatus deviceStatus() {
    DeviceStatus s;
#ifdef TRANSMLA_TORCH_CUDA
    s.cudaBuiltIn = true;
#endif
    s.cudaDevices = at::hasCUDA() ? int(at::getNumGPUs()) : 0;
    if (s.cudaDevices > 0) s.cudaBuiltIn = true; // a CUDA LibTorch found at run time
#ifdef TRANSMLA_CUDA_MEMORY
    cudaDeviceProp prop{};
    if (s.cudaDevices > 0 && cudaGetDeviceProperties(&prop, 0) == cudaSuccess) s.cudaName = prop.name;
#endif
    if (!s.cudaBuiltIn)
        s.cudaAbsent = "not in this build: it was built against a LibTorch without CUDA (see README, "
                       "\"Building with CUDA\")";
    else if (s.cudaDevices == 0)
        s.cudaAbsent = "built in, but no CUDA device was found (no GPU, or its driver is not loaded)";
    return s;
}

namespace {
int64_t meminfoBytes(const std::string& key) {
    std::ifstream f("/proc/meminfo");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(key + ":", 0) == 0) {
            std::istringstream in(line.substr(key.size() + 1));
            int64_t kb = 0;
            in >> kb;
            return kb * 1024;
        }
    return 0;
}
} // namespace

DeviceMemory deviceMemory(const std::string& device) {
    DeviceMemory m;
    if (device.rfind("cuda", 0) != 0) {
        m.totalBytes = meminfoBytes("MemTotal");
        m.freeBytes = meminfoBytes("MemAvailable");
        m.known = m.totalBytes > 0;
        return m;
    }
#ifdef TRANSMLA_CUDA_MEMORY
    if (deviceStatus().cudaDevices == 0) return m;
    size_t freeBytes = 0, totalBytes = 0;
    if (cudaMemGetInfo(&freeBytes, &totalBytes) != cudaSuccess) return m;
    m.known = true;
    m.totalBytes = int64_t(totalBytes);
    m.freeBytes = int64_t(freeBytes);
#ifdef TRANSMLA_CUDA_CACHE_STATS
    try { // throws "Invalid device argument" before the allocator's first use
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0);
        m.heldBytes = stats.reserved_bytes[0].current;
        // Memory the caching allocator holds but does not use is free for this process's next tensors.
        m.freeBytes += stats.reserved_bytes[0].current - stats.allocated_bytes[0].current;
    } catch (const std::exception&) {
    }
#endif
#endif
    return m;
}

MemoryNeed memoryNeed(const io::ModelConfig& c, int64_t parameterCount, const std::string& dtype,
                      const convert::ConvertSettings& s) {
    const int64_t bytes = dtype == "f32" ? 4 : 2;
    MemoryNeed n;
    n.modelBytes = parameterCount * bytes;
    const int64_t D = c.hiddenSize, L = c.numLayers, g = c.numKvHeads, d = c.headDim, H = c.numHeads;
    // The converted attention (q with rope rows, kv_a, kv_b at full size as an upper bound).
    const int64_t attention = L * (H * (d + std::min<int64_t>(64, d)) * D + 3 * g * d * D) * bytes;
    // Calibration: hidden states N x T x D (compute dtype) plus one layer's fp64 Grams and the
    // cached fp64 bases of every layer (rotation g*d squared, latent basis (2*g*d) squared).
    const int64_t N = s.calibration.samples, T = s.calibration.seqLen;
    const int64_t calibration = s.exact ? 0 : N * T * D * bytes * 2 + (D + 1) * (D + 1) * 8 * 2;
    const int64_t bases = s.exact ? 0 : L * ((g * d) * (g * d) + (2 * g * d) * (2 * g * d)) * 8;
    // Evaluation: one batch's logits (4096 tokens x vocab, fp32) dominate.
    const int64_t evaluation = int64_t(4096) * c.vocabSize * 4;
    n.conversionBytes = attention + calibration + bases + evaluation;
    return n;
}

} // namespace transmla::workbench
