// RoRoPE + FreqFold: an orthogonal rotation of the g*d key dims that concentrates the key energy
// of each frequency block in a few components, which keep RoPE; the rest lose it (NoPE).
//
// Keys live in RoPE planes: plane (head m, frequency i) = dims (i, i + d/2) of head m. Mixing
// planes of the SAME frequency across heads with one real matrix, applied alike to both plane
// coordinates, commutes with RoPE; so for f = 1 the rotation is exact. FreqFold (f > 1) also mixes
// f adjacent frequencies, which is approximate. Per block b of f frequencies (S = g*f slots):
//   C_b = keyGram[slots, slots] + damping * tr(C_b)/S * I,   C_b = U diag(lambda) U^T (descending)
//   component c < p (p = r_R/2 / blocks) -> rope plane k = b*p + c, frequency index b*f + floor(c*f/p)
//   components c >= p -> NoPE (two dims each: the x and y coordinates)
// Output rotation Rk [g*d, g*d] (orthogonal), rows ordered [rope x (P) | rope y (P) | NoPE (g*d - r_R)],
// so that rotated keys k' = Rk k split as [k_rope (r_R, HF "halves" layout) | k_nope].
#pragma once
#include <vector>

#include <ATen/core/Tensor.h>

#include "convert/settings.h"

namespace transmla::convert {

struct KeyRotation {
    at::Tensor rotation;             // Rk [g*d, g*d] fp64
    std::vector<int64_t> freqIndex;  // [P]: original frequency index of each rope plane
    double ropeEnergyFraction = 1.0; // share of the key energy in the rope components
};

// The slots (m*d/2 + i) of frequency block b, ordered by frequency then head, and the block's
// damped covariance C_b [S, S] fp64 in that order (what the PCA of block b diagonalises).
std::vector<int64_t> blockSlots(const ResolvedDims& dims, int64_t block);
at::Tensor blockCovariance(const at::Tensor& keyGram, const ResolvedDims& dims, int64_t block,
                           double damping);

// keyGram [g*d/2, g*d/2] fp64 (see calibration.h). usePca=false: identity mixing (slots in order).
KeyRotation roRope(const at::Tensor& keyGram, const ResolvedDims& dims, bool usePca, double damping);

} // namespace transmla::convert
