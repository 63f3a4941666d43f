#include "workbench/heal_step.h"

#include <ATen/ATen.h>

#include "convert/heal.h"
#include "io/datasets.h"
#include "util/error.h"
#include "util/resources.h"
#include "workbench/models.h"

namespace transmla::workbench {

namespace {

convert::HealSettings healSettings(const HealRequest& r) {
    convert::HealSettings s;
    s.mode = r.mode;
    s.steps = r.steps;
    s.lr = r.lr;
    s.data = r.data;
    s.samples = r.samples;
    s.seqLen = r.seqLen;
    s.seed = r.seed;
    return s;
}

} // namespace

void checkHealRequest(const HealRequest& request, const std::filesystem::path& resourcesDir) {
    if (request.mode != "local" && request.mode != "e2e" && request.mode != "both")
        throw ArgumentError("heal mode '" + request.mode + "': use local, e2e or both");
    convert::checkHealSettings(healSettings(request), resourcesDir);
}

HealOutcome healConversion(const ConversionResult& result, const HealRequest& request,
                           const JobOptions& options, const HealStepFn& onStep, const Progress& progress) {
    if (!result.models)
        throw ArgumentError("no converted model in memory (run the conversion again to heal)");
    checkHealRequest(request, options.resourcesDir);
    verifyModelUnchanged(result); // the original is read from the same mapped files
    Models& models = *result.models;
    if (!models.original)
        models.original = model::Model::load(result.modelDir, {options.device, ComputeDtype::F32}, progress);
    const convert::HealSettings hs = healSettings(request);
    const at::Tensor ids = convert::healTokens(hs, models.tokenizer, options.resourcesDir);
    const convert::HealReport report =
        convert::heal(models.converted, *models.original, ids, hs, progress, onStep);
    // From here on the converted model is the healed one.
    models.heal = report.toJson();
    HealOutcome out;
    out.seconds = report.seconds;
    for (const auto& p : report.phases)
        out.phases.push_back({p.mode, p.steps, p.lr, p.heldOutBefore, p.heldOutAfter, p.seconds, p.curve});
    // The model is healed now: the evaluations run to the end (no cancel token), so a late cancel
    // cannot report "Cancelled" for a model that did change.
    auto staged = [&](const std::string& stage) {
        return Progress{[&progress, stage](int64_t d, int64_t t, const std::string&) {
                            if (progress.report) progress.report(d, t, stage);
                        },
                        nullptr};
    };
    if (options.lossProblems > 0) {
        const auto problems = io::loadGsm8k(gsm8kFile(options.resourcesDir, "test"), options.lossProblems);
        out.lossAfter = eval::evaluateLoss(
            models.converted, eval::tokenizeGsm8k(models.tokenizer, problems, eval::kDocumentMaxTokens), {},
            staged("loss after"));
        if (models.report.lossSplit) models.report.lossSplit->healed = out.lossAfter->meanNll();
    }
    if (options.wikitextChunks > 0) {
        out.wikitextAfter = eval::evaluateLoss(
            models.converted,
            eval::tokenizeChunks(models.tokenizer,
                                 io::loadTexts(io::wikitext2File(options.resourcesDir, "test")),
                                 options.wikitextChunkTokens, options.wikitextChunks),
            {}, staged("perplexity after"));
    }
    return out;
}

} // namespace transmla::workbench
