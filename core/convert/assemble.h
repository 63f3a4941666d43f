// Assembling the DeepSeek-style MLA attention of one layer from its GQA weights and the three
// steps' results. Shapes (D hidden, H heads, g kv heads, d head_dim, r_R rope dims,
// n = g*d - r_R NoPE dims, r rank, j = h / (H/g) the group of head h):
//   k' = Rk k = [k_rope (r_R) | k_nope (n)];  k_j = P_j k_rope + Q_j k_nope, [P_j | Q_j] = Rk^T rows of head
//   j kv_a_proj_with_mqa [r + r_R, D] = [E_r^T M_z ; Rk_rope M_k],  M_z = [Rk_nope M_k / alpha ; M_v]
//   kv_b_proj [H*(d + d), r]: head h = [alpha Q_j E_r[:n] ; E_r[n + j*d : n + (j+1)*d]]
//   q_proj [H*(d + r_R), D]: head h = s * [W_q^h ; P_j^T W_q^h],  s = sqrt(d + r_R) * original scale
//   (qk_nope_head_dim = v_head_dim = d; the softmax then uses DeepSeek's 1/sqrt(d + r_R)).
#pragma once
#include <ATen/core/Tensor.h>

#include "convert/joint_pca.h"
#include "convert/rorope.h"
#include "model/model.h"

namespace transmla::convert {

// A projection with its bias as a last column: [rows, D+1] fp64.
at::Tensor augmented(const model::Linear& l, int64_t rows, int64_t D, at::Device device);
model::Linear fromAugmented(const at::Tensor& w, bool keepBias, at::ScalarType dtype);

struct MlaParts {
    at::Tensor q, k, v; // augmented GQA projections [rows, D+1] fp64
    KeyRotation rotation;
    double alpha = 1.0;
    LatentBasis latent;
    double queryScale = 1.0;    // s above
    at::Tensor originalInvFreq; // [d/2] the model's RoPE frequencies
};

model::MlaAttention assembleMla(const MlaParts& p, const ResolvedDims& dims, const model::Linear& o,
                                bool bias, at::ScalarType dtype);

} // namespace transmla::convert
