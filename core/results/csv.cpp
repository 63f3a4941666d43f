#include "results/csv.h"

#include <cctype>

#include "io/csv.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla::results {

namespace {

using io::csvNumber;

// File-name-safe label: letters, digits, '-', '_' kept, anything else '_'.
std::string safeName(const std::string& s) {
    std::string out;
    for (char c : s)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "unnamed" : out;
}

std::string str(int64_t v) {
    return std::to_string(v);
}

} // namespace

void writeSpectraCsv(const fs::path& file, const analysis::SpectraResult& r) {
    io::CsvWriter csv({"source", "layer", "head", "index", "singular_value", "energy", "cumulative_energy"});
    for (const auto& s : r.spectra) {
        const auto cum = s.cumulativeEnergy();
        const std::string head = s.head == analysis::kAllHeads ? "all" : str(s.head);
        for (size_t i = 0; i < s.singularValues.size(); ++i)
            csv.row({analysis::sourceName(s.source), str(s.layer), head, str(int64_t(i)),
                     csvNumber(s.singularValues[i]), csvNumber(s.singularValues[i] * s.singularValues[i]),
                     csvNumber(cum[i])});
    }
    csv.save(file);
}

void writeBudgetsCsv(const fs::path& file, const std::vector<analysis::KvBudget>& budgets,
                     const std::vector<int64_t>& contexts, int64_t batch) {
    std::vector<std::string> header{"label",
                                    "kind",
                                    "dtype_bytes",
                                    "num_layers",
                                    "kv_lora_rank",
                                    "qk_rope_head_dim",
                                    "elements_per_token_per_layer",
                                    "bytes_per_token_per_layer",
                                    "bytes_per_token",
                                    "weights_bytes",
                                    "batch"};
    for (int64_t t : contexts)
        header.push_back("cache_bytes_T" + str(t));
    for (const auto& g : analysis::gpuPresets())
        header.push_back("max_context_" + safeName(g.name));
    io::CsvWriter csv(header);
    for (const auto& b : budgets) {
        std::vector<std::string> row{b.label,
                                     analysis::cacheKindName(b.kind),
                                     str(b.bytesPerElement),
                                     str(b.numLayers),
                                     str(b.kvLoraRank),
                                     str(b.qkRopeHeadDim),
                                     str(b.elementsPerTokenPerLayer),
                                     str(b.bytesPerTokenPerLayer()),
                                     str(b.bytesPerToken()),
                                     str(b.weightsBytes),
                                     str(batch)};
        for (int64_t t : contexts)
            row.push_back(str(b.cacheBytes(t, batch)));
        for (const auto& g : analysis::gpuPresets())
            row.push_back(str(b.maxContext(g.bytes, batch)));
        csv.row(row);
    }
    csv.save(file);
}

void writeAttentionCsv(const fs::path& file, const analysis::AttentionMap& m) {
    const int64_t T = m.tokens();
    if (int64_t(m.probs.size()) != T * T || int64_t(m.tokenTexts.size()) != T)
        throw ArgumentError(file.string() + ": attention map sizes do not match its tokens");
    io::CsvWriter csv({"query", "key", "query_token", "key_token", "probability"});
    for (int64_t i = 0; i < T; ++i)
        for (int64_t j = 0; j <= i; ++j)
            csv.row(
                {str(i), str(j), m.tokenTexts[size_t(i)], m.tokenTexts[size_t(j)], csvNumber(m.at(i, j))});
    csv.save(file);
}

void writeLossCsv(const fs::path& file, const eval::LossResult& r) {
    io::CsvWriter csv({"doc", "nll_sum", "tokens", "answer_nll_sum", "answer_tokens"});
    for (size_t i = 0; i < r.perDoc.size(); ++i) {
        const auto& d = r.perDoc[i];
        csv.row({str(int64_t(i)), csvNumber(d.nllSum), str(d.tokens), csvNumber(d.answerNllSum),
                 str(d.answerTokens)});
    }
    csv.save(file);
}

void writeSweepCsv(const fs::path& file, const RankSweep& s) {
    io::CsvWriter csv({"model", "kv_lora_rank", "kv_bytes_per_token", "mean_nll", "problems"});
    if (s.baseline)
        csv.row(
            {"gqa", "", str(s.baselineKvBytesPerToken), csvNumber(s.baseline->meanNll()), str(s.problems)});
    for (const auto& p : s.points)
        csv.row({"mla", str(p.rank), str(p.kvBytesPerToken), csvNumber(p.meanNll), str(s.problems)});
    csv.save(file);
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
        writeAttentionCsv(files.emplace_back(dir / ("attention_L" + str(m.layer) + "_H" + str(m.head) + "_" +
                                                    str(int64_t(i)) + ".csv")),
                          m);
    }
    for (const auto& l : s.losses)
        writeLossCsv(files.emplace_back(dir / ("loss_" + safeName(l.label) + ".csv")), l.result);
    if (s.sweep) {
        writeSweepCsv(files.emplace_back(dir / "sweep.csv"), *s.sweep);
        if (s.sweep->baseline)
            writeLossCsv(files.emplace_back(dir / "sweep_loss_gqa.csv"), *s.sweep->baseline);
        for (const auto& p : s.sweep->points)
            if (p.loss)
                writeLossCsv(files.emplace_back(dir / ("sweep_loss_r" + str(p.rank) + ".csv")), *p.loss);
    }
    return files;
}

} // namespace transmla::results
