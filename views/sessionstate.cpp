#include "sessionstate.h"

#include <cstdio>

namespace transmla::views {

namespace {
std::string key(const char* fmt, int64_t a, int64_t b = 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, static_cast<long long>(a), static_cast<long long>(b));
    return buf;
}
double get(const std::map<std::string, double>& m, const std::string& k, double fallback = 0) {
    const auto it = m.find(k);
    return it == m.end() ? fallback : it->second;
}
std::string getText(const std::map<std::string, std::string>& m, const std::string& k, const std::string& fallback) {
    const auto it = m.find(k);
    return it == m.end() ? fallback : it->second;
}
} // namespace

io::Session toSession(const WorkbenchState& st) {
    io::Session s;
    s.model = io::referenceModel(st.modelDir);
    const convert::ConvertSettings& c = st.result ? st.result->settings : st.settings;
    s.settings = {{"mode", c.exact ? "exact" : "compressed"},
                  {"latent_norm", convert::latentNormName(c.latentNorm)},
                  {"calibration_source", c.calibration.source}};
    auto& n = s.numericSettings;
    n = {{"kv_lora_rank", double(c.kvLoraRank)}, {"qk_rope_head_dim", double(c.qkRopeHeadDim)},
         {"freqfold", double(c.freqFold)},       {"calibration_samples", double(c.calibration.samples)},
         {"calibration_seq_len", double(c.calibration.seqLen)}, {"loss_problems", double(st.lossProblems)}};
    // Everything else a re-run needs to reproduce the conversion (absent in old files: the defaults).
    n["energy"] = c.energy;
    n["damping"] = c.damping;
    n["rorope"] = c.rorope;
    n["balance_kv"] = c.balanceKv;
    n["joint_pca"] = c.jointPca;
    n["calibration_seed"] = double(c.calibration.seed);
    n["calibration_micro_batch"] = double(c.calibration.microBatch);
    s.budgets = st.budgets;
    if (const auto& r = st.result) {
        s.settings["converted"] = "yes";
        s.settings["model_content_hash"] = r->modelContentHash;
        s.settings["calibration_file"] = r->calibrationFile;
        s.settings["export_problem"] = r->exportProblem;
        n["rope_dim"] = double(r->ropeDim);
        n["max_rank"] = double(r->maxRank);
        n["kv_bytes_before"] = double(r->kvBytesPerTokenBefore);
        n["kv_bytes_after"] = double(r->kvBytesPerTokenAfter);
        n["seconds_total"] = r->secondsTotal;
        n["layers"] = double(r->layers.size());
        for (const auto& l : r->layers) {
            n[key("layer.%03lld.rank", l.layer)] = double(l.rank);
            n[key("layer.%03lld.retained", l.layer)] = l.retainedEnergy;
            n[key("layer.%03lld.rope_energy", l.layer)] = l.ropeEnergyFraction;
            n[key("layer.%03lld.alpha", l.layer)] = l.alpha;
            n[key("layer.%03lld.attention_error", l.layer)] = l.attentionError;
            n[key("layer.%03lld.eigenvalues", l.layer)] = double(l.eigenvalues.size());
            for (size_t i = 0; i < l.eigenvalues.size(); ++i)
                n[key("latent.%03lld.%05lld", l.layer, int64_t(i))] = l.eigenvalues[i];
        }
        s.spectra = r->spectra;
        if (r->attentionBefore) s.attentionMaps.push_back(*r->attentionBefore);
        if (r->attentionAfter) s.attentionMaps.push_back(*r->attentionAfter);
        if (r->lossBefore) s.putLoss("original", *r->lossBefore);
        if (r->lossAfter) s.putLoss("converted", *r->lossAfter);
        if (r->wikitextBefore) s.putLoss("wikitext2 original", *r->wikitextBefore);
        if (r->wikitextAfter) s.putLoss("wikitext2 converted", *r->wikitextAfter);
    }
    n["sweep_points"] = double(st.sweep.size());
    for (size_t i = 0; i < st.sweep.size(); ++i) {
        n[key("sweep.%03lld.rank", int64_t(i))] = double(st.sweep[i].rank);
        n[key("sweep.%03lld.kv_bytes", int64_t(i))] = double(st.sweep[i].kvBytesPerToken);
        n[key("sweep.%03lld.mean_nll", int64_t(i))] = st.sweep[i].meanNll;
    }
    return s;
}

