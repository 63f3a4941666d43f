#include "model/kv_cache.h"

#include <cmath>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/arch.h"
#include "model/forward.h"
#include "model/modules.h"
#include "util/error.h"

namespace transmla::model {

namespace {

// q [B, H, Tn, dq] at positions offset.., k/v [B, G, Tc, d] at positions 0..Tc-1.
at::Tensor attendCached(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t offset,
                        const io::ModelConfig& c, int64_t layer, double scale) {
    const int64_t B = q.size(0), H = q.size(1), Tn = q.size(2), G = k.size(1), Tc = k.size(2), rep = H / G;
    at::Tensor scores = at::matmul(q.reshape({B, G, rep * Tn, q.size(-1)}), k.transpose(-1, -2)).view({B, H, Tn, Tc}) * scale;
    if (c.attnLogitSoftcap) scores = at::tanh(scores / *c.attnLogitSoftcap) * *c.attnLogitSoftcap;
    const bool windowed = c.slidingWindow && c.slidingLayers[size_t(layer)];
    if (Tn > 1 || windowed) { // one new token without a window sees the whole cache: no mask to build
        auto opts = at::TensorOptions().dtype(at::kLong).device(q.device());
        at::Tensor i = at::arange(offset, offset + Tn, opts).unsqueeze(1), j = at::arange(Tc, opts).unsqueeze(0);
        at::Tensor allowed = j <= i;
        if (windowed) allowed = allowed.logical_and(i - j < *c.slidingWindow);
        scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
    }
    at::Tensor probs = at::softmax(scores, -1, scores.scalar_type() == at::kDouble ? at::kDouble : at::kFloat).to(v.scalar_type());
    return at::matmul(probs.view({B, G, rep * Tn, Tc}), v).view({B, H, Tn, v.size(-1)});
}

at::Tensor gqaCached(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& rope, KvCache& cache) {
    const auto& c = m.config;
    const GqaAttention& a = m.layers[size_t(layer)].gqa;
    const int64_t B = x.size(0), Tn = x.size(1), H = c.numHeads, g = c.numKvHeads, d = c.headDim, t0 = cache.length;
    at::Tensor q = applyRope(linear(x, a.q).view({B, Tn, H, d}), rope);
    at::Tensor k = applyRope(linear(x, a.k).view({B, Tn, g, d}), rope);
    // Cache layout [B, g, capacity, d]: the first Tc positions of every (b, head) are one strided
    // matrix, so the attention products read the cache in place (no per-step copy).
    cache.first[size_t(layer)].narrow(2, t0, Tn).copy_(k.transpose(1, 2));
    cache.second[size_t(layer)].narrow(2, t0, Tn).copy_(linear(x, a.v).view({B, Tn, g, d}).transpose(1, 2));
    at::Tensor K = cache.first[size_t(layer)].narrow(2, 0, t0 + Tn);
    at::Tensor V = cache.second[size_t(layer)].narrow(2, 0, t0 + Tn);
    const double scale = c.queryPreAttnScalar ? 1.0 / std::sqrt(*c.queryPreAttnScalar) : 1.0 / std::sqrt(double(d));
    at::Tensor out = attendCached(q.transpose(1, 2), K, V, t0, c, layer, scale);
    return linear(out.transpose(1, 2).reshape({B, Tn, H * d}), a.o);
}

at::Tensor mlaCached(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& modelRope, KvCache& cache) {
    const auto& c = m.config;
    const MlaAttention& a = *m.layers[size_t(layer)].mla;
    const int64_t B = x.size(0), Tn = x.size(1), H = c.numHeads, t0 = cache.length;
    const int64_t dn = a.nopeDim, rR = a.ropeDim, dv = a.vDim, r = a.rank;
    at::Tensor q = a.q.defined() ? linear(x, a.q) : linear(rmsNorm(linear(x, a.qA), a.qANorm, c.rmsNormEps, false), a.qB);
    q = q.view({B, Tn, H, dn + rR});
    at::Tensor kv = linear(x, a.kvA);
    at::Tensor latent = kv.narrow(-1, 0, r);                                          // {B, Tn, r}
    if (a.kvANorm.defined()) latent = rmsNorm(latent, a.kvANorm, c.rmsNormEps, false);
    at::Tensor qRope = q.narrow(-1, dn, rR), kRope = kv.narrow(-1, r, rR).view({B, Tn, 1, rR});
    if (rR > 0) {
        const RopeTables rope = a.ropeInvFreq.defined() ? ropeTablesFor(a.ropeInvFreq, Tn, 1.0, t0) : modelRope;
        qRope = applyRope(qRope, rope);
        kRope = applyRope(kRope, rope);
    }
    // One cache row per token: [latent c (r) | k_rope (r_R)]. The score product reads it whole, the
    // weighted sum reads its latent part in place (a strided view), so nothing is concatenated per step.
    at::Tensor rows = cache.first[size_t(layer)].narrow(1, t0, Tn);
    rows.narrow(-1, 0, r).copy_(latent);
    rows.narrow(-1, r, rR).copy_(kRope.view({B, Tn, rR}));
    const at::Tensor kCat = cache.first[size_t(layer)].narrow(1, 0, t0 + Tn).unsqueeze(1); // {B, 1, Tc, r + rR}
    const at::Tensor C = kCat.narrow(-1, 0, r);                                            // {B, 1, Tc, r}
    const at::Tensor wkv = a.kvB.weight.view({H, dn + dv, r});
    const at::Tensor wUK = wkv.narrow(1, 0, dn), wUV = wkv.narrow(1, dn, dv);          // {H, dn, r}, {H, dv, r}
    at::Tensor qLat = at::einsum("bthd,hdr->bhtr", {q.narrow(-1, 0, dn), wUK});        // {B, H, Tn, r}
    // Both score terms in one product: [q_lat | q_rope] . [c | k_rope]; the latent acts as one kv head.
    at::Tensor qCat = at::cat({qLat, qRope.transpose(1, 2)}, -1);                      // {B, H, Tn, r + rR}
    at::Tensor outLat = attendCached(qCat, kCat, C, t0, c, layer, 1.0 / std::sqrt(double(dn + rR))); // {B, H, Tn, r}
    at::Tensor out = at::einsum("bhtr,hvr->bthv", {outLat, wUV});                      // {B, Tn, H, dv}
    return linear(out.reshape({B, Tn, H * dv}), a.o);
}

} // namespace

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
    const auto& c = m.config;
    const ArchTable& arch = archFor(c.family);
    const int64_t Tn = ids.size(1), t0 = cache.length;
    if (t0 + Tn > cache.capacity)
        throw ArgumentError("KV cache full: " + std::to_string(t0 + Tn) + " > capacity " + std::to_string(cache.capacity));
    // RoPE for the new positions only. The inverse frequencies are recomputed on the host (dynamic
    // scalings depend on the length) but uploaded only when they change: an upload from pageable
    // memory waits for the device, which would stop the host from queueing the next steps' kernels.
    double scaling = 1.0;
    const at::Tensor inv = ropeInverseFrequencies(c, t0 + Tn, &scaling).to(at::kFloat);
    if (!cache.ropeInvFreqHost.defined() || scaling != cache.ropeScaling || !at::equal(inv, cache.ropeInvFreqHost)) {
        cache.ropeInvFreqHost = inv;
        cache.ropeInvFreq = inv.to(m.device());
        cache.ropeScaling = scaling;
    }
    const RopeTables rope = ropeTablesFor(cache.ropeInvFreq, Tn, scaling, t0);
    at::Tensor h = embedTokens(m, ids);
    for (int64_t i = 0; i < c.numLayers; ++i) {
        const Layer& L = m.layers[size_t(i)];
        at::Tensor x = inputNorm(m, i, h);
        at::Tensor a = L.mla ? mlaCached(m, i, x, rope, cache) : gqaCached(m, i, x, rope, cache);
        if (arch.sandwichNorm) {
            h = h + rmsNorm(a, L.postAttnNorm, c.rmsNormEps, true);
            h = h + rmsNorm(mlp(rmsNorm(h, L.preFfnNorm, c.rmsNormEps, true), L.mlp, c.activation), L.postFfnNorm,
                            c.rmsNormEps, true);
        } else {
            h = h + a;
            at::Tensor y = rmsNorm(h, L.postAttnNorm, c.rmsNormEps, arch.gemmaNorm);
            h = h + (L.experts.empty() ? mlp(y, L.mlp, c.activation) : moe(y, L, c));
        }
    }
    cache.length += Tn;
    return logitsFromHidden(m, rmsNorm(h, m.finalNorm, c.rmsNormEps, arch.gemmaNorm));
}

at::Tensor generateGreedy(const Model& m, const at::Tensor& prompt, int64_t steps, KvCache* cacheOut) {
    c10::InferenceMode guard;
    KvCache cache = allocateCache(m, prompt.size(0), prompt.size(1) + steps);
    at::Tensor ids = prompt.to(m.device());
    at::Tensor logits = forwardCached(m, ids, cache);
    for (int64_t s = 0; s < steps; ++s) {
        at::Tensor next = logits.select(1, logits.size(1) - 1).argmax(-1, true); // {B, 1}
        ids = at::cat({ids, next}, 1);
        if (s + 1 < steps) logits = forwardCached(m, next, cache);
    }
    if (cacheOut) *cacheOut = std::move(cache);
    return ids;
}

} // namespace transmla::model
