// One rank sweep for both front ends (`transmla analyze loss-sweep` and the workbench's Rank sweep):
// the model converted at each kv_lora_rank (compressed, uniform rank, every other setting as given)
// and evaluated on the same GSM8K test problems, with the original model as the baseline. Resumable:
// ranks already in the sweep to resume (same settings and problems) are not computed again. The sweep
// so far reaches `sink` as each step finishes, so a cancelled sweep keeps what it finished; the
// points are stored as results::RankSweep, the one form both front ends save and show.
// Torch-free (views include it); the conversion step is a std::function so that it can be swapped
// (e.g. for one that reuses converted models).
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "convert/settings.h"
#include "results/session.h"
#include "util/progress.h"

namespace transmla::model {
class Model;
}

namespace transmla::workbench {

struct SweepRequest {
    std::filesystem::path modelDir;
    std::filesystem::path resourcesDir; // bundled GSM8K test problems and calibration text
    std::string device = "cpu", dtype = "f32";
    convert::ConvertSettings settings; // kv_lora_rank is set per point (results::sweepPointSettings)
    std::vector<int64_t> ranks;
    int64_t problems = 20; // GSM8K test problems (-1: all of them)
    bool baseline = true;  // also the loss of the original model
};

// The conversion step: the model converted with `settings` (kv_lora_rank = the point's rank) and the
// bytes per token of its KV cache (16-bit).
struct ConvertedModel {
    std::shared_ptr<const model::Model> model;
    int64_t kvBytesPerToken = 0;
};
using ConvertStep =
    std::function<ConvertedModel(const convert::ConvertSettings& settings, const Progress& progress)>;

// The default step: loads the model folder again for each point (after checking that it did not change
// since the step was made: a sweep may run for hours) and converts it with calibration tokens that are
// tokenized once.
ConvertStep reloadAndConvert(const SweepRequest& request);

struct ConversionResult;
// A step that re-truncates the conversion held by `result` (its cached per-layer bases, changeRank's
// cache) instead of loading and calibrating the model again: the same model a fresh conversion at that
// rank gives (tst_rankchange). Empty when `result` cannot serve `settings` (canChangeRank is false):
// rankSweep then uses reloadAndConvert. The step keeps the result's models alive while it runs.
ConvertStep cachedConvertStep(const ConversionResult& result, const convert::ConvertSettings& settings);

// Called in the caller's (worker) thread with the whole sweep so far, after the baseline and after
// each point.
using SweepSink = std::function<void(const results::RankSweep& sweepSoFar)>;

// Throws ArgumentError when `resume` was made with other settings or problems (naming both), before
// any work. Progress in ranks ("rank sweep"); Cancelled on cancel (the sink has had every finished point).
results::RankSweep rankSweep(const SweepRequest& request, const std::optional<results::RankSweep>& resume,
                             const SweepSink& sink = {}, const Progress& progress = {},
                             ConvertStep convert = {});

} // namespace transmla::workbench
