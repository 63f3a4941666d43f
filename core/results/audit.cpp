#include "results/audit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "io/folder_snapshot.h"
#include "io/hash.h"

namespace transmla::results {

namespace {

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}
std::string interval(const eval::Interval& i, int digits) {
    // Appended piece by piece: GCC 12 reports a false -Warray-bounds on "[" + std::string&& (PR 105651).
    std::string s = "[";
    s += fixed(i.low, digits);
    s += ", ";
    s += fixed(i.high, digits);
    s += ']';
    return s;
}
nlohmann::json intervalJson(const eval::Interval& i) {
    return {i.low, i.high};
}

} // namespace

nlohmann::json LossComparison::toJson() const {
    return {{"dataset", dataset},
            {"answer_only", answerOnly},
            {"documents", documents},
            {"tokens_before", tokensBefore},
            {"tokens_after", tokensAfter},
            {"mean_nll_before", before},
            {"mean_nll_after", after},
            {"perplexity_before", std::exp(before)},
            {"perplexity_after", std::exp(after)},
            {"ci95_before", intervalJson(beforeCi)},
            {"ci95_after", intervalJson(afterCi)},
            {"difference", difference()},
            {"ci95_difference", intervalJson(differenceCi)}};
}

LossComparison compareLosses(const std::string& dataset, const eval::LossResult& before,
                             const eval::LossResult& after, bool answerOnly,
                             const eval::BootstrapOptions& options) {
    if (before.perDoc.size() != after.perDoc.size())
        throw std::invalid_argument(dataset + ": " + std::to_string(before.perDoc.size()) +
                                    " documents before, " + std::to_string(after.perDoc.size()) + " after");
    LossComparison c;
    c.dataset = dataset;
    c.answerOnly = answerOnly;
    c.documents = before.documents;
    c.tokensBefore = answerOnly ? before.answerTokens : before.tokens;
    c.tokensAfter = answerOnly ? after.answerTokens : after.tokens;
    c.before = answerOnly ? before.answerMeanNll() : before.meanNll();
    c.after = answerOnly ? after.answerMeanNll() : after.meanNll();
    c.beforeCi = eval::bootstrapMeanNll(before.perDoc, answerOnly, options);
    c.afterCi = eval::bootstrapMeanNll(after.perDoc, answerOnly, options);
    c.differenceCi = eval::bootstrapMeanNllDifference(before.perDoc, after.perDoc, answerOnly, options);
    return c;
}

std::vector<std::pair<std::string, std::string>> settingsTable(const convert::ConvertSettings& s) {
    auto num = [](double v) {
        std::ostringstream o;
        o << v;
        return o.str();
    };
    auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
    return {{"mode", s.exact ? "exact" : "compressed"},
            {"kv_lora_rank", std::to_string(s.kvLoraRank)},
            {"energy", num(s.energy)},
            {"qk_rope_head_dim", std::to_string(s.qkRopeHeadDim)},
            {"freqfold", std::to_string(s.freqFold)},
            {"rorope", flag(s.rorope)},
            {"balance_kv", flag(s.balanceKv)},
            {"joint_pca", flag(s.jointPca)},
            {"latent_norm", convert::latentNormName(s.latentNorm)},
            {"fold_qk_norm", flag(s.foldQkNorm)},
            {"pca_activations", convert::pcaActivationsName(s.pcaActivations)},
            {"damping", num(s.damping)},
            {"calibration_source", s.calibration.source},
            {"calibration_samples", std::to_string(s.calibration.samples)},
            {"calibration_seq_len", std::to_string(s.calibration.seqLen)},
            {"calibration_seed", std::to_string(s.calibration.seed)},
            {"calibration_micro_batch", std::to_string(s.calibration.microBatch)}};
}

std::string contentHash(const io::FolderSnapshot& snapshot) {
    uint64_t h = io::kFnv1aOffset;
    for (const auto& f : snapshot.files()) {
        h = io::fnv1a64(f.name.data(), f.name.size() + 1, h); // with the NUL: "ab"+"c" != "a"+"bc"
        h = io::fnv1a64(&f.contentHash, sizeof f.contentHash, h);
    }
    return io::hashHex(h);
}

void AuditRecord::setLosses(const std::optional<eval::LossResult>& gsm8kBefore,
                            const std::optional<eval::LossResult>& gsm8kAfter,
                            const std::optional<eval::LossResult>& wikiBefore,
                            const std::optional<eval::LossResult>& wikiAfter) {
    auto paired = [](const auto& x, const auto& y) { return x && y && x->perDoc.size() == y->perDoc.size(); };
    if (paired(gsm8kBefore, gsm8kAfter)) {
        gsm8k = compareLosses("GSM8K test", *gsm8kBefore, *gsm8kAfter, false);
        gsm8kAnswer = compareLosses("GSM8K test, answer tokens only", *gsm8kBefore, *gsm8kAfter, true);
    }
    if (paired(wikiBefore, wikiAfter))
        wikitext = compareLosses("WikiText-2 test", *wikiBefore, *wikiAfter, false);
}

