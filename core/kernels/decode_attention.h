// Fused decode attention on the GPU (decode_attention.cu): one new query per sequence over a bf16 KV
// cache whose valid length sits on the device, so a captured decode step (model/decode_step.h)
// replays at any length. The same kernel serves both cache forms:
//   GQA  q [B, H, d],      keys/values [B, g, capacity, d] (strided), head h reads group h / (H/g)
//   MLA  q [B, H, r + r_R] = [W_UK^T q_nope | q_rope], rows [B, capacity, r + r_R] = [c | k_rope];
//        values = the first r columns of the rows (values undefined), output in latent space [B, H, r]
// out[b, h] = sum_{s < lengths[b]} softmax_s(scale * q . k_s) v_s, fp32 accumulation, bf16 output.
#pragma once
#include <string>

#include <ATen/core/Tensor.h>

namespace transmla::kernels {

// Whether this build has the kernels (a CUDA LibTorch with nvcc found at configure time).
bool decodeKernelsBuilt();
// The current CUDA device's compute capability major (9: Hopper); 0 where the kernels are not built.
int cudaDeviceMajor();

// Whether the kernel takes this shape (queries per kv group, key and value widths, values = the first
// columns of the keys as MLA's); when not, says
// why in `why` (if given). The tensors must also be bf16, on CUDA, with 16-byte aligned rows.
bool decodeAttentionSupports(int64_t queriesPerGroup, int64_t keyDim, int64_t valueDim, bool sharedValues,
                             std::string* why = nullptr);

// The kernel that decodeAttention runs for this shape, cache capacity and batch x kv groups on the current
// device ("narrow", "wide", "latent"; "none" where none does or the kernels are not built): for logs and
// benchmarks.
std::string decodeAttentionKernel(int64_t queriesPerGroup, int64_t keyDim, int64_t valueDim,
                                  bool sharedValues, int64_t capacity, int64_t batchGroups);

// keys [B, G, capacity, Dk] (MLA: G = 1; any strides with unit stride along Dk); values likewise
// [B, G, capacity, Dv], or undefined for MLA (then Dv = valueDim columns of keys); lengths int32 [B]
// on the device. Returns [B, H, Dv] bf16. Throws std::runtime_error where the kernel does not apply.
// MLA with wOut (W_UV [H or H / rep, dOut, Dv], a view of kv_b's weight as fusedAbsorbOutput takes it: bf16
// on CUDA, unit-strided 16-byte aligned rows; B <= 4): where the reduction can take it (Dv a multiple of 32)
// it also runs the absorbed output, one kernel fewer, and returns [B, H, dOut] = per head bf16(latent) .
// W_UV^T with *absorbed set; otherwise the latent as without it (*absorbed false).
at::Tensor decodeAttention(const at::Tensor& q, const at::Tensor& keys, const at::Tensor& values,
                           const at::Tensor& lengths, int64_t valueDim, double scale,
                           const at::Tensor& wOut = {}, bool* absorbed = nullptr);

} // namespace transmla::kernels
