// transmla analyze pareto: held-out loss vs KV bytes over a grid of (r, r_R, FreqFold), and the
// Pareto front (convert/search.h). Also the held-out choice behind convert's "best" values.
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "args.h"
#include "cli_util.h"
#include "commands.h"
#include "convert/search.h"
#include "held_out_choice.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/atomic_file.h"

namespace fs = std::filesystem;

namespace transmla::cli {

namespace {

const char* kUsage =
    "Usage: transmla analyze pareto MODEL_DIR [--ranks R1,R2,..|full] [--rope-dims 16,32] [--freqfolds "
    "1,2,4]\n"
    "         [--calib gsm8k|wikitext2|FILE] [--samples 128 --seqlen 256] [--held-out 16] [--seed 0]\n"
    "         [--pca-activations original|partial_rope|sequential|best] [--device cpu|cuda] [--json] [--csv "
    "FILE]"
    " [--quiet]\n"
    "Converts the model with every combination (an omitted list keeps the default: full rank, r_R =\n"
    "min(64, head_dim), the smallest FreqFold) and measures the mean NLL on --held-out sequences of the\n"
    "calibration source that follow the calibration's own (never the GSM8K test set). Calibrates once.\n"
    "Prints every candidate with its KV cache bytes per token (16-bit) and held-out loss, and the\n"
    "loss-vs-bytes Pareto front (* = on the front); invalid combinations are listed with the reason.\n"
    "--pca-activations best adds each combination once per source of the joint PCA's activations.\n";

} // namespace

std::vector<int64_t> parseIntList(const std::string& flag, const std::string& text) {
    std::vector<int64_t> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item == "full") {
            out.push_back(-1);
            continue;
        }
        try {
            size_t pos = 0;
            out.push_back(std::stoll(item, &pos));
            if (pos != item.size()) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw ArgumentError("--" + flag + " '" + text + "': expects comma-separated integers, got '" +
                                item + "'");
        }
    }
    if (out.empty()) throw ArgumentError("--" + flag + ": empty list");
    return out;
}

nlohmann::json chooseByHeldOutLoss(convert::ConvertSettings& s, const fs::path& dir,
                                   const model::LoadOptions& load, bool searchRopeDim, bool searchFreqFold,
                                   int64_t heldOut, const Progress& progress) {
    model::LoadOptions resident = load;
    resident.streamLayers = false;
    const model::Model original = model::Model::load(dir, resident, progress);
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(dir);
    const bool searchPca = s.pcaActivations == convert::PcaActivations::Best;
    const auto candidates = convert::autoCandidates(s, original.config, searchRopeDim, searchFreqFold);
    const auto split = convert::splitCalibration(s.calibration, heldOut, tokenizer, resources());
    const convert::SearchResult r = convert::searchConversions(original, candidates, split, progress);
    const convert::Candidate& best = r.candidates[r.best()];
    s.qkRopeHeadDim = best.qkRopeHeadDim;
    s.freqFold = best.freqFold;
    s.pcaActivations = convert::parsePcaActivations(best.pcaActivations);
    if (s.energy <= 0) s.kvLoraRank = best.kvLoraRank;
    nlohmann::json j = r.toJson();
    j["searched"] = nlohmann::json::array();
    if (searchRopeDim) j["searched"].push_back("qk_rope_head_dim");
    if (searchFreqFold) j["searched"].push_back("freqfold");
    if (searchPca) j["searched"].push_back("pca_activations");
    j["held_out_samples"] = heldOut;
    return j;
}

int cmdAnalyzePareto(int argc, char** argv) {
    Args args(argc, argv, 1, {"json", "help", "quiet"});
    if (args.has("help") || args.positionals().size() != 1) {
        std::cout << kUsage;
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly({"json", "help", "quiet", "ranks", "rope-dims", "freqfolds", "calib", "samples", "seqlen",
                    "held-out", "seed", "device", "csv", "pca-activations"});
    const fs::path dir = args.positionals()[0];
    convert::ConvertSettings base;
    base.calibration.source = args.get("calib", "gsm8k");
    base.calibration.samples = args.getInt("samples", 128);
    base.calibration.seqLen = args.getInt("seqlen", 256);
    base.calibration.seed = uint64_t(args.getInt("seed", 0));
    base.pcaActivations = convert::parsePcaActivations(args.get("pca-activations", "original"));
    auto list = [&](const char* flag) {
        return args.has(flag) ? parseIntList(flag, *args.get(flag)) : std::vector<int64_t>{};
    };
    const auto candidates =
        convert::gridCandidates(base, list("ranks"), list("rope-dims"), list("freqfolds"));
    CancelToken cancel;
    cancelOnSigint(cancel);
    const Progress progress{stderrProgress(args.has("quiet") || args.has("json")), &cancel};
    const model::Model original = model::Model::load(dir, {args.get("device", "cpu"), "f32"}, progress);
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(dir);
    const auto split =
        convert::splitCalibration(base.calibration, args.getInt("held-out", 16), tokenizer, resources());
    const convert::SearchResult r = convert::searchConversions(original, candidates, split, progress);
    if (auto file = args.get("csv")) {
        AtomicFile f(*file);
        const std::string text = r.csv();
        f.write(text.data(), text.size());
        f.commit();
        if (!args.has("quiet")) std::cerr << "\ncsv: " << *file << "\n";
    }
    if (args.has("json")) {
        std::cout << r.toJson().dump(1) << "\n";
        return 0;
    }
    if (!args.has("quiet")) std::cerr << "\n";
    std::cout << "held-out: " << split.heldOut.size(0) << " x " << split.heldOut.size(1) << " tokens of "
              << base.calibration.source << " after the " << base.calibration.samples
              << " calibration sequences; original model " << std::fixed << std::setprecision(4)
              << r.originalLoss << "\n";
    std::cout << "     r  r_R  FreqFold  PCA activations  KV bytes/token  held-out NLL\n";
    for (const auto& c : r.candidates) {
        std::cout << std::setw(6) << (c.kvLoraRank < 0 ? std::string("full") : std::to_string(c.kvLoraRank))
                  << std::setw(5) << c.qkRopeHeadDim << std::setw(10) << c.freqFold << std::setw(17)
                  << c.pcaActivations;
        if (!c.skipped.empty()) {
            std::cout << "  skipped: " << c.skipped << "\n";
            continue;
        }
        std::cout << std::setw(16) << c.kvBytesPerToken << std::setw(14) << c.heldOutLoss
                  << (c.onFront ? " *" : "") << "\n";
    }
    std::cout << "Pareto front (KV bytes/token -> held-out NLL):";
    for (size_t i : r.front)
        std::cout << " " << r.candidates[i].kvBytesPerToken << " -> " << r.candidates[i].heldOutLoss << " (r "
                  << r.candidates[i].rank << ", r_R " << r.candidates[i].qkRopeHeadDim << ", f "
                  << r.candidates[i].freqFold << ");";
    std::cout << "\n" << std::setprecision(1) << r.seconds << " s\n";
    return 0;
}

} // namespace transmla::cli
