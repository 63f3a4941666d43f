#include "convert/pipeline.h"

#include <chrono>
#include <cmath>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/assemble.h"
#include "convert/balance_kv.h"
#include "convert/calibration.h"
#include "convert/pca_activations.h"
#include "convert/qk_norm.h"
#include "model/modules.h"

namespace transmla::convert {

namespace {

// Everything of one layer's conversion that does not depend on the rank: the RoRoPE rotation,
// the KV balance and the joint PCA's full eigenbasis (truncating it later is what a fresh
// conversion at that rank computes, so a rank change needs no recalibration).
LayerBasis layerBasis(const model::Model& m, int64_t layer, const LayerStats* stats, const ConvertSettings& s,
                      const ResolvedDims& dims) {
    const auto& c = m.config;
    const int64_t D = c.hiddenSize, g = dims.g, d = dims.d, rR = dims.ropeDim, n = g * d - rR;
    const at::Device dev = m.device();
    const model::Layer& L = m.layers[size_t(layer)];
    // q/k-norm layers: k and v are selections of u = [normed keys; values] (qk_norm.h).
    const bool normed = hasQkNorm(L);
    const at::Tensor k = normed ? selectNormedKeys(g * d, dev) : augmented(L.gqa.k, g * d, D, dev);
    const at::Tensor v = normed ? selectValues(g * d, dev) : augmented(L.gqa.v, g * d, D, dev);
    LayerBasis b;
    // Without statistics (exact mode) the Gram is the identity: the rotations are then fixed anyway.
    const at::Tensor xGram = stats ? stats->xGram : at::eye(k.size(1), k.options());
    const at::Tensor keyGram = stats ? stats->keyGram : at::eye(g * d / 2, k.options());
    b.rotation = roRope(keyGram, dims, s.rorope, s.damping);
    const at::Tensor rotK = at::matmul(b.rotation.rotation, k);
    b.alpha = s.balanceKv ? balanceAlpha(rotK.narrow(0, rR, n), v, xGram) : 1.0;
    const at::Tensor mz = at::cat({rotK.narrow(0, rR, n) / b.alpha, v}, 0);
    b.latent = jointPca(mz, xGram, /*rank=*/-1, /*energy=*/0, s.jointPca);
    b.queryScale = model::softmaxScale(c) / model::softmaxScale(c, d + rR); // the MLA softmax's scale undone
    double scaling = 1.0;
    b.originalInvFreq =
        model::usesLocalRope(c, layer)
            ? model::localRopeInverseFrequencies(c, dev).to(at::kDouble)
            : model::ropeInverseFrequencies(c, c.maxPositions, &scaling).to(at::kDouble).to(dev);
    return b;
}

// The MLA attention of `layer` at the rank (or energy) of `s`, from the GQA weights of `source`.
std::pair<model::MlaAttention, LayerReport> assembleLayer(const model::Model& source, int64_t layer,
                                                          const LayerBasis& b, const ConvertSettings& s,
                                                          const ResolvedDims& dims) {
    const auto& c = source.config;
    const int64_t D = c.hiddenSize;
    const at::Device dev = source.device();
    const model::Layer& L = source.layers[size_t(layer)];
    MlaParts p;
    const bool normed = hasQkNorm(L); // assembled in u / q~ space (qk_norm.h)
    const int64_t gd = dims.g * dims.d;
    p.q = normed ? selectNormedQueries(dims.H * dims.d, dev) : augmented(L.gqa.q, dims.H * dims.d, D, dev);
    p.k = normed ? selectNormedKeys(gd, dev) : augmented(L.gqa.k, gd, D, dev);
    p.v = normed ? selectValues(gd, dev) : augmented(L.gqa.v, gd, D, dev);
    p.rotation = b.rotation;
    p.alpha = b.alpha;
    p.latent = s.jointPca ? truncateLatent(b.latent, s.kvLoraRank, s.energy) : b.latent;
    p.queryScale = b.queryScale;
    p.originalInvFreq = b.originalInvFreq;
    const bool bias = !normed && (L.gqa.q.bias.defined() || L.gqa.k.bias.defined() || L.gqa.v.bias.defined());
    model::MlaAttention mla = assembleMla(p, dims, L.gqa.o, bias, source.computeDtype());
    if (normed) attachNormedInput(mla, L, dims.H, dims.d);

    LayerReport rep;
    rep.layer = layer;
    rep.rank = p.latent.rank;
    rep.retainedEnergy = p.latent.retainedEnergy;
    rep.ropeEnergyFraction = p.rotation.ropeEnergyFraction;
    rep.alpha = p.alpha;
    at::Tensor ev = p.latent.eigenvalues.to(at::kCPU);
    rep.eigenvalues.assign(ev.data_ptr<double>(), ev.data_ptr<double>() + ev.numel());
    const double kept = ev.narrow(0, 0, std::min<int64_t>(rep.rank, ev.numel())).sum().item<double>();
    rep.latentRms = std::sqrt(kept / double(rep.rank));
    if (s.latentNorm == LatentNorm::Calibrated && rep.latentRms > 0) {
        // RMSNorm is scale-invariant but for its eps: scale the latent to RMS ~1 so eps is negligible,
        // and let the weight restore the calibrated RMS (exact up to the per-token RMS variation).
        const double kappa = 1.0 / rep.latentRms;
        mla.kvA.weight.narrow(0, 0, rep.rank).mul_(kappa);
        if (mla.kvA.bias.defined()) mla.kvA.bias.narrow(0, 0, rep.rank).mul_(kappa);
        mla.kvANorm =
            at::full({rep.rank}, rep.latentRms, at::TensorOptions().dtype(source.computeDtype()).device(dev));
    }
    return {std::move(mla), std::move(rep)};
}

// One layer converted in place: its basis, then its MLA attention at the settings' rank; the GQA
// weights are dropped. Returns the basis (for a ConversionCache) and the layer's report.
std::pair<LayerBasis, LayerReport> convertLayer(model::Model& m, int64_t layer, const LayerStats* stats,
                                                const ConvertSettings& s, const ResolvedDims& dims) {
    LayerBasis basis = layerBasis(m, layer, stats, s, dims);
    auto [mla, rep] = assembleLayer(m, layer, basis, s, dims); // reads eigenvalues back: in sync
    model::Layer& L = m.layers[size_t(layer)];
    L.mla = std::move(mla);
    L.gqa = {}; // the GQA weights are no longer needed
    model::packProjections(L);
    return {std::move(basis), std::move(rep)};
}

// The model's MLA shape after its layers were converted (what the cache and the exporter read).
void finishReport(model::Model& m, ConvertReport& report, const ResolvedDims& dims,
                  const ConvertSettings& settings) {
    int64_t cacheElems = 0;
    report.maxRank = 0;
    for (const auto& l : report.layers) {
        report.maxRank = std::max(report.maxRank, l.rank);
        cacheElems += l.rank + dims.ropeDim;
    }
    report.ropeDim = dims.ropeDim;
    report.freqFold = dims.freqFold;
    report.kvBytesPerTokenAfter = cacheElems * io::kBytes16Bit;
    m.config.kvLoraRank = report.maxRank;
    m.config.qkRopeHeadDim = dims.ropeDim;
    m.config.qkNopeHeadDim = dims.d;
    m.config.vHeadDim = dims.d;
    m.config.convertedToMla = true;
    report.settings = settings;
}

} // namespace

nlohmann::json LossSplit::toJson() const {
    auto value = [](double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); };
    return {{"original", value(original)},          {"full_rank", value(fullRank)},
            {"converted", value(converted)},        {"healed", value(healed)},
            {"rope_removal", value(ropeRemoval())}, {"rank_truncation", value(rankTruncation())},
            {"healing", value(healing())}};
}

