#include "convert/pca_activations.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/pipeline.h"
#include "model/forward.h"
#include "model/model.h"
#include "util/error.h"

namespace transmla::convert {

void regatherInputGrams(const model::Model& source, const model::Model& original, const at::Tensor& ids,
                        int64_t microBatch, std::vector<LayerStats>& stats, int64_t first, int64_t last,
                        const Progress& progress) {
    c10::InferenceMode guard;
    std::vector<at::Tensor> grams(size_t(last - first + 1));
    int64_t tokens = 0;
    for (int64_t b = 0; b < ids.size(0); b += microBatch) {
        progress.checkCancel();
        at::Tensor h = model::embedTokens(
            source, ids.narrow(0, b, std::min(microBatch, ids.size(0) - b)).to(source.device()));
        tokens += h.size(0) * h.size(1);
        for (int64_t l = 0; l <= last; ++l) {
            if (l >= first) {
                // The norm before the attention is untouched by a conversion: source's equals original's.
                const at::Tensor xa = pcaInputRows(original, l, model::inputNorm(source, l, h));
                at::Tensor& g = grams[size_t(l - first)];
                g = g.defined() ? g.addmm_(xa.t(), xa) : at::matmul(xa.t(), xa);
            }
            if (l < last) h = model::runLayer(source, l, h);
        }
    }
    for (int64_t l = first; l <= last; ++l)
        stats[size_t(l)].xGram = grams[size_t(l - first)] / double(tokens);
}

void checkPcaActivations(const model::Model& original, const ConvertSettings& settings) {
    if (settings.pcaActivations == PcaActivations::Best)
        throw ArgumentError(
            "pca_activations best: choose the source on held-out text first (convert/search.h)");
    if (!settings.exact && settings.pcaActivations != PcaActivations::Original && original.streamed())
        throw ArgumentError("pca_activations " + pcaActivationsName(settings.pcaActivations) +
                            " needs the whole model resident (no streaming)");
}

std::vector<LayerStats> pcaActivationStats(const model::Model& original, const at::Tensor& ids,
                                           const ConvertSettings& settings,
                                           const std::vector<LayerStats>& originalStats,
                                           const Progress& progress) {
    c10::InferenceMode guard;
    checkPcaActivations(original, settings);
    std::vector<LayerStats> stats = originalStats;
    if (settings.exact || settings.pcaActivations == PcaActivations::Original) return stats;
    const int64_t L = original.config.numLayers, micro = settings.calibration.microBatch;
    const at::Tensor dev = ids.to(original.device());
    ConvertSettings plain = settings;
    plain.pcaActivations = PcaActivations::Original; // the conversions below use the stats as given
    if (settings.pcaActivations == PcaActivations::PartialRope) {
        model::Model full = original; // shares the weights; the conversion replaces the attention
        convertFromStats(full, fullRankSettings(plain), originalStats, {{}, progress.cancel});
        regatherInputGrams(full, original, dev, micro, stats, 0, L - 1, progress);
        return stats;
    }
    // Sequential: layer 0 sees the original inputs; layer l's Gram is taken once layers < l are
    // converted with theirs.
    model::Model sofar = original;
    for (int64_t l = 1; l < L; ++l) {
        progress(l, L, "pca activations");
        convertLayerFromStats(sofar, l - 1, stats[size_t(l - 1)], plain);
        regatherInputGrams(sofar, original, dev, micro, stats, l, l, progress);
    }
    return stats;
}

} // namespace transmla::convert
