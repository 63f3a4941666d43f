#include "results/session_h5.h"

#include <algorithm>

namespace transmla::results::detail {

using io::h5::Reader;
using io::h5::writeArray;
using io::h5::writeAttr;
using io::h5::writeStrings;

// One attribute per setting, typed (bools as int32 0/1); every one is required when read but
// pca_activations (newer than the format: absent = original).
void writeSettings(H5::Group& g, const convert::ConvertSettings& s) {
    writeAttr(g, "exact", int32_t(s.exact));
    writeAttr(g, "kv_lora_rank", s.kvLoraRank);
    writeAttr(g, "energy", s.energy);
    writeAttr(g, "qk_rope_head_dim", s.qkRopeHeadDim);
    writeAttr(g, "freqfold", s.freqFold);
    writeAttr(g, "rorope", int32_t(s.rorope));
    writeAttr(g, "pre_rope_key_stats", int32_t(s.preRopeKeyStats));
    writeAttr(g, "balance_kv", int32_t(s.balanceKv));
    writeAttr(g, "joint_pca", int32_t(s.jointPca));
    writeAttr(g, "latent_norm", convert::latentNormName(s.latentNorm));
    writeAttr(g, "fold_qk_norm", int32_t(s.foldQkNorm));
    writeAttr(g, "pca_activations", convert::pcaActivationsName(s.pcaActivations));
    writeAttr(g, "damping", s.damping);
    writeAttr(g, "calibration_source", s.calibration.source);
    writeAttr(g, "calibration_samples", s.calibration.samples);
    writeAttr(g, "calibration_seq_len", s.calibration.seqLen);
    writeAttr(g, "calibration_seed", int64_t(s.calibration.seed));
    writeAttr(g, "calibration_micro_batch", s.calibration.microBatch);
}

convert::ConvertSettings readSettings(const Reader& r, const H5::Group& g, const std::string& w) {
    auto flag = [&](const char* name) {
        const int32_t v = r.attr<int32_t>(g, name, w);
        if (v != 0 && v != 1) r.fail(w + "@" + name, "not 0 or 1");
        return v == 1;
    };
    convert::ConvertSettings s;
    s.exact = flag("exact");
    s.kvLoraRank = r.attr<int64_t>(g, "kv_lora_rank", w);
    s.energy = r.attr<double>(g, "energy", w);
    s.qkRopeHeadDim = r.attr<int64_t>(g, "qk_rope_head_dim", w);
    s.freqFold = r.attr<int64_t>(g, "freqfold", w);
    s.rorope = flag("rorope");
    s.preRopeKeyStats = flag("pre_rope_key_stats");
    s.balanceKv = flag("balance_kv");
    s.jointPca = flag("joint_pca");
    s.latentNorm = convert::parseLatentNorm(r.attr<std::string>(g, "latent_norm", w));
    s.foldQkNorm = r.hasAttr(g, "fold_qk_norm") && flag("fold_qk_norm"); // absent before issue 18
    // Sessions written before the setting existed converted from the original activations.
    if (r.hasAttr(g, "pca_activations"))
        s.pcaActivations = convert::parsePcaActivations(r.attr<std::string>(g, "pca_activations", w));
    s.damping = r.attr<double>(g, "damping", w);
    s.calibration.source = r.attr<std::string>(g, "calibration_source", w);
    s.calibration.samples = r.attr<int64_t>(g, "calibration_samples", w);
    s.calibration.seqLen = r.attr<int64_t>(g, "calibration_seq_len", w);
    s.calibration.seed = uint64_t(r.attr<int64_t>(g, "calibration_seed", w));
    s.calibration.microBatch = r.attr<int64_t>(g, "calibration_micro_batch", w);
    return s;
}

void writeModel(H5::H5File& f, const Session& s) {
    H5::Group g = f.createGroup("model");
    writeAttr(g, "path", s.model.path);
    writeAttr(g, "config_hash", s.model.configHash);
    writeAttr(g, "weights_hash", s.model.weightsHash);
    H5::Group st = f.createGroup("settings");
    std::vector<std::string> keys, values;
    for (const auto& [k, v] : s.settings)
        keys.push_back(k), values.push_back(v);
    writeStrings(st, "keys", keys);
    writeStrings(st, "values", values);
    H5::Group sn = f.createGroup("settings_numeric");
    std::vector<std::string> nkeys;
    std::vector<double> nvalues;
    for (const auto& [k, v] : s.numericSettings)
        nkeys.push_back(k), nvalues.push_back(v);
    writeStrings(sn, "keys", nkeys);
    writeArray(sn, "values", nvalues);
}

void readModel(const Reader& r, const H5::H5File& f, Session& s) {
    H5::Group g = r.group(f, "model", "");
    s.model.path = r.attr<std::string>(g, "path", "/model");
    s.model.configHash = r.attr<std::string>(g, "config_hash", "/model");
    s.model.weightsHash = r.attr<std::string>(g, "weights_hash", "/model");
    H5::Group st = r.group(f, "settings", "");
    const auto keys = r.strings(st, "keys", "/settings");
    const auto values = r.strings(st, "values", "/settings", int64_t(keys.size()));
    for (size_t i = 0; i < keys.size(); ++i)
        s.settings[keys[i]] = values[i];
    H5::Group sn = r.group(f, "settings_numeric", "");
    const auto nkeys = r.strings(sn, "keys", "/settings_numeric");
    const auto nvalues = r.array<double>(sn, "values", "/settings_numeric", {int64_t(nkeys.size())});
    for (size_t i = 0; i < nkeys.size(); ++i)
        s.numericSettings[nkeys[i]] = nvalues[i];
}

void writeSpectra(H5::H5File& f, const analysis::SpectraResult& sp) {
    H5::Group g = f.createGroup("spectra");
    writeAttr(g, "model", sp.model);
    writeAttr(g, "calibration_data", sp.calibrationData);
    writeAttr(g, "samples", sp.samples);
    writeAttr(g, "seq_len", sp.seqLen);
    std::vector<std::string> sources;
    std::vector<int64_t> layers, heads, offsets{0};
    std::vector<double> values;
    for (const auto& s : sp.spectra) {
        sources.push_back(analysis::sourceName(s.source));
        layers.push_back(s.layer);
        heads.push_back(s.head);
        values.insert(values.end(), s.singularValues.begin(), s.singularValues.end());
        offsets.push_back(int64_t(values.size()));
    }
    writeStrings(g, "source", sources);
    writeArray(g, "layer", layers);
    writeArray(g, "head", heads);
    writeArray(g, "offsets", offsets);
    writeArray(g, "values", values);
}

analysis::SpectraResult readSpectra(const Reader& r, const H5::Group& g) {
    const std::string w = "/spectra";
    analysis::SpectraResult sp;
    sp.model = r.attr<std::string>(g, "model", w);
    sp.calibrationData = r.attr<std::string>(g, "calibration_data", w);
    sp.samples = r.attr<int64_t>(g, "samples", w);
    sp.seqLen = r.attr<int64_t>(g, "seq_len", w);
    const auto sources = r.strings(g, "source", w);
    const int64_t n = int64_t(sources.size());
    const auto layers = r.array<int64_t>(g, "layer", w, {n});
    const auto heads = r.array<int64_t>(g, "head", w, {n});
    const auto offsets = r.array<int64_t>(g, "offsets", w, {n + 1});
    const auto values = r.array<double>(g, "values", w);
    r.checkOffsets(offsets, values.size(), w + "/offsets");
    for (int64_t i = 0; i < n; ++i) {
        analysis::Spectrum s;
        try {
            s.source = analysis::parseSource(sources[size_t(i)]);
        } catch (const ArgumentError& e) {
            r.fail(w + "/source", e.what());
        }
        s.layer = layers[size_t(i)];
        s.head = heads[size_t(i)];
        s.singularValues.assign(values.begin() + offsets[size_t(i)], values.begin() + offsets[size_t(i + 1)]);
        sp.spectra.push_back(std::move(s));
    }
    return sp;
}

// One field per line; clang-format 14 does not settle on X-macro lists.
// clang-format off
#define TRANSMLA_BUDGET_INT_FIELDS(X)                                                                \
    X(num_layers, numLayers)                                                                         \
    X(num_kv_heads, numKvHeads)                                                                      \
    X(head_dim, headDim)                                                                             \
    X(kv_lora_rank, kvLoraRank)                                                                      \
    X(qk_rope_head_dim, qkRopeHeadDim)                                                               \
    X(elements_per_token_per_layer, elementsPerTokenPerLayer)                                        \
    X(bytes_per_element, bytesPerElement)                                                            \
    X(weights_bytes, weightsBytes)
// clang-format on

void writeBudgets(H5::H5File& f, const std::vector<analysis::KvBudget>& budgets) {
    H5::Group g = f.createGroup("budgets");
    std::vector<std::string> labels, kinds;
    for (const auto& b : budgets)
        labels.push_back(b.label), kinds.push_back(analysis::cacheKindName(b.kind));
    writeStrings(g, "label", labels);
    writeStrings(g, "kind", kinds);
#define X(name, field)                                                                                       \
    {                                                                                                        \
        std::vector<int64_t> v;                                                                              \
        for (const auto& b : budgets)                                                                        \
            v.push_back(b.field);                                                                            \
        writeArray(g, #name, v);                                                                             \
    }
    TRANSMLA_BUDGET_INT_FIELDS(X)
#undef X
}

std::vector<analysis::KvBudget> readBudgets(const Reader& r, const H5::Group& g) {
    const std::string w = "/budgets";
    const auto labels = r.strings(g, "label", w);
    const int64_t n = int64_t(labels.size());
    const auto kinds = r.strings(g, "kind", w, n);
    std::vector<analysis::KvBudget> out(labels.size());
    for (size_t i = 0; i < out.size(); ++i) {
        out[i].label = labels[i];
        try {
            out[i].kind = analysis::parseCacheKind(kinds[i]);
        } catch (const ArgumentError& e) {
            r.fail(w + "/kind", e.what());
        }
    }
#define X(name, field)                                                                                       \
    {                                                                                                        \
        const auto v = r.array<int64_t>(g, #name, w, {n});                                                   \
        for (size_t i = 0; i < out.size(); ++i)                                                              \
            out[i].field = v[i];                                                                             \
    }
    TRANSMLA_BUDGET_INT_FIELDS(X)
#undef X
    return out;
}

void writeAttention(H5::Group& parent, const std::string& name, const analysis::AttentionMap& m) {
    const hsize_t T = hsize_t(m.tokens());
    if (m.probs.size() != T * T || m.rowEntropy.size() != T || m.tokenTexts.size() != T)
        throw ArgumentError(
            "attention map layer " + std::to_string(m.layer) + " head " + std::to_string(m.head) +
            ": probabilities, entropies or token texts do not match its " + std::to_string(T) + " tokens");
    H5::Group g = parent.createGroup(name);
    writeAttr(g, "model", m.model);
    writeAttr(g, "form", analysis::modelFormName(m.form));
    writeAttr(g, "prompt", m.prompt);
    writeAttr(g, "prompt_tokens", std::max(m.promptTokens, m.tokens())); // a hand-made map may leave it 0
    writeAttr(g, "layer", m.layer);
    writeAttr(g, "head", m.head);
    writeArray(g, "token_ids", m.tokenIds);
    writeStrings(g, "token_texts", m.tokenTexts);
    writeArray(g, "probs", m.probs, {T, T});
    writeArray(g, "row_entropy", m.rowEntropy);
    writeArray(g, "head_entropy", m.headEntropy);
}

analysis::AttentionMap readAttention(const Reader& r, const H5::Group& g, const std::string& w, int version) {
    analysis::AttentionMap m;
    m.model = r.attr<std::string>(g, "model", w);
    m.prompt = r.attr<std::string>(g, "prompt", w);
    m.layer = r.attr<int64_t>(g, "layer", w);
    m.head = r.attr<int64_t>(g, "head", w);
    m.tokenIds = r.array<int32_t>(g, "token_ids", w);
    const int64_t T = m.tokens();
    m.tokenTexts = r.strings(g, "token_texts", w, T);
    m.probs = r.array<double>(g, "probs", w, {T, T});
    m.rowEntropy = r.array<double>(g, "row_entropy", w, {T});
    m.headEntropy = r.array<double>(g, "head_entropy", w);
    m.promptTokens = T; // schema 1 kept only the tokens shown
    if (version >= 2) {
        const std::string form = r.attr<std::string>(g, "form", w);
        try {
            m.form = analysis::parseModelForm(form);
        } catch (const ArgumentError& e) {
            r.fail(w + "@form", e.what());
        }
        m.promptTokens = r.attr<int64_t>(g, "prompt_tokens", w);
        if (m.promptTokens < T)
            r.fail(w + "@prompt_tokens", "fewer than the " + std::to_string(T) + " tokens stored");
    }
    return m;
}

void writeLoss(H5::Group& parent, const std::string& name, const std::string& label,
               const eval::LossResult& r) {
    H5::Group g = parent.createGroup(name);
    writeAttr(g, "label", label);
    writeAttr(g, "documents", r.documents);
    writeAttr(g, "tokens", r.tokens);
    writeAttr(g, "answer_tokens", r.answerTokens);
    writeAttr(g, "nll_sum", r.nllSum);
    writeAttr(g, "answer_nll_sum", r.answerNllSum);
    writeAttr(g, "seconds", r.seconds);
    std::vector<double> nll, ansNll;
    std::vector<int64_t> tokens, ansTokens;
    for (const auto& d : r.perDoc)
        nll.push_back(d.nllSum), tokens.push_back(d.tokens), ansNll.push_back(d.answerNllSum),
            ansTokens.push_back(d.answerTokens);
    writeArray(g, "per_doc_nll_sum", nll);
    writeArray(g, "per_doc_tokens", tokens);
    writeArray(g, "per_doc_answer_nll_sum", ansNll);
    writeArray(g, "per_doc_answer_tokens", ansTokens);
}

NamedLoss readLoss(const Reader& rd, const H5::Group& g, const std::string& w) {
    NamedLoss l;
    eval::LossResult& r = l.result;
    l.label = rd.attr<std::string>(g, "label", w);
    r.documents = rd.attr<int64_t>(g, "documents", w);
    r.tokens = rd.attr<int64_t>(g, "tokens", w);
    r.answerTokens = rd.attr<int64_t>(g, "answer_tokens", w);
    r.nllSum = rd.attr<double>(g, "nll_sum", w);
    r.answerNllSum = rd.attr<double>(g, "answer_nll_sum", w);
    r.seconds = rd.attr<double>(g, "seconds", w);
    const auto nll = rd.array<double>(g, "per_doc_nll_sum", w);
    const int64_t n = int64_t(nll.size());
    const auto tokens = rd.array<int64_t>(g, "per_doc_tokens", w, {n});
    const auto ansNll = rd.array<double>(g, "per_doc_answer_nll_sum", w, {n});
    const auto ansTokens = rd.array<int64_t>(g, "per_doc_answer_tokens", w, {n});
    for (size_t i = 0; i < size_t(n); ++i)
        r.perDoc.push_back({nll[i], tokens[i], ansNll[i], ansTokens[i]});
    return l;
}

void writeConversion(H5::H5File& f, const ConversionRecord& c) {
    H5::Group g = f.createGroup("conversion");
    H5::Group settings = g.createGroup("settings");
    writeSettings(settings, c.settings);
    writeAttr(g, "rope_dim", c.ropeDim);
    writeAttr(g, "max_rank", c.maxRank);
    writeAttr(g, "freqfold", c.freqFold);
    writeAttr(g, "kv_bytes_before", c.kvBytesPerTokenBefore);
    writeAttr(g, "kv_bytes_after", c.kvBytesPerTokenAfter);
    writeAttr(g, "seconds_total", c.secondsTotal);
    writeAttr(g, "model_content_hash", c.modelContentHash);
    writeAttr(g, "calibration_file", c.calibrationFile);
    writeAttr(g, "export_problem", c.exportProblem);
    writeAttr(g, "has_loss_full_rank", int32_t(c.lossFullRank.has_value()));
    writeAttr(g, "loss_full_rank", c.lossFullRank.value_or(0.0));
    std::vector<int64_t> layer, rank, offsets{0};
    std::vector<double> retained, rope, alpha, error, eigenvalues;
    for (const auto& l : c.layers) {
        layer.push_back(l.layer), rank.push_back(l.rank), retained.push_back(l.retainedEnergy);
        rope.push_back(l.ropeEnergyFraction), alpha.push_back(l.alpha), error.push_back(l.attentionError);
        eigenvalues.insert(eigenvalues.end(), l.eigenvalues.begin(), l.eigenvalues.end());
        offsets.push_back(int64_t(eigenvalues.size()));
    }
    writeArray(g, "layer", layer);
    writeArray(g, "rank", rank);
    writeArray(g, "retained_energy", retained);
    writeArray(g, "rope_energy_fraction", rope);
    writeArray(g, "alpha", alpha);
    writeArray(g, "attention_error", error);
    writeArray(g, "eigenvalue_offsets", offsets);
    writeArray(g, "eigenvalues", eigenvalues);
}

ConversionRecord readConversion(const Reader& r, const H5::Group& g) {
    const std::string w = "/conversion";
    ConversionRecord c;
    c.settings = readSettings(r, r.group(g, "settings", w), w + "/settings");
    c.ropeDim = r.attr<int64_t>(g, "rope_dim", w);
    c.maxRank = r.attr<int64_t>(g, "max_rank", w);
    c.freqFold = r.attr<int64_t>(g, "freqfold", w);
    c.kvBytesPerTokenBefore = r.attr<int64_t>(g, "kv_bytes_before", w);
    c.kvBytesPerTokenAfter = r.attr<int64_t>(g, "kv_bytes_after", w);
    c.secondsTotal = r.attr<double>(g, "seconds_total", w);
    c.modelContentHash = r.attr<std::string>(g, "model_content_hash", w);
    c.calibrationFile = r.attr<std::string>(g, "calibration_file", w);
    c.exportProblem = r.attr<std::string>(g, "export_problem", w);
    if (r.attr<int32_t>(g, "has_loss_full_rank", w) != 0)
        c.lossFullRank = r.attr<double>(g, "loss_full_rank", w);
    const auto layer = r.array<int64_t>(g, "layer", w);
    const int64_t n = int64_t(layer.size());
    const auto rank = r.array<int64_t>(g, "rank", w, {n});
    const auto retained = r.array<double>(g, "retained_energy", w, {n});
    const auto rope = r.array<double>(g, "rope_energy_fraction", w, {n});
    const auto alpha = r.array<double>(g, "alpha", w, {n});
    const auto error = r.array<double>(g, "attention_error", w, {n});
    const auto offsets = r.array<int64_t>(g, "eigenvalue_offsets", w, {n + 1});
    const auto eigenvalues = r.array<double>(g, "eigenvalues", w);
    r.checkOffsets(offsets, eigenvalues.size(), w + "/eigenvalue_offsets");
    for (size_t i = 0; i < size_t(n); ++i) {
        LayerFigures l{layer[i], rank[i], retained[i], rope[i], alpha[i], {}, error[i]};
        l.eigenvalues.assign(eigenvalues.begin() + offsets[i], eigenvalues.begin() + offsets[i + 1]);
        c.layers.push_back(std::move(l));
    }
    return c;
}

void writeSweep(H5::H5File& f, const RankSweep& s) {
    H5::Group g = f.createGroup("sweep");
    H5::Group settings = g.createGroup("settings");
    writeSettings(settings, s.settings);
    writeAttr(g, "problems", s.problems);
    writeAttr(g, "baseline_kv_bytes", s.baselineKvBytesPerToken);
    if (s.baseline) writeLoss(g, "baseline", "gqa", *s.baseline);
    std::vector<int64_t> rank, kv;
    std::vector<double> nll;
    H5::Group losses = g.createGroup("loss");
    for (size_t i = 0; i < s.points.size(); ++i) {
        const SweepPoint& p = s.points[i];
        rank.push_back(p.rank), kv.push_back(p.kvBytesPerToken), nll.push_back(p.meanNll);
        if (p.loss) writeLoss(losses, std::to_string(i), "mla r=" + std::to_string(p.rank), *p.loss);
    }
    writeArray(g, "rank", rank);
    writeArray(g, "kv_bytes_per_token", kv);
    writeArray(g, "mean_nll", nll);
}

RankSweep readSweep(const Reader& r, const H5::Group& g) {
    const std::string w = "/sweep";
    RankSweep s;
    s.settings = readSettings(r, r.group(g, "settings", w), w + "/settings");
    s.problems = r.attr<int64_t>(g, "problems", w);
    s.baselineKvBytesPerToken = r.attr<int64_t>(g, "baseline_kv_bytes", w);
    if (io::h5::exists(g, "baseline"))
        s.baseline = readLoss(r, r.group(g, "baseline", w), w + "/baseline").result;
    const auto rank = r.array<int64_t>(g, "rank", w);
    const int64_t n = int64_t(rank.size());
    const auto kv = r.array<int64_t>(g, "kv_bytes_per_token", w, {n});
    const auto nll = r.array<double>(g, "mean_nll", w, {n});
    const H5::Group losses = r.group(g, "loss", w);
    for (size_t i = 0; i < size_t(n); ++i) {
        if (i > 0 && rank[i] <= rank[i - 1])
            r.fail(w + "/rank", "not ascending at entry " + std::to_string(i));
        SweepPoint p{rank[i], kv[i], nll[i], std::nullopt};
        const std::string name = std::to_string(i);
        if (io::h5::exists(losses, name))
            p.loss = readLoss(r, r.group(losses, name, w + "/loss"), w + "/loss/" + name).result;
        s.points.push_back(std::move(p));
    }
    return s;
}

} // namespace transmla::results::detail
