// Experiment (issue 14): where the joint PCA's input Gram comes from (ConvertSettings::pcaActivations,
// convert/pca_activations.h), and how the calibration rows are laid out. Prints the GSM8K test mean NLL
// of each source and of "best" (the source chosen on 16 held-out calibration rows, convert/search.h).
//   exp_pca_activations MODEL_DIR RANKS ROPE_DIM FREQFOLD [LIMIT] [DEVICE] [LAYOUT] [SEED]
// RANKS: comma-separated, -1 = full (one calibration pass for all); LIMIT -1 = the whole test set;
// DEVICE cpu | cuda. LAYOUT ours (calibrationTokens: shuffled problems, each with its BOS, concatenated)
// | reference (as the reference TransMLA's loader: runs of consecutive problems from a random start,
// joined by a blank line, one BOS at the start of each row; "best" is then not measured).
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <cstdio>
#include <random>
#include <sstream>

#include "convert/calibration.h"
#include "convert/pca_activations.h"
#include "convert/pipeline.h"
#include "convert/search.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/resources.h"

using namespace transmla;

namespace {

at::Tensor referenceLayoutRows(const convert::CalibrationSettings& s, const tok::Tokenizer& t,
                               const std::filesystem::path& res) {
    std::vector<std::string> texts = io::loadTexts(io::calibrationFile(s.source, res));
    std::mt19937_64 rng(s.seed);
    std::vector<int64_t> ids;
    for (int64_t row = 0; row < s.samples && !texts.empty(); ++row) {
        size_t start = std::uniform_int_distribution<size_t>(0, texts.size() - 1)(rng), end = start;
        std::string joined;
        while (end < texts.size() && int64_t(t.encode(joined, false).size()) < s.seqLen)
            joined += (joined.empty() ? "" : "\n\n") + texts[end++];
        texts.erase(texts.begin() + std::ptrdiff_t(start), texts.begin() + std::ptrdiff_t(end));
        std::vector<int32_t> enc = t.encode(joined, true);
        if (int64_t(enc.size()) < s.seqLen) {
            --row;
            continue;
        }
        ids.insert(ids.end(), enc.begin(), enc.begin() + s.seqLen);
    }
    return at::tensor(ids, at::kLong).view({-1, s.seqLen});
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5) return 1;
    c10::InferenceMode guard;
    const std::filesystem::path dir = argv[1], res = TRANSMLA_RESOURCES_DIR;
    std::vector<int64_t> ranks;
    std::stringstream rs(argv[2]);
    for (std::string r; std::getline(rs, r, ',');)
        ranks.push_back(std::atoll(r.c_str()));
    convert::ConvertSettings s;
    s.qkRopeHeadDim = std::atoll(argv[3]);
    s.freqFold = std::atoll(argv[4]);
    const int64_t limit = argc > 5 ? std::atoll(argv[5]) : -1;
    const std::string device = argc > 6 ? argv[6] : "cpu";
    const std::string layout = argc > 7 ? argv[7] : "ours";
    s.calibration.seed = argc > 8 ? uint64_t(std::atoll(argv[8])) : 0;
    const model::Model original = model::Model::load(dir, {device, "f32"});
    const tok::Tokenizer t = tok::Tokenizer::load(dir);
    const auto split = convert::splitCalibration(s.calibration, 16, t, res);
    const at::Tensor ids =
        (layout == "reference" ? referenceLayoutRows(s.calibration, t, res) : split.calibration)
            .to(original.embed.device());
    const auto docs = eval::tokenizeGsm8k(t, io::loadGsm8k(gsm8kFile(res, "test"), limit), 512);
    const auto stats = convert::collectLayerStats(original, ids, s);
    std::printf("model %s, r_R %lld, FreqFold %lld, %zu problems, device %s, layout %s, seed %llu\n",
                dir.c_str(), (long long)s.qkRopeHeadDim, (long long)s.freqFold, docs.size(), device.c_str(),
                layout.c_str(), (unsigned long long)s.calibration.seed);
    std::printf("%6s %10s %12s %10s %10s  %s\n", "r", "original", "partial_rope", "sequential", "best",
                "best is");
    for (int64_t r : ranks) {
        s.kvLoraRank = r;
        double nll[3];
        for (int i = 0; i < 3; ++i) {
            convert::ConvertSettings c = s;
            c.pcaActivations = convert::kPcaActivationSources[i];
            model::Model m = original;
            convert::convertFromStats(m, c, convert::pcaActivationStats(original, ids, c, stats));
            nll[i] = eval::evaluateLoss(m, docs).meanNll();
        }
        std::string chosen = "-";
        double best = NAN;
        if (layout != "reference") {
            convert::ConvertSettings b = s;
            b.pcaActivations = convert::PcaActivations::Best;
            const auto found = convert::searchConversions(
                original, convert::autoCandidates(b, original.config, false, false), split);
            const size_t k = found.best();
            chosen = found.candidates[k].pcaActivations;
            best = nll[k];
        }
        std::printf("%6lld %10.4f %12.4f %10.4f %10.4f  %s\n", (long long)r, nll[0], nll[1], nll[2], best,
                    chosen.c_str());
        std::fflush(stdout);
    }
    return 0;
}
