// Experiment (issue 14): where the joint PCA's input Gram comes from (ConvertSettings::pcaActivations,
// convert/pca_activations.h), and how the calibration rows are laid out. Prints the GSM8K test mean NLL
// of each source and of "best" (the source chosen on 16 held-out calibration rows, convert/search.h).
//   exp_pca_activations MODEL_DIR RANKS ROPE_DIM FREQFOLD [LIMIT] [DEVICE] [LAYOUT] [SEED]
// RANKS: comma-separated, -1 = full (one calibration pass for all); LIMIT -1 = the whole test set, 0 =
// none (only the held-out choice of "best");
// DEVICE cpu | cuda. LAYOUT rows (calibrationTokens: leading special tokens, then whole problems from a
// random start joined by a blank line, as the reference TransMLA's loader does) | documents (the layout
// before issue 14, rebuilt here: all problems shuffled, concatenated and cut into rows;
// "best" is then not measured). SEED: the calibration seed.
#include <ATen/ATen.h>
#include <algorithm>
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

at::Tensor documentLayoutRows(const convert::CalibrationSettings& s, const tok::Tokenizer& t,
                              const std::filesystem::path& res) {
    std::vector<std::string> texts = io::loadTexts(io::calibrationFile(s.source, res));
    std::mt19937_64 rng(s.seed);
    std::shuffle(texts.begin(), texts.end(), rng);
    std::vector<int64_t> ids;
    for (size_t i = 0; i < texts.size() && int64_t(ids.size()) < s.samples * s.seqLen; ++i)
        for (int32_t id : t.encode(texts[i], true))
            ids.push_back(id);
    ids.resize(size_t(s.samples * s.seqLen));
    return at::tensor(ids, at::kLong).view({s.samples, s.seqLen});
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
    const std::string layout = argc > 7 ? argv[7] : "rows";
    s.calibration.seed = argc > 8 ? uint64_t(std::atoll(argv[8])) : 0;
    const model::Model original = model::Model::load(dir, {device, "f32"});
    const tok::Tokenizer t = tok::Tokenizer::load(dir);
    const auto split = convert::splitCalibration(s.calibration, 16, t, res);
    const at::Tensor ids =
        (layout == "documents" ? documentLayoutRows(s.calibration, t, res) : split.calibration)
            .to(original.embed.device());
    const auto docs = limit == 0 ? std::vector<eval::Document>{}
                                 : eval::tokenizeGsm8k(t, io::loadGsm8k(gsm8kFile(res, "test"), limit), 512);
    const auto stats = convert::collectLayerStats(original, ids, s);
    std::printf("model %s, r_R %lld, FreqFold %lld, %zu problems, device %s, layout %s, seed %llu\n",
                dir.c_str(), (long long)s.qkRopeHeadDim, (long long)s.freqFold, docs.size(), device.c_str(),
                layout.c_str(), (unsigned long long)s.calibration.seed);
    std::printf("%6s %10s %12s %10s %10s  %s\n", "r", "original", "partial_rope", "sequential", "best",
                "best is");
    for (int64_t r : ranks) {
        s.kvLoraRank = r;
        double nll[3] = {NAN, NAN, NAN};
        for (int i = 0; i < 3 && !docs.empty(); ++i) {
            convert::ConvertSettings c = s;
            c.pcaActivations = convert::kPcaActivationSources[i];
            model::Model m = original;
            convert::convertFromStats(m, c, convert::pcaActivationStats(original, ids, c, stats));
            nll[i] = eval::evaluateLoss(m, docs).meanNll();
        }
        std::string chosen = "-";
        double best = NAN;
        if (layout != "documents") {
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
