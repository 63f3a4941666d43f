#include "analysis/spectra.h"

#include <algorithm>
#include <array>
#include <utility>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/forward.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace transmla::analysis {

namespace {

std::vector<double> toDescending(const at::Tensor& values) {
    at::Tensor v = values.to(at::kCPU, at::kDouble).contiguous();
    std::vector<double> out(v.data_ptr<double>(), v.data_ptr<double>() + v.numel());
    std::sort(out.begin(), out.end(), std::greater<double>());
    return out;
}

bool isGqaLayer(const model::Model& m, size_t l) {
    return !m.layers[l].mla && m.layers[l].gqa.k.defined();
}

// Per head blocks of a {g*d, ...} matrix plus the whole of it, as spectra.
template <typename Fn> void perHead(int64_t g, int64_t d, Fn&& emit) {
    for (int64_t h = 0; h < g; ++h)
        emit(h, h * d, d);
    emit(kAllHeads, int64_t(0), g * d);
}

// Singular values from a {g*d, g*d} Gram matrix on its (CUDA) device: sqrt of its eigenvalues, per
// head block and for the whole, as perHead emits them (index g: the whole). On a GPU this replaces
// the CPU's LAPACK work per matrix (~40 s for a Llama-3-8B's K/V weights and activations, most of
// a first conversion): the Gram's eigenvalues are the squared singular values, and fp64 keeps their
// relative error near eps * (s_max / s)^2, far below what a plot shows. `keep`: how many values
// the SVD of the matrix behind the Gram has (min of its sides).
std::vector<std::vector<double>> gramSpectraOnDevice(const at::Tensor& gram, int64_t g, int64_t d,
                                                     int64_t keep) {
    const at::Tensor G = (gram + gram.transpose(0, 1)) * 0.5; // symmetric up to round-off
    std::vector<at::Tensor> blocks;
    for (int64_t h = 0; h < g; ++h)
        blocks.push_back(G.narrow(0, h * d, d).narrow(1, h * d, d));
    const at::Tensor perHeadValues = at::sqrt(at::clamp_min(at::linalg_eigvalsh(at::stack(blocks)), 0.0));
    const at::Tensor allValues = at::sqrt(at::clamp_min(at::linalg_eigvalsh(G), 0.0));
    std::vector<std::vector<double>> out;
    for (int64_t h = 0; h < g; ++h) {
        out.push_back(toDescending(perHeadValues[h]));
        out.back().resize(size_t(std::min(d, keep)));
    }
    out.push_back(toDescending(allValues));
    out.back().resize(size_t(std::min(g * d, keep)));
    return out;
}

} // namespace

std::vector<double> singularValues(const at::Tensor& matrix) {
    if (matrix.dim() != 2) throw ArgumentError("singularValues: expected a 2-D matrix");
    if (matrix.numel() == 0) return {};
    // Per-head blocks are small ({d, D}): the CPU's LAPACK is faster than a GPU round trip.
    return toDescending(at::linalg_svdvals(matrix.detach().to(at::kCPU, at::kDouble)));
}

std::vector<double> singularValuesFromGram(const at::Tensor& gram) {
    if (gram.dim() != 2 || gram.size(0) != gram.size(1)) throw ArgumentError("Gram matrix must be square");
    at::Tensor g = gram.detach().to(at::kCPU, at::kDouble);
    g = (g + g.transpose(0, 1)) * 0.5; // symmetric up to the round-off of the streaming sums
    return toDescending(at::sqrt(at::clamp_min(at::linalg_eigvalsh(g), 0.0)));
}

std::vector<Spectrum> weightSpectra(const model::Model& m) {
    c10::InferenceMode guard;
    const int64_t g = m.config.numKvHeads, d = m.config.headDim;
    std::vector<Spectrum> out;
    for (size_t l = 0; l < m.layers.size(); ++l) {
        if (!isGqaLayer(m, l)) continue;
        const auto& a = m.layers[l].gqa;
        const std::pair<SpectrumSource, at::Tensor> weights[2] = {{SpectrumSource::WeightK, a.k.weight},
                                                                  {SpectrumSource::WeightV, a.v.weight}};
        for (const auto& [src, w] : weights) {
            const SpectrumSource source = src;
            if (w.is_cuda()) {
                const at::Tensor w64 = w.to(at::kDouble); // {g*d, D}
                const auto values =
                    gramSpectraOnDevice(at::matmul(w64, w64.transpose(0, 1)), g, d, w.size(1));
                perHead(g, d, [&](int64_t head, int64_t, int64_t) {
                    out.push_back({source, int64_t(l), head, values[size_t(head == kAllHeads ? g : head)]});
                });
                continue;
            }
            at::Tensor w64 = w.to(at::kCPU, at::kDouble); // {g*d, D}
            perHead(g, d, [&](int64_t head, int64_t row, int64_t rows) {
                out.push_back({source, int64_t(l), head, singularValues(w64.narrow(0, row, rows))});
            });
        }
    }
    return out;
}

