#include <ATen/ATen.h>

#include "kernels/step_ops.h"
#include "model/modules.h"

namespace transmla::model {

namespace {
at::Tensor activate(const at::Tensor& x, io::Activation act) {
    switch (act) {
    case io::Activation::Silu:
        return at::silu(x);
    case io::Activation::GeluTanh:
        return at::gelu(x, "tanh");
    case io::Activation::Gelu:
        return at::gelu(x);
    }
    return x;
}
} // namespace

at::Tensor mlp(const at::Tensor& x, const Mlp& m, io::Activation act) {
    // gate and up as one product where packed (model.h); in the decoding step SiLU * up as one kernel.
    const bool step = kernels::StepOpsScope::active();
    std::vector<at::Tensor> gu = linearPacked(x, {&m.gate, &m.up});
    if (gu.empty()) gu = {linear(x, m.gate), linear(x, m.up)};
    const at::Tensor &gate = gu[0], &up = gu[1];
    if (act == io::Activation::Silu && step)
        if (at::Tensor y = kernels::fusedSiluMul(gate, up); y.defined()) return linear(y, m.down);
    return linear(activate(gate, act) * up, m.down);
}

// Mixtral: softmax over the router logits in fp32, keep the top k, renormalise, and sum the
// chosen experts' outputs weighted. Tokens are gathered per expert, so each expert runs once.
at::Tensor moe(const at::Tensor& x, const Layer& layer, const io::ModelConfig& c) {
    const auto shape = x.sizes().vec();
    at::Tensor flat = x.reshape({-1, x.size(-1)});
    at::Tensor probs = at::softmax(linear(flat, layer.router), -1, at::kFloat);
    auto [weights, experts] = at::topk(probs, c.numExpertsPerTok, -1);
    weights = (weights / weights.sum(-1, true)).to(x.scalar_type());
    at::Tensor out = at::zeros_like(flat);
    for (int64_t e = 0; e < c.numExperts; ++e) {
        at::Tensor hit = (experts == e);                     // [N, k]
        at::Tensor rows = hit.any(-1).nonzero().squeeze(-1); // tokens routed to e
        if (rows.numel() == 0) continue;
        at::Tensor w = (weights * hit.to(weights.scalar_type())).sum(-1).index_select(0, rows).unsqueeze(-1);
        at::Tensor y = mlp(flat.index_select(0, rows), layer.experts[e], c.activation) * w;
        out.index_add_(0, rows, y);
    }
    return out.view(shape);
}

} // namespace transmla::model
