#include "model/kv_cache.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/decode_step.h"
#include "model/forward.h"

namespace transmla::model {

int64_t KvCache::bytes() const {
    int64_t n = 0;
    for (size_t i = 0; i < first.size(); ++i)
        n += int64_t(first[i].nbytes()) + (second[i].defined() ? int64_t(second[i].nbytes()) : 0);
    return n;
}

int64_t KvCache::bytesPerToken() const {
    if (first.empty() || capacity == 0) return 0;
    return bytes() / (capacity * first[0].size(0));
}

std::pair<at::Tensor, at::Tensor> KvCache::appendKv(int64_t layer, const at::Tensor& k, const at::Tensor& v) {
    // Layout [B, g, capacity, d]: the first positions of every (b, head) are one strided matrix, so
    // the attention products read the cache in place (no per-step copy).
    const int64_t Tn = k.size(2);
    first[size_t(layer)].narrow(2, length, Tn).copy_(k);
    second[size_t(layer)].narrow(2, length, Tn).copy_(v);
    return {first[size_t(layer)].narrow(2, 0, length + Tn), second[size_t(layer)].narrow(2, 0, length + Tn)};
}

at::Tensor KvCache::appendLatent(int64_t layer, const at::Tensor& latent, const at::Tensor& kRope) {
    // One row per token: the score product reads it whole, the weighted sum reads its latent part in
    // place (a strided view), so nothing is concatenated per step.
    const int64_t Tn = latent.size(1), r = latent.size(-1);
    at::Tensor rows = first[size_t(layer)].narrow(1, length, Tn);
    rows.narrow(-1, 0, r).copy_(latent);
    rows.narrow(-1, r, kRope.size(-1)).copy_(kRope);
    return first[size_t(layer)].narrow(1, 0, length + Tn);
}

void KvCache::appendKvAtStep(int64_t layer, const at::Tensor& k, const at::Tensor& v) {
    first[size_t(layer)].index_copy_(2, stepPosition, k);
    second[size_t(layer)].index_copy_(2, stepPosition, v);
}

void KvCache::appendLatentAtStep(int64_t layer, const at::Tensor& latent, const at::Tensor& kRope) {
    first[size_t(layer)].index_copy_(1, stepPosition, at::cat({latent, kRope}, -1));
}

RopeTables KvCache::ropeTablesOf(const at::Tensor& invFreq, int64_t Tn, double scaling) const {
    return deviceStep ? ropeTablesAt(invFreq, Tn, scaling, stepPosition)
                      : ropeTablesFor(invFreq, Tn, scaling, length);
}

RopeTables KvCache::mlaRopeTables(const Model& m, int64_t layer, int64_t Tn) {
    const at::Tensor& own = m.layers[size_t(layer)].mla->ropeInvFreq;
    if (!layerInvFreq.defined()) {
        std::vector<at::Tensor> rows; // layers without frequencies of this count: zeros, never read
        for (const Layer& L : m.layers)
            rows.push_back(L.mla && L.mla->ropeInvFreq.defined() && L.mla->ropeInvFreq.sizes() == own.sizes()
                               ? L.mla->ropeInvFreq.to(at::kFloat)
                               : at::zeros(own.sizes(), own.options().dtype(at::kFloat)));
        layerInvFreq = at::stack(rows); // [layers, n], on the model's device
    }
    if (layerInvFreq.size(1) != own.size(0)) return ropeTablesOf(own, Tn, 1.0);
    if (!layerRope.cos.defined() || layerRope.cos.size(1) != Tn) {
        // ropeTablesFor / ropeTablesAt's arithmetic for all layers: position x frequency in fp32, [f | f].
        const auto opts = at::TensorOptions().dtype(at::kFloat).device(layerInvFreq.device());
        const at::Tensor pos = deviceStep ? stepPosition.to(at::kFloat) + at::arange(Tn, opts)
                                          : at::arange(length, length + Tn, opts);
        const at::Tensor freqs = pos.view({1, Tn, 1}) * layerInvFreq.unsqueeze(1); // [layers, Tn, n]
        const at::Tensor emb = at::cat({freqs, freqs}, -1);                        // [layers, Tn, 2n]
        layerRope = {emb.cos(), emb.sin()};
    }
    return {layerRope.cos[layer], layerRope.sin[layer]};
}

RopeTables KvCache::ropeTables(const io::ModelConfig& c, int64_t Tn, at::Device device) {
    // The inverse frequencies are recomputed on the host (dynamic scalings depend on the length) but
    // uploaded only when they change: an upload from pageable memory waits for the device, which would
    // stop the host from queueing the next steps' kernels.
    double scaling = 1.0;
    const at::Tensor inv = ropeInverseFrequencies(c, length + Tn, &scaling).to(at::kFloat);
    if (!ropeInvFreqHost.defined() || scaling != ropeScaling || !at::equal(inv, ropeInvFreqHost)) {
        ropeInvFreqHost = inv;
        ropeInvFreq = inv.to(device);
        ropeScaling = scaling;
    }
    return ropeTablesOf(ropeInvFreq, Tn, scaling);
}

KvCache allocateCache(const Model& m, int64_t batch, int64_t capacity) {
    const auto& c = m.config;
    KvCache cache;
    cache.capacity = capacity;
    auto opts = at::TensorOptions().dtype(m.computeDtype()).device(m.device());
    for (const auto& L : m.layers) {
        if (L.mla) {
            cache.first.push_back(at::zeros({batch, capacity, L.mla->rank + L.mla->ropeDim}, opts));
            cache.second.emplace_back();
        } else {
            cache.first.push_back(at::zeros({batch, c.numKvHeads, capacity, c.headDim}, opts));
            cache.second.push_back(at::zeros({batch, c.numKvHeads, capacity, c.headDim}, opts));
        }
    }
    return cache;
}

at::Tensor forwardCached(const Model& m, const at::Tensor& ids, KvCache& cache) {
    if (at::Tensor logits = decodeStepWithGraph(m, ids, cache); logits.defined()) return logits;
    return logitsFromHidden(m, forwardHidden(m, ids, nullptr, &cache));
}

at::Tensor prefillCached(const Model& m, const at::Tensor& ids, KvCache& cache) {
    if (ids.size(1) == 1) return forwardCached(m, ids, cache);
    // The last layer's attention output and MLP for the last position only (its keys for every position):
    // 1/L of the prompt's work less (BENCHMARKS.md, issue 17).
    return logitsFromHidden(m, forwardHidden(m, ids, nullptr, &cache, /*lastPositionOnly=*/true));
}

at::Tensor generateGreedy(const Model& m, const at::Tensor& prompt, int64_t steps, KvCache* cacheOut) {
    c10::InferenceMode guard;
    KvCache cache = allocateCache(m, prompt.size(0), prompt.size(1) + steps);
    at::Tensor ids = prompt.to(m.device());
    at::Tensor logits = prefillCached(m, ids, cache);
    for (int64_t s = 0; s < steps; ++s) {
        at::Tensor next = logits.select(1, logits.size(1) - 1).argmax(-1, true); // {B, 1}
        ids = at::cat({ids, next}, 1);
        if (s + 1 < steps) logits = forwardCached(m, next, cache);
    }
    if (cacheOut) *cacheOut = std::move(cache);
    return ids;
}

} // namespace transmla::model
