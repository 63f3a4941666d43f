// The workbench's Heal step (after a conversion): convert::heal on the result's models, as plain
// value types (torch-free: views include it). The healed parameters replace the converted model's
// only when every phase finished, so a cancel leaves the unhealed conversion as it was; afterwards
// the loss, the attention maps and the export all use the healed model.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eval/loss.h"
#include "util/progress.h"
#include "workbench/workbench.h"

namespace transmla::workbench {

struct HealRequest {
    std::string mode = "local"; // local | e2e | both
    int64_t steps = 0;          // per layer (local) or in all (e2e); 0: the default per phase
    double lr = 0;              // 0: the default per phase
    std::string data = "gsm8k"; // gsm8k (train split) | wikitext2 | a .txt/.jsonl file (never GSM8K test)
    int64_t samples = 64, seqLen = 128;
    uint64_t seed = 0;
};

struct HealPhaseFigures {
    std::string mode; // local | e2e
    int64_t steps = 0;
    double lr = 0, heldOutBefore = 0, heldOutAfter = 0, seconds = 0;
    std::vector<double> curve; // training loss per step (local: mean over layers)
};

struct HealOutcome {
    std::vector<HealPhaseFigures> phases;
    std::optional<eval::LossResult> lossAfter, wikitextAfter; // of the healed model (as JobOptions ask)
    double seconds = 0;
};

// Called from the worker after each training step: phase, step (local: over all layers), steps, loss.
using HealStepFn = std::function<void(const std::string& phase, int64_t step, int64_t steps, double loss)>;

// Checks the request (ArgumentError naming the field: mode, steps, lr, data) without running anything.
void checkHealRequest(const HealRequest& request, const std::filesystem::path& resourcesDir);

// Heals result.models->converted towards the original (loaded again when the result did not keep
// it) and evaluates what `options` asks for (lossProblems, wikitextChunks) on the healed model.
// Progress stages "heal local" / "heal e2e" (steps), then "loss after". Throws Cancelled on cancel
// (the converted model untouched), ArgumentError when there is no converted model in memory.
HealOutcome healConversion(const ConversionResult& result, const HealRequest& request,
                           const JobOptions& options, const HealStepFn& onStep = {},
                           const Progress& progress = {});

} // namespace transmla::workbench
