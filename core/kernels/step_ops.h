// RMSNorm and RoPE as one CUDA kernel each, used inside the fast decoding step (model/decode_step.h)
// while a StepOpsScope is open on this thread: there, the step is bound by its number of kernels.
// SiLU * up and the residual add + RMSNorm likewise. Each returns an undefined tensor where it does not apply
// (not bf16 on CUDA, not contiguous, Gemma's norm form, partial rotary dims, no kernels built); the caller
// then runs the ATen ops.
#pragma once
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace transmla::kernels {

// Open while a decoding step runs the fused path on this thread.
struct StepOpsScope {
    explicit StepOpsScope(bool on);
    ~StepOpsScope();
    StepOpsScope(const StepOpsScope&) = delete;
    StepOpsScope& operator=(const StepOpsScope&) = delete;
    static bool active();

private:
    bool previous;
};

// Llama form: w * bf16(x * rsqrt(mean(x^2) + eps)), x [.., d] bf16 (contiguous rows, evenly spaced: a
// column slice too), w [d] bf16; the result is contiguous.
at::Tensor fusedRmsNorm(const at::Tensor& x, const at::Tensor& w, double eps);
// x [B, T, heads, d] bf16 with full rotary width (cos/sin [>= T, d] fp32), any strides with unit stride
// along d (MLA's q_rope / k_rope slices); the result is contiguous.
at::Tensor fusedRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);
// [a | RoPE(b)] per row as one contiguous tensor [n, T, heads, da + db]: a and b [n, T, heads, ..] bf16 with
// unit stride along their last dimension (b's head stride 0 too: one head shared by all), cos/sin as
// fusedRope's for b (undefined: b copied as it is), rounded as fusedRope. MLA's expanded queries and keys for
// a prompt, instead of the RoPE kernel and a concatenation. Undefined where the rows are not 8-value aligned
// (the caller concatenates).
at::Tensor fusedRopeConcat(const at::Tensor& a, const at::Tensor& b, const at::Tensor& cos = {},
                           const at::Tensor& sin = {});
// silu(gate) * up (bf16, same shape and strides, rows as fusedRmsNorm's x: the two halves of a packed
// gate | up product too), rounded as ATen's two ops; the result is contiguous.
at::Tensor fusedSiluMul(const at::Tensor& gate, const at::Tensor& up);
// The residual add and the next RMSNorm (Llama form): {h + a, w * bf16((h + a) * rsqrt(...))}.
std::pair<at::Tensor, at::Tensor> fusedAddRmsNorm(const at::Tensor& h, const at::Tensor& a,
                                                  const at::Tensor& w, double eps);

// MLA's cache row of one decoding step: kv [B, 1, r + rR] (the kv_a product, a column slice of a packed one
// too) -> cache [B, capacity, r + rR] contiguous at position [1] (int64 on the device, the step's):
// [RMSNorm(latent) with w [r] (undefined: none) | RoPE(k_rope) with cos/sin [>= 1, rR] fp32], rounded as
// fusedRmsNorm and fusedRope.
struct LatentRow {
    at::Tensor kv;
    int64_t r = 0;
    at::Tensor w;
    double eps = 0;
    at::Tensor cos, sin, cache, position;
};

// MLA's absorbed query for one decoding step: [q_nope W_UK | q_rope] per head as one kernel (instead of the
// einsum's copies and product and the concatenation). qNope [B, 1, H, dn] and qRope [B, 1, H, rR] with unit
// stride along their last dimension, wUK [H, dn, r] or [H / rep, dn, r] (a view of kv_b's weight, whose rows
// consecutive groups of rep heads may share, model.h; rows of r unit-strided and 16-byte aligned; B <= 4:
// beyond, ATen's batched product measured faster; dn <= 256); returns {B, H, r + rR}
// contiguous, fp32 sums rounded once as ATen's einsum. With cos/sin ([>= 1, rR] fp32 contiguous), q_rope is
// rotated on the way as fusedRope rotates it (one kernel fewer in the step). With `append`, the same launch
// also writes that cache row as fusedLatentAppend would (one kernel fewer again). With ropeMap ([H, dn, rR]
// bf16 contiguous: a split query's qRopeMap, model.h) q_rope is not read (qRope may be undefined) but
// computed in the same launch as q_nope . ropeMap_h (fp32 sums rounded once, as ATen's einsum), then rotated
// as above. Undefined (nothing written) where any of this does not apply.
at::Tensor fusedAbsorbQuery(const at::Tensor& qNope, const at::Tensor& wUK, const at::Tensor& qRope,
                            const at::Tensor& cos = {}, const at::Tensor& sin = {},
                            const LatentRow* append = nullptr, const at::Tensor& ropeMap = {});
// Of `candidates` (ascending row counts, each <= w.size(0)), the one whose product of one row x [1, D] with
// w's first rows cuBLAS runs fastest here, timed with CUDA events (20 calls each after 3) once per device,
// width D, dtype and candidates: candidates[0] unless another is >= 3% faster; candidates[0] without the
// kernels or off CUDA. cuBLAS's choice of kernel depends on the width: at 4096 -> N on the H200 N = 4672 took
// 14.3 us and 5120 13.3 us (tests/bench/decode_gemm_rows.py), so a split query's step may read a few more of
// its packed rows.
int64_t fastestProductRows(const at::Tensor& w, const std::vector<int64_t>& candidates);

// MLA's absorbed output: lat [B, H, r] contiguous (the decode kernel's), wUV [H or H / rep, dv, r] as wUK (B
// <= 4, r <= 512); returns {B, H, dv} contiguous = per head lat . wUV^T.
at::Tensor fusedAbsorbOutput(const at::Tensor& lat, const at::Tensor& wUV);

// The cache row as one kernel, instead of the RMSNorm and RoPE kernels, the concatenation and the index copy.
// False where it does not apply (the caller runs those).
bool fusedLatentAppend(const LatentRow& row);

// GQA's step after the q | k | v product as one kernel: q, k, v [B, 1, heads or groups, d] (column slices of
// the packed product too; unit stride along d, full rotary width: cos/sin [>= 1, d] fp32) -> returns RoPE(q)
// [B, heads, d] contiguous and writes RoPE(k) and v at position [1] (int64 on the device) of the caches
// [B, groups, capacity, d] (contiguous), rounded as fusedRope. Instead of two RoPE kernels and two index
// copies. Undefined where it does not apply (the caller runs those).
at::Tensor fusedRopeAppend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                           const at::Tensor& cos, const at::Tensor& sin, const at::Tensor& cacheK,
                           const at::Tensor& cacheV, const at::Tensor& position);

} // namespace transmla::kernels
