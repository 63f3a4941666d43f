// transmla analyze spectra|budget|attention: the analyses of core/analysis, printed as a table or
// JSON, added to (or replacing their kind in) an HDF5 session, and exported as CSV.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "analysis/attention_map.h"
#include "analysis/budget.h"
#include "analysis/spectra.h"
#include "args.h"
#include "cli_util.h"
#include "commands.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "io/model_config.h"
#include "model/model.h"
#include "model/summary.h"
#include "results/csv.h"
#include "results/session.h"
#include "tokenizer/tokenizer.h"
#include "workbench/rank_sweep.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace transmla::cli {

namespace {

const char* kUsage =
    "Usage: transmla analyze spectra|budget|attention MODEL_DIR [options]\n"
    "  spectra    singular values of W_k, W_v (per kv head and all heads) and of calibration K pre/post "
    "RoPE\n"
    "             and V: --samples N (64) --seqlen L (256) sequences from --data FILE.jsonl (GSM8K train);\n"
    "             --weights-only; table rows filtered by --layer/--head; --rank R adds the retained energy\n"
    "  budget     KV cache bytes of GQA, exact MLA and MLA at --rank R (g*d) --rope-dim R_R (head_dim/2);\n"
    "             --dtype f32|bf16|f16|fp8 (bf16) for the cache, --weights-dtype (bf16), --batch B (1)\n"
    "  attention  probabilities of --layer L (0) --head H (0) for --prompt TEXT (the first GSM8K test\n"
    "             problem), cut to --max-tokens N (256)\n"
    "  loss-sweep GSM8K test loss of the GQA model and of MLA conversions at --ranks R1,R2,.. (full, 50%,\n"
    "             25%, 12.5% of 2*g*d) with --rope-dim (head_dim); --limit N problems; --samples/--seqlen "
    "for\n"
    "             calibration. Resumable: continues the sweep in --session (its settings unless given; "
    "ranks\n"
    "             already in it are skipped); saved after each rank. The workbench shows the same sweep.\n"
    "  pareto     held-out loss vs KV bytes over --ranks/--rope-dims/--freqfolds (see analyze pareto "
    "--help)\n"
    "  speed      measured decoding, GQA cache vs MLA latent cache, at --context x --batch (see analyze\n"
    "             speed --help)\n"
    "Common: --device cpu|cuda --dtype f32|bf16 (compute, spectra/attention) --session FILE.h5 (results are\n"
    "        added to it, replacing those of the same kind) --csv DIR --json --quiet\n";
static_assert(analysis::kAttentionMaxTokens == 256, "kUsage names the --max-tokens default");

std::string headName(int64_t h) {
    return h == analysis::kAllHeads ? "all" : std::to_string(h);
}

// Opens the session for this model, or starts one; refuses to mix results of two different models.
results::Session openSession(const std::optional<std::string>& file, const fs::path& modelDir) {
    const results::ModelReference ref = results::referenceModel(modelDir);
    if (!file || !fs::exists(*file)) {
        results::Session fresh;
        fresh.model = ref;
        return fresh;
    }
    results::Session s = results::loadSession(*file);
    if (!s.model.configHash.empty() && !s.model.sameContent(ref))
        throw Error(*file + ": this session belongs to another model (" + s.model.path +
                    "); use a new session file");
    s.model = ref;
    return s;
}

void finish(const Args& args, const results::Session& s) {
    if (auto file = args.get("session")) {
        results::saveSession(*file, s);
        if (!args.has("quiet")) std::cerr << "session saved: " << *file << "\n";
    }
    if (auto dir = args.get("csv"))
        for (const auto& f : results::writeSessionCsv(*dir, s))
            if (!args.has("quiet")) std::cerr << "csv: " << f.string() << "\n";
}

int runSpectra(const Args& args, const fs::path& dir, results::Session& session, const Progress& progress) {
    analysis::SpectraOptions opts;
    opts.samples = args.getInt("samples", opts.samples);
    opts.seqLen = args.getInt("seqlen", opts.seqLen);
    opts.activations = !args.has("weights-only");
    const fs::path data = args.has("data") || !opts.activations
                              ? fs::path(args.get("data", ""))
                              : gsm8kFile(resources("GSM8K train (the default --data)"), "train");
    const model::Model m =
        model::Model::load(dir, {args.get("device", "cpu"), args.get("dtype", "f32")}, progress);
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(dir);
    const auto texts = opts.activations ? io::loadTexts(data) : std::vector<std::string>{};
    const analysis::SpectraResult r =
        analysis::computeSpectra(m, tokenizer, texts, data.string(), opts, progress);
    session.spectra = r;
    const int64_t layer = args.getInt("layer", -2), head = args.getInt("head", -2),
                  rank = args.getInt("rank", 0);
    json rows = json::array();
    if (!args.has("json"))
        std::cout << "source        layer head  values  rank@90%  rank@99%  rank@99.9%"
                  << (rank > 0 ? "  energy@r=" + std::to_string(rank) : "") << "\n";
    for (const auto& s : r.spectra) {
        if ((layer != -2 && s.layer != layer) || (head != -2 && s.head != head)) continue;
        const int64_t r90 = s.rankForEnergy(0.9), r99 = s.rankForEnergy(0.99), r999 = s.rankForEnergy(0.999);
        if (args.has("json")) {
            json row = {{"source", analysis::sourceName(s.source)},
                        {"layer", s.layer},
                        {"head", headName(s.head)},
                        {"singular_values", s.singularValues},
                        {"rank_90", r90},
                        {"rank_99", r99},
                        {"rank_999", r999}};
            if (rank > 0) row["retained_energy"] = s.retainedEnergy(rank);
            rows.push_back(row);
            continue;
        }
        std::printf("%-13s %5lld %4s %7zu %9lld %9lld %11lld", analysis::sourceName(s.source).c_str(),
                    static_cast<long long>(s.layer), headName(s.head).c_str(), s.singularValues.size(),
                    static_cast<long long>(r90), static_cast<long long>(r99), static_cast<long long>(r999));
        if (rank > 0) std::printf("  %10.6f", s.retainedEnergy(rank));
        std::printf("\n");
    }
    if (args.has("json"))
        std::cout << json{{"model", r.model},
                          {"samples", r.samples},
                          {"seqlen", r.seqLen},
                          {"calibration_data", r.calibrationData},
                          {"spectra", rows}}
                         .dump(1)
                  << "\n";
    return 0;
}

int runBudget(const Args& args, const fs::path& dir, results::Session& session) {
    const io::ModelConfig c = io::loadModelConfig(dir);
    const model::ModelSummary summary = model::summarizeModel(dir);
    const auto cacheDtype = analysis::parseCacheDtype(args.get("dtype", "bf16"));
    const auto weightsDtype = analysis::parseCacheDtype(args.get("weights-dtype", "bf16"));
    const int64_t rank = args.getInt("rank", c.numKvHeads * c.headDim);
    const int64_t ropeDim = args.getInt("rope-dim", c.headDim / 2);
    const int64_t batch = args.getInt("batch", 1);
    const int64_t weightsBytes = summary.parameterCount * analysis::bytesPerElement(weightsDtype);
    session.budgets = analysis::standardBudgets(c, rank, ropeDim, cacheDtype, weightsBytes);
    const std::vector<int64_t> contexts = {2048, 8192, 32768, 131072};
    if (args.has("json")) {
        json out = json::array();
        for (const auto& b : session.budgets) {
            json j = {{"label", b.label},
                      {"kind", analysis::cacheKindName(b.kind)},
                      {"dtype_bytes", b.bytesPerElement},
                      {"kv_lora_rank", b.kvLoraRank},
                      {"qk_rope_head_dim", b.qkRopeHeadDim},
                      {"bytes_per_token_per_layer", b.bytesPerTokenPerLayer()},
                      {"bytes_per_token", b.bytesPerToken()},
                      {"weights_bytes", b.weightsBytes},
                      {"batch", batch},
                      {"ratio_to_gqa", b.ratioTo(session.budgets[0])}};
            for (int64_t t : contexts)
                j["cache_bytes"][std::to_string(t)] = b.cacheBytes(t, batch);
            for (const auto& g : analysis::gpuPresets())
                j["max_context"][g.name] = b.maxContext(g.bytes, batch);
            out.push_back(j);
        }
        std::cout << json{{"model", dir.string()}, {"budgets", out}}.dump(1) << "\n";
        return 0;
    }
    std::cout << "KV cache of " << dir.string() << " (" << c.numLayers << " layers, g=" << c.numKvHeads
              << ", d=" << c.headDim << "), cache " << analysis::cacheDtypeName(cacheDtype) << ", batch "
              << batch << ", weights " << weightsBytes << " B (" << analysis::cacheDtypeName(weightsDtype)
              << ")\n";
    std::printf("%-22s %10s %10s %7s", "form", "B/tok/lyr", "B/token", "ratio");
    for (int64_t t : contexts)
        std::printf(" %11s", ("T=" + std::to_string(t)).c_str());
    for (const auto& g : analysis::gpuPresets())
        std::printf(" %12s", ("ctx@" + g.name).c_str());
    std::printf("\n");
    for (const auto& b : session.budgets) {
        std::printf("%-22s %10lld %10lld %7.4f", b.label.c_str(),
                    static_cast<long long>(b.bytesPerTokenPerLayer()),
                    static_cast<long long>(b.bytesPerToken()), b.ratioTo(session.budgets[0]));
        for (int64_t t : contexts)
            std::printf(" %11lld", static_cast<long long>(b.cacheBytes(t, batch)));
        for (const auto& g : analysis::gpuPresets())
            std::printf(" %12lld", static_cast<long long>(b.maxContext(g.bytes, batch)));
        std::printf("\n");
    }
    return 0;
}

int runAttention(const Args& args, const fs::path& dir, results::Session& session, const Progress& progress) {
    const std::string prompt =
        args.has("prompt")
            ? *args.get("prompt")
            : analysis::defaultAttentionPrompt(gsm8kFile(resources("the default --prompt"), "test"));
    analysis::AttentionOptions opts;
    opts.maxTokens = args.getInt("max-tokens", opts.maxTokens);
    const model::Model m =
        model::Model::load(dir, {args.get("device", "cpu"), args.get("dtype", "f32")}, progress);
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(dir);
    const analysis::AttentionMap a = analysis::computeAttentionMap(
        m, tokenizer, prompt, args.getInt("layer", 0), args.getInt("head", 0), opts);
    session.putAttentionMap(a);
    if (args.has("json")) {
        std::cout << json{{"model", a.model},
                          {"layer", a.layer},
                          {"head", a.head},
                          {"tokens", a.tokenTexts},
                          {"token_ids", a.tokenIds},
                          {"probs", a.probs},
                          {"row_entropy", a.rowEntropy},
                          {"head_entropy", a.headEntropy}}
                         .dump()
                  << "\n";
        return 0;
    }
    std::cout << "layer " << a.layer << ", head " << a.head << ", " << a.tokens() << " tokens, mean entropy "
              << std::setprecision(4) << std::fixed << a.meanEntropy() << " nats\nmean entropy per head:";
    for (size_t h = 0; h < a.headEntropy.size(); ++h)
        std::cout << " " << h << ":" << a.headEntropy[h];
    std::cout << "\nmost attended key per query (last 10 queries):\n";
    for (int64_t i = std::max<int64_t>(0, a.tokens() - 10); i < a.tokens(); ++i) {
        int64_t best = 0;
        for (int64_t j = 0; j <= i; ++j)
            if (a.at(i, j) > a.at(i, best)) best = j;
        std::cout << "  " << std::setw(4) << i << " " << json(a.tokenTexts[size_t(i)]).dump() << " -> "
                  << best << " " << json(a.tokenTexts[size_t(best)]).dump() << " (" << a.at(i, best) << ")\n";
    }
    return 0;
}

// Loss vs KV cache size (workbench/rank_sweep.h, the same sweep as the workbench's): the session's
// sweep is resumed (its settings unless flags are given; ranks already in it are skipped) and the
// session saved after every finished rank, so an interrupted sweep resumes where it stopped.
int runLossSweep(const Args& args, const fs::path& dir, results::Session& session, const Progress& progress) {
    const io::ModelConfig cfg = io::loadModelConfig(dir);
    workbench::SweepRequest request;
    request.modelDir = dir;
    request.resourcesDir = resources();
    request.device = args.get("device", "cpu");
    request.dtype = args.get("dtype", "f32");
    if (session.sweep)
        request.settings = session.sweep->settings;
    else
        request.settings.qkRopeHeadDim = cfg.headDim;
    request.settings.qkRopeHeadDim = args.getInt("rope-dim", request.settings.qkRopeHeadDim);
    request.settings.calibration.samples = args.getInt("samples", request.settings.calibration.samples);
    request.settings.calibration.seqLen = args.getInt("seqlen", request.settings.calibration.seqLen);
    request.problems = args.getInt("limit", session.sweep ? session.sweep->problems : -1);
    const int64_t gd = cfg.numKvHeads * cfg.headDim, rR = request.settings.qkRopeHeadDim;
    if (auto list = args.get("ranks")) {
        std::stringstream ss(*list);
        for (std::string item; std::getline(ss, item, ',');)
            request.ranks.push_back(std::stoll(item));
    } else {
        request.ranks = {2 * gd - rR, gd, gd / 2, gd / 4};
    }
    const auto file = args.get("session");
    session.sweep = workbench::rankSweep(
        request, session.sweep,
        [&](const results::RankSweep& soFar) {
            session.sweep = soFar;
            if (file) results::saveSession(*file, session);
        },
        progress);
    if (!args.has("quiet")) std::cerr << "\n";
    const std::string rope = " rope=" + std::to_string(session.sweep->settings.qkRopeHeadDim);
    std::cout << std::left << std::setw(24) << "model" << std::right << std::setw(16) << "KV bytes/token"
              << std::setw(12) << "mean NLL" << std::setw(12) << "ppl"
              << "\n";
    auto row = [](const std::string& label, int64_t kvBytes, double meanNll) {
        std::cout << std::left << std::setw(24) << label << std::right << std::setw(16) << kvBytes
                  << std::setw(12) << std::setprecision(5) << meanNll << std::setw(12) << std::exp(meanNll)
                  << "\n";
    };
    if (const auto& b = session.sweep->baseline)
        row("gqa", session.sweep->baselineKvBytesPerToken, b->meanNll());
    for (const auto& p : session.sweep->points)
        row("mla r=" + std::to_string(p.rank) + rope, p.kvBytesPerToken, p.meanNll);
    return 0;
}

} // namespace

