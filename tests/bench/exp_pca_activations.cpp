// Experiment (issue 14, FreqFold-2 r = 16 gap): where the joint PCA's input Gram comes from.
//   original:   the original model's hidden states (what the pipeline does);
//   partial:    the full-rank partial-RoPE model's hidden states (as the reference TransMLA calibrates its
//               low-rank step: "rope-removed model's qkv outputs");
//   sequential: layer l's Gram from the hidden states of the model whose layers < l are already
//               converted at the target rank (the error of earlier layers is what layer l will see).
// RoRoPE keeps the original model's key statistics in all three. Prints the GSM8K test mean NLL of each.
//   exp_pca_activations MODEL_DIR RANKS ROPE_DIM FREQFOLD [LIMIT] [DEVICE]
// RANKS: comma-separated (one calibration pass for all); LIMIT -1 = the whole test set; DEVICE cpu | cuda.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <cstdio>
#include <sstream>

#include "convert/calibration.h"
#include "convert/pipeline.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "model/forward.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/resources.h"

using namespace transmla;

namespace {

// xGram of every layer from the hidden states of `m` (layers < `upTo` matter for layer `upTo`).
void gramsFrom(const model::Model& m, const at::Tensor& ids, std::vector<convert::LayerStats>& stats,
               int64_t firstLayer, int64_t lastLayer) {
    const int64_t D = m.config.hiddenSize;
    for (int64_t l = firstLayer; l <= lastLayer; ++l)
        stats[size_t(l)].xGram = at::zeros({D + 1, D + 1}, m.embed.options().dtype(at::kDouble));
    for (int64_t b = 0; b < ids.size(0); b += 16) {
        at::Tensor h = model::embedTokens(m, ids.narrow(0, b, std::min<int64_t>(16, ids.size(0) - b)));
        for (int64_t l = 0; l <= lastLayer; ++l) {
            if (l >= firstLayer) {
                at::Tensor x = model::inputNorm(m, l, h).reshape({-1, D}).to(at::kDouble);
                at::Tensor xa = at::cat({x, at::ones({x.size(0), 1}, x.options())}, 1);
                stats[size_t(l)].xGram.addmm_(xa.t(), xa);
            }
            if (l < lastLayer) h = model::runLayer(m, l, h);
        }
    }
    for (int64_t l = firstLayer; l <= lastLayer; ++l)
        stats[size_t(l)].xGram /= double(ids.numel());
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
    const model::Model original = model::Model::load(dir, {device, "f32"});
    const tok::Tokenizer t = tok::Tokenizer::load(dir);
    const at::Tensor ids = convert::calibrationTokens(s.calibration, t, res).to(original.embed.device());
    const auto docs = eval::tokenizeGsm8k(t, io::loadGsm8k(gsm8kFile(res, "test"), limit), 512);
    const int64_t L = original.config.numLayers;
    s.kvLoraRank = ranks.front();
    const auto statsA = convert::collectLayerStats(original, ids, s);
    model::Model full = original;
    convert::convertFromStats(full, convert::fullRankSettings(s), statsA);
    std::vector<convert::LayerStats> partial = statsA;
    gramsFrom(full, ids, partial, 0, L - 1);
    std::printf("model %s, r_R %lld, FreqFold %lld, %zu problems, device %s\n", dir.c_str(),
                (long long)s.qkRopeHeadDim, (long long)s.freqFold, docs.size(), device.c_str());
    std::printf("%6s %10s %10s %10s\n", "r", "original", "partial", "sequential");
    for (int64_t r : ranks) {
        s.kvLoraRank = r;
        model::Model ours = original;
        convert::convertFromStats(ours, s, statsA);
        const double a = eval::evaluateLoss(ours, docs).meanNll();
        model::Model ref = original;
        convert::convertFromStats(ref, s, partial);
        const double b = eval::evaluateLoss(ref, docs).meanNll();
        // Sequential: layer l's Gram from the model converted (at rank r, with the Grams found so far)
        // in layers < l; layers >= l of that model are not used for layer l's Gram.
        std::vector<convert::LayerStats> seq = statsA;
        for (int64_t l = 1; l < L; ++l) {
            model::Model sofar = original;
            convert::convertFromStats(sofar, s, seq);
            gramsFrom(sofar, ids, seq, l, l);
        }
        model::Model sq = original;
        convert::convertFromStats(sq, s, seq);
        const double c = eval::evaluateLoss(sq, docs).meanNll();
        std::printf("%6lld %10.4f %10.4f %10.4f\n", (long long)r, a, b, c);
        std::fflush(stdout);
    }
    return 0;
}
