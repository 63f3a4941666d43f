// Analysis sessions in one HDF5 file: which model (path + content hashes), the conversion settings,
// the conversion report, the rank sweep and every computed result (spectra, KV budgets, attention maps,
// losses), so that reopening a session shows them without recomputing. The one session schema of both
// front ends: the CLI and the workbench read and write the same typed groups. Torch-free (views use it).
//
// Layout (schema 2; `h5dump -A FILE` shows it; "settings group" = one typed attribute per
// ConvertSettings field: exact, kv_lora_rank, energy, qk_rope_head_dim, freqfold, rorope,
// pre_rope_key_stats, balance_kv, joint_pca, latent_norm, damping, calibration_source,
// calibration_samples, calibration_seq_len, calibration_seed, calibration_micro_batch):
//   /                 attrs schema_version (int), writer
//   /model            attrs path, config_hash, weights_hash
//   /settings         keys, values (string lists);  /settings_numeric  keys (string list), values (f64):
//                     free-form notes, not read by either front end
//   /convert_settings optional settings group (what the workbench panel holds) + attr loss_problems
//   /conversion       optional conversion report: attrs rope_dim, max_rank, freqfold, kv_bytes_before,
//                     kv_bytes_after, seconds_total, model_content_hash, calibration_file, export_problem,
//                     has_loss_full_rank, loss_full_rank; /conversion/settings (as resolved);
//                     {L} layer, rank, retained_energy, rope_energy_fraction, alpha, attention_error;
//                     eigenvalue_offsets {L+1}, eigenvalues (each layer's latent PCA spectrum back to back)
//   /spectra          attrs model, calibration_data, samples, seq_len; source (string list), layer, head,
//                     offsets {n+1}, values (all singular values back to back)
//   /budgets          label, kind (string lists); num_layers, num_kv_heads, head_dim, kv_lora_rank,
//                     qk_rope_head_dim, elements_per_token_per_layer, bytes_per_element, weights_bytes
//   /attention/<i>    attrs model, form (gqa | mla), prompt, prompt_tokens, layer, head; token_ids,
//                     token_texts, probs {T, T}, row_entropy, head_entropy
//   /losses/<i>       attrs label + LossResult totals; per_doc_{nll_sum,tokens,answer_nll_sum,answer_tokens}
//   /sweep            optional rank sweep: attrs problems, baseline_kv_bytes; /sweep/settings;
//                     {n} rank, kv_bytes_per_token, mean_nll; /sweep/loss/<i> the loss of point i (a loss
//                     group as in /losses; absent where only the mean is known); /sweep/baseline (optional)
// Schema 1 (before issue 15) is still read: the workbench kept its report in /settings_numeric under
// printf keys ("layer.%03d.rank", "latent.%03d.%05d", "sweep.%03d.mean_nll"), the CLI its sweep as
// losses "gqa" / "mla r=R rope=RR" with "kv_bytes_per_token/<label>", and the converted model's
// attention map was told apart by a " (MLA)" suffix on its model name (session_v1.cpp maps all that).
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
#include "convert/settings.h"
#include "eval/loss.h"

namespace transmla::results {

constexpr int kSessionSchemaVersion = 2;

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
    std::string label; // "original", "converted", "wikitext2 original" ...
    eval::LossResult result;
};

// One layer of the conversion report (convert::LayerReport without torch).
struct LayerFigures {
    int64_t layer = 0, rank = 0;
    double retainedEnergy = 1, ropeEnergyFraction = 1, alpha = 1;
    std::vector<double> eigenvalues; // joint PCA spectrum of the latent (descending)
    double attentionError = -1;      // eval::attentionOutputErrors on calibration text (-1: not measured)
};

// What a conversion reported (its losses, attention maps, spectra and budgets are in the session's
// other groups: losses "original" / "converted" / "wikitext2 original" / "wikitext2 converted").
struct ConversionRecord {
    convert::ConvertSettings settings; // as resolved
    int64_t ropeDim = 0, maxRank = 0, freqFold = 1;
    int64_t kvBytesPerTokenBefore = 0, kvBytesPerTokenAfter = 0; // 16-bit
    double secondsTotal = 0;
    std::vector<LayerFigures> layers;
    std::string modelContentHash, calibrationFile, exportProblem;
    std::optional<double> lossFullRank; // mean NLL of the full-rank model (the loss split)
};

// One point of a rank sweep: the model converted at `rank`, evaluated on the sweep's problems.
struct SweepPoint {
    int64_t rank = 0;
    int64_t kvBytesPerToken = 0;          // bf16 cache of the converted model
    double meanNll = 0;                   // nats per token over the sweep's problems
    std::optional<eval::LossResult> loss; // per problem; absent in schema-1 workbench sessions (mean only)
};

// Loss against KV cache size over kv_lora_rank: what `transmla analyze loss-sweep` and the workbench's
// Rank sweep compute (workbench/rank_sweep.h) and both show.
struct RankSweep {
    convert::ConvertSettings settings; // every point's settings but kv_lora_rank (compressed, energy 0)
    int64_t problems = 0;              // GSM8K test problems evaluated at every point
    std::optional<eval::LossResult> baseline; // the original (GQA) model on the same problems
    int64_t baselineKvBytesPerToken = 0;
    std::vector<SweepPoint> points; // ascending rank, one per rank

    const SweepPoint* find(int64_t rank) const;
    void put(SweepPoint point); // adds or replaces the point of its rank, keeping the order
    // Can points computed with `settings` on `problems` problems join this sweep?
    bool sameSetup(const convert::ConvertSettings& settings, int64_t problems) const;
};

struct Session {
    ModelReference model;
    std::map<std::string, std::string> settings;             // free-form notes
    std::map<std::string, double> numericSettings;           // ... and numbers
    std::optional<convert::ConvertSettings> convertSettings; // the settings a front end shows
    int64_t lossProblems = 0;                                // GSM8K problems evaluated with a conversion
    std::optional<ConversionRecord> conversion;
    std::optional<analysis::SpectraResult> spectra;
    std::vector<analysis::KvBudget> budgets;
    std::vector<analysis::AttentionMap> attentionMaps;
    std::vector<NamedLoss> losses;
    std::optional<RankSweep> sweep;

    // Adds or replaces the map of the same model, form, prompt, layer and head.
    void putAttentionMap(analysis::AttentionMap map);
    // Adds or replaces the loss of the same label.
    void putLoss(const std::string& label, eval::LossResult result);
    const eval::LossResult* findLoss(const std::string& label) const;
};

// The settings of a sweep point: compressed, uniform rank, `rank` (the one place the sweep's
// conversion settings are derived, so that every front end converts alike).
convert::ConvertSettings sweepPointSettings(convert::ConvertSettings settings, int64_t rank);

// Atomic: written to a temporary beside `file`, renamed over it only when complete, so a failed
// save leaves the old file intact. Throws transmla::Error naming the file.
void saveSession(const std::filesystem::path& file, const Session& session);
// Reads schema 1 and 2. Throws FormatError naming the file and the field for a corrupt or truncated
// file, a missing or malformed field, or a schema newer than kSessionSchemaVersion.
Session loadSession(const std::filesystem::path& file);

} // namespace transmla::results
