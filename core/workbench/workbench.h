// The workbench facade: what the GUI asks of core, as plain value types. Torch-free on purpose
// (views include it); the .cpp files load models and run torch. Every call is long work: it takes a
// Progress (report + cancel) and is meant to run in a worker thread; errors arrive as exceptions
// (transmla::Error, Cancelled) for the caller to turn into a message once.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/attention_map.h"
#include "analysis/budget.h"
#include "analysis/spectrum.h"
#include "convert/export_target.h"
#include "convert/settings.h"
#include "eval/loss.h"
#include "io/model_config.h"
#include "results/audit.h"
#include "results/session.h"
#include "util/progress.h"
#include "util/stage_clock.h"

namespace transmla::workbench {

// The loaded original and converted models plus the tokenizer (opaque: holds torch tensors).
struct Models;

// One layer of the conversion report (convert::LayerReport without torch); the session keeps it.
using LayerFigures = results::LayerFigures;

struct JobOptions {
    std::filesystem::path resourcesDir;     // bundled GSM8K (calibration, loss, default prompt)
    Device device;                          // cpu | cuda
    ComputeDtype dtype = ComputeDtype::F32; // f32 | bf16: the compute dtype the models are loaded in
    // Keep the per-layer bases of a compressed conversion (and the original model) in memory, so that
    // changeRank re-truncates without calibrating again.
    bool keepCalibration = true;
    int64_t lossProblems = 0; // GSM8K test problems evaluated before and after (0: none)
    bool lossSplit = true;    // with lossProblems: also the full-rank model (where the loss comes from)
    bool spectra = true;      // weight + activation spectra of the original model
    int64_t spectraSamples = 16, spectraSeqLen = 64;
    bool attention = true;       // maps of attentionLayer/Head before and after
    std::string attentionPrompt; // empty: the first GSM8K test problem
    int64_t attentionLayer = 0, attentionHead = 0;
    int64_t attentionMaxTokens =
        analysis::kAttentionMaxTokens; // longer prompts are cut (promptTokens says so)
    int64_t wikitextChunks = 0;        // WikiText-2 test chunks for perplexity before and after (0: none)
    int64_t wikitextChunkTokens = eval::kDocumentMaxTokens;
    // The first result first: runConversion returns after the GSM8K loss before/after (what the user
    // waits for), leaving the spectra, the full-rank loss of the loss split, the WikiText-2
    // perplexity and the attention maps to completeDetails (ConversionResult::detailsPending). Only
    // with keepCalibration in a compressed conversion (the details read the kept original model).
    bool deferDetails = false;
};

// Whether the workbench defers the details for a model of this size: on a 7B model they take tens
// of seconds (spectra above all), on the demo model a fraction of one, where a second job would
// only flicker. TRANSMLA_DEFER_DETAILS=0|1 overrides (benchmarks measure both ways).
bool defersDetails(int64_t parameterCount);

struct ConversionResult {
    std::string modelDir;
    convert::ConvertSettings settings; // as resolved (automatic values filled in)
    int64_t ropeDim = 0, maxRank = 0, freqFold = 1;
    int64_t kvBytesPerTokenBefore = 0, kvBytesPerTokenAfter = 0; // 16-bit
    double secondsTotal = 0;
    std::vector<LayerFigures> layers;
    std::vector<analysis::KvBudget> budgets; // GQA, MLA exact, MLA at the chosen rank
    std::optional<analysis::SpectraResult> spectra;
    std::optional<eval::LossResult> lossBefore, lossAfter;
    bool detailsPending = false; // JobOptions::deferDetails: completeDetails fills the rest
    // Mean NLL of the full-rank model at the same r_R / FreqFold: lossAfter - lossBefore splits into
    // RoPE removal (lossFullRank - lossBefore) and rank truncation (lossAfter - lossFullRank).
    std::optional<double> lossFullRank;
    std::optional<eval::LossResult> wikitextBefore, wikitextAfter;
    std::string modelContentHash; // results::contentHash of the folder the conversion read
    std::string calibrationFile;  // empty in exact mode (no calibration)
    std::string exportProblem;    // why the converted model cannot be exported (empty: it can)
    std::optional<analysis::AttentionMap> attentionBefore, attentionAfter;
    // Every query head of the attention layer, for the overview (not kept in sessions).
    std::vector<analysis::AttentionMap> attentionHeadsBefore, attentionHeadsAfter;
    std::shared_ptr<Models> models; // for export and further attention maps; null after a session load
    // Where the time went, stage by stage (not kept in sessions); TRANSMLA_TIMINGS prints it to stderr.
    std::vector<StageSeconds> stageSeconds;