nlohmann::json AuditRecord::toJson() const {
    nlohmann::json j;
    j["model"] = {{"path", modelPath}, {"content_hash", modelContentHash}};
    j["settings"] = nlohmann::json::object();
    for (const auto& [k, v] : settings)
        j["settings"][k] = v;
    j["calibration_file"] = calibrationFile;
    j["kv_bytes_per_token"] = {{"before", kvBytesPerTokenBefore}, {"after", kvBytesPerTokenAfter}};
    j["layers"] = nlohmann::json::array();
    for (const auto& l : layers) {
        j["layers"].push_back({{"layer", l.layer},
                               {"kv_lora_rank", l.rank},
                               {"retained_energy", l.retainedEnergy},
                               {"discarded_energy", 1 - l.retainedEnergy},
                               {"rope_energy_fraction", l.ropeEnergyFraction},
                               {"alpha", l.alpha}});
        if (l.attentionError >= 0) j["layers"].back()["attention_output_error"] = l.attentionError;
    }
    if (gsm8k) j["gsm8k"] = gsm8k->toJson();
    if (gsm8kAnswer) j["gsm8k_answer_only"] = gsm8kAnswer->toJson();
    if (wikitext) j["wikitext2"] = wikitext->toJson();
    j["exportable"] = exportProblem.empty();
    if (!exportProblem.empty()) j["export_problem"] = exportProblem;
    return j;
}

std::string AuditRecord::toMarkdown(const std::vector<std::pair<std::string, std::string>>& images) const {
    std::ostringstream md;
    md << "# TransMLA conversion report\n\n";
    md << "| | |\n|---|---|\n";
    md << "| model | `" << modelPath << "` |\n";
    md << "| content hash (FNV-1a 64 over every file) | `" << modelContentHash << "` |\n";
    md << "| calibration text | `" << calibrationFile << "` |\n";
    md << "| KV cache per token (16-bit) | " << kvBytesPerTokenBefore << " -> " << kvBytesPerTokenAfter
       << " bytes ("
       << fixed(100.0 * double(kvBytesPerTokenAfter) / double(std::max<int64_t>(1, kvBytesPerTokenBefore)), 1)
       << "%) |\n";
    md << "| DeepSeek-V3 export | "
       << (exportProblem.empty() ? std::string("possible") : "not possible: " + exportProblem) << " |\n\n";
    md << "## Settings\n\n| setting | value |\n|---|---|\n";
    for (const auto& [k, v] : settings)
        md << "| " << k << " | " << v << " |\n";
    md << "\n## Losses (mean NLL in nats/token; 95% bootstrap intervals over documents, 2000 resamples, "
          "fixed seed)\n\n";
    const LossComparison* losses[] = {gsm8k ? &*gsm8k : nullptr, gsm8kAnswer ? &*gsm8kAnswer : nullptr,
                                      wikitext ? &*wikitext : nullptr};
    bool any = false;
    for (const LossComparison* c : losses) {
        if (!c) continue;
        if (!any)
            md << "| dataset | documents | before | after | after - before (paired) | perplexity before -> "
                  "after |\n"
                  "|---|---|---|---|---|---|\n";
        any = true;
        md << "| " << c->dataset << " | " << c->documents << " | " << fixed(c->before, 4) << " "
           << interval(c->beforeCi, 4) << " | " << fixed(c->after, 4) << " " << interval(c->afterCi, 4)
           << " | " << fixed(c->difference(), 4) << " " << interval(c->differenceCi, 4) << " | "
           << fixed(std::exp(c->before), 3) << " -> " << fixed(std::exp(c->after), 3) << " |\n";
    }
    if (!any) md << "No loss was evaluated.\n";
    md << "\n## Per layer\n\nDiscarded energy: the relative squared error of the latent's PCA reconstruction "
          "on the "
          "calibration text. Attention error: ||A_MLA(x) - A_GQA(x)|| / ||A_GQA(x)|| of the layer's "
          "attention output "
          "for the original model's inputs x on calibration text (- : not measured).\n\n"
          "| layer | kv_lora_rank | retained energy | discarded energy | attention error | RoPE energy "
          "fraction | alpha |\n"
          "|---|---|---|---|---|---|---|\n";
    for (const auto& l : layers)
        md << "| " << l.layer << " | " << l.rank << " | " << fixed(l.retainedEnergy, 6) << " | "
           << fixed(1 - l.retainedEnergy, 6) << " | "
           << (l.attentionError >= 0 ? fixed(l.attentionError, 6) : std::string("-")) << " | "
           << fixed(l.ropeEnergyFraction, 4) << " | " << fixed(l.alpha, 4) << " |\n";
    if (!images.empty()) md << "\n## Plots\n";
    for (const auto& [title, file] : images)
        md << "\n### " << title << "\n\n![" << title << "](" << file << ")\n";
    return md.str();
}

} // namespace transmla::results
