#include "workbench/rank_sweep.h"

#include <algorithm>

#include <ATen/core/Tensor.h>

#include "convert/calibration.h"
#include "convert/pipeline.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "io/folder_snapshot.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"
#include "util/resources.h"
#include "workbench/models.h"
#include "workbench/workbench.h"

namespace transmla::workbench {

namespace {

std::string describe(const convert::ConvertSettings& s, int64_t problems) {
    return "qk_rope_head_dim " + std::to_string(s.qkRopeHeadDim) + ", latent_norm " +
           convert::latentNormName(s.latentNorm) + ", calibration " + s.calibration.source + " " +
           std::to_string(s.calibration.samples) + " x " + std::to_string(s.calibration.seqLen) + ", " +
           std::to_string(problems) + " problems";
}

} // namespace

ConvertStep cachedConvertStep(const ConversionResult& result, const convert::ConvertSettings& settings) {
    if (!canChangeRank(result, settings)) return {};
    std::shared_ptr<const Models> models = result.models;
    return [models](const convert::ConvertSettings& s, const Progress& progress) {
        // A copy shares every weight of the original; only its attention layers are replaced.
        auto m = std::make_shared<model::Model>(*models->original);
        const convert::ConvertReport rep =
            convert::reassembleAtRank(*m, *models->original, models->cache, s.kvLoraRank, progress);
        return ConvertedModel{std::move(m), rep.kvBytesPerTokenAfter};
    };
}

ConvertStep reloadAndConvert(const SweepRequest& request) {
    auto snapshot = std::make_shared<const io::FolderSnapshot>(io::FolderSnapshot::take(request.modelDir));
    auto tokenizer = std::make_shared<const tok::Tokenizer>(tok::Tokenizer::load(request.modelDir));
    auto calibration = std::make_shared<at::Tensor>(); // the same text for every point: tokenized once
    const model::LoadOptions load{request.device, request.dtype};
    return [snapshot, tokenizer, calibration, load, dir = request.modelDir, resources = request.resourcesDir](
               const convert::ConvertSettings& settings, const Progress& progress) {
        snapshot->verifyUnchanged();
        auto m = std::make_shared<model::Model>(model::Model::load(dir, load, progress));
        if (!calibration->defined())
            *calibration = convert::calibrationTokens(settings.calibration, *tokenizer, resources);
        const convert::ConvertReport report = convert::convertModel(*m, settings, *calibration, progress);
        return ConvertedModel{std::move(m), report.kvBytesPerTokenAfter};
    };
}

results::RankSweep rankSweep(const SweepRequest& request, const std::optional<results::RankSweep>& resume,
                             const SweepSink& sink, const Progress& progress, ConvertStep convert) {
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(request.modelDir);
    const auto docs = eval::tokenizeGsm8k(
        tokenizer, io::loadGsm8k(gsm8kFile(request.resourcesDir, "test"), request.problems),
        eval::kDocumentMaxTokens);
    if (docs.empty()) throw ArgumentError("the rank sweep needs at least one GSM8K problem");
    const int64_t problems = int64_t(docs.size());
    results::RankSweep sweep;
    sweep.settings = results::sweepPointSettings(request.settings, -1);
    sweep.problems = problems;
    if (resume) {
        if (!resume->sameSetup(request.settings, problems))
            throw ArgumentError("the sweep to resume was made with " +
                                describe(resume->settings, resume->problems) + ", not " +
                                describe(request.settings, problems) + ": start a new sweep");
        sweep = *resume;
    }
    if (!convert) convert = reloadAndConvert(request);
    const Progress quiet{{}, progress.cancel}; // progress moves per rank; cancel is checked inside too
    std::vector<int64_t> todo;
    for (int64_t r : request.ranks)
        if (!sweep.find(r) && std::find(todo.begin(), todo.end(), r) == todo.end()) todo.push_back(r);
    const bool baseline = request.baseline && !sweep.baseline;
    const int64_t total = int64_t(todo.size()) + (baseline ? 1 : 0);
    int64_t done = 0;
    if (baseline) {
        progress(done, total, "rank sweep");
        const model::Model m = model::Model::load(request.modelDir, {request.device, request.dtype}, quiet);
        sweep.baseline = eval::evaluateLoss(m, docs, {}, quiet);
        sweep.baselineKvBytesPerToken = m.config.kvCacheBytesPerToken(io::kBytes16Bit);
        ++done;
        if (sink) sink(sweep);
    }
    for (int64_t rank : todo) {
        progress(done, total, "rank sweep");
        const ConvertedModel c = convert(results::sweepPointSettings(request.settings, rank), quiet);
        eval::LossResult loss = eval::evaluateLoss(*c.model, docs, {}, quiet);
        const double mean = loss.meanNll();
        sweep.put({rank, c.kvBytesPerToken, mean, std::move(loss)});
        ++done;
        if (sink) sink(sweep);
    }
    progress(total, total, "rank sweep");
    return sweep;
}

} // namespace transmla::workbench
