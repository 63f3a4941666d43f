// What MLA's absorbed projections take, for the host sides that run them (step_ops.cpp: the absorbed query
// and output kernels; decode_attention.cpp: the absorbed output in the decode reduction).
#pragma once
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "kernels/step_ops_launch.h" // kAbsorbMaxBatch

namespace transmla::kernels {

// A per-head weight view [H, rows, r] of bf16 on CUDA whose rows are unit-strided and 16-byte aligned (W_UK,
// W_UV: views of kv_b's weight).
inline bool headWeights(const at::Tensor& w) {
    return w.defined() && w.is_cuda() && w.scalar_type() == at::kBFloat16 && w.dim() == 3 &&
           w.stride(2) == 1 && w.size(2) % 8 == 0 && w.stride(1) % 8 == 0 && w.stride(0) % 8 == 0 &&
           reinterpret_cast<uintptr_t>(w.data_ptr()) % 16 == 0;
}

} // namespace transmla::kernels
