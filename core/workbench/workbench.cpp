#include "workbench/workbench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iterator>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "analysis/spectra.h"
#include "convert/calibration.h"
#include "convert/export.h"
#include "convert/pipeline.h"
#include "convert/qk_norm.h"
#include "eval/layer_error.h"
#include "io/datasets.h"
#include "io/folder_snapshot.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"
#include "util/resources.h"
#include "workbench/models.h"

namespace transmla::workbench {

int64_t ConversionResult::rank() const {
    int64_t r = 0;
    for (const auto& l : layers)
        r = std::max(r, l.rank);
    return r;
}

namespace {

// Tokenized in slices with a cancel check between them (hundreds of problems take a while).
std::vector<eval::Document> gsm8kDocs(const tok::Tokenizer& t, const JobOptions& o, const Progress& p) {
    const auto problems = io::loadGsm8k(gsm8kFile(o.resourcesDir, "test"), o.lossProblems);
    std::vector<eval::Document> docs;
    constexpr size_t kSlice = 16;
    for (size_t i = 0; i < problems.size(); i += kSlice) {
        p.checkCancel();
        const auto end = problems.begin() + std::ptrdiff_t(std::min(problems.size(), i + kSlice));
        auto part =
            eval::tokenizeGsm8k(t, {problems.begin() + std::ptrdiff_t(i), end}, eval::kDocumentMaxTokens);
        std::move(part.begin(), part.end(), std::back_inserter(docs));
    }
    return docs;
}

eval::LossResult gsm8kLoss(const model::Model& m, const std::vector<eval::Document>& docs, const Progress& p,
                           const std::string& stage) {
    const Progress staged{[&](int64_t done, int64_t total, const std::string&) {
                              if (p.report) p.report(done, total, stage);
                          },
                          p.cancel};
    // About ten batches, so that progress (and cancel) moves per batch instead of once per stage;
    // the loss does not depend on the batching (right padding under a causal mask).
    eval::LossOptions lo;
    int64_t tokens = 0;
    for (const auto& d : docs)
        tokens += std::min<int64_t>(int64_t(d.ids.size()), lo.maxTokens);
    lo.batchTokens = std::clamp<int64_t>(tokens / 10, 1024, lo.batchTokens);
    return eval::evaluateLoss(m, docs, lo, staged);
}

int64_t weightBytes(const model::Model& m) {
    return m.parameterCount() * io::kBytes16Bit;
}

// The figures of a conversion report: settings, dimensions, per-layer ranks and spectra, budgets.
void fillConversion(ConversionResult& r, const convert::ConvertReport& rep, const model::Model& m) {
    r.settings = rep.settings;
    r.ropeDim = rep.ropeDim;
    r.freqFold = rep.freqFold;
    r.kvBytesPerTokenBefore = rep.kvBytesPerTokenBefore;
    r.kvBytesPerTokenAfter = rep.kvBytesPerTokenAfter;
    r.secondsTotal = rep.secondsTotal;
    r.layers.clear();
    for (const auto& l : rep.layers)
        r.layers.push_back({l.layer, l.rank, l.retainedEnergy, l.ropeEnergyFraction, l.alpha, l.eigenvalues});
    if (r.settings.exact) // r_R = g*d there: only the GQA and exact forms exist
        r.budgets = {analysis::gqaBudget(m.config, analysis::CacheDtype::BF16, weightBytes(m)),
                     analysis::mlaExactBudget(m.config, std::min(r.ropeDim, m.config.headDim),
                                              analysis::CacheDtype::BF16, weightBytes(m))};
    else
        r.budgets = analysis::standardBudgets(m.config, r.rank(), r.ropeDim, analysis::CacheDtype::BF16,
                                              weightBytes(m));
}

// Per-layer attention-output error on (at most 4 x 128 tokens of) the calibration text; the exact
// merge has none, so it is measured on the bundled GSM8K train text.
void fillAttentionErrors(ConversionResult& r, const Models& models, at::Tensor probe) {
    if (!probe.defined()) {
        convert::CalibrationSettings c;
        c.samples = 4;
        c.seqLen = 128;
        probe = convert::calibrationTokens(c, models.tokenizer, models.options.resourcesDir);
    }
    probe = probe.narrow(0, 0, std::min<int64_t>(4, probe.size(0)))
                .narrow(1, 0, std::min<int64_t>(128, probe.size(1)));
    const std::vector<double> errors = eval::attentionOutputErrors(*models.original, models.converted, probe);
    for (size_t i = 0; i < errors.size() && i < r.layers.size(); ++i)
        r.layers[i].attentionError = errors[i];
}

// Spectra of the original (GQA) model: weights, and activations on the bundled GSM8K train text.
analysis::SpectraResult originalSpectra(const model::Model& original, const Models& models, const Progress& p,
                                        std::vector<StageSeconds>& stages) {
    const JobOptions& o = models.options;
    analysis::SpectraOptions so;
    so.samples = o.spectraSamples;
    so.seqLen = o.spectraSeqLen;
    const auto train = gsm8kFile(o.resourcesDir, "train");
    return analysis::computeSpectra(original, models.tokenizer, io::loadTexts(train), train.string(), so, p,
                                    &stages);
}

void fillAttentionMaps(ConversionResult& r, const Models& models, const Progress& progress) {
    const JobOptions& o = models.options;
    progress(0, 1, "attention");
    const std::string prompt = o.attentionPrompt.empty() ? defaultPrompt(o.resourcesDir) : o.attentionPrompt;
    auto pair = attentionPair(models, prompt, o.attentionLayer, o.attentionHead, o.attentionMaxTokens);
    r.attentionBefore = std::move(pair.before);
    r.attentionAfter = std::move(pair.after);
    r.attentionHeadsBefore = std::move(pair.headsBefore);
    r.attentionHeadsAfter = std::move(pair.headsAfter);
    progress(1, 1, "attention");
}

bool anyTruncated(const ConversionResult& r) {
    for (const auto& l : r.layers)
        if (l.rank < int64_t(l.eigenvalues.size())) return true;
    return false;
}

// The full-rank model from the cached bases (no second load or calibration), scored on `docs`.
double cachedFullRankLoss(const Models& models, int64_t maxRank, const Progress& progress) {
    model::Model full = *models.original;
    convert::reassembleAtRank(full, *models.original, models.cache, maxRank, progress);
    return gsm8kLoss(full, models.docs, progress, "loss full rank").meanNll();
}

// The loss split, carried into the export's conversion report.
void setLossSplit(const ConversionResult& r, Models& models) {
    convert::LossSplit split;
    split.original = r.lossBefore->meanNll();
    split.fullRank = *r.lossFullRank;
    split.converted = r.lossAfter->meanNll();
    models.report.lossSplit = split;
}

} // namespace

bool defersDetails(int64_t parameterCount) {
    if (const char* env = std::getenv("TRANSMLA_DEFER_DETAILS"); env && *env) return std::string(env) != "0";
    return parameterCount >= 1'000'000'000;
}

ConversionResult runConversion(const std::filesystem::path& modelDir, convert::ConvertSettings settings,
                               const JobOptions& options, const Progress& progress) {
    ConversionResult r;
    r.modelDir = modelDir.string();
    // The calibration text is checked before any work (a missing file is an error at once). The q/k-norm
    // fold fits its constants on it, in exact mode too.
    const bool calibrated = !settings.exact || settings.foldQkNorm;
    if (calibrated) {
        r.calibrationFile = io::calibrationFile(settings.calibration.source, options.resourcesDir).string();
        io::checkTextFile(r.calibrationFile);
    }
    StageClock clock;
    auto lap = [&](const std::string& stage) { clock.lap(stage, r.stageSeconds); };
    // Hashing every byte of a 16 GB checkpoint takes seconds: it runs beside the load (both read the
    // same files; verifyUnchanged at the end catches a file changed after its stat was taken).
    auto hashing = std::async(std::launch::async, [&modelDir] { return io::FolderSnapshot::take(modelDir); });
    tok::Tokenizer tokenizer =
        tok::Tokenizer::load(modelDir); // first: the loads after it check for cancel per layer
    progress.checkCancel();
    auto models = std::shared_ptr<Models>(
        new Models{std::nullopt, model::Model::load(modelDir, {options.device, options.dtype}, progress),
                   std::move(tokenizer)});
    lap("load");
    io::FolderSnapshot snapshot = hashing.get();
    r.modelContentHash = results::contentHash(snapshot);
    lap("hash model files (beyond the load)");
    models->options = options;
    model::Model& m = models->converted;
    // The original shares the loaded tensors (one load, one copy in memory); converting replaces
    // only the converted copy's attention.
    const bool interactive = options.keepCalibration && !settings.exact;
    const bool defer = options.deferDetails && interactive; // the details read the kept original
    if (options.attention || interactive) models->original = m;
    progress.checkCancel();
    // Tokenized once, evaluated before and after the conversion.
    const std::vector<eval::Document> docs = options.lossProblems > 0
                                                 ? gsm8kDocs(models->tokenizer, options, progress)
                                                 : std::vector<eval::Document>{};
    const std::vector<eval::Document> wikiDocs =
        options.wikitextChunks > 0
            ? eval::tokenizeChunks(models->tokenizer,
                                   io::loadTexts(io::wikitext2File(options.resourcesDir, "test")),
                                   options.wikitextChunkTokens, options.wikitextChunks)
            : std::vector<eval::Document>{};
    // Tokenized before the long evaluations: too little calibration text is reported at once.
    at::Tensor calib;
    if (calibrated)
        calib = convert::calibrationTokens(settings.calibration, models->tokenizer, options.resourcesDir);
    lap("tokenize");
    if (options.lossProblems > 0) {
        r.lossBefore = gsm8kLoss(m, docs, progress, "loss before");
        lap("loss before");
    }
    if (!wikiDocs.empty() && !defer) {
        r.wikitextBefore = gsm8kLoss(m, wikiDocs, progress, "perplexity before");
        lap("perplexity before");
    }
    if (options.spectra && !defer) {
        r.spectra = originalSpectra(m, *models, progress, r.stageSeconds);
        clock.restart();
    }
    if (settings.foldQkNorm) {
        // The approximation (qk_norm.h) after the original's loss and spectra: the loss before stays the
        // original's, so the loss split's RoPE-removal share includes the price of the fold. The kept
        // "original" becomes the folded model: rank changes re-assemble from its projections and the
        // attention errors measure the conversion of what gets exported.
        convert::foldQkNorms(m, calib, settings.calibration.microBatch);
        if (models->original) models->original = m;
        lap("fold q/k norms");
    }
    r.maxRank = convert::resolve(settings, m.config).dims.maxRank;
    models->report =
        convert::convertModel(m, settings, calib, progress, {}, interactive ? &models->cache : nullptr);
    { // the conversion's own split: calibration forwards + statistics, bases + assembly, the rest
        const auto& rep = models->report;
        lap("convert: other");
        r.stageSeconds.back().seconds -= rep.secondsCalibrate + rep.secondsPca;
        r.stageSeconds.insert(r.stageSeconds.end() - 1, {{"convert: calibrate", rep.secondsCalibrate},
                                                         {"convert: bases + assembly", rep.secondsPca}});
    }
    fillConversion(r, models->report, m);
    if (models->original) {
        progress.checkCancel();
        fillAttentionErrors(r, *models, calib);
        lap("attention errors");
    }
    if (options.lossProblems > 0) {
        r.lossAfter = gsm8kLoss(m, docs, progress, "loss after");
        lap("loss after");
    }
    if (interactive) { // what rank changes and the deferred details reuse
        models->calibration = calib;
        models->docs = docs;
        models->wikiDocs = wikiDocs;
    }
    if (options.lossProblems > 0 && options.lossSplit && !r.settings.exact && !defer) {
        const bool truncated = anyTruncated(r);
        if (truncated && interactive) { // the cached bases at full rank: no second load or calibration
            r.lossFullRank = cachedFullRankLoss(*models, r.maxRank, progress);
        } else if (truncated) {
            model::Model full = model::Model::load(modelDir, {options.device, options.dtype}, progress);
            convert::convertModel(full, convert::fullRankSettings(settings), calib, progress);
            r.lossFullRank = gsm8kLoss(full, docs, progress, "loss full rank").meanNll();
        } else {
            r.lossFullRank = r.lossAfter->meanNll();
        }
        setLossSplit(r, *models);
        lap("loss full rank");
    }
    if (!wikiDocs.empty() && !defer) {
        r.wikitextAfter = gsm8kLoss(m, wikiDocs, progress, "perplexity after");
        lap("perplexity after");
    }
    try {
        convert::checkDeepseekV3Exportable(m);
    } catch (const ArgumentError& e) {
        r.exportProblem = e.what();
    }
    if (options.attention && !defer) {
        fillAttentionMaps(r, *models, progress);
        lap("attention maps");
    }
    r.detailsPending = defer && (options.spectra || options.attention || !wikiDocs.empty() ||
                                 (options.lossProblems > 0 && options.lossSplit));
    models->snapshot = std::move(snapshot);
    models->snapshot.verifyUnchanged(); // results from a folder rewritten during the run are not kept
    lap("verify model files");
    if (std::getenv("TRANSMLA_TIMINGS"))
        std::fprintf(stderr, "conversion stages: %s\n", formatStages(r.stageSeconds).c_str());
    r.models = std::move(models);
    return r;
}

ConversionResult completeDetails(const ConversionResult& first, const Progress& progress) {
    ConversionResult r = first; // shares the models
    if (!r.detailsPending) return r;
    if (!r.models || !r.models->original)
        throw ArgumentError("the conversion's models are no longer in memory (run the conversion again)");
    verifyModelUnchanged(r);
    Models& models = *r.models;
    const JobOptions& o = models.options;
    r.stageSeconds.clear();
    StageClock clock;
    auto lap = [&](const std::string& stage) { clock.lap(stage, r.stageSeconds); };
    if (!models.wikiDocs.empty() && !r.wikitextBefore) {
        r.wikitextBefore = gsm8kLoss(*models.original, models.wikiDocs, progress, "perplexity before");
        lap("perplexity before");
    }
    if (o.spectra && !r.spectra) {
        r.spectra = originalSpectra(*models.original, models, progress, r.stageSeconds);
        clock.restart();
    }
    if (r.lossBefore && r.lossAfter && o.lossSplit && !r.lossFullRank) {
        // At full rank whatever the rank shown: the cache holds every basis.
        r.lossFullRank =
            anyTruncated(r) ? cachedFullRankLoss(models, r.maxRank, progress) : r.lossAfter->meanNll();
        lap("loss full rank");
    }
    if (!models.wikiDocs.empty() && !r.wikitextAfter) {
        r.wikitextAfter = gsm8kLoss(models.converted, models.wikiDocs, progress, "perplexity after");
        lap("perplexity after");
    }
    if (o.attention && !r.attentionBefore) {
        fillAttentionMaps(r, models, progress);
        lap("attention maps");
    }
    progress.checkCancel(); // the shared models change only when everything is in
    if (r.lossFullRank && r.lossBefore && r.lossAfter) setLossSplit(r, models);
    r.detailsPending = false;
    if (std::getenv("TRANSMLA_TIMINGS"))
        std::fprintf(stderr, "details stages: %s\n", formatStages(r.stageSeconds).c_str());
    return r;
}

ConversionResult changeRank(const ConversionResult& previous, int64_t rank, const Progress& progress) {
    if (!previous.models || !previous.models->original || previous.models->cache.layers.empty())
        throw ArgumentError(
            "no cached conversion in memory to change the rank of (run the conversion first)");
    verifyModelUnchanged(previous);
    const auto t0 = std::chrono::steady_clock::now();
    Models& models = *previous.models;
    model::Model& m = models.converted;
    // Restored when anything below fails or is cancelled: the model in memory stays the one shown.
    std::vector<std::optional<model::MlaAttention>> oldLayers;
    for (const auto& l : m.layers)
        oldLayers.push_back(l.mla);
    const io::ModelConfig oldConfig = m.config;
    const convert::ConvertReport oldReport = models.report;
    try {
        ConversionResult r = previous; // what the rank does not change: losses before, spectra, maps before
        convert::ConvertReport rep =
            convert::reassembleAtRank(m, *models.original, models.cache, rank, progress);
        rep.lossSplit = oldReport.lossSplit;
        fillConversion(r, rep, m);
        fillAttentionErrors(r, models, models.calibration);
        r.lossAfter.reset();
        r.wikitextAfter.reset();
        if (!models.docs.empty()) {
            r.lossAfter = gsm8kLoss(m, models.docs, progress, "loss after");
            if (rep.lossSplit) rep.lossSplit->converted = r.lossAfter->meanNll();
        }
        if (!models.wikiDocs.empty())
            r.wikitextAfter = gsm8kLoss(m, models.wikiDocs, progress, "perplexity after");
        r.exportProblem.clear();
        try {
            convert::checkDeepseekV3Exportable(m);
        } catch (const ArgumentError& e) {
            r.exportProblem = e.what();
        }
        if (previous.attentionBefore) { // the maps after, at the new rank (same prompt, layer, head)
            const JobOptions& o = models.options;
            const std::string prompt =
                o.attentionPrompt.empty() ? defaultPrompt(o.resourcesDir) : o.attentionPrompt;
            auto pair = attentionPair(models, prompt, previous.attentionBefore->layer,
                                      previous.attentionBefore->head, o.attentionMaxTokens);
            r.attentionAfter = std::move(pair.after);
            r.attentionHeadsAfter = std::move(pair.headsAfter);
        }
        models.report = std::move(rep);
        models.heal = nullptr; // the re-truncated layers start from the GQA weights: any healing is gone
        r.secondsTotal = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return r;
    } catch (...) {
        for (size_t i = 0; i < oldLayers.size(); ++i)
            m.layers[i].mla = std::move(oldLayers[i]);
        m.config = oldConfig;
        models.report = oldReport;
        throw;
    }
}

bool canChangeRank(const ConversionResult& result, const convert::ConvertSettings& settings) {
    const auto& models = result.models;
    if (!models || !models->original || models->cache.layers.empty() || settings.exact || settings.energy > 0)
        return false;
    convert::ConvertSettings same = result.settings;
    same.kvLoraRank = settings.kvLoraRank;
    same.energy = 0;
    try {
        return convert::sameConversion(same, settings, models->original->config);
    } catch (const std::exception&) { // settings out of range for the model: Run says why
        return false;
    }
}

std::vector<std::string> exportConverted(const ConversionResult& result, const std::filesystem::path& outDir,
                                         bool overwrite, const Progress& progress,
                                         convert::ExportTarget target) {
    if (!result.models)
        throw ArgumentError("no converted model in memory (run the conversion again to export)");
    verifyModelUnchanged(result);
    convert::ExportOptions eo;
    eo.overwrite = overwrite;
    eo.target = target;
    eo.conversionReport = result.models->report.toJson();
    eo.conversionReport["audit"] = auditRecord(result).toJson();
    if (!result.models->heal.is_null()) eo.conversionReport["heal"] = result.models->heal; // healConversion
    progress(0, 1, "export");
    auto notes = convert::namingExportTarget(
        outDir, [&] { return convert::exportDeepseekV3(result.models->converted, outDir, eo); });
    // The folder is in place: a cancel now must not report failure for a finished export.
    if (progress.report) progress.report(1, 1, "export");
    return notes;
}

ConversionResult reconvert(const ConversionResult& stored, const JobOptions& options,
                           const Progress& progress) {
    if (stored.modelContentHash.empty())
        throw ArgumentError(
            "the session does not record the model's content hash (saved by an older version): "
            "run the conversion again to export");
    const std::string now = results::contentHash(io::FolderSnapshot::take(stored.modelDir));
    if (now != stored.modelContentHash)
        throw FormatError(stored.modelDir, "",
                          "the model folder changed since the session was saved (content hash " + now +
                              ", session " + stored.modelContentHash +
                              "): the conversion cannot be reproduced");
    JobOptions o = options;
    o.lossProblems = 0;
    o.wikitextChunks = 0;
    o.spectra = false;
    o.attention = false;
    o.keepCalibration = false; // for export only: no rank changes
    ConversionResult fresh = runConversion(stored.modelDir, stored.settings, o, progress);
    if (fresh.modelContentHash != stored.modelContentHash) // rewritten while it ran
        throw FormatError(stored.modelDir, "", "the model folder changed during the conversion");
    // Same machine, same settings, same seed: the same numbers. A different device or library may
    // round differently; a rank change or a visible energy change means it is not the reviewed model.
    bool same = fresh.layers.size() == stored.layers.size();
    for (size_t i = 0; same && i < fresh.layers.size(); ++i)
        same = fresh.layers[i].rank == stored.layers[i].rank &&
               std::abs(fresh.layers[i].retainedEnergy - stored.layers[i].retainedEnergy) <= 1e-6;
    if (!same)
        throw Error(stored.modelDir +
                    ": the conversion run again does not reproduce the session's per-layer ranks and "
                    "retained energies; run the conversion again to export");
    return fresh;
}

results::AuditRecord auditRecord(const ConversionResult& r) {
    results::AuditRecord a;
    a.modelPath = r.modelDir;
    a.modelContentHash = r.modelContentHash;
    a.settings = results::settingsTable(r.settings);
    a.calibrationFile =
        r.settings.exact ? std::string("(none: the exact merge needs no calibration)") : r.calibrationFile;
    a.kvBytesPerTokenBefore = r.kvBytesPerTokenBefore;
    a.kvBytesPerTokenAfter = r.kvBytesPerTokenAfter;
    for (const auto& l : r.layers)
        a.layers.push_back(
            {l.layer, l.rank, l.retainedEnergy, l.ropeEnergyFraction, l.alpha, l.attentionError});
    a.setLosses(r.lossBefore, r.lossAfter, r.wikitextBefore, r.wikitextAfter);
    a.exportProblem = r.exportProblem;
    return a;
}

ExportBlock exportBlock(const io::ModelConfig& config, const convert::ConvertSettings& settings) {
    if (io::familySpec(config.family).exportBlock) return ExportBlock::Family;
    if (config.qkvBias) return ExportBlock::QueryBias;
    if (config.qkNorm() && !settings.foldQkNorm) return ExportBlock::QkNormExact;
    if (settings.latentNorm != convert::LatentNorm::Calibrated) return ExportBlock::NoLatentNorm;
    return ExportBlock::None;
}

void verifyModelUnchanged(const ConversionResult& result) {
    if (result.models && !result.models->snapshot.empty()) result.models->snapshot.verifyUnchanged();
}

AttentionPair attentionPair(const Models& models, const std::string& prompt, int64_t layer, int64_t head,
                            int64_t maxTokens) {
    if (!models.original) throw ArgumentError("the original model was not kept (attention maps need it)");
    if (!models.snapshot.empty()) models.snapshot.verifyUnchanged();
    analysis::AttentionOptions ao;
    ao.maxTokens = maxTokens;
    if (head < 0 || head >= models.converted.config.numHeads)
        throw ArgumentError("head " + std::to_string(head) + " out of range [0, " +
                            std::to_string(models.converted.config.numHeads) + ")");
    AttentionPair p;
    p.headsBefore = analysis::computeAttentionHeads(*models.original, models.tokenizer, prompt, layer, ao);
    p.headsAfter = analysis::computeAttentionHeads(models.converted, models.tokenizer, prompt, layer, ao);
    p.before = p.headsBefore[size_t(head)];
    p.after = p.headsAfter[size_t(head)];
    return p;
}

int64_t maxKvLoraRank(const io::ModelConfig& config, int64_t qkRopeHeadDim) {
    convert::ConvertSettings s;
    s.qkRopeHeadDim = qkRopeHeadDim;
    return convert::resolve(s, config).dims.maxRank;
}

bool cudaAvailable() {
    return at::hasCUDA();
}

std::string defaultPrompt(const std::filesystem::path& resourcesDir) {
    return analysis::defaultAttentionPrompt(gsm8kFile(resourcesDir, "test"));
}

} // namespace transmla::workbench
