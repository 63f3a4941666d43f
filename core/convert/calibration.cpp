#include "convert/calibration.h"

#include <algorithm>
#include <chrono>
#include <random>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "io/datasets.h"
#include "model/block.h"
#include "model/forward.h"
#include "model/modules.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla::convert {

at::Tensor calibrationTokens(const CalibrationSettings& s, const tok::Tokenizer& tokenizer,
                             const fs::path& resources) {
    const fs::path file = io::calibrationFile(s.source, resources);
    io::checkTextFile(file);
    std::vector<std::string> texts = io::loadTexts(file);
    std::mt19937_64 rng(s.seed);
    std::vector<int64_t> ids;
    int64_t rows = 0;
    // Each row like a prompt: the tokenizer's leading special tokens (a BOS where it adds one), then
    // whole texts from a random start, in file order, joined by a blank line. Rows cut from the
    // concatenation of shuffled texts started mid-text (position 0, the attention sink, on an arbitrary
    // token), glued texts with no separator and, with a BOS-adding tokenizer, had BOS tokens mid-row:
    // none of that occurs in use, and it cost up to 0.07 GSM8K NLL (BENCHMARKS.md, issue 14).
    while (rows < s.samples && !texts.empty()) {
        const size_t start = std::uniform_int_distribution<size_t>(0, texts.size() - 1)(rng);
        size_t end = start;
        std::string joined;
        while (end < texts.size() && int64_t(tokenizer.encode(joined, false).size()) < s.seqLen)
            joined += (joined.empty() ? "" : "\n\n") + texts[end++];
        texts.erase(texts.begin() + std::ptrdiff_t(start), texts.begin() + std::ptrdiff_t(end));
        const std::vector<int32_t> row = tokenizer.encode(joined, true);
        if (int64_t(row.size()) < s.seqLen) continue; // the file ended first: these texts are dropped
        ids.insert(ids.end(), row.begin(), row.begin() + s.seqLen);
        ++rows;
    }
    if (rows < s.samples) {
        // Too few texts for whole-text rows (a FILE of a few long paragraphs): cut the file, its texts
        // in order joined by a blank line, into consecutive rows instead, each after the leading special
        // tokens, so that a long document still calibrates. Prefix-consistent like the rows above.
        const std::vector<std::string> all = io::loadTexts(file);
        std::string joined;
        for (const auto& t : all)
            joined += (joined.empty() ? "" : "\n\n") + t;
        const std::vector<int32_t> lead = tokenizer.encode("", true), body = tokenizer.encode(joined, false);
        const int64_t per = s.seqLen - int64_t(lead.size());
        if (per < 1 || int64_t(body.size()) < s.samples * per)
            throw ArgumentError(file.string() + ": " + std::to_string(body.size()) +
                                " tokens, calibration needs " +
                                std::to_string(s.samples * std::max<int64_t>(per, 1)) +
                                " (calibration_samples x calibration_seqlen)");
        ids.clear();
        for (int64_t r = 0; r < s.samples; ++r) {
            ids.insert(ids.end(), lead.begin(), lead.end());
            ids.insert(ids.end(), body.begin() + r * per, body.begin() + (r + 1) * per);
        }
    }
    return at::tensor(ids, at::kLong).view({s.samples, s.seqLen});
}

std::pair<at::Tensor, at::Tensor> keyPlanes(const at::Tensor& k) {
    const int64_t g = k.size(-2), d = k.size(-1), half = d / 2;
    auto lead = k.sizes().vec();
    lead.resize(lead.size() - 2);
    lead.push_back(g * half);
    return {k.narrow(-1, 0, half).reshape(lead), k.narrow(-1, half, half).reshape(lead)};
}

at::Tensor pcaInputRows(const model::Model& m, int64_t layer, const at::Tensor& x, at::Tensor keys) {
    const auto& c = m.config;
    const int64_t gd = c.numKvHeads * c.headDim, rows = x.size(0) * x.size(1);
    const auto& attn = m.layers[size_t(layer)].gqa;
    // q/k-norm layers: the latent is a linear map of u = [normed keys; values], not of x (qk_norm.h).
    at::Tensor in = x.reshape({rows, c.hiddenSize});
    if (attn.kNorm.defined()) {
        if (!keys.defined()) keys = model::preRopeKeys(m, layer, x);
        in = at::cat({keys.reshape({rows, gd}), model::linear(x, attn.v).reshape({rows, gd})}, 1);
    }
    in = in.to(at::kDouble);
    return at::cat({in, at::ones({rows, 1}, in.options())}, 1);
}

void streamLayerStats(const model::Model& m, const at::Tensor& ids, int64_t microBatch,
                      const std::function<void(int64_t, const LayerStats&)>& onLayer,
                      const Progress& progress, const std::function<void(int64_t)>& beforeLayer,
                      double* seconds, bool preRopeKeys) {
    c10::InferenceMode guard;
    const auto& c = m.config;
    const int64_t N = ids.size(0), T = ids.size(1), D = c.hiddenSize, g = c.numKvHeads, d = c.headDim;
    const at::Device dev = m.device();
    auto f64 = at::TensorOptions().dtype(at::kDouble).device(dev);
    model::checkTokenIds(m, ids, "the calibration text");
    std::vector<at::Tensor> hidden;
    for (int64_t s = 0; s < N; s += microBatch)
        hidden.push_back(model::embedTokens(m, ids.narrow(0, s, std::min(microBatch, N - s)).to(dev)));
    for (int64_t layer = 0; layer < c.numLayers; ++layer) {
        progress(layer, c.numLayers, "calibrate");
        if (beforeLayer) beforeLayer(layer);
        const auto t0 = std::chrono::steady_clock::now();
        LayerStats st;
        const auto& attn = m.layers[size_t(layer)].gqa;
        // q/k-norm layers: the latent is a linear map of u = [normed keys; values], not of x (qk_norm.h).
        const bool normed = attn.kNorm.defined();
        const int64_t U = normed ? 2 * g * d : D;
        st.xGram = at::zeros({U + 1, U + 1}, f64);
        st.keyGram = at::zeros({g * d / 2, g * d / 2}, f64);
        const model::RopeTables rope = model::layerRopeTables(c, layer, T, dev);
        for (auto& h : hidden) {
            progress.checkCancel(); // per micro-batch: a cancel ends within one forward, not one layer
            at::Tensor x = model::inputNorm(m, layer, h); // [b, T, D]
            // Keys before RoPE (the k_proj outputs, normalised where the family has k_norm): within one
            // frequency the Gram is the same either way, but across the f frequencies FreqFold mixes, the
            // position-dependent rotation would average the cross-covariances away (TransMLA uses the
            // pre-RoPE keys too).
            at::Tensor k = model::preRopeKeys(m, layer, x); // [b, T, g, d]
            const at::Tensor xa = pcaInputRows(m, layer, x, k);
            st.xGram.addmm_(xa.t(), xa);
            if (!preRopeKeys) k = model::applyRope(k, rope);
            auto [X, Y] = keyPlanes(k.to(at::kDouble).reshape({-1, g, d}));
            st.keyGram.addmm_(X.t(), X).addmm_(Y.t(), Y);
            st.tokens += x.size(0) * T;
            h = model::runLayer(m, layer, h); // advance through the original layer
        }
        st.xGram /= double(st.tokens);
        st.keyGram /= double(st.tokens);
        if (seconds) { // the stream runs in order: reading one value back waits for all of this layer's work
            st.keyGram.sum().item<double>();
            *seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        onLayer(layer, st);
    }
    progress(c.numLayers, c.numLayers, "calibrate");
}

} // namespace transmla::convert
