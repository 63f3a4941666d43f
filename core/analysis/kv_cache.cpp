#include "analysis/kv_cache.h"

#include <ATen/ATen.h>
#include <torch/version.h>

#include "io/model_config.h"
#include "util/error.h"

namespace transmla::analysis {

at::ScalarType cacheScalarType(CacheDtype t) {
    switch (t) {
    case CacheDtype::F32: return at::kFloat;
    case CacheDtype::BF16: return at::kBFloat16;
    case CacheDtype::F16: return at::kHalf;
    case CacheDtype::FP8:
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
        return at::kFloat8_e4m3fn;
#else
        return at::kByte;
#endif
    }
    return at::kFloat;
}

std::vector<at::Tensor> allocateGqaCache(const io::ModelConfig& c, int64_t batch, int64_t tokens, CacheDtype dtype,
                                         at::Device device) {
    if (batch < 0 || tokens < 0) throw ArgumentError("cache batch and tokens must be >= 0");
    const auto opts = at::TensorOptions().dtype(cacheScalarType(dtype)).device(device);
    std::vector<at::Tensor> cache;
    cache.reserve(size_t(2 * c.numLayers));
    for (int64_t l = 0; l < c.numLayers; ++l)
        for (int kv = 0; kv < 2; ++kv) cache.push_back(at::zeros({batch, tokens, c.numKvHeads, c.headDim}, opts));
    return cache;
}

std::vector<at::Tensor> allocateLatentCache(const io::ModelConfig& c, int64_t kvLoraRank, int64_t qkRopeHeadDim,
                                            int64_t batch, int64_t tokens, CacheDtype dtype, at::Device device) {
    if (batch < 0 || tokens < 0 || kvLoraRank <= 0 || qkRopeHeadDim < 0)
        throw ArgumentError("latent cache: batch, tokens, r_R must be >= 0 and r > 0");
    const auto opts = at::TensorOptions().dtype(cacheScalarType(dtype)).device(device);
    std::vector<at::Tensor> cache;
    cache.reserve(size_t(c.numLayers));
    for (int64_t l = 0; l < c.numLayers; ++l) cache.push_back(at::zeros({batch, tokens, kvLoraRank + qkRopeHeadDim}, opts));
    return cache;
}

int64_t tensorBytes(const std::vector<at::Tensor>& tensors) {
    int64_t n = 0;
    for (const auto& t : tensors) n += t.numel() * int64_t(t.element_size());
    return n;
}

} // namespace transmla::analysis
