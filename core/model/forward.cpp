#include "model/forward.h"
#include "util/error.h"

#include <cmath>

#include <ATen/ATen.h>

#include "kernels/step_ops.h"
#include "model/arch.h"
#include "model/block.h"
#include "model/decode_step.h"
#include "model/modules.h"

namespace transmla::model {

at::Tensor attentionBlock(const Model& m, int64_t layer, const at::Tensor& x, ForwardHooks* hooks) {
    return attentionLayer(m, layer, x, layerRopeTables(m.config, layer, x.size(1), x.device()), hooks,
                          nullptr);
}

at::Tensor embedTokens(const Model& m, const at::Tensor& ids) {
    at::Tensor h = at::embedding(m.embed, ids.to(m.embed.device()));
    // Streamed models keep the table mapped on the host in the checkpoint's dtype.
    if (h.device() != m.device() || h.scalar_type() != m.computeDtype())
        h = h.to(m.device(), m.computeDtype());
    if (archFor(m.config.family).embedScale) {
        // Gemma casts the normaliser to the hidden dtype before multiplying.
        h = h * at::scalar_tensor(std::sqrt(static_cast<double>(m.config.hiddenSize)), h.options());
    }
    return h;
}

at::Tensor runLayer(const Model& m, int64_t layer, const at::Tensor& h, ForwardHooks* hooks) {
    return decoderBlock(m, layer, h, layerRopeTables(m.config, layer, h.size(1), h.device()), hooks, nullptr);
}

at::Tensor inputNorm(const Model& m, int64_t layer, const at::Tensor& h) {
    return rmsNorm(h, m.layers[static_cast<size_t>(layer)].inputNorm, m.config.rmsNormEps,
                   archFor(m.config.family).gemmaNorm);
}

void checkTokenIds(const Model& m, const at::Tensor& hostIds, const std::string& source) {
    if (!hostIds.numel() || !hostIds.device().is_cpu()) return;
    const int64_t lo = hostIds.min().item<int64_t>(), hi = hostIds.max().item<int64_t>();
    if (lo < 0 || hi >= m.config.vocabSize)
        throw FormatError((m.dir / "config.json").string(), "vocab_size",
                          "token id " + std::to_string(lo < 0 ? lo : hi) + " from " + source +
                              " is outside [0, " + std::to_string(m.config.vocabSize) +
                              "): the tokenizer does not belong to this model");
}

at::Tensor forwardHidden(const Model& m, const at::Tensor& ids, ForwardHooks* hooks, KvCache* cache,
                         bool lastPositionOnly) {
    checkTokenIds(m, ids, "the input");
    const io::ModelConfig& c = m.config;
    const int64_t T = ids.size(1);
    if (m.streamed())
        throw ArgumentError(
            m.dir.string() +
            ": loaded streamed (one layer at a time, for conversion); load it whole to run it");
    if (cache && cache->length + T > cache->capacity)
        throw ArgumentError("KV cache full: " + std::to_string(cache->length + T) + " > capacity " +
                            std::to_string(cache->capacity));
    const int64_t last = hooks && hooks->lastLayer >= 0 ? hooks->lastLayer : c.numLayers - 1;
    if (cache && last != c.numLayers - 1)
        throw ArgumentError("a KV cache needs every layer (ForwardHooks::lastLayer)");
    if (cache) {
        cache->layerRope = {}; // MLA layers' tables of the last forward's positions (kv_cache.h)
        // Gemma-3's local RoPE tables are built from the host-side length: no device step there.
        cache->deviceStep = !c.ropeLocalTheta && deviceDecodeStep(m, *cache, T, hooks);
        if (cache->deviceStep) beginDeviceStep(*cache, T);
    }
    // The decoding step's norms and RoPE as one kernel each (kernels/step_ops.h); a prompt into the cache
    // likewise where promptOps is on (decode_step.h).
    const bool promptOps = cache && !cache->deviceStep && T > 1 && !hooks && decodeFastPath().promptOps;
    const kernels::StepOpsScope stepOps((cache && cache->deviceStep && decodeFastPath().stepOps) ||
                                        promptOps);
    at::Tensor h = embedTokens(m, ids);
    const RopeTables rope = cache ? cache->ropeTables(c, T, h.device()) : ropeTables(c, T, h.device());
    // Gemma-3's sliding layers: their own base, at the same positions.
    const RopeTables local = c.ropeLocalTheta ? ropeTablesFor(localRopeInverseFrequencies(c, h.device()), T,
                                                              1.0, cache ? cache->length : 0)
                                              : RopeTables{};
    // Inside the step-ops scope each block leaves its last residual add to the next block's first norm, the
    // last block to the final norm (one kernel each instead of two).
    at::Tensor residual;
    for (int64_t i = 0; i <= last; ++i)
        h = decoderBlock(m, i, h, usesLocalRope(c, i) ? local : rope, hooks, cache, &residual,
                         lastPositionOnly && !hooks && i == last);
    if (cache) {
        cache->length += T;
        cache->deviceStep = false;
        cache->layerRope = {};
    }
    const bool gemmaNorm = archFor(c.family).gemmaNorm;
    return residual.defined() ? addRmsNorm(h, residual, m.finalNorm, c.rmsNormEps, gemmaNorm).second
                              : rmsNorm(h, m.finalNorm, c.rmsNormEps, gemmaNorm);
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
