#include "convert/pipeline.h"

#include <chrono>
#include <cmath>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/assemble.h"
#include "convert/balance_kv.h"
#include "convert/calibration.h"
#include "model/modules.h"

namespace transmla::convert {

namespace {

double originalScale(const io::ModelConfig& c) {
    return c.queryPreAttnScalar ? 1.0 / std::sqrt(*c.queryPreAttnScalar) : 1.0 / std::sqrt(double(c.headDim));
}

LayerReport convertLayer(model::Model& m, int64_t layer, const LayerStats* stats, const ConvertSettings& s,
                         const ResolvedDims& dims) {
    const auto& c = m.config;
    const int64_t D = c.hiddenSize, g = dims.g, d = dims.d, rR = dims.ropeDim, n = g * d - rR;
    const at::Device dev = m.device();
    model::Layer& L = m.layers[size_t(layer)];
    MlaParts p;
    p.q = augmented(L.gqa.q, dims.H * d, D, dev);
    p.k = augmented(L.gqa.k, g * d, D, dev);
    p.v = augmented(L.gqa.v, g * d, D, dev);
    // Without statistics (exact mode) the Gram is the identity: the rotations are then fixed anyway.
    const at::Tensor xGram = stats ? stats->xGram : at::eye(D + 1, p.k.options());
    const at::Tensor keyGram = stats ? stats->keyGram : at::eye(g * d / 2, p.k.options());
    p.rotation = roRope(keyGram, dims, s.rorope, s.damping);
    const at::Tensor rotK = at::matmul(p.rotation.rotation, p.k);
    p.alpha = s.balanceKv ? balanceAlpha(rotK.narrow(0, rR, n), p.v, xGram) : 1.0;
    const at::Tensor mz = at::cat({rotK.narrow(0, rR, n) / p.alpha, p.v}, 0);
    p.latent = jointPca(mz, xGram, s.kvLoraRank, s.energy, s.jointPca);
    p.queryScale = std::sqrt(double(d + rR)) * originalScale(c);
    double scaling = 1.0;
    p.originalInvFreq = model::ropeInverseFrequencies(c, c.maxPositions, &scaling).to(at::kDouble).to(dev);
    const bool bias = L.gqa.q.bias.defined() || L.gqa.k.bias.defined() || L.gqa.v.bias.defined();
    model::MlaAttention mla = assembleMla(p, dims, L.gqa.o, bias, m.computeDtype());

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
        mla.kvANorm = at::full({rep.rank}, rep.latentRms, at::TensorOptions().dtype(m.computeDtype()).device(dev));
    }
    L.mla = std::move(mla);
    L.gqa = {}; // the GQA weights are no longer needed
    return rep;
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
                        {"freqfold_key_statistics", settings.preRopeKeyStats ? "pre-rope" : "post-rope"},
                        {"kv_bytes_per_token_before", kvBytesPerTokenBefore},
                        {"kv_bytes_per_token_after", kvBytesPerTokenAfter},
                        {"seconds_upload", secondsUpload},
                        {"seconds_calibrate", secondsCalibrate},
                        {"seconds_pca", secondsPca},
                        {"seconds_write", secondsWrite},
                        {"seconds_total", secondsTotal},
                        {"calibration", {{"source", settings.calibration.source}, {"samples", settings.calibration.samples},
                                         {"seqlen", settings.calibration.seqLen}, {"seed", settings.calibration.seed}}}};
    if (lossSplit) j["loss_split"] = lossSplit->toJson();
    j["layers"] = nlohmann::json::array();
    for (const auto& l : layers)
        j["layers"].push_back({{"layer", l.layer}, {"kv_lora_rank", l.rank}, {"retained_energy", l.retainedEnergy},
                               {"discarded_energy", 1 - l.retainedEnergy}, {"rope_energy_fraction", l.ropeEnergyFraction},
                               {"alpha", l.alpha}, {"latent_rms", l.latentRms}});
    return j;
}

ConvertReport convertModel(model::Model& m, const ConvertSettings& requested, const at::Tensor& calibrationIds,
                           const Progress& progress, const LayerSink& sink) {
    c10::InferenceMode guard;
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    const auto t0 = clock::now();
    const ResolvedSettings resolved = resolve(requested, m.config);
    const ConvertSettings& settings = resolved.settings;
    const ResolvedDims& dims = resolved.dims;
    ConvertReport report;
    report.ropeDim = dims.ropeDim;
    report.freqFold = dims.freqFold;
    report.kvBytesPerTokenBefore = m.config.kvCacheBytesPerToken(2);
    const bool needStats = !settings.exact;
    if (needStats && !calibrationIds.defined()) throw ArgumentError("calibration tokens are required for a compressed conversion");
    auto upload = [&](int64_t layer) {
        const auto t = clock::now();
        m.materializeLayer(layer);
        report.secondsUpload += since(t);
    };
    auto finish = [&](int64_t layer, const LayerStats* st) {
        auto t = clock::now();
        report.layers.push_back(convertLayer(m, layer, st, settings, dims)); // reads eigenvalues back: in sync
        report.secondsPca += since(t);
        if (sink) {
            t = clock::now();
            sink(layer, m, report.layers.back());
            report.secondsWrite += since(t);
        }
        m.releaseLayer(layer); // streamed models only
        progress(layer + 1, m.config.numLayers, "convert");
    };
    if (needStats) {
        streamLayerStats(
            m, calibrationIds, settings.calibration.microBatch,
            [&](int64_t layer, const LayerStats& st) { finish(layer, &st); }, progress, upload, &report.secondsCalibrate,
            settings.preRopeKeyStats);
    } else {
        for (int64_t layer = 0; layer < m.config.numLayers; ++layer) {
            progress.checkCancel();
            upload(layer);
            finish(layer, nullptr);
        }
    }
    int64_t cacheElems = 0;
    for (const auto& l : report.layers) {
        report.maxRank = std::max(report.maxRank, l.rank);
        cacheElems += l.rank + dims.ropeDim;
    }
    report.kvBytesPerTokenAfter = cacheElems * 2;
    m.config.kvLoraRank = report.maxRank;
    m.config.qkRopeHeadDim = dims.ropeDim;
    m.config.qkNopeHeadDim = dims.d;
    m.config.vHeadDim = dims.d;
    m.config.convertedToMla = true;
    report.settings = settings;
    report.secondsTotal = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

} // namespace transmla::convert
