// Analysis sessions in one HDF5 file: which model (path + content hashes), the conversion settings,
// and every computed result (spectra, KV budgets, attention maps, losses), so that reopening a session
// shows them without recomputing. Torch-free: the GUI includes it.
//
// Layout (schema 1; `h5dump -A FILE` shows it):
//   /                 attrs schema_version (int), writer
//   /model            attrs path, config_hash, weights_hash
//   /settings         keys, values (string lists);  /settings_numeric  keys (string list), values (f64)
//   /spectra          attrs model, calibration_data, samples, seq_len; source (string list), layer, head,
//                     offsets {n+1}, values (all singular values back to back)
//   /budgets          label, kind (string lists); num_layers, num_kv_heads, head_dim, kv_lora_rank,
//                     qk_rope_head_dim, elements_per_token_per_layer, bytes_per_element, weights_bytes
//   /attention/<i>    attrs model, prompt, layer, head; token_ids, token_texts, probs {T, T},
//                     row_entropy, head_entropy
//   /losses/<i>       attrs label + LossResult totals; per_doc_{nll_sum,tokens,answer_nll_sum,answer_tokens}
// Single strings are fixed-length NULLPAD strings of len + 1 bytes; a string list is a group with
// `bytes` (u8) and `offsets` {n+1} (i64). Either way any byte (NUL included) survives.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/attention_map.h"
#include "analysis/budget.h"
#include "analysis/spectrum.h"
#include "eval/loss.h"

namespace transmla::io {

constexpr int kSessionSchemaVersion = 1;

struct ModelReference {
    std::string path;
    std::string configHash;  // FNV-1a of config.json
    std::string weightsHash; // FNV-1a over the safetensors index (if any) and every shard's header
    bool sameContent(const ModelReference& o) const {
        return configHash == o.configHash && weightsHash == o.weightsHash;
    }
};

// Hashes a model folder (reads config.json and the safetensors headers only).
ModelReference referenceModel(const std::filesystem::path& modelDir);

struct NamedLoss {
    std::string label; // "original", "mla r=64" ...
    eval::LossResult result;
};

struct Session {
    ModelReference model;
    std::map<std::string, std::string> settings;     // conversion settings as text
    std::map<std::string, double> numericSettings;   // ... and as numbers
    std::optional<analysis::SpectraResult> spectra;
    std::vector<analysis::KvBudget> budgets;
    std::vector<analysis::AttentionMap> attentionMaps;
    std::vector<NamedLoss> losses;

    // Adds or replaces the map of the same model, prompt, layer and head.
    void putAttentionMap(analysis::AttentionMap map);
    // Adds or replaces the loss of the same label.
    void putLoss(const std::string& label, eval::LossResult result);
};

// Atomic: written to a temporary beside `file`, renamed over it only when complete, so a failed
// save leaves the old file intact. Throws transmla::Error naming the file.
void saveSession(const std::filesystem::path& file, const Session& session);
// Throws FormatError naming the file for a corrupt or truncated file, a missing field, or a schema
// newer than kSessionSchemaVersion.
Session loadSession(const std::filesystem::path& file);

} // namespace transmla::io
