// Joint PCA of the latent z = [K_nope / alpha; V] (dimension n + g*d = 2*g*d - r_R) over the
// calibration tokens: C_z = M_z G M_z^T (uncentered, fp64), C_z = E diag(lambda) E^T descending.
// Keeping the top r eigenvectors E_r gives the compressed latent c = E_r^T z and the
// reconstruction z ~ E_r c; at r = 2*g*d - r_R it is exact.
#pragma once
#include <ATen/core/Tensor.h>

namespace transmla::convert {

struct LatentBasis {
    at::Tensor basis;       // E_r [n + g*d, r] fp64
    at::Tensor eigenvalues; // lambda, all, descending [n + g*d] fp64 (mean energy per token)
    int64_t rank = 0;
    double retainedEnergy = 1.0; // sum(lambda[:r]) / sum(lambda)
};

// mz [n + g*d, D+1]; rank -1 = full; energy > 0 picks the smallest rank retaining it.
// usePca=false keeps the identity basis (full rank only): the "partial-RoPE" model.
LatentBasis jointPca(const at::Tensor& mz, const at::Tensor& xGram, int64_t rank, double energy, bool usePca);

// The top `rank` (or the energy-chosen) eigenvectors of a full-rank basis: what jointPca at that
// rank gives, without the eigendecomposition (a rank change of the workbench).
LatentBasis truncateLatent(const LatentBasis& full, int64_t rank, double energy);

} // namespace transmla::convert