WorkbenchState fromSession(const io::Session& s) {
    WorkbenchState st;
    st.modelDir = s.model.path;
    const auto& n = s.numericSettings;
    convert::ConvertSettings& c = st.settings;
    c.exact = getText(s.settings, "mode", "compressed") == "exact";
    c.latentNorm = convert::parseLatentNorm(getText(s.settings, "latent_norm", "none"));
    c.calibration.source = getText(s.settings, "calibration_source", "gsm8k");
    c.kvLoraRank = int64_t(get(n, "kv_lora_rank", -1));
    c.qkRopeHeadDim = int64_t(get(n, "qk_rope_head_dim"));
    c.freqFold = int64_t(get(n, "freqfold"));
    c.calibration.samples = int64_t(get(n, "calibration_samples", 128));
    c.calibration.seqLen = int64_t(get(n, "calibration_seq_len", 256));
    const convert::ConvertSettings defaults;
    c.energy = get(n, "energy", defaults.energy);
    c.damping = get(n, "damping", defaults.damping);
    c.rorope = get(n, "rorope", defaults.rorope) != 0;
    c.balanceKv = get(n, "balance_kv", defaults.balanceKv) != 0;
    c.jointPca = get(n, "joint_pca", defaults.jointPca) != 0;
    c.calibration.seed = uint64_t(get(n, "calibration_seed", double(defaults.calibration.seed)));
    c.calibration.microBatch = int64_t(get(n, "calibration_micro_batch", double(defaults.calibration.microBatch)));
    st.lossProblems = int(get(n, "loss_problems"));
    st.budgets = s.budgets;
    if (getText(s.settings, "converted", "") == "yes") {
        workbench::ConversionResult r;
        r.modelDir = s.model.path;
        r.settings = c;
        r.ropeDim = int64_t(get(n, "rope_dim"));
        r.maxRank = int64_t(get(n, "max_rank"));
        r.freqFold = c.freqFold;
        r.kvBytesPerTokenBefore = int64_t(get(n, "kv_bytes_before"));
        r.kvBytesPerTokenAfter = int64_t(get(n, "kv_bytes_after"));
        r.secondsTotal = get(n, "seconds_total");
        r.modelContentHash = getText(s.settings, "model_content_hash", "");
        r.calibrationFile = getText(s.settings, "calibration_file", "");
        r.exportProblem = getText(s.settings, "export_problem", "");
        const int64_t layers = int64_t(get(n, "layers"));
        for (int64_t l = 0; l < layers; ++l) {
            workbench::LayerFigures f;
            f.layer = l;
            f.rank = int64_t(get(n, key("layer.%03lld.rank", l)));
            f.retainedEnergy = get(n, key("layer.%03lld.retained", l));
            f.ropeEnergyFraction = get(n, key("layer.%03lld.rope_energy", l));
            f.alpha = get(n, key("layer.%03lld.alpha", l));
            f.attentionError = get(n, key("layer.%03lld.attention_error", l), -1);
            const int64_t count = int64_t(get(n, key("layer.%03lld.eigenvalues", l)));
            for (int64_t i = 0; i < count; ++i) f.eigenvalues.push_back(get(n, key("latent.%03lld.%05lld", l, i)));
            r.layers.push_back(std::move(f));
        }
        r.budgets = s.budgets;
        r.spectra = s.spectra;
        for (const auto& m : s.attentionMaps) {
            const bool after = m.model.size() >= 6 && m.model.compare(m.model.size() - 6, 6, " (MLA)") == 0;
            (after ? r.attentionAfter : r.attentionBefore) = m;
        }
        for (const auto& l : s.losses) {
            if (l.label == "original") r.lossBefore = l.result;
            if (l.label == "converted") r.lossAfter = l.result;
            if (l.label == "wikitext2 original") r.wikitextBefore = l.result;
            if (l.label == "wikitext2 converted") r.wikitextAfter = l.result;
        }
        st.result = std::move(r);
    }
    const int64_t points = int64_t(get(n, "sweep_points"));
    for (int64_t i = 0; i < points; ++i)
        st.sweep.push_back({int64_t(get(n, key("sweep.%03lld.rank", i))), int64_t(get(n, key("sweep.%03lld.kv_bytes", i))),
                            get(n, key("sweep.%03lld.mean_nll", i))});
    return st;
}

} // namespace transmla::views
