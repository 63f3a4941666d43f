// Helpers of the core tests that run models on reference ids (they need ATen, so they are not in
// testutil.h, which the views' tests include too).
#pragma once
#include <ATen/ATen.h>

#include "convert/calibration.h"
#include "io/safetensors.h"
#include "model/forward.h"
#include "model/kv_cache.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"

namespace transmla::test {

// The token ids transformers' reference logits were computed on (DIR/reference/logits_fp32.safetensors).
inline at::Tensor referenceIds(const std::filesystem::path& dir) {
    return io::SafetensorsFile(dir / "reference" / "logits_fp32.safetensors").view("input_ids").clone();
}

// Calibration ids from the bundled GSM8K train text, with the model's tokenizer.
inline at::Tensor calibIds(const std::filesystem::path& dir, int64_t samples, int64_t seqLen) {
    convert::CalibrationSettings s;
    s.samples = samples;
    s.seqLen = seqLen;
    return convert::calibrationTokens(s, tok::Tokenizer::load(dir), resourcesDir());
}

inline double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

// Logits of ids through the KV cache: the first half as one prompt, then the rest token by token.
inline at::Tensor cachedLogits(const model::Model& m, const at::Tensor& ids, model::KvCache& cache) {
    const int64_t half = ids.size(1) / 2;
    std::vector<at::Tensor> parts{model::forwardCached(m, ids.narrow(1, 0, half), cache)};
    for (int64_t t = half; t < ids.size(1); ++t)
        parts.push_back(model::forwardCached(m, ids.narrow(1, t, 1), cache));
    return at::cat(parts, 1);
}

} // namespace transmla::test
