// Experiment (issue 14, FreqFold-2 r = 16 gap): the joint PCA's input Gram from the original model's
// hidden states (ours) vs from the full-rank partial-RoPE model's (as the reference TransMLA
// calibrates its low-rank step: "rope-removed model's qkv outputs"). RoRoPE keeps the original
// model's key statistics in both. Prints the GSM8K test mean NLL of each.
//   exp_pca_activations MODEL_DIR RANK ROPE_DIM FREQFOLD [LIMIT]
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <cstdio>

#include "convert/calibration.h"
#include "convert/pipeline.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "model/forward.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/resources.h"

using namespace transmla;

int main(int argc, char** argv) {
    if (argc < 5) return 1;
    c10::InferenceMode guard;
    const std::filesystem::path dir = argv[1], res = TRANSMLA_RESOURCES_DIR;
    convert::ConvertSettings s;
    s.kvLoraRank = std::atoll(argv[2]);
    s.qkRopeHeadDim = std::atoll(argv[3]);
    s.freqFold = std::atoll(argv[4]);
    const int64_t limit = argc > 5 ? std::atoll(argv[5]) : -1;
    const model::Model original = model::Model::load(dir, {"cpu", "f32"});
    const tok::Tokenizer t = tok::Tokenizer::load(dir);
    const at::Tensor ids = convert::calibrationTokens(s.calibration, t, res);
    const auto docs = eval::tokenizeGsm8k(t, io::loadGsm8k(gsm8kFile(res, "test"), limit), 512);
    const auto statsA = convert::collectLayerStats(original, ids, s);
    model::Model ours = original;
    convert::convertFromStats(ours, s, statsA);
    std::printf("ours (PCA on original activations): %.4f\n", eval::evaluateLoss(ours, docs).meanNll());
    std::fflush(stdout);
    model::Model full = original;
    convert::convertFromStats(full, convert::fullRankSettings(s), statsA);
    std::vector<convert::LayerStats> mixed = statsA;
    const int64_t D = original.config.hiddenSize;
    auto f64 = at::TensorOptions().dtype(at::kDouble);
    for (int64_t l = 0; l < original.config.numLayers; ++l)
        mixed[size_t(l)].xGram = at::zeros({D + 1, D + 1}, f64);
    for (int64_t b = 0; b < ids.size(0); b += 16) {
        at::Tensor h = model::embedTokens(full, ids.narrow(0, b, std::min<int64_t>(16, ids.size(0) - b)));
        for (int64_t l = 0; l < original.config.numLayers; ++l) {
            at::Tensor x = model::inputNorm(full, l, h).reshape({-1, D}).to(at::kDouble);
            at::Tensor xa = at::cat({x, at::ones({x.size(0), 1}, f64)}, 1);
            mixed[size_t(l)].xGram.addmm_(xa.t(), xa);
            h = model::runLayer(full, l, h);
        }
    }
    for (auto& st : mixed)
        st.xGram /= double(ids.numel());
    model::Model ref = original;
    convert::convertFromStats(ref, s, mixed);
    std::printf("PCA on the full-rank partial-RoPE model's activations: %.4f\n",
                eval::evaluateLoss(ref, docs).meanNll());
    return 0;
}
