// What a TransMLA conversion is asked to do. Notation: g KV heads, d head_dim,
// r_R = qk_rope_head_dim, f = FreqFold, r = kv_lora_rank.
#pragma once
#include <cstdint>
#include <string>

#include "io/model_config.h"

namespace transmla::convert {

struct CalibrationSettings {
    std::string source = "gsm8k"; // gsm8k (bundled train split) | wikitext2 | a .txt/.jsonl file
    int64_t samples = 128;        // N sequences ...
    int64_t seqLen = 256;         // ... of L tokens
    uint64_t seed = 0;
    int64_t microBatch = 16;      // sequences per forward during calibration
};

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
    std::string latentNorm = "none"; // none | calibrated (DeepSeek's kv_a_layernorm)
    double damping = 1e-8;       // relative diagonal damping of the RoRoPE covariances
    CalibrationSettings calibration;
};

// Checks the settings against a model and fills the automatic values; throws ArgumentError with
// the offending option named.
struct ResolvedDims {
    int64_t g, d, H, ropeDim, planes, freqFold, blocks, keptPerBlock, maxRank;
};
ResolvedDims resolve(ConvertSettings& s, const io::ModelConfig& c);

} // namespace transmla::convert