ConvertSettings fullRankSettings(ConvertSettings s) {
    s.kvLoraRank = -1;
    s.energy = 0;
    return s;
}

nlohmann::json ConvertReport::toJson() const {
    nlohmann::json j = {{"exact", settings.exact},
                        {"qk_rope_head_dim", ropeDim},
                        {"freqfold", freqFold},
                        {"max_rank", maxRank},
                        {"latent_norm", latentNormName(settings.latentNorm)},
                        {"pca_activations", pcaActivationsName(settings.pcaActivations)},
                        {"freqfold_key_statistics", settings.preRopeKeyStats ? "pre-rope" : "post-rope"},
                        {"kv_bytes_per_token_before", kvBytesPerTokenBefore},
                        {"kv_bytes_per_token_after", kvBytesPerTokenAfter},
                        {"seconds_upload", secondsUpload},
                        {"seconds_calibrate", secondsCalibrate},
                        {"seconds_pca", secondsPca},
                        {"seconds_write", secondsWrite},
                        {"seconds_total", secondsTotal},
                        {"calibration",
                         {{"source", settings.calibration.source},
                          {"samples", settings.calibration.samples},
                          {"seqlen", settings.calibration.seqLen},
                          {"seed", settings.calibration.seed}}}};
    if (lossSplit) j["loss_split"] = lossSplit->toJson();
    j["layers"] = nlohmann::json::array();
    for (const auto& l : layers)
        j["layers"].push_back({{"layer", l.layer},
                               {"kv_lora_rank", l.rank},
                               {"retained_energy", l.retainedEnergy},
                               {"discarded_energy", 1 - l.retainedEnergy},
                               {"rope_energy_fraction", l.ropeEnergyFraction},
                               {"alpha", l.alpha},
                               {"latent_rms", l.latentRms}});
    return j;
}

