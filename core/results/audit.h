// The audit record of one conversion: what an auditor needs to decide ship / no-ship, in one plain
// value type shared by the CLI (`convert --json`), the GUI, the exported folder (config.json
// "transmla"."audit"), sessions and File > Report. Torch-free.
//   - which model exactly (content hash of every file of the folder) and every setting;
//   - per layer: kv_lora_rank, the latent energy the PCA kept (1 - retained = the relative squared
//     reconstruction error of the latent on the calibration text) and the relative attention-output
//     error on calibration text (eval/layer_error.h);
//   - losses before/after with 95% bootstrap intervals over documents, and the paired difference.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "convert/settings.h"
#include "eval/bootstrap.h"
#include "eval/loss.h"

namespace transmla::io {
class FolderSnapshot;
}

namespace transmla::results {

// One dataset evaluated on the original (before) and the converted model (after), in nats/token.
struct LossComparison {
    std::string dataset;
    bool answerOnly = false;
    int64_t documents = 0, tokensBefore = 0, tokensAfter = 0;
    double before = 0, after = 0;
    eval::Interval beforeCi, afterCi, differenceCi; // 95% percentile bootstrap over documents
    double difference() const { return after - before; }
    nlohmann::json toJson() const;
};
// Throws std::invalid_argument when the two results cover different numbers of documents.
LossComparison compareLosses(const std::string& dataset, const eval::LossResult& before,
                             const eval::LossResult& after, bool answerOnly,
                             const eval::BootstrapOptions& options = {});

struct LayerAudit {
    int64_t layer = 0, rank = 0;
    double retainedEnergy = 1, ropeEnergyFraction = 1, alpha = 1;
    double attentionError = -1; // relative attention-output error on calibration text (-1: not measured)
};

struct AuditRecord {
    std::string modelPath, modelContentHash;
    std::vector<std::pair<std::string, std::string>> settings;   // every conversion setting, as text
    std::string calibrationFile;                                 // the text the statistics came from
    int64_t kvBytesPerTokenBefore = 0, kvBytesPerTokenAfter = 0; // 16-bit cache
    std::vector<LayerAudit> layers;
    std::optional<LossComparison> gsm8k, gsm8kAnswer, wikitext;
    std::string exportProblem; // empty: the converted model can be exported as DeepSeek-V3

    // gsm8k, gsm8kAnswer and wikitext from the losses of the original and the converted model; a pair
    // that is missing or covers different documents leaves its comparison empty.
    void setLosses(const std::optional<eval::LossResult>& gsm8kBefore,
                   const std::optional<eval::LossResult>& gsm8kAfter,
                   const std::optional<eval::LossResult>& wikiBefore,
                   const std::optional<eval::LossResult>& wikiAfter);
    nlohmann::json toJson() const;
    // A Markdown report; images: (title, file name relative to the report) shown after the tables.
    std::string toMarkdown(const std::vector<std::pair<std::string, std::string>>& images = {}) const;
};

// Every field of the settings, with the names the exported config and the CLI use.
std::vector<std::pair<std::string, std::string>> settingsTable(const convert::ConvertSettings& s);

// One hash over the names and content hashes of every file of the snapshot (FNV-1a 64, 16 hex
// digits): changes when any byte of config.json, the tokenizer or the weights changes.
std::string contentHash(const io::FolderSnapshot& snapshot);

} // namespace transmla::results
