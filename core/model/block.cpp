#include "model/block.h"

#include <tuple>
#include <utility>

#include <ATen/ATen.h>

#include "kernels/absorbed_weights.h"
#include "kernels/decode_attention.h"
#include "kernels/step_ops.h"
#include "model/arch.h"
#include "model/decode_step.h"

namespace transmla::model {

namespace {

AttentionSpec specFor(const io::ModelConfig& c, int64_t layer, ForwardHooks* hooks, const KvCache* cache) {
    AttentionSpec spec;
    spec.scale = softmaxScale(c);
    if (c.slidingWindow && c.slidingLayers[static_cast<size_t>(layer)]) spec.window = c.slidingWindow;
    spec.softcap = c.attnLogitSoftcap;
    if (hooks && hooks->probsLayer == layer) spec.probsOut = &hooks->probs;
    if (cache) {
        // An empty cache holds only the prompt's own keys: the fused kernel (SDPA) applies as without one.
        spec.queryOffset = cache->length;
        spec.allowFused = cache->length == 0;
    }
    return spec;
}

// The last position's queries alone (dimension `dim` of q is time), at their place among the keys: what a
// prompt's last layer needs when only the last position's output is wanted (prefillCached).
at::Tensor lastQuery(const at::Tensor& q, int64_t dim, AttentionSpec& spec) {
    spec.queryOffset += q.size(dim) - 1;
    return q.narrow(dim, q.size(dim) - 1, 1);
}

// GQA: q [B,T,H,d], k/v [B,T,g,d]; q/k norms per head (if any); RoPE on q and k; attention (over the
// cache, if any); o_proj. lastQueryOnly: every key and value, the output of the last position only.
at::Tensor gqaAttention(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& rope,
                        ForwardHooks* hooks, KvCache* cache, bool lastQueryOnly) {
    const io::ModelConfig& c = m.config;
    const GqaAttention& a = m.layers[static_cast<size_t>(layer)].gqa;
    const int64_t B = x.size(0), T = x.size(1), H = c.numHeads, g = c.numKvHeads, d = c.headDim;
    // q, k and v as one product where they are packed (model.h packProjections: CUDA models).
    std::vector<at::Tensor> qkv = linearPacked(x, {&a.q, &a.k, &a.v});
    if (qkv.empty()) qkv = {linear(x, a.q), linear(x, a.k), linear(x, a.v)};
    at::Tensor q = headNorm(c, qkv[0].view({B, T, H, d}), a.qNorm);
    at::Tensor kPre = headNorm(c, qkv[1].view({B, T, g, d}), a.kNorm); // as preRopeKeys
    at::Tensor v = qkv[2].view({B, T, g, d});
    if (cache && cache->deviceStep) { // T = 1: the fused kernel over the cache (decode_step.h)
        // RoPE on q and k and the cache writes as one kernel where the step's element-wise kernels run.
        at::Tensor qStep =
            kernels::StepOpsScope::active()
                ? kernels::fusedRopeAppend(q, kPre, v, rope.cos, rope.sin, cache->first[size_t(layer)],
                                           cache->second[size_t(layer)], cache->stepPosition)
                : at::Tensor();
        if (!qStep.defined()) {
            qStep = applyRope(q, rope).reshape({B, H, d});
            cache->appendKvAtStep(layer, applyRope(kPre, rope).transpose(1, 2), v.transpose(1, 2));
        }
        at::Tensor out = kernels::decodeAttention(qStep, cache->first[size_t(layer)],
                                                  cache->second[size_t(layer)], cache->stepLengths, d,
                                                  specFor(c, layer, hooks, cache).scale); // {B, H, d}
        return linear(out.view({B, T, H * d}), a.o);
    }
    q = applyRope(q, rope);
    at::Tensor k = applyRope(kPre, rope);
    if (hooks && hooks->onKv) hooks->onKv(layer, kPre, k, v);
    at::Tensor keys = k.transpose(1, 2), values = v.transpose(1, 2);          // {B, g, T, d}
    if (cache) std::tie(keys, values) = cache->appendKv(layer, keys, values); // {B, g, Tc, d}
    AttentionSpec spec = specFor(c, layer, hooks, cache);
    if (lastQueryOnly) q = lastQuery(q, 1, spec);
    at::Tensor out = attend(q.transpose(1, 2), keys, values, spec); // {B, H, Tq, d}
    return linear(out.transpose(1, 2).reshape({B, q.size(1), H * d}), a.o);
}

// What both MLA forms compute from x: the queries split [nope | rope], the latent c (normed) and the
// shared rope key, RoPE applied at the block's positions.
// In the fast decoding step (a StepOpsScope open) the latent and k_rope go to the cache as one kernel, or in
// the absorbed query's launch (rowPending; appended or pending, latent and kRope are undefined). With a
// StepOpsScope open (a decoding step, or a prompt with promptOps) q_rope's RoPE is left to the next kernel
// that reads it (qRopePending: the absorbed query's, or the expanded form's concatenation; each applies it
// with `rope` where its kernel does not run).
struct MlaInputs {
    at::Tensor qNope, qRope; // {B, T, H, dn}, {B, T, H, rR}
    at::Tensor latent;       // {B, T, r}
    at::Tensor kRope;        // {B, T, 1, rR}
    RopeTables rope;         // the layer's tables at the block's positions (rR > 0)
    bool qRopePending = false, appended = false;
    // The fast step over a split query (MlaAttention::qRope): q_rope is left to the absorbed query, which
    // maps q_nope by qRopeMap (qRope undefined until then).
    bool qRopeFromMap = false;
    // The fast step with the absorbed kernels: the cache row goes with the absorbed query's launch
    // (mlaAbsorbed); latent and kRope are then undefined until latentAndKRope.
    kernels::LatentRow row;
    bool rowPending = false;
};

// The normed latent {B, T, r} and the rotated shared key {B, T, 1, rR} from kv_a's product kv {B, T, r + rR}.
std::pair<at::Tensor, at::Tensor> latentAndKRope(const MlaAttention& a, const io::ModelConfig& c,
                                                 const at::Tensor& kv, const RopeTables& rope) {
    const int64_t B = kv.size(0), T = kv.size(1), r = a.rank, rR = a.ropeDim;
    at::Tensor latent = kv.narrow(-1, 0, r);
    if (a.kvANorm.defined()) latent = rmsNorm(latent, a.kvANorm, c.rmsNormEps, false);
    at::Tensor kRope = kv.narrow(-1, r, rR).view({B, T, 1, rR});
    if (rR > 0) kRope = applyRope(kRope, rope);
    return {latent, kRope};
}

// A split query's q_rope {B, T, H, rR} from its q_nope {B, T, H, dn} (a column slice of the packed product)
// and the map [H, dn, rR]: one batched product over the heads, reading q_nope where it is (batch stride dn),
// returned as a strided view of its [H, B * T, rR] result.
at::Tensor mapQueryRope(const at::Tensor& qNope, const at::Tensor& map) {
    const int64_t B = qNope.size(0), T = qNope.size(1), H = qNope.size(2), dn = qNope.size(3);
    const at::Tensor rope = at::bmm(qNope.permute({2, 0, 1, 3}).reshape({H, B * T, dn}), map);
    return rope.view({H, B, T, map.size(2)}).permute({1, 2, 0, 3});
}

// The rest of mlaInputs from the layer's products: q_nope {B, T, H, dn}, q_rope {B, T, H, rR} (undefined:
// from the map, in the absorbed query) and kv {B, T, r + rR}.
MlaInputs mlaInputsFrom(const Model& m, int64_t layer, const at::Tensor& qNope, const at::Tensor& qRope,
                        const at::Tensor& kv, const RopeTables& modelRope, KvCache* cache) {
    const io::ModelConfig& c = m.config;
    const MlaAttention& a = *m.layers[static_cast<size_t>(layer)].mla;
    const int64_t T = qNope.size(1), rR = a.ropeDim, r = a.rank;
    MlaInputs in;
    in.qNope = qNope;
    in.qRope = qRope;
    if (rR > 0)
        in.rope = !a.ropeInvFreq.defined() ? modelRope
                  : cache                  ? cache->mlaRopeTables(m, layer, T)
                                           : ropeTablesFor(a.ropeInvFreq, T, 1.0, 0);
    if (cache && cache->deviceStep && kernels::StepOpsScope::active()) {
        in.row = {kv,
                  r,
                  a.kvANorm,
                  c.rmsNormEps,
                  in.rope.cos,
                  in.rope.sin,
                  cache->first[size_t(layer)],
                  cache->stepPosition};
        in.rowPending = decodeFastPath().absorbKernels && decodeFastPath().absorbFusion;
        in.appended = !in.rowPending && kernels::fusedLatentAppend(in.row);
    }
    if (!in.appended && !in.rowPending) std::tie(in.latent, in.kRope) = latentAndKRope(a, c, kv, in.rope);
    in.qRopePending = rR > 0 && kernels::StepOpsScope::active();
    if (rR > 0 && !in.qRopePending && in.qRope.defined()) in.qRope = applyRope(in.qRope, in.rope);
    return in;
}

MlaInputs mlaInputs(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& modelRope,
                    KvCache* cache) {
    const io::ModelConfig& c = m.config;
    const MlaAttention& a = *m.layers[static_cast<size_t>(layer)].mla;
    const int64_t B = x.size(0), T = x.size(1), H = c.numHeads;
    const int64_t dn = a.nopeDim, rR = a.ropeDim;
    at::Tensor q, kv;
    if (a.normedInput()) { // converted q/k-norm layer (model.h)
        const int64_t g = a.kPre.weight.size(0) / a.kNorm.size(0), d = a.kNorm.size(0);
        const at::Tensor qn = headNorm(c, linear(x, a.qPre).view({B, T, H, d}), a.qNorm); // {B, T, H, d}
        q = at::einsum("bthd,hed->bthe", {qn, a.qUp}); // {B, T, H, dn + rR}
        const at::Tensor kn =
            headNorm(c, linear(x, a.kPre).view({B, T, g, d}), a.kNorm).reshape({B, T, g * d});
        kv = linear(at::cat({kn, linear(x, a.vPre)}, -1), a.kvA); // u [B, T, 2gd] -> {B, T, r + rR}
    } else if (a.qRope.defined()) { // q's rows split (model.h): [q_nope | kv_a | q_rope] packed
        // Where the absorbed query maps q_rope (the fast step, up to its batch): the q_nope | kv_a rows (and
        // the few more qStepRows may take); prompts and the forward map it here, one product per head; steps
        // the kernels do not take read the rope rows (one product instead of a product and an einsum).
        const bool mapped = decodeFastPath().ropeMap, step = cache && cache->deviceStep;
        const bool inKernel = mapped && step && kernels::StepOpsScope::active() &&
                              decodeFastPath().absorbKernels && B <= kernels::kAbsorbMaxBatch;
        const bool rows = !mapped || (step && !inKernel);
        const int64_t nq = a.q.weight.size(0), nkv = a.kvA.weight.size(0);
        const int64_t n = inKernel ? std::max(a.qStepRows, nq + nkv)
                          : rows   ? nq + nkv + a.qRope.weight.size(0)
                                   : nq + nkv;
        const at::Tensor y = linearRows(x, a.q, n);
        const at::Tensor qNope = y.narrow(-1, 0, nq).view({B, T, H, dn});
        const at::Tensor qRope = rows       ? y.narrow(-1, nq + nkv, H * rR).view({B, T, H, rR})
                                 : inKernel ? at::Tensor()
                                            : mapQueryRope(qNope, a.qRopeMap);
        MlaInputs in = mlaInputsFrom(m, layer, qNope, qRope, y.narrow(-1, nq, nkv), modelRope, cache);
        in.qRopeFromMap = inKernel;
        return in;
    } else if (const std::vector<at::Tensor> packed = linearPacked(x, {&a.q, &a.kvA});
               !packed.empty()) { // q and kv_a as one product where packed (model.h)
        q = packed[0];
        kv = packed[1];
    } else {
        q = a.q.defined() ? linear(x, a.q)
                          : linear(rmsNorm(linear(x, a.qA), a.qANorm, c.rmsNormEps, false), a.qB);
        kv = linear(x, a.kvA); // {B, T, r + rR}
    }
    q = q.reshape({B, T, H, dn + rR}); // {B, T, H, dn + rR}
    return mlaInputsFrom(m, layer, q.narrow(-1, 0, dn), q.narrow(-1, dn, rR), kv, modelRope, cache);
}

// Expanded form (DeepSeek-V2/V3 as transformers runs it): per-head keys [k_nope | k_rope], with k_rope
// one shared head, and per-head values from the up-projection. Returns {B, T, H, dv} ({B, 1, H, dv} with
// lastQueryOnly).
at::Tensor mlaExpanded(const MlaAttention& a, const MlaInputs& in, AttentionSpec spec, bool lastQueryOnly) {
    const int64_t B = in.qNope.size(0), T = in.qNope.size(1);
    const int64_t dn = a.nopeDim, rR = a.ropeDim, dv = a.vDim;
    // Keys and values per head, or per group of heads where kv_b's rows are shared (model.h): attend takes
    // them as GQA's kv heads (a quarter of the up-projection and of the keys for a converted Llama).
    const int64_t G = mlaKvBHeads(a);
    at::Tensor kvUp = linear(in.latent, a.kvB).view({B, T, G, dn + dv}); // {B, T, G, dn + dv}
    at::Tensor kNope = kvUp.narrow(-1, 0, dn), v = kvUp.narrow(-1, dn, dv);
    // {B, T, H or G, dn + rR} each; with the step's kernels one pass each (RoPE on the way for q), else
    // ATen's.
    const bool fused = kernels::StepOpsScope::active();
    const at::Tensor kRope = in.kRope.expand({B, T, G, rR});
    at::Tensor qFull = in.qRopePending
                           ? kernels::fusedRopeConcat(in.qNope, in.qRope, in.rope.cos, in.rope.sin)
                           : at::Tensor();
    if (!qFull.defined())
        qFull = at::cat({in.qNope, in.qRopePending ? applyRope(in.qRope, in.rope) : in.qRope}, -1);
    at::Tensor kFull = fused ? kernels::fusedRopeConcat(kNope, kRope) : at::Tensor();
    if (!kFull.defined()) kFull = at::cat({kNope, kRope}, -1);
    if (lastQueryOnly) qFull = lastQuery(qFull, 1, spec);
    // v narrower than q and k: attend's fused GPU path runs it as its kernel wants (modules.h).
    at::Tensor out =
        attend(qFull.transpose(1, 2), kFull.transpose(1, 2), v.transpose(1, 2), spec); // {B, H, T, dv}
    return out.transpose(1, 2);
}

// Absorbed form over the cached latent rows (kv_cache.h): the latent acts as one kv head of width
// r + rR for the scores and r for the weighted sum. Returns {B, T, H, dv} ({B, 1, H, dv} with lastQueryOnly).
at::Tensor mlaAbsorbed(const io::ModelConfig& config, const MlaAttention& a, const MlaInputs& in,
                       KvCache& cache, int64_t layer, AttentionSpec spec, bool lastQueryOnly) {
    const int64_t B = in.qNope.size(0), T = in.qNope.size(1), H = in.qNope.size(2);
    const int64_t dn = a.nopeDim, rR = a.ropeDim, dv = a.vDim, r = a.rank;
    // {G, dn, r}, {G, dv, r}: per head, or per group of H / G heads that share them (model.h); the kernels
    // take either, the einsums per head.
    const int64_t G = mlaKvBHeads(a);
    const at::Tensor wkv = a.kvB.weight.view({G, dn + dv, r});
    const at::Tensor wUK = wkv.narrow(1, 0, dn), wUV = wkv.narrow(1, dn, dv);
    // The einsums over the groups' weights as they are held: heads as {G, H / G}, no repeated copy.
    const int64_t rep = H / G;
    // Both score terms in one product: [q_lat | q_rope] . [c | k_rope], q_lat = q_nope W_UK per head. In the
    // fast step one kernel each side of the decode kernel replaces the einsums' copies and the concatenation.
    const bool fused = cache.deviceStep && kernels::StepOpsScope::active() && decodeFastPath().absorbKernels;
    const at::Tensor noTable;
    const at::Tensor& cos = in.qRopePending ? in.rope.cos : noTable;
    const at::Tensor& sin = in.qRopePending ? in.rope.sin : noTable;
    // q_rope given, or mapped from q_nope by the same kernel (split query rows, model.h).
    const at::Tensor& map = in.qRopeFromMap ? a.qRopeMap : noTable;
    // The step's cache row in the same launch where it is pending (mlaInputs); else alone, or by ATen's ops.
    at::Tensor qCat = fused ? kernels::fusedAbsorbQuery(in.qNope, wUK, in.qRope, cos, sin,
                                                        in.rowPending ? &in.row : nullptr, map)
                            : at::Tensor();
    bool appended = in.appended || (in.rowPending && qCat.defined());
    if (in.rowPending && !appended) {
        appended = kernels::fusedLatentAppend(in.row);
        if (fused) qCat = kernels::fusedAbsorbQuery(in.qNope, wUK, in.qRope, cos, sin, nullptr, map);
    }
    if (!qCat.defined()) {
        const at::Tensor qRopeIn = in.qRope.defined() ? in.qRope : mapQueryRope(in.qNope, a.qRopeMap);
        const at::Tensor qRope = in.qRopePending ? applyRope(qRopeIn, in.rope) : qRopeIn;
        const at::Tensor qLat =
            at::einsum("btgkd,gdr->bgktr", {in.qNope.reshape({B, T, G, rep, dn}), wUK}).reshape({B, H, T, r});
        qCat = at::cat({qLat, qRope.transpose(1, 2)},
                       -1); // {B, H, T, r + rR}
    }
    at::Tensor outLat;      // {B, H, T, r}
    if (cache.deviceStep) { // T = 1: one read of each latent row serves every head (decode_step.h)
        if (!appended) {
            const auto [latent, kRope] = in.latent.defined() ? std::pair(in.latent, in.kRope)
                                                             : latentAndKRope(a, config, in.row.kv, in.rope);
            cache.appendLatentAtStep(layer, latent, kRope.view({B, T, rR}));
        }
        // With the absorbed kernels the decode reduction also runs the absorbed output where it can.
        bool absorbed = false;
        outLat = kernels::decodeAttention(qCat.view({B, H, r + rR}), cache.first[size_t(layer)].unsqueeze(1),
                                          {}, cache.stepLengths, r, spec.scale,
                                          fused && decodeFastPath().absorbFusion ? wUV : at::Tensor(),
                                          &absorbed); // {B, H, r}, or {B, H, dv} absorbed
        if (absorbed) return outLat.view({B, T, H, dv});
        if (const at::Tensor out = fused ? kernels::fusedAbsorbOutput(outLat, wUV) : at::Tensor();
            out.defined())
            return out.view({B, T, H, dv});
        outLat = outLat.unsqueeze(2);
    } else {
        const at::Tensor kCat = cache.appendLatent(layer, in.latent, in.kRope.view({B, T, rR}))
                                    .unsqueeze(1); // {B, 1, Tc, r + rR}
        if (lastQueryOnly) qCat = lastQuery(qCat, 2, spec);
        outLat = attend(qCat, kCat, kCat.narrow(-1, 0, r), spec);
    }
    return at::einsum("bgktr,gvr->btgkv", {outLat.reshape({B, G, rep, outLat.size(2), r}), wUV})
        .reshape({B, outLat.size(2), H, dv}); // {B, T, H, dv}
}

at::Tensor mlaAttention(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& modelRope,
                        ForwardHooks* hooks, KvCache* cache, bool lastQueryOnly) {
    const io::ModelConfig& c = m.config;
    const MlaAttention& a = *m.layers[static_cast<size_t>(layer)].mla;
    const int64_t B = x.size(0), T = x.size(1), H = c.numHeads;
    const MlaInputs in = mlaInputs(m, layer, x, modelRope, cache);
    AttentionSpec spec = specFor(c, layer, hooks, cache);
    spec.scale = softmaxScale(c, a.nopeDim + a.ropeDim);
    // A prompt into an empty cache needs no absorbed form: its latent is stored, and the expanded form
    // (narrower heads, the fused kernel on the GPU) attends as without a cache.
    const bool prompt = cache && cache->length == 0 && T > 1;
    if (prompt) cache->appendLatent(layer, in.latent, in.kRope.view({B, T, a.ropeDim}));
    at::Tensor out = cache && !prompt ? mlaAbsorbed(c, a, in, *cache, layer, spec, lastQueryOnly)
                                      : mlaExpanded(a, in, spec, lastQueryOnly); // {B, Tq, H, dv}
    return linear(out.reshape({B, out.size(1), H * a.vDim}), a.o);
}

} // namespace

at::Tensor headNorm(const io::ModelConfig& c, const at::Tensor& y, const at::Tensor& w) {
    return w.defined() ? rmsNorm(y, w, c.rmsNormEps, archFor(c.family).gemmaNorm) : y;
}

at::Tensor preRopeKeys(const Model& m, int64_t layer, const at::Tensor& x) {
    const io::ModelConfig& c = m.config;
    const GqaAttention& a = m.layers[static_cast<size_t>(layer)].gqa;
    return headNorm(c, linear(x, a.k).view({x.size(0), x.size(1), c.numKvHeads, c.headDim}), a.kNorm);
}

at::Tensor attentionLayer(const Model& m, int64_t layer, const at::Tensor& x, const RopeTables& rope,
                          ForwardHooks* hooks, KvCache* cache, bool lastQueryOnly) {
    if (hooks && hooks->onAttentionInput) hooks->onAttentionInput(layer, x);
    // One position needs no pruning, and the decoding step (T = 1) has its own paths.
    lastQueryOnly = lastQueryOnly && x.size(1) > 1;
    if (m.layers[static_cast<size_t>(layer)].mla)
        return mlaAttention(m, layer, x, rope, hooks, cache, lastQueryOnly);
    return gqaAttention(m, layer, x, rope, hooks, cache, lastQueryOnly);
}

at::Tensor decoderBlock(const Model& m, int64_t i, const at::Tensor& hIn, const RopeTables& rope,
                        ForwardHooks* hooks, KvCache* cache, at::Tensor* residual, bool lastPositionOnly) {
    const io::ModelConfig& c = m.config;
    const ArchTable& arch = archFor(c.family);
    const Layer& L = m.layers[static_cast<size_t>(i)];
    at::Tensor h = hIn, x;
    if (residual && residual->defined()) { // the previous block's last sum, with this block's first norm
        std::tie(h, x) = addRmsNorm(hIn, *residual, L.inputNorm, c.rmsNormEps, arch.gemmaNorm);
        *residual = at::Tensor();
    } else {
        x = rmsNorm(h, L.inputNorm, c.rmsNormEps, arch.gemmaNorm);
    }
    at::Tensor a = attentionLayer(m, i, x, rope, hooks, cache, lastPositionOnly);
    if (a.size(1) < h.size(1)) h = h.narrow(1, h.size(1) - 1, 1); // lastPositionOnly: the rest is done
    if (arch.sandwichNorm) {
        h = h + rmsNorm(a, L.postAttnNorm, c.rmsNormEps, true);
        at::Tensor y = mlp(rmsNorm(h, L.preFfnNorm, c.rmsNormEps, true), L.mlp, c.activation);
        return h + rmsNorm(y, L.postFfnNorm, c.rmsNormEps, true);
    }
    std::tie(h, x) = addRmsNorm(h, a, L.postAttnNorm, c.rmsNormEps, arch.gemmaNorm);
    at::Tensor y = L.experts.empty() ? mlp(x, L.mlp, c.activation) : moe(x, L, c);
    if (residual && !arch.gemmaNorm &&
        kernels::StepOpsScope::active()) { // added by the next block's first norm
        *residual = y;
        return h;
    }
    return h + y;
}

} // namespace transmla::model