ConvertReport convertModel(model::Model& m, const ConvertSettings& requested,
                           const at::Tensor& calibrationIds, const Progress& progress, const LayerSink& sink,
                           ConversionCache* cache) {
    c10::InferenceMode guard;
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    const auto t0 = clock::now();
    const ResolvedSettings resolved = resolve(requested, m.config);
    const ConvertSettings& settings = resolved.settings;
    const ResolvedDims& dims = resolved.dims;
    if (cache) *cache = {};
    ConvertReport report;
    report.kvBytesPerTokenBefore = m.config.kvCacheBytesPerToken(io::kBytes16Bit);
    const bool needStats = !settings.exact;
    if ((needStats || settings.foldQkNorm) && !calibrationIds.defined())
        throw ArgumentError("calibration tokens are required for a compressed conversion or fold_qk_norm");
    // The approximation replaces the norms before anything is measured; callers that evaluate the
    // folded model first (the CLI, the workbench) fold it themselves and this finds nothing to do.
    if (settings.foldQkNorm && m.streamed()) // its layers are not in memory to be checked or folded
        throw ArgumentError("fold_qk_norm needs the model loaded whole (not streamed)");
    if (settings.foldQkNorm && !qkNormsFolded(m))
        foldQkNorms(m, calibrationIds, settings.calibration.microBatch);
    auto upload = [&](int64_t layer) {
        const auto t = clock::now();
        m.materializeLayer(layer);
        report.secondsUpload += since(t);
    };
    auto finish = [&](int64_t layer, const LayerStats* st) {
        auto t = clock::now();
        auto [basis, rep] = convertLayer(m, layer, st, settings, dims);
        report.layers.push_back(std::move(rep));
        if (cache) cache->layers.push_back(std::move(basis));
        report.secondsPca += since(t);
        if (sink) {
            t = clock::now();
            sink(layer, m, report.layers.back());
            report.secondsWrite += since(t);
        }
        m.releaseLayer(layer); // streamed models only
        progress(layer + 1, m.config.numLayers, "convert");
    };
    if (needStats && settings.pcaActivations != PcaActivations::Original) {
        // Every layer's original statistics first, then the joint PCA's Grams from the other model.
        checkPcaActivations(m, settings); // said before any work
        const auto t = clock::now();
        const std::vector<LayerStats> stats = pcaActivationStats(
            m, calibrationIds, settings, collectLayerStats(m, calibrationIds, settings, progress), progress);
        report.secondsCalibrate += since(t);
        for (int64_t layer = 0; layer < m.config.numLayers; ++layer) {
            progress.checkCancel();
            finish(layer, &stats[size_t(layer)]);
        }
    } else if (needStats) {
        streamLayerStats(
            m, calibrationIds, settings.calibration.microBatch,
            [&](int64_t layer, const LayerStats& st) { finish(layer, &st); }, progress, upload,
            &report.secondsCalibrate, settings.preRopeKeyStats);
    } else {
        for (int64_t layer = 0; layer < m.config.numLayers; ++layer) {
            progress.checkCancel();
            upload(layer);
            finish(layer, nullptr);
        }
    }
    finishReport(m, report, dims, settings);
    if (cache) {
        cache->settings = settings;
        cache->dims = dims;
    }
    report.secondsTotal = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

LayerReport convertLayerFromStats(model::Model& m, int64_t layer, const LayerStats& stats,
                                  const ConvertSettings& requested) {
    c10::InferenceMode guard;
    const ResolvedSettings resolved = resolve(requested, m.config);
    return convertLayer(m, layer, &stats, resolved.settings, resolved.dims).second;
}

ConvertReport reassembleAtRank(model::Model& converted, const model::Model& original,
                               const ConversionCache& cache, int64_t rank, const Progress& progress) {
    c10::InferenceMode guard;
    const auto t0 = std::chrono::steady_clock::now();
    if (cache.layers.empty() || int64_t(cache.layers.size()) != original.config.numLayers)
        throw ArgumentError("no cached conversion to re-truncate (convert the model first)");
    if (cache.settings.exact) throw ArgumentError("the exact merge has no rank to change");
    if (cache.settings.pcaActivations == PcaActivations::Sequential)
        throw ArgumentError("sequential PCA activations depend on the rank: convert again at the new rank");
    ConvertSettings requested = cache.settings;
    requested.kvLoraRank = rank;
    requested.energy = 0;
    const ResolvedSettings resolved =
        resolve(requested, original.config); // SettingError for a rank out of range
    const ConvertSettings& s = resolved.settings;
    const ResolvedDims& dims = resolved.dims;
    ConvertReport report;
    report.kvBytesPerTokenBefore = original.config.kvCacheBytesPerToken(io::kBytes16Bit);
    // Assembled aside and swapped in at the end: a cancelled change leaves the model as it was.
    std::vector<model::MlaAttention> layers;
    for (int64_t layer = 0; layer < original.config.numLayers; ++layer) {
        progress.checkCancel();
        auto [mla, rep] = assembleLayer(original, layer, cache.layers[size_t(layer)], s, dims);
        layers.push_back(std::move(mla));
        report.layers.push_back(std::move(rep));
        progress(layer + 1, original.config.numLayers, "re-truncate");
    }
    for (size_t i = 0; i < layers.size(); ++i) {
        converted.layers[i].mla = std::move(layers[i]);
        model::packProjections(converted.layers[i]);
    }
    finishReport(converted, report, dims, s);
    report.secondsTotal = report.secondsPca =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

std::vector<LayerStats> collectLayerStats(const model::Model& original, const at::Tensor& calibrationIds,
                                          const ConvertSettings& settings, const Progress& progress) {
    if (original.streamed())
        throw ArgumentError("collecting every layer's statistics needs a resident model");
    std::vector<LayerStats> stats;
    streamLayerStats(
        original, calibrationIds, settings.calibration.microBatch,
        [&](int64_t, const LayerStats& st) { stats.push_back(st); }, progress, {}, nullptr,
        settings.preRopeKeyStats);
    return stats;
}

ConvertReport convertFromStats(model::Model& m, const ConvertSettings& requested,
                               const std::vector<LayerStats>& stats, const Progress& progress) {
    c10::InferenceMode guard;
    const auto t0 = std::chrono::steady_clock::now();
    const ResolvedSettings resolved = resolve(requested, m.config);
    const ConvertSettings& settings = resolved.settings;
    const ResolvedDims& dims = resolved.dims;
    if (!settings.exact && int64_t(stats.size()) != m.config.numLayers)
        throw ArgumentError("statistics for " + std::to_string(stats.size()) + " layers, the model has " +
                            std::to_string(m.config.numLayers));
    ConvertReport report;
    report.kvBytesPerTokenBefore = m.config.kvCacheBytesPerToken(io::kBytes16Bit);
    for (int64_t layer = 0; layer < m.config.numLayers; ++layer) {
        progress.checkCancel();
        auto [basis, rep] =
            convertLayer(m, layer, settings.exact ? nullptr : &stats[size_t(layer)], settings, dims);
        report.layers.push_back(std::move(rep));
        progress(layer + 1, m.config.numLayers, "convert");
    }
    finishReport(m, report, dims, settings);
    report.secondsPca = report.secondsTotal =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

} // namespace transmla::convert