    // The largest per-layer rank (what the cache stores).
    int64_t rank() const;
};

// Loads the model, calibrates, converts, and computes what JobOptions ask for. Progress stages:
// "load", "loss before", "spectra", "calibrate"/"convert" (in layers), "loss after", "attention".
ConversionResult runConversion(const std::filesystem::path& modelDir, convert::ConvertSettings settings,
                               const JobOptions& options, const Progress& progress = {});

// What runConversion deferred (JobOptions::deferDetails), from the models it kept: spectra of the
// original, WikiText-2 perplexity before/after, the full-rank loss (and the report's loss split),
// the attention maps; the same numbers an undeferred run gives. Returns `first` with them filled
// (detailsPending false); `first` as it is when nothing is pending. Cancel leaves `first` intact.
// Progress stages as runConversion's. Also after changeRank (the result keeps detailsPending).
ConversionResult completeDetails(const ConversionResult& first, const Progress& progress = {});

// The same conversion at another uniform kv_lora_rank, from the bases runConversion cached
// (JobOptions::keepCalibration): re-truncated and re-assembled without calibrating, then the same
// GSM8K problems (and WikiText-2 chunks), attention-output errors and attention maps after are
// measured again; what the rank does not change (losses before, spectra, full-rank loss) is
// carried over. The models in `previous` are changed in place (the result shares them); on cancel
// or error they are restored. Throws ArgumentError without a cache (exact mode, a reopened
// session), SettingError for a rank out of range. Progress: "re-truncate" (layers), "loss after".
ConversionResult changeRank(const ConversionResult& previous, int64_t rank, const Progress& progress = {});
// Can changeRank turn `result` into the conversion `settings` describe (a cache in memory, and only
// the uniform kv_lora_rank differs)?
bool canChangeRank(const ConversionResult& result, const convert::ConvertSettings& settings);

// Re-runs the conversion a saved session describes (its stored settings, no evaluation), after
// checking that the model folder's content hash is the one the session recorded (FormatError naming
// the folder otherwise), and that the per-layer ranks and retained energies come out the same
// (Error otherwise). For exporting a reopened session: the result carries the new models.
ConversionResult reconvert(const ConversionResult& stored, const JobOptions& options,
                           const Progress& progress = {});

// The audit record of a result (losses with bootstrap intervals, settings, per-layer figures).
results::AuditRecord auditRecord(const ConversionResult& result);

// Why settings cannot give an exportable model, known before the run (the layout of custom RoPE
// dimensions is only known after it: see ConversionResult::exportProblem).
// QkNormExact: a q/k-norm model (Qwen3) without fold_qk_norm (the exact form has no DeepSeek-V3 form).
enum class ExportBlock { None, Family, QueryBias, QkNormExact, NoLatentNorm };
ExportBlock exportBlock(const io::ModelConfig& config, const convert::ConvertSettings& settings);

// Writes the converted model as a DeepSeek-V3 folder; throws ArgumentError (e.g. the conversion did
// not use latentNorm calibrated) before writing anything. The audit record goes into config.json
// ("transmla"."audit"). Returns the exporter's notes.
// target: transformers (the checkpoint's dtype and shape) or serving (vLLM / SGLang: bf16, 512 + 64).
std::vector<std::string> exportConverted(const ConversionResult& result, const std::filesystem::path& outDir,
                                         bool overwrite, const Progress& progress = {},
                                         convert::ExportTarget target = convert::ExportTarget::Transformers);

// Throws FormatError naming the file when the model folder changed on disk (content, not just time)
// since runConversion loaded it; exportConverted and attentionPair call it first. The weights are
// memory-mapped, so such a change would silently alter the model the results describe.
void verifyModelUnchanged(const ConversionResult& result);

struct AttentionPair {
    analysis::AttentionMap before, after;                        // the chosen head
    std::vector<analysis::AttentionMap> headsBefore, headsAfter; // every query head of the layer
};
// Maps of one layer of the original and the converted model (one forward each gives all heads).
AttentionPair attentionPair(const Models& models, const std::string& prompt, int64_t layer, int64_t head,
                            int64_t maxTokens);

// The rank sweep (loss vs KV cache size) is workbench/rank_sweep.h, shared with the CLI.

// Largest kv_lora_rank for the model at qk_rope_head_dim (0: default), i.e. 2*g*d - r_R; throws
// ArgumentError for a model the conversion does not support.
int64_t maxKvLoraRank(const io::ModelConfig& config, int64_t qkRopeHeadDim);
bool cudaAvailable();
std::string defaultPrompt(const std::filesystem::path& resourcesDir);

} // namespace transmla::workbench
