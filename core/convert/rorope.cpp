#include "convert/rorope.h"

#include <ATen/ATen.h>

namespace transmla::convert {

std::vector<int64_t> blockSlots(const ResolvedDims& dims, int64_t block) {
    const int64_t half = dims.d / 2, f = dims.freqFold;
    std::vector<int64_t> slots; // slot m*half + i, ordered by frequency then head
    for (int64_t i = block * f; i < (block + 1) * f; ++i)
        for (int64_t m = 0; m < dims.g; ++m)
            slots.push_back(m * half + i);
    return slots;
}

at::Tensor blockCovariance(const at::Tensor& keyGram, const ResolvedDims& dims, int64_t block,
                           double damping) {
    const at::Tensor idx = at::tensor(blockSlots(dims, block), at::kLong).to(keyGram.device());
    at::Tensor cb = keyGram.to(at::kDouble).index_select(0, idx).index_select(1, idx);
    const int64_t S = cb.size(0);
    return cb + at::eye(S, cb.options()) * (damping * cb.trace().item<double>() / double(S) + 1e-300);
}

KeyRotation roRope(const at::Tensor& keyGram, const ResolvedDims& dims, bool usePca, double damping) {
    const int64_t g = dims.g, d = dims.d, half = d / 2, f = dims.freqFold, p = dims.keptPerBlock;
    const int64_t P = dims.planes, rR = dims.ropeDim, S = g * f;
    KeyRotation out;
    at::Tensor rot = at::zeros({g * d, g * d}, at::kDouble);
    auto R = rot.accessor<double, 2>();
    out.freqIndex.assign(size_t(P), 0);
    at::Tensor gramCpu = keyGram.to(at::kCPU);
    double ropeEnergy = 0, totalEnergy = gramCpu.trace().item<double>();
    int64_t nopeRow = rR;
    for (int64_t b = 0; b < dims.blocks; ++b) {
        const std::vector<int64_t> slots = blockSlots(dims, b);
        at::Tensor idx = at::tensor(slots, at::kLong);
        at::Tensor basis; // [S, S] fp64 CPU, column c = component c
        if (usePca) {
            auto [evals, evecs] = at::linalg_eigh(blockCovariance(gramCpu, dims, b, damping));
            basis = evecs.flip({1}).contiguous(); // descending eigenvalues
            ropeEnergy += evals.flip({0}).narrow(0, 0, std::min(p, S)).sum().item<double>();
        } else {
            basis = at::eye(S, at::kDouble);
            at::Tensor diag = gramCpu.diagonal().index_select(0, idx);
            ropeEnergy += diag.narrow(0, 0, std::min(p, S)).sum().item<double>();
        }
        auto B = basis.accessor<double, 2>();
        for (int64_t c = 0; c < S; ++c) {
            int64_t rowX, rowY;
            if (c < p) {
                const int64_t k = b * p + c;
                out.freqIndex[size_t(k)] = b * f + (c * f) / p;
                rowX = k;
                rowY = P + k;
            } else {
                rowX = nopeRow++;
                rowY = nopeRow++;
            }
            for (int64_t s = 0; s < S; ++s) {
                const int64_t m = slots[size_t(s)] / half, i = slots[size_t(s)] % half;
                R[rowX][m * d + i] = B[s][c];
                R[rowY][m * d + i + half] = B[s][c];
            }
        }
    }
    out.ropeEnergyFraction = totalEnergy > 0 ? ropeEnergy / totalEnergy : 1.0;
    out.rotation = rot.to(keyGram.device());
    return out;
}

} // namespace transmla::convert
