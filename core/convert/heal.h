// Healing: a short training of the converted model's new attention parameters (q, kv_a, kv_b and
// the latent norm when there is one; nothing else moves) towards the original model, on training
// text (GSM8K train or the user's file, never the GSM8K test set).
//   local: layer by layer, on the original model's hidden states x_l (the calibration activations),
//          minimise |MLA_l(x_l) - GQA_l(x_l)|^2 / |GQA_l(x_l)|^2 (the attention block's output, after o_proj)
//   e2e:   distil the next-token distributions: minimise KL(p_original || p_converted) per token
// Adam, fixed seeds, batches drawn by a seeded generator: deterministic on the CPU. The model is
// changed only when every phase finished: a cancel (Cancelled) leaves the unhealed conversion as it was.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "convert/settings.h"
#include "util/progress.h"

namespace transmla::model {
class Model;
}
namespace transmla::tok {
class Tokenizer;
}

namespace transmla::convert {

struct HealSettings {
    std::string mode = "none";  // none | local | e2e | both (local, then e2e)
    int64_t steps = 0;          // local: Adam steps per layer; e2e: steps in all; 0 = default per phase
    double lr = 0;              // 0 = default per phase
    std::string data = "gsm8k"; // gsm8k (its train split) | a .txt/.jsonl file (not GSM8K's test split)
    int64_t samples = 256, seqLen = 256; // training sequences (1/8 of them held out for the figures)
    int64_t batch = 8;                   // sequences per step
    uint64_t seed = 0;
    bool local() const { return mode == "local" || mode == "both"; }
    bool e2e() const { return mode == "e2e" || mode == "both"; }
};

// Throws SettingError naming the setting (heal, heal_steps, heal_lr, heal_samples, heal_data: a
// GSM8K test file as data).
void checkHealSettings(const HealSettings& s, const std::filesystem::path& resourcesDir);

struct HealPhase {
    std::string mode;  // local | e2e
    int64_t steps = 0; // per layer (local) or in all (e2e)
    double lr = 0;
    std::vector<double> curve;                   // training loss per step (local: mean over layers of step i)
    double heldOutBefore = 0, heldOutAfter = 0;  // the same loss on the held-out sequences
    std::vector<double> layerBefore, layerAfter; // local: held-out loss per layer
    double seconds = 0;
};

struct HealReport {
    HealSettings settings;
    int64_t trainSequences = 0, heldOutSequences = 0;
    std::vector<HealPhase> phases;
    double seconds = 0;
    nlohmann::json toJson() const;
};

// Training ids [samples, seqLen] from settings.data, rows built as calibrationTokens builds them (seed + 1).
at::Tensor healTokens(const HealSettings& s, const tok::Tokenizer& tokenizer,
                      const std::filesystem::path& resourcesDir);

// Called after every training step (from the healing thread): phase (local | e2e), the step's index
// in the phase (local: over all layers, layer * steps + step), the phase's steps, the step's loss.
using HealStepFn = std::function<void(const std::string& phase, int64_t step, int64_t steps, double loss)>;

// converted: the result of convertModel (all layers MLA, resident); original: the same checkpoint
// unconverted (GQA). Progress stages "heal local" (steps over all layers) and "heal e2e" (steps).
HealReport heal(model::Model& converted, const model::Model& original, const at::Tensor& ids,
                const HealSettings& s, const Progress& progress = {}, const HealStepFn& onStep = {});

} // namespace transmla::convert
