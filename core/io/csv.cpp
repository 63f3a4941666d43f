#include "io/csv.h"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "io/session.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla::io {

namespace {

// %.17g round-trips every double.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

void writeText(const fs::path& file, const std::string& text) {
    AtomicFile out(file);
    out.write(text.data(), text.size());
    out.commit();
}

// File-name-safe label: letters, digits, '-', '_' kept, anything else '_'.
std::string safeName(const std::string& s) {
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "unnamed" : out;
}

} // namespace

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void writeSpectraCsv(const fs::path& file, const analysis::SpectraResult& r) {
    std::ostringstream o;
    o << "source,layer,head,index,singular_value,energy,cumulative_energy\n";
    for (const auto& s : r.spectra) {
        const auto cum = s.cumulativeEnergy();
        const std::string head = s.head == analysis::kAllHeads ? "all" : std::to_string(s.head);
        for (size_t i = 0; i < s.singularValues.size(); ++i)
            o << analysis::sourceName(s.source) << ',' << s.layer << ',' << head << ',' << i << ','
              << num(s.singularValues[i]) << ',' << num(s.singularValues[i] * s.singularValues[i]) << ','
              << num(cum[i]) << '\n';
    }
    writeText(file, o.str());
}

void writeBudgetsCsv(const fs::path& file, const std::vector<analysis::KvBudget>& budgets,
                     const std::vector<int64_t>& contexts, int64_t batch) {
    std::ostringstream o;
    o << "label,kind,dtype_bytes,num_layers,kv_lora_rank,qk_rope_head_dim,elements_per_token_per_layer,"
         "bytes_per_token_per_layer,bytes_per_token,weights_bytes,batch";
    for (int64_t t : contexts) o << ",cache_bytes_T" << t;
    for (const auto& g : analysis::gpuPresets()) o << ",max_context_" << safeName(g.name);
    o << '\n';
    for (const auto& b : budgets) {
        o << csvField(b.label) << ',' << analysis::cacheKindName(b.kind) << ',' << b.bytesPerElement << ','
          << b.numLayers << ',' << b.kvLoraRank << ',' << b.qkRopeHeadDim << ',' << b.elementsPerTokenPerLayer << ','
          << b.bytesPerTokenPerLayer() << ',' << b.bytesPerToken() << ',' << b.weightsBytes << ',' << batch;
        for (int64_t t : contexts) o << ',' << b.cacheBytes(t, batch);
        for (const auto& g : analysis::gpuPresets()) o << ',' << b.maxContext(g.bytes, batch);
        o << '\n';
    }
    writeText(file, o.str());
}

void writeAttentionCsv(const fs::path& file, const analysis::AttentionMap& m) {
    const int64_t T = m.tokens();
    if (int64_t(m.probs.size()) != T * T || int64_t(m.tokenTexts.size()) != T)
        throw ArgumentError(file.string() + ": attention map sizes do not match its tokens");
    std::ostringstream o;
    o << "query,key,query_token,key_token,probability\n";
    for (int64_t i = 0; i < T; ++i)
        for (int64_t j = 0; j <= i; ++j)
            o << i << ',' << j << ',' << csvField(m.tokenTexts[size_t(i)]) << ',' << csvField(m.tokenTexts[size_t(j)])
              << ',' << num(m.at(i, j)) << '\n';
    writeText(file, o.str());
}

void writeLossCsv(const fs::path& file, const eval::LossResult& r) {
    std::ostringstream o;
    o << "doc,nll_sum,tokens,answer_nll_sum,answer_tokens\n";
    for (size_t i = 0; i < r.perDoc.size(); ++i) {
        const auto& d = r.perDoc[i];
        o << i << ',' << num(d.nllSum) << ',' << d.tokens << ',' << num(d.answerNllSum) << ',' << d.answerTokens << '\n';
    }
    writeText(file, o.str());
}

std::vector<fs::path> writeSessionCsv(const fs::path& dir, const Session& s) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create the CSV folder: " + ec.message());
    std::vector<fs::path> files;
    if (s.spectra) writeSpectraCsv(files.emplace_back(dir / "spectra.csv"), *s.spectra);
    if (!s.budgets.empty()) writeBudgetsCsv(files.emplace_back(dir / "budgets.csv"), s.budgets);
    for (size_t i = 0; i < s.attentionMaps.size(); ++i) {
        const auto& m = s.attentionMaps[i];
        // Several prompts may share a layer and head: the index keeps their files apart.
        writeAttentionCsv(files.emplace_back(dir / ("attention_L" + std::to_string(m.layer) + "_H" +
                                                    std::to_string(m.head) + "_" + std::to_string(i) + ".csv")),
                          m);
    }
    for (const auto& l : s.losses) writeLossCsv(files.emplace_back(dir / ("loss_" + safeName(l.label) + ".csv")), l.result);
    return files;
}

} // namespace transmla::io