int cmdAnalyze(int argc, char** argv) {
    if (argc >= 2 && std::string(argv[1]) == "pareto") return cmdAnalyzePareto(argc - 1, argv + 1);
    if (argc >= 2 && std::string(argv[1]) == "speed") return cmdAnalyzeSpeed(argc - 1, argv + 1);
    Args args(argc, argv, 1, {"json", "help", "quiet", "weights-only"});
    if (args.has("help") || args.positionals().size() != 2) {
        std::cout << kUsage;
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly({"json",     "help",    "quiet",      "weights-only", "layer",  "head",  "rank",
                    "rope-dim", "samples", "seqlen",     "data",         "device", "dtype", "weights-dtype",
                    "batch",    "prompt",  "max-tokens", "session",      "csv",    "ranks", "limit"});
    const std::string what = args.positionals()[0];
    const fs::path dir = args.positionals()[1];
    const std::vector<std::string> known = subcommands("analyze"); // commands.cpp: one row each
    if (std::find(known.begin(), known.end(), what) == known.end()) {
        std::string list;
        for (const auto& k : known)
            list += (list.empty() ? "" : ", ") + k;
        throw std::invalid_argument("unknown analysis '" + what + "' (" + list + ")");
    }
    results::Session session = openSession(args.get("session"), dir);
    CancelToken cancel;
    cancelOnSigint(cancel);
    const Progress progress{stderrProgress(args.has("quiet") || args.has("json")), &cancel};
    int rc = 0;
    if (what == "spectra")
        rc = runSpectra(args, dir, session, progress);
    else if (what == "budget")
        rc = runBudget(args, dir, session);
    else if (what == "loss-sweep")
        rc = runLossSweep(args, dir, session, progress);
    else
        rc = runAttention(args, dir, session, progress);
    if (rc == 0) finish(args, session);
    return rc;
}

} // namespace transmla::cli
