// Computing the spectra of spectrum.h. Exact routines in fp64:
//   weights      s = svdvals(W_h), W_h = rows h*d..(h+1)*d of k_proj / v_proj: {d, D}
//   activations  X = the {N, g*d} stack of a layer's K (pre/post RoPE) or V over N calibration tokens.
//                Only the uncentered Gram G = X^T X {g*d, g*d} is accumulated (fp64, on the model's
//                device, streaming batch by batch), never X itself; s = sqrt(eigvalsh(G)).
//                Head h's Gram is G's diagonal block h; the joint spectrum (kAllHeads) is G's.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "analysis/spectrum.h"
#include "util/progress.h"
#include "util/stage_clock.h"

namespace transmla::model {
class Model;
}
namespace transmla::tok {
class Tokenizer;
}

namespace transmla::analysis {

// Singular values of a 2-D matrix (any dtype/device), computed in fp64, descending.
std::vector<double> singularValues(const at::Tensor& matrix);
// sqrt of the eigenvalues of a symmetric PSD Gram matrix (fp64), descending; round-off negatives -> 0.
std::vector<double> singularValuesFromGram(const at::Tensor& gram);

// weight_k / weight_v for every GQA layer, each kv head and all heads together.
std::vector<Spectrum> weightSpectra(const model::Model& m);

// Packs the texts' tokens (each encoded as the evaluation does, back to back) into `samples`
// sequences of exactly `seqLen` tokens. Throws ArgumentError when the texts are too short.
std::vector<std::vector<int64_t>> calibrationSequences(const tok::Tokenizer& t,
                                                       const std::vector<std::string>& texts, int64_t samples,
                                                       int64_t seqLen);

// k_pre_rope / k_post_rope / v for every GQA layer from the sequences (all of equal length).
// batchTokens bounds the tokens of one forward. Progress in sequences; cancellable.
std::vector<Spectrum> activationSpectra(const model::Model& m,
                                        const std::vector<std::vector<int64_t>>& sequences,
                                        int64_t batchTokens = 8192, const Progress& progress = {});

struct SpectraOptions {
    int64_t samples = 64; // calibration sequences
    int64_t seqLen = 256; // tokens each
    bool activations = true;
    int64_t batchTokens = 8192;
};

// Both kinds; texts are the calibration texts (GSM8K train in the CLI), named by dataName.
SpectraResult computeSpectra(const model::Model& m, const tok::Tokenizer& t,
                             const std::vector<std::string>& texts, const std::string& dataName,
                             const SpectraOptions& options = {}, const Progress& progress = {},
                             std::vector<StageSeconds>* stages = nullptr); // + "spectra: weights|activations"

} // namespace transmla::analysis
