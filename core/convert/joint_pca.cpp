#include "convert/joint_pca.h"

#include <ATen/ATen.h>

namespace transmla::convert {

LatentBasis jointPca(const at::Tensor& mz, const at::Tensor& xGram, int64_t rank, double energy,
                     bool usePca) {
    const int64_t n = mz.size(0);
    at::Tensor cz = at::matmul(at::matmul(mz, xGram), mz.t());
    cz = (cz + cz.t()) / 2; // symmetric to rounding, for eigh
    LatentBasis out;
    if (!usePca) {
        out.basis = at::eye(n, mz.options());
        out.eigenvalues = std::get<0>(cz.diagonal().sort(0, /*descending=*/true));
        out.rank = n;
        return out;
    }
    auto [evals, evecs] = at::linalg_eigh(cz);
    evals = evals.flip({0}).clamp_min(0);
    evecs = evecs.flip({1});
    out.basis = evecs;
    out.eigenvalues = evals;
    out.rank = n;
    return truncateLatent(out, rank, energy);
}

LatentBasis truncateLatent(const LatentBasis& full, int64_t rank, double energy) {
    const at::Tensor& evals = full.eigenvalues;
    const int64_t n = evals.numel();
    const double total = evals.sum().item<double>();
    int64_t r = rank > 0 ? std::min(rank, n) : n;
    if (energy > 0 && total > 0) {
        at::Tensor cum = (evals.cumsum(0) / total).to(at::kCPU);
        r = 1;
        while (r < n && cum[r - 1].item<double>() < energy - 1e-12)
            ++r;
    }
    LatentBasis out;
    out.rank = r;
    out.basis = full.basis.narrow(1, 0, r).contiguous();
    out.eigenvalues = evals;
    out.retainedEnergy = total > 0 ? evals.narrow(0, 0, r).sum().item<double>() / total : 1.0;
    return out;
}

} // namespace transmla::convert
