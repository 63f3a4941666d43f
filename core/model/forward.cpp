#include "model/forward.h"
#include "util/error.h"

#include <cmath>

#include <ATen/ATen.h>

#include "model/arch.h"
#include "model/modules.h"

namespace transmla::model {

namespace {

double attentionScale(const io::ModelConfig& c, int64_t qkDim) {
    if (c.queryPreAttnScalar) return 1.0 / std::sqrt(*c.queryPreAttnScalar);
    return 1.0 / std::sqrt(static_cast<double>(qkDim));
}

AttentionSpec specFor(const io::ModelConfig& c, int64_t layer, int64_t qkDim, ForwardHooks* hooks) {
    AttentionSpec spec;
    spec.scale = attentionScale(c, qkDim);
    if (c.slidingWindow && c.slidingLayers[static_cast<size_t>(layer)]) spec.window = c.slidingWindow;
    spec.softcap = c.attnLogitSoftcap;
    if (hooks && hooks->probsLayer == layer) spec.probsOut = &hooks->probs;
    return spec;
}

// GQA: q [B,T,H,d], k/v [B,T,g,d]; RoPE on q and k; attention; o_proj.
at::Tensor gqaAttention(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& rope,
                        ForwardHooks* hooks) {
    const io::ModelConfig& c = m.config;
    const GqaAttention& a = m.layers[static_cast<size_t>(layer)].gqa;
    const int64_t B = x.size(0), T = x.size(1), H = c.numHeads, g = c.numKvHeads, d = c.headDim;
    at::Tensor q = linear(x, a.q).view({B, T, H, d});
    at::Tensor kPre = linear(x, a.k).view({B, T, g, d});
    at::Tensor v = linear(x, a.v).view({B, T, g, d});
    q = applyRope(q, rope);
    at::Tensor k = applyRope(kPre, rope);
    if (hooks && hooks->onKv) hooks->onKv(layer, kPre, k, v);
    at::Tensor out = attend(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), specFor(c, layer, d, hooks));
    return linear(out.transpose(1, 2).reshape({B, T, H * d}), a.o);
}

// MLA, expanded form (DeepSeek-V2/V3): per-head keys [k_nope | k_rope], with k_rope one shared head.
// The softmax scale is DeepSeek's 1/sqrt(d_n + r_R) for every family (conversions fold any
// difference into the query weights).
at::Tensor mlaAttention(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& modelRope,
                        ForwardHooks* hooks) {
    const io::ModelConfig& c = m.config;
    const MlaAttention& a = *m.layers[static_cast<size_t>(layer)].mla;
    const int64_t B = x.size(0), T = x.size(1), H = c.numHeads;
    const int64_t dn = a.nopeDim, rR = a.ropeDim, dv = a.vDim, r = a.rank;
    at::Tensor q = a.q.defined()
                       ? linear(x, a.q)
                       : linear(rmsNorm(linear(x, a.qA), a.qANorm, c.rmsNormEps, false), a.qB);
    q = q.view({B, T, H, dn + rR});                                     // {B, T, H, dn + rR}
    at::Tensor kv = linear(x, a.kvA);                                   // {B, T, r + rR}
    at::Tensor latent = kv.narrow(-1, 0, r);                            // {B, T, r}
    if (a.kvANorm.defined()) latent = rmsNorm(latent, a.kvANorm, c.rmsNormEps, false);
    at::Tensor kRope = kv.narrow(-1, r, rR).view({B, T, 1, rR});        // {B, T, 1, rR}
    at::Tensor kvUp = linear(latent, a.kvB).view({B, T, H, dn + dv});   // {B, T, H, dn + dv}
    at::Tensor kNope = kvUp.narrow(-1, 0, dn), v = kvUp.narrow(-1, dn, dv);
    at::Tensor qNope = q.narrow(-1, 0, dn), qRope = q.narrow(-1, dn, rR);
    if (rR > 0) {
        const RopeTables rope = a.ropeInvFreq.defined() ? ropeTablesFor(a.ropeInvFreq, T, 1.0) : modelRope;
        qRope = applyRope(qRope, rope);
        kRope = applyRope(kRope, rope);
    }
    at::Tensor qFull = at::cat({qNope, qRope}, -1);                          // {B, T, H, dn + rR}
    at::Tensor kFull = at::cat({kNope, kRope.expand({B, T, H, rR})}, -1);    // {B, T, H, dn + rR}
    AttentionSpec spec = specFor(c, layer, dn + rR, hooks);
    spec.scale = 1.0 / std::sqrt(static_cast<double>(dn + rR));
    at::Tensor out = attend(qFull.transpose(1, 2), kFull.transpose(1, 2), v.transpose(1, 2), spec); // {B, H, T, dv}
    return linear(out.transpose(1, 2).reshape({B, T, H * dv}), a.o);
}

at::Tensor attentionWithRope(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& rope,
                             ForwardHooks* hooks) {
    if (hooks && hooks->onAttentionInput) hooks->onAttentionInput(layer, x);
    if (m.layers[static_cast<size_t>(layer)].mla) return mlaAttention(m, layer, x, rope, hooks);
    return gqaAttention(m, layer, x, rope, hooks);
}

at::Tensor decoderLayer(const Model& m, int64_t i, at::Tensor h, const RopeTables& rope, ForwardHooks* hooks) {
    const io::ModelConfig& c = m.config;
    const ArchTable& arch = archFor(c.family);
    const Layer& L = m.layers[static_cast<size_t>(i)];
    at::Tensor x = rmsNorm(h, L.inputNorm, c.rmsNormEps, arch.gemmaNorm);
    at::Tensor a = attentionWithRope(m, i, x, rope, hooks);
    if (arch.sandwichNorm) {
        h = h + rmsNorm(a, L.postAttnNorm, c.rmsNormEps, true);
        at::Tensor y = mlp(rmsNorm(h, L.preFfnNorm, c.rmsNormEps, true), L.mlp, c.activation);
        return h + rmsNorm(y, L.postFfnNorm, c.rmsNormEps, true);
    }
    h = h + a;
    x = rmsNorm(h, L.postAttnNorm, c.rmsNormEps, arch.gemmaNorm);
    return h + (L.experts.empty() ? mlp(x, L.mlp, c.activation) : moe(x, L, c));
}

} // namespace

