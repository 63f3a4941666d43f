// Balanced KV: before the joint PCA of [K_nope, V], scale the NoPE keys so that neither side
// dominates the principal components:
//   alpha = mean_c ||K_nope[:, c]|| / mean_c ||V[:, c]||   (column norms over calibration tokens)
// The latent holds K_nope / alpha; the key up-projection multiplies alpha back in, so the step
// alone changes nothing (exact); it only changes which directions a truncated PCA keeps.
#pragma once
#include <ATen/core/Tensor.h>

namespace transmla::convert {

// kNope [n, D+1], v [m, D+1]: augmented projections (bias column last); xGram [D+1, D+1] (mean).
double balanceAlpha(const at::Tensor& kNope, const at::Tensor& v, const at::Tensor& xGram);

} // namespace transmla::convert
