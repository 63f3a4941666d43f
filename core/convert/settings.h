// What a TransMLA conversion is asked to do, and which values each setting may take for a model.
// Notation: g KV heads, d head_dim, r_R = qk_rope_head_dim, f = FreqFold, r = kv_lora_rank.
// settingRanges() is the one place the valid ranges are decided: resolve() checks against it, the
// CLI maps its errors (SettingError, by setting key) to flags, and the GUI derives every control's
// bounds from it. Nothing here speaks a front end's words.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/model_config.h"
#include "util/compute.h"
#include "util/error.h"

namespace transmla::convert {

struct CalibrationSettings {
    std::string source = "gsm8k"; // gsm8k (bundled train split) | wikitext2 | a .txt/.jsonl file
    int64_t samples = 128;        // N sequences ...
    int64_t seqLen = 256;         // ... of L tokens
    uint64_t seed = 0;
    int64_t microBatch = 16; // sequences per forward during calibration
};

// DeepSeek's kv_a_layernorm on the latent: none keeps the exact algebra; calibrated adds an RMSNorm
// whose weight undoes the calibration RMS (needed for a DeepSeek-V3 export).
enum class LatentNorm { None, Calibrated };
std::string latentNormName(LatentNorm n);            // "none" | "calibrated" (CLI, JSON, sessions)
LatentNorm parseLatentNorm(const std::string& name); // throws SettingError(latent_norm)

// Where the joint PCA's input Gram (the attention inputs of each layer) comes from; RoRoPE always uses
// the original model's key statistics. original: the original model's hidden states. partial_rope: the
// hidden states of the full-rank model at the same r_R and FreqFold (RoPE removed, nothing truncated;
// the reference TransMLA calibrates this way). sequential: layer l's Gram from the model whose layers
// < l are already converted at the target rank. best: the one of the three with the lowest loss on
// held-out calibration text (chosen before converting, like r_R / FreqFold "best"; convert/search.h).
enum class PcaActivations { Original, PartialRope, Sequential, Best };
std::string pcaActivationsName(PcaActivations a);            // original | partial_rope | sequential | best
PcaActivations parsePcaActivations(const std::string& name); // throws SettingError(pca_activations)
inline constexpr PcaActivations kPcaActivationSources[] = {
    PcaActivations::Original, PcaActivations::PartialRope, PcaActivations::Sequential};

struct ConvertSettings {
    // exact: every KV head merged into one latent, all key dims keep RoPE (r_R = g*d), no
    // truncation: same KV cache, same logits. compressed: RoRoPE + FreqFold + balanced-KV PCA.
    bool exact = false;
    int64_t kvLoraRank = -1;     // uniform r in [1, 2*g*d - r_R]; -1 (with energy = 0): full rank
    double energy = 0;           // > 0: per-layer r = smallest rank keeping this fraction of energy
    int64_t qkRopeHeadDim = 0;   // r_R; 0 = default: min(64, d)
    int64_t freqFold = 0;        // 0 = auto (the smallest f the rope dims allow)
    bool rorope = true;          // false: no PCA rotation of the keys (ablation)
    bool preRopeKeyStats = true; // false: FreqFold statistics from keys after RoPE (ablation: the old,
                                 // worse statistics; same result at FreqFold 1)
    bool balanceKv = true;       // scale K_nope by alpha before the joint PCA
    bool jointPca = true;        // false: keep the latent basis as is (the "partial-RoPE" model)
    LatentNorm latentNorm = LatentNorm::None;
    // Q/k-norm families (Qwen3, Gemma-3): fold each head's norm into W_q / W_k as a constant fitted on
    // the calibration text before converting (qk_norm.h). An approximation, but a DeepSeek-V3-exportable
    // one; off: the exact form, evaluated in transmla only.
    bool foldQkNorm = false;
    PcaActivations pcaActivations = PcaActivations::Original;
    double damping = 1e-8; // relative diagonal damping of the RoRoPE covariances
    CalibrationSettings calibration;
};

// Setting keys, as errors and the GUI name them (the CLI maps them to its flags).
namespace setting {
inline constexpr const char* kModel = "model"; // the model itself cannot be converted
inline constexpr const char* kKvLoraRank = "kv_lora_rank";
inline constexpr const char* kQkRopeHeadDim = "qk_rope_head_dim";
inline constexpr const char* kFreqFold = "freqfold";
inline constexpr const char* kEnergy = "energy";
inline constexpr const char* kLatentNorm = "latent_norm";
inline constexpr const char* kFoldQkNorm = "fold_qk_norm";
inline constexpr const char* kPcaActivations = "pca_activations";
inline constexpr const char* kSamples = "calibration_samples";
inline constexpr const char* kSeqLen = "calibration_seqlen";
inline constexpr const char* kCalibrationSource = "calibration_source";
inline constexpr const char* kExportTarget = "export_target";
inline constexpr const char* kExportDtype = "export_dtype";
inline constexpr const char* kHeal = "heal"; // HealSettings (heal.h)
inline constexpr const char* kHealSteps = "heal_steps";
inline constexpr const char* kHealLr = "heal_lr";
inline constexpr const char* kHealData = "heal_data";
inline constexpr const char* kHealSamples = "heal_samples";
using transmla::setting::kDevice; // util/compute.h
using transmla::setting::kDtype;
} // namespace setting

// A setting out of its range: what() = "<setting> <value>: <why>" (for kModel just the reason).
using transmla::SettingError;

struct IntRange {
    int64_t min = 0, max = 0, step = 1; // valid: min <= v <= max and (v - min) % step == 0
    bool contains(int64_t v) const { return v >= min && v <= max && (v - min) % step == 0; }
    int64_t clamp(int64_t v) const; // the nearest valid value
};

// The valid values of every setting of a compressed conversion of `c` at r_R = qkRopeHeadDim
// (0: the default). Exact mode has no free settings besides calibration-free evaluation.
struct SettingRanges {
    std::string unsupported; // non-empty: why the model cannot be converted (all else empty)
    IntRange qkRopeHeadDim;  // even, 2 .. head_dim
    int64_t defaultQkRopeHeadDim = 0;
    IntRange kvLoraRank;            // 1 .. 2*g*d - r_R at the given r_R
    std::vector<int64_t> freqFolds; // explicit f allowed at r_R (0 = auto is always allowed)
    IntRange samples, seqLen;       // calibration sequences and their length (<= max_position_embeddings)
    std::vector<LatentNorm> latentNorms;
};
SettingRanges settingRanges(const io::ModelConfig& c, int64_t qkRopeHeadDim = 0);

// Throws SettingError for the first setting out of range (nothing else is done).
void validate(const ConvertSettings& s, const io::ModelConfig& c);

// The dimensions a conversion works with, derived from settings and model.
struct ResolvedDims {
    int64_t g, d, H, ropeDim, planes, freqFold, blocks, keptPerBlock, maxRank;
};
// Settings checked against a model (validate), with the automatic values filled in: r_R and f never
// 0; exact mode's fixed values (r_R = g*d, f = 1, full rank, no RoRoPE/balance/PCA) written out.
struct ResolvedSettings {
    ConvertSettings settings;
    ResolvedDims dims;
};
ResolvedSettings resolve(const ConvertSettings& s, const io::ModelConfig& c);

// The error for exporting a q/k-norm model (Qwen3, Gemma-3) converted without fold_qk_norm: a
// SettingError naming that setting (`where`: e.g. "layer 3: "). The exporter throws it; a front end
// that knows it will export throws it before any work.
SettingError foldNeededForExport(const io::ModelConfig& c, const std::string& where = {});

// Would a conversion with `a` give the same result as one with `b` (automatic values resolved)?
// Used to mark results stale when the settings move after a run.
bool sameConversion(const ConvertSettings& a, const ConvertSettings& b, const io::ModelConfig& c);

} // namespace transmla::convert