std::vector<std::vector<int64_t>> calibrationSequences(const tok::Tokenizer& t,
                                                       const std::vector<std::string>& texts, int64_t samples,
                                                       int64_t seqLen) {
    if (samples <= 0 || seqLen <= 0) throw ArgumentError("calibration needs samples > 0 and seqlen > 0");
    std::vector<std::vector<int64_t>> seqs;
    std::vector<int64_t> cur;
    for (const auto& text : texts) {
        for (int32_t id : t.encode(text, /*addSpecialTokens=*/true)) {
            cur.push_back(id);
            if (int64_t(cur.size()) == seqLen) {
                seqs.push_back(std::move(cur));
                cur.clear();
                if (int64_t(seqs.size()) == samples) return seqs;
            }
        }
    }
    throw ArgumentError("calibration texts give only " + std::to_string(seqs.size()) + " sequences of " +
                        std::to_string(seqLen) + " tokens, " + std::to_string(samples) + " requested");
}

std::vector<Spectrum> activationSpectra(const model::Model& m,
                                        const std::vector<std::vector<int64_t>>& sequences,
                                        int64_t batchTokens, const Progress& progress) {
    c10::InferenceMode guard;
    if (sequences.empty()) throw ArgumentError("activation spectra need at least one calibration sequence");
    const int64_t T = int64_t(sequences.front().size());
    for (const auto& s : sequences)
        if (int64_t(s.size()) != T || T == 0)
            throw ArgumentError("calibration sequences must share one length > 0");
    const int64_t L = m.config.numLayers, g = m.config.numKvHeads, d = m.config.headDim, gd = g * d;
    const auto f64 = at::TensorOptions().dtype(at::kDouble).device(m.device());
    // grams[layer][source]: {g*d, g*d} uncentered Gram of K pre-RoPE, K post-RoPE, V.
    std::vector<std::array<at::Tensor, 3>> grams(static_cast<size_t>(L));
    for (size_t l = 0; l < size_t(L); ++l)
        if (isGqaLayer(m, l))
            for (auto& gr : grams[l])
                gr = at::zeros({gd, gd}, f64);
    model::ForwardHooks hooks;
    hooks.onKv = [&](int64_t layer, const at::Tensor& kPre, const at::Tensor& kPost, const at::Tensor& v) {
        const at::Tensor* xs[3] = {&kPre, &kPost, &v};
        for (int i = 0; i < 3; ++i) {
            at::Tensor x = xs[i]->reshape({-1, gd}).to(at::kDouble); // {B*T, g*d}
            grams[size_t(layer)][size_t(i)].addmm_(x.transpose(0, 1), x);
        }
    };
    const int64_t B = std::max<int64_t>(1, batchTokens / T), n = int64_t(sequences.size());
    for (int64_t s = 0; s < n; s += B) {
        progress(s, n, "activation spectra");
        const int64_t b = std::min(B, n - s);
        std::vector<int64_t> ids;
        ids.reserve(size_t(b * T));
        for (int64_t i = s; i < s + b; ++i)
            ids.insert(ids.end(), sequences[size_t(i)].begin(), sequences[size_t(i)].end());
        model::forwardHidden(m, at::tensor(ids, at::kLong).view({b, T}).to(m.device()), &hooks);
    }
    progress(n, n, "activation spectra");
    const SpectrumSource sources[3] = {SpectrumSource::KPreRope, SpectrumSource::KPostRope,
                                       SpectrumSource::V};
    std::vector<Spectrum> out;
    for (size_t l = 0; l < size_t(L); ++l) {
        if (!grams[l][0].defined()) continue;
        for (int i = 0; i < 3; ++i) {
            if (grams[l][size_t(i)].is_cuda()) {
                const auto values = gramSpectraOnDevice(grams[l][size_t(i)], g, d, gd);
                perHead(g, d, [&](int64_t head, int64_t, int64_t) {
                    out.push_back(
                        {sources[i], int64_t(l), head, values[size_t(head == kAllHeads ? g : head)]});
                });
                continue;
            }
            at::Tensor G = grams[l][size_t(i)].cpu();
            perHead(g, d, [&](int64_t head, int64_t off, int64_t size) {
                out.push_back({sources[i], int64_t(l), head,
                               singularValuesFromGram(G.narrow(0, off, size).narrow(1, off, size))});
            });
        }
    }
    return out;
}

SpectraResult computeSpectra(const model::Model& m, const tok::Tokenizer& t,
                             const std::vector<std::string>& texts, const std::string& dataName,
                             const SpectraOptions& options, const Progress& progress,
                             std::vector<StageSeconds>* stages) {
    bool anyGqa = false;
    for (size_t l = 0; l < m.layers.size(); ++l)
        anyGqa = anyGqa || isGqaLayer(m, l);
    if (!anyGqa) throw ArgumentError(m.dir.string() + ": no GQA attention layer to analyse (already MLA?)");
    SpectraResult r;
    r.model = m.dir.string();
    StageClock clock;
    std::vector<StageSeconds> ignored;
    r.spectra = weightSpectra(m);
    clock.lap("spectra: weights", stages ? *stages : ignored);
    if (options.activations) {
        const auto seqs = calibrationSequences(t, texts, options.samples, options.seqLen);
        auto act = activationSpectra(m, seqs, options.batchTokens, progress);
        r.spectra.insert(r.spectra.end(), act.begin(), act.end());
        r.samples = options.samples;
        r.seqLen = options.seqLen;
        r.calibrationData = dataName;
        clock.lap("spectra: activations", stages ? *stages : ignored);
    }
    return r;
}

} // namespace transmla::analysis
