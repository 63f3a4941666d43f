#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

#include <ATen/ATen.h>

#include "args.h"
#include "cli_util.h"
#include "commands.h"
#include "convert/calibration.h"
#include "convert/export.h"
#include "convert/heal.h"
#include "convert/pipeline.h"
#include "convert/qk_norm.h"
#include "convert/search.h"
#include "convert/settings.h"
#include "eval/loss.h"
#include "held_out_choice.h"
#include "io/datasets.h"
#include "io/family.h"
#include "io/folder_snapshot.h"
#include "io/model_config.h"
#include "model/model.h"
#include "results/audit.h"
#include "tokenizer/tokenizer.h"

namespace transmla::cli {

namespace {
const char* kUsage =
    "Usage: transmla convert MODEL_DIR [--out DIR] [--kv-lora-rank R | --energy E | --exact]\n"
    "         [--qk-rope-dim 64|best] [--freqfold F|auto|best] [--held-out 16] [--calib "
    "gsm8k|wikitext2|FILE] [--samples 128 --seqlen 256]\n"
    "         [--seed 0] [--device cpu|cuda] [--dtype f32|bf16] [--latent-norm none|calibrated]\n"
    "         [--pca-activations original|partial_rope|sequential|best]\n"
    "         [--export-dtype source|f32|bf16] [--target transformers|serving] [--eval [--limit N] "
    "[--wikitext CHUNKS]]\n"
    "         [--no-stream] [--force] [--json] [--quiet] [--fold-qk-norm]\n"
    "         [--heal local|e2e|both [--heal-steps N] [--heal-lr LR] [--heal-data gsm8k|FILE] "
    "[--heal-samples 256]]\n"
    "Converts a GQA checkpoint to MLA (TransMLA). --exact merges the KV heads into one latent with the\n"
    "same cache and logits; otherwise RoRoPE + FreqFold + balanced-KV joint PCA to rank R (default: full\n"
    "rank 2*g*d - r_R) or to the smallest per-layer rank keeping --energy of the latent energy.\n"
    "--out writes a DeepSeek-V3 folder (needs --latent-norm calibrated); Ctrl-C leaves nothing behind.\n"
    "--target serving writes it for vLLM / SGLang: bf16, padded to kv_lora_rank 512 + qk_rope_head_dim 64\n"
    "(rank default: min(512, full rank)); refused, with the reason, where the engines cannot run it "
    "exactly.\n"
    "Without --eval or --energy the conversion streams: one layer at a time is uploaded, calibrated,\n"
    "converted and written (device memory ~ one layer, host memory ~ one layer + calibration states);\n"
    "--no-stream loads the whole model first.\n"
    "--eval also measures the full-rank model at the same r_R/FreqFold, splitting the loss increase into\n"
    "RoPE removal and rank truncation. --heal trains the new attention weights (q, kv_a, kv_b, latent norm)\n"
    "towards the original model on GSM8K train (or FILE): local = per layer, on the attention outputs;\n"
    "e2e = KL distillation of the next-token distributions; both = local then e2e. Steps are per layer\n"
    "(local) or in all (e2e). Healing loads the model whole, in f32.\n"
    "best: r_R (among head_dim/8, /4, /2, /1, at equal KV bytes: r + r_R fixed) and/or FreqFold (every\n"
    "one r_R allows) chosen by the mean NLL on --held-out sequences of the calibration source that follow\n"
    "the calibration's own (not GSM8K test); the candidates and losses are printed (JSON: held_out_choice).\n"
    "--pca-activations: whose hidden states the joint PCA is calibrated on: the original model's (default),\n"
    "the full-rank partial-RoPE model's (as the reference TransMLA does), or the model converted so far\n"
    "(sequential, layer by layer at the target rank); best = the lowest held-out loss of the three. Not\n"
    "original: the model is loaded whole (no streaming).\n"
    "Qwen3 / Gemma-3 (per-head q/k RMSNorm): the latent is a map of the normalised keys (exact, no export);\n"
    "--fold-qk-norm first replaces each head's norm by a constant fitted on the calibration text (the\n"
    "DeepSeek-V3-compatible approximation: exports, labelled transmla.approximation).\n"
    "Ablations: --no-rorope, --no-balance, --post-rope-stats (FreqFold statistics from keys after RoPE).\n"
    "--eval: GSM8K loss before/after (all tokens and answer tokens only, 95% bootstrap intervals over\n"
    "problems); --wikitext N adds the WikiText-2 test perplexity over N chunks of 512 tokens. --json\n"
    "prints the audit record (model content hash, settings, per-layer ranks/energy, losses) under "
    "\"audit\".\n";
static_assert(eval::kDocumentMaxTokens == 512, "kUsage names the WikiText-2 chunk length");

} // namespace

int cmdConvert(int argc, char** argv) {
    const std::set<std::string> flags = {"help",      "exact",           "eval",        "force",
                                         "json",      "quiet",           "no-rorope",   "no-balance",
                                         "no-stream", "post-rope-stats", "fold-qk-norm"};
    Args args(argc, argv, 1, flags);
    if (args.has("help") || args.positionals().size() != 1) {
        std::cout << kUsage;
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly({"help",     "exact",        "eval",         "force",          "json",
                    "quiet",    "no-rorope",    "no-balance",   "no-stream",      "post-rope-stats",
                    "out",      "kv-lora-rank", "energy",       "qk-rope-dim",    "freqfold",
                    "calib",    "samples",      "seqlen",       "seed",           "device",
                    "dtype",    "latent-norm",  "export-dtype", "limit",          "target",
                    "heal",     "heal-steps",   "heal-lr",      "heal-data",      "heal-samples",
                    "wikitext", "held-out",     "fold-qk-norm", "pca-activations"});
    const std::filesystem::path dir = args.positionals()[0];
    convert::ConvertSettings s;
    s.exact = args.has("exact");
    s.kvLoraRank = args.getInt("kv-lora-rank", -1);
    if (args.has("kv-lora-rank") && s.kvLoraRank < 1)
        throw ArgumentError("--kv-lora-rank " + *args.get("kv-lora-rank") + ": must be at least 1");
    s.energy = args.getDouble("energy", 0.0);
    const bool bestRopeDim = args.get("qk-rope-dim", "") == "best",
               bestFreqFold = args.get("freqfold", "") == "best";
    s.qkRopeHeadDim = bestRopeDim ? 0 : args.getInt("qk-rope-dim", 0);
    if (args.has("qk-rope-dim") && !bestRopeDim && s.qkRopeHeadDim < 1)
        throw ArgumentError("--qk-rope-dim " + *args.get("qk-rope-dim") + ": must be positive and even");
    const std::string ff = args.get("freqfold", "auto");
    s.freqFold = ff == "auto" || ff == "best" ? 0 : args.getInt("freqfold", 0);
    s.rorope = !args.has("no-rorope");
    s.balanceKv = !args.has("no-balance");
    s.preRopeKeyStats = !args.has("post-rope-stats");
    s.pcaActivations = convert::parsePcaActivations(args.get("pca-activations", "original"));
    s.latentNorm = convert::parseLatentNorm(args.get("latent-norm", args.has("out") ? "calibrated" : "none"));
    s.foldQkNorm = args.has("fold-qk-norm"); // core checks the model has norms (validate)
    s.calibration.source = args.get("calib", "gsm8k");
    s.calibration.samples = args.getInt("samples", 128);
    s.calibration.seqLen = args.getInt("seqlen", 256);
    s.calibration.seed = uint64_t(args.getInt("seed", 0));
    const convert::ExportTarget exportTarget = convert::parseExportTarget(args.get("target", "transformers"));
    convert::HealSettings hs;
    hs.mode = args.get("heal", "none");
    hs.steps = args.getInt("heal-steps", 0);
    hs.lr = args.getDouble("heal-lr", 0.0);
    hs.data = args.get("heal-data", "gsm8k");
    hs.samples = args.getInt("heal-samples", hs.samples);
    hs.seed = s.calibration.seed;
    const bool healing = hs.local() || hs.e2e();
    model::LoadOptions lo{args.get("device", "cpu"), args.get("dtype", "f32")};

    // Every setting is checked against config.json before anything heavy is read (tokenizer, weights).
    const io::ModelConfig config = io::loadModelConfig(dir);
    convert::ExportOptions eo;
    eo.target = exportTarget;
    if (eo.target == convert::ExportTarget::Serving && !args.has("kv-lora-rank") && s.energy <= 0 && !s.exact)
        s.kvLoraRank = std::min(convert::kServingKvLoraRank, convert::resolve(s, config).dims.maxRank);
    const convert::ResolvedSettings resolved = convert::resolve(s, config);
    const bool foldQkNorm = s.foldQkNorm;
    // The exact q/k-norm form cannot be exported: said now, not after the conversion.
    if (args.has("out") && config.qkNorm() && !foldQkNorm && !io::familySpec(config.family).exportBlock)
        throw convert::foldNeededForExport(config);
    model::toTorch(lo.device); // no CUDA: said now, not after the tokenizer
    // The bundled data only where a default reads it: a user's own files need none.
    auto bundled = [](const std::string& name) { return name == "gsm8k" || name == "wikitext2"; };
    const bool needResources = ((!s.exact || foldQkNorm) && bundled(s.calibration.source)) ||
                               args.has("eval") || (healing && bundled(hs.data));
    const std::filesystem::path res =
        needResources
            ? resources("the bundled GSM8K / WikiText-2 data (default --calib, --eval, --heal-data)")
            : std::filesystem::path();
    convert::checkHealSettings(hs, res);
    if (!s.exact || foldQkNorm)
        io::checkTextFile(io::calibrationFile(s.calibration.source, res)); // before any work

    CancelToken cancel;
    cancelOnSigint(cancel);
    const bool quiet = args.has("quiet") || args.has("json");
    Progress progress{stderrProgress(quiet), &cancel};
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    const auto tLoad = clock::now();
    // The weights are read from the mapped files throughout (streamed: layer by layer): a folder
    // rewritten meanwhile would mix old and new weights, so it is checked before anything is committed.
    const io::FolderSnapshot snapshot = io::FolderSnapshot::takeStat(dir);
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(dir);
    // Streaming needs a known, uniform rank and no whole-model evaluation.
    const bool stream = args.has("out") && !args.has("eval") && s.energy <= 0 && !args.has("no-stream") &&
                        !healing && !foldQkNorm && s.pcaActivations == convert::PcaActivations::Original;
    lo.streamLayers = stream;
    model::Model m = model::Model::load(dir, lo, progress);
    const int64_t limit = args.getInt("limit", -1);
    nlohmann::json out;
    const bool bestPca = s.pcaActivations == convert::PcaActivations::Best;
    if ((bestRopeDim || bestFreqFold || bestPca) && !s.exact) // first: the choice fixes the settings
        out["held_out_choice"] =
            chooseByHeldOutLoss(s, dir, lo, bestRopeDim, bestFreqFold, args.getInt("held-out", 16), progress);
    out["streamed"] = stream;
    out["seconds"]["load"] = since(tLoad);
    // The GSM8K documents are tokenized once and evaluated before and after the conversion.
    std::vector<eval::Document> docs, wikiDocs;
    std::optional<eval::LossResult> lossBefore, lossAfter, wikiBefore, wikiAfter;
    if (args.has("eval")) {
        docs = eval::tokenizeGsm8k(tokenizer, io::loadGsm8k(gsm8kFile(res, "test"), limit),
                                   eval::kDocumentMaxTokens);
        lossBefore = eval::evaluateLoss(m, docs, {}, progress);
        out["loss_before"] = lossBefore->toJson(false);
        if (args.getInt("wikitext", 0) > 0) {
            wikiDocs = eval::tokenizeChunks(tokenizer, io::loadTexts(io::wikitext2File(res, "test")),
                                            eval::kDocumentMaxTokens, args.getInt("wikitext", 0));
            wikiBefore = eval::evaluateLoss(m, wikiDocs, {}, progress);
        }
    }
    eo.dtype = args.get("export-dtype", "source");
    eo.overwrite = args.has("force");
    std::unique_ptr<convert::StreamedExport> streamed;
    if (stream) {
        const int64_t rank =
            resolved.settings.kvLoraRank > 0 ? resolved.settings.kvLoraRank : resolved.dims.maxRank;
        streamed = std::make_unique<convert::StreamedExport>(m, *args.get("out"), eo, rank);
    }
    at::Tensor calib;
    const auto tConvert = clock::now();
    if (!s.exact || foldQkNorm) calib = convert::calibrationTokens(s.calibration, tokenizer, res);
    if (foldQkNorm) { // the approximation replaces the model before it is converted (qk_norm.h)
        const convert::QkNormFold fold = convert::foldQkNorms(m, calib, s.calibration.microBatch);
        out["qk_norm_fold"] = {{"mean_relative_head_error", fold.meanRelativeError}};
        if (args.has("eval")) out["loss_folded"] = eval::evaluateLoss(m, docs, {}, progress).toJson(false);
    }
    convert::LayerSink sink;
    const std::filesystem::path target = args.get("out", "");
    if (streamed)
        sink = [&](int64_t layer, const model::Model&, const convert::LayerReport&) {
            convert::namingExportTarget(target, [&] { streamed->writeLayer(layer); });
        };
    // Healing distils towards the original: a second, unconverted copy.
    std::optional<model::Model> original;
    if (healing) original = model::Model::load(dir, lo, progress);
    convert::ConvertReport report = convert::convertModel(m, s, calib, progress, sink);
    out["seconds"]["calibrate_and_convert"] = since(tConvert) - report.secondsWrite;
    out["phases"] = {{"upload", report.secondsUpload},
                     {"calibrate", report.secondsCalibrate},
                     {"pca", report.secondsPca},
                     {"write_layers", report.secondsWrite}};
    if (args.has("eval")) {
        convert::LossSplit split;
        split.original = out["loss_before"]["mean_nll"].get<double>();
        const auto afterConversion = eval::evaluateLoss(m, docs, {}, progress);
        split.converted = afterConversion.meanNll();
        out["loss_after_conversion"] = afterConversion.toJson(false);
        lossAfter = afterConversion;
        split.fullRank = split.converted;
        bool truncated = false;
        for (const auto& l : report.layers)
            truncated = truncated || l.rank < int64_t(l.eigenvalues.size());
        if (!s.exact && truncated) { // the full-rank model at the same r_R and FreqFold
            model::Model full = model::Model::load(dir, lo, progress);
            if (foldQkNorm) convert::foldQkNorms(full, calib, s.calibration.microBatch);
            convert::convertModel(full, convert::fullRankSettings(s), calib, progress);
            split.fullRank = eval::evaluateLoss(full, docs, {}, progress).meanNll();
        }
        report.lossSplit = split;
    }
    nlohmann::json healJson;
    if (healing) {
        const auto tHeal = clock::now();
        const at::Tensor healIds = convert::healTokens(hs, tokenizer, res);
        healJson = convert::heal(m, *original, healIds, hs, progress).toJson();
        original.reset();
        out["seconds"]["heal"] = since(tHeal);
        out["heal"] = healJson;
        if (args.has("eval")) {
            const auto healed = eval::evaluateLoss(m, docs, {}, progress);
            report.lossSplit->healed = healed.meanNll();
            lossAfter = healed;
            out["loss_after"] = healed.toJson(false);
        }
    } else if (args.has("eval")) {
        out["loss_after"] = out["loss_after_conversion"];
    }
    out["conversion"] = report.toJson();
    if (args.has("eval")) {
        out["loss_split"] = report.lossSplit->toJson();
        if (wikiBefore) wikiAfter = eval::evaluateLoss(m, wikiDocs, {}, progress);
    }
    if (args.has("json") || args.has("eval")) {
        // The same record the workbench writes (results::AuditRecord); the content hash reads every file
        // once.
        results::AuditRecord a;
        a.modelPath = dir.string();
        a.modelContentHash = results::contentHash(io::FolderSnapshot::take(dir));
        a.settings = results::settingsTable(report.settings);
        a.calibrationFile = s.exact ? std::string() : io::calibrationFile(s.calibration.source, res).string();
        a.kvBytesPerTokenBefore = report.kvBytesPerTokenBefore;
        a.kvBytesPerTokenAfter = report.kvBytesPerTokenAfter;
        for (const auto& l : report.layers)
            a.layers.push_back({l.layer, l.rank, l.retainedEnergy, l.ropeEnergyFraction, l.alpha});
        a.setLosses(lossBefore, lossAfter, wikiBefore, wikiAfter);
        if (!stream) {
            try {
                convert::checkDeepseekV3Exportable(m);
            } catch (const ArgumentError& e) {
                a.exportProblem = e.what();
            }
        }
        out["audit"] = a.toJson();
    }
    if (args.has("out")) {
        eo.conversionReport = report.toJson();
        if (healing) eo.conversionReport["heal"] = healJson;
        if (out.contains("audit")) eo.conversionReport["audit"] = out["audit"];
        cancel.throwIfCancelled();
        snapshot.verifyUnchanged();
        const auto tWrite = clock::now();
        auto notes = convert::namingExportTarget(target, [&] {
            return streamed ? streamed->finish(eo.conversionReport)
                            : convert::exportDeepseekV3(m, *args.get("out"), eo);
        });
        out["seconds"]["write"] = since(tWrite) + report.secondsWrite;
        out["exported"] = *args.get("out");
        out["export_notes"] = notes;
    }
    if (args.has("json")) {
        std::cout << out.dump(1) << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(4);
    std::cout << "KV cache per token (16-bit): " << report.kvBytesPerTokenBefore << " -> "
              << report.kvBytesPerTokenAfter << " bytes (" << std::setprecision(1)
              << 100.0 * double(report.kvBytesPerTokenAfter) / double(report.kvBytesPerTokenBefore) << "%)\n"
              << std::setprecision(4);
    if (out.contains("held_out_choice")) {
        const auto& hc = out["held_out_choice"];
        std::cout << "chosen by held-out loss (" << hc["held_out_tokens"].get<int64_t>()
                  << " tokens, original " << hc["original_held_out_loss"].get<double>() << "):";
        for (const auto& c : hc["candidates"]) {
            std::cout << " r " << c["kv_lora_rank"].get<int64_t>() << " r_R "
                      << c["qk_rope_head_dim"].get<int64_t>() << " f " << c["freqfold"].get<int64_t>();
            if (bestPca) std::cout << " " << c["pca_activations"].get<std::string>();
            if (c.contains("skipped"))
                std::cout << " skipped;";
            else
                std::cout << " " << c["held_out_loss"].get<double>() << ";";
        }
        std::cout << "\n";
    }
    std::cout << "qk_rope_head_dim " << report.ropeDim << ", FreqFold " << report.freqFold << ", max rank "
              << report.maxRank << ", PCA activations "
              << convert::pcaActivationsName(report.settings.pcaActivations) << ", " << report.secondsTotal
              << " s\n";
    std::cout << "layer  rank  retained  discarded  rope-energy  alpha\n";
    for (const auto& l : report.layers)
        std::cout << std::setw(5) << l.layer << std::setw(6) << l.rank << std::setw(10) << l.retainedEnergy
                  << std::setw(11) << 1 - l.retainedEnergy << std::setw(13) << l.ropeEnergyFraction
                  << std::setw(8) << l.alpha << "\n";
    for (const auto& ph :
         out.value("heal", nlohmann::json::object()).value("phases", nlohmann::json::array()))
        std::cout << "heal " << ph["mode"].get<std::string>() << ": " << ph["steps"].get<int64_t>()
                  << " steps, held-out " << ph["loss"].get<std::string>() << " "
                  << ph["held_out_before"].get<double>() << " -> " << ph["held_out_after"].get<double>()
                  << ", " << std::setprecision(1) << ph["seconds"].get<double>() << " s\n"
                  << std::setprecision(4);
    if (args.has("eval")) {
        const convert::LossSplit& sp = *report.lossSplit;
        std::cout << "GSM8K mean NLL: " << out["loss_before"]["mean_nll"].get<double>() << " -> "
                  << out["loss_after"]["mean_nll"].get<double>() << " ("
                  << out["loss_after"]["tokens"].get<int64_t>() << " tokens)\n";
        std::cout << "  from RoPE removal (full rank " << sp.fullRank << "): " << std::showpos
                  << sp.ropeRemoval() << ", from rank truncation: " << sp.rankTruncation();
        if (healing) std::cout << ", from healing: " << sp.healing();
        std::cout << std::noshowpos << "\n";
        if (out.contains("audit"))
            for (const char* key : {"gsm8k", "gsm8k_answer_only", "wikitext2"}) {
                if (!out["audit"].contains(key)) continue;
                const auto& c = out["audit"][key];
                std::cout << "  " << c["dataset"].get<std::string>() << ": "
                          << c["mean_nll_before"].get<double>() << " [" << c["ci95_before"][0].get<double>()
                          << ", " << c["ci95_before"][1].get<double>() << "] -> "
                          << c["mean_nll_after"].get<double>() << " [" << c["ci95_after"][0].get<double>()
                          << ", " << c["ci95_after"][1].get<double>() << "], paired difference "
                          << c["difference"].get<double>() << " [" << c["ci95_difference"][0].get<double>()
                          << ", " << c["ci95_difference"][1].get<double>() << "] (95% bootstrap)\n";
            }
    }
    if (args.has("out")) {
        std::cout << "exported DeepSeek-V3 folder: " << *args.get("out") << "\n";
        for (const auto& n : out["export_notes"])
            std::cout << "note: " << n.get<std::string>() << "\n";
    }
    return 0;
}

} // namespace transmla::cli
