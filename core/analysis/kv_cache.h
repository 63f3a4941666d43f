// The KV cache tensors an engine allocates, to check the budget formulas against real tensor sizes.
//   GQA:  per layer K and V, each {B, T, g, d}
//   MLA:  per layer the latent cache {B, T, r + r_R} (c_kv and the shared rope key side by side)
#pragma once
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "analysis/budget.h"

namespace transmla::io {
struct ModelConfig;
}

namespace transmla::analysis {

// The element type a cache of this dtype is stored in. fp8 is Float8_e4m3fn where LibTorch has it
// (>= 2.1) and a 1-byte integer type otherwise: the budget only needs the storage width.
at::ScalarType cacheScalarType(CacheDtype t);

// 2 * numLayers tensors: K of layer 0, V of layer 0, K of layer 1, ... (zero-filled).
std::vector<at::Tensor> allocateGqaCache(const io::ModelConfig& c, int64_t batch, int64_t tokens, CacheDtype dtype,
                                         at::Device device = at::kCPU);
// numLayers tensors {B, T, r + r_R}.
std::vector<at::Tensor> allocateLatentCache(const io::ModelConfig& c, int64_t kvLoraRank, int64_t qkRopeHeadDim,
                                            int64_t batch, int64_t tokens, CacheDtype dtype,
                                            at::Device device = at::kCPU);
// Sum of numel * element size.
int64_t tensorBytes(const std::vector<at::Tensor>& tensors);

} // namespace transmla::analysis