at::Tensor attentionBlock(const Model& m, int64_t layer, const at::Tensor& x, ForwardHooks* hooks) {
    return attentionWithRope(m, layer, x, ropeTables(m.config, x.size(1), x.device()), hooks);
}

at::Tensor embedTokens(const Model& m, const at::Tensor& ids) {
    at::Tensor h = at::embedding(m.embed, ids.to(m.embed.device()));
    // Streamed models keep the table mapped on the host in the checkpoint's dtype.
    if (h.device() != m.device() || h.scalar_type() != m.computeDtype()) h = h.to(m.device(), m.computeDtype());
    if (archFor(m.config.family).embedScale) {
        // Gemma casts the normaliser to the hidden dtype before multiplying.
        h = h * at::scalar_tensor(std::sqrt(static_cast<double>(m.config.hiddenSize)), h.options());
    }
    return h;
}

at::Tensor runLayer(const Model& m, int64_t layer, const at::Tensor& h, ForwardHooks* hooks) {
    return decoderLayer(m, layer, h, ropeTables(m.config, h.size(1), h.device()), hooks);
}

at::Tensor inputNorm(const Model& m, int64_t layer, const at::Tensor& h) {
    return rmsNorm(h, m.layers[static_cast<size_t>(layer)].inputNorm, m.config.rmsNormEps, archFor(m.config.family).gemmaNorm);
}

void checkTokenIds(const Model& m, const at::Tensor& hostIds, const std::string& source) {
    if (!hostIds.numel() || !hostIds.device().is_cpu()) return;
    const int64_t lo = hostIds.min().item<int64_t>(), hi = hostIds.max().item<int64_t>();
    if (lo < 0 || hi >= m.config.vocabSize)
        throw FormatError((m.dir / "config.json").string(), "vocab_size",
                          "token id " + std::to_string(lo < 0 ? lo : hi) + " from " + source + " is outside [0, " +
                              std::to_string(m.config.vocabSize) + "): the tokenizer does not belong to this model");
}

at::Tensor forwardHidden(const Model& m, const at::Tensor& ids, ForwardHooks* hooks) {
    checkTokenIds(m, ids, "the input");
    const io::ModelConfig& c = m.config;
    if (m.streamed())
        throw ArgumentError(m.dir.string() + ": loaded streamed (one layer at a time, for conversion); load it whole to run it");
    at::Tensor h = embedTokens(m, ids);
    const int64_t last = hooks && hooks->lastLayer >= 0 ? hooks->lastLayer : c.numLayers - 1;
    const RopeTables rope = ropeTables(c, ids.size(1), h.device());
    for (int64_t i = 0; i <= last; ++i) h = decoderLayer(m, i, h, rope, hooks);
    return rmsNorm(h, m.finalNorm, c.rmsNormEps, archFor(c.family).gemmaNorm);
}

at::Tensor logitsFromHidden(const Model& m, const at::Tensor& hidden) {
    at::Tensor logits = at::linear(hidden, m.lmHead);
    if (logits.scalar_type() != at::kDouble) logits = logits.to(at::kFloat);
    if (m.config.finalLogitSoftcap) {
        const double cap = *m.config.finalLogitSoftcap;
        logits = at::tanh(logits / cap) * cap;
    }
    return logits;
}

at::Tensor forwardLogits(const Model& m, const at::Tensor& ids, ForwardHooks* hooks) {
    return logitsFromHidden(m, forwardHidden(m, ids, hooks));
}

} // namespace transmla::model
