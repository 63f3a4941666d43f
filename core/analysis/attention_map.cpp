#include "analysis/attention_map.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "io/datasets.h"
#include "model/forward.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace transmla::analysis {

double AttentionMap::meanEntropy() const {
    if (rowEntropy.empty()) return 0;
    double s = 0;
    for (double e : rowEntropy)
        s += e;
    return s / double(rowEntropy.size());
}

double rowEntropyOf(const double* row, int64_t n) {
    double h = 0;
    for (int64_t j = 0; j < n; ++j)
        if (row[j] > 0) h -= row[j] * std::log(row[j]);
    return h;
}

std::string defaultAttentionPrompt(const std::filesystem::path& gsm8kTestFile) {
    const auto problems = io::loadGsm8k(gsm8kTestFile, 1);
    if (problems.empty()) throw FormatError(gsm8kTestFile.string(), "", "no GSM8K problem in the file");
    return problems.front().text();
}

std::vector<AttentionMap> computeAttentionHeads(const model::Model& m, const tok::Tokenizer& t,
                                                const std::string& prompt, int64_t layer,
                                                const AttentionOptions& options) {
    c10::InferenceMode guard;
    const auto& c = m.config;
    if (layer < 0 || layer >= c.numLayers)
        throw ArgumentError("layer " + std::to_string(layer) + " out of range [0, " +
                            std::to_string(c.numLayers) + ")");
    AttentionMap base;
    base.model = m.dir.string();
    base.form = c.hasMlaCache() ? ModelForm::Mla : ModelForm::Gqa;
    base.prompt = prompt;
    base.layer = layer;
    base.tokenIds = t.encode(prompt, /*addSpecialTokens=*/true);
    base.promptTokens = int64_t(base.tokenIds.size());
    if (base.promptTokens > options.maxTokens)
        base.tokenIds.resize(size_t(std::max<int64_t>(options.maxTokens, 0)));
    if (base.tokenIds.empty()) throw ArgumentError("the prompt has no tokens");
    const int64_t T = base.tokens();
    for (int32_t id : base.tokenIds)
        base.tokenTexts.push_back(t.tokenText(id));

    model::ForwardHooks hooks;
    hooks.probsLayer = layer;
    hooks.lastLayer = layer; // later layers do not change this layer's map
    std::vector<int64_t> ids(base.tokenIds.begin(), base.tokenIds.end());
    model::forwardHidden(m, at::tensor(ids, at::kLong).view({1, T}).to(m.device()), &hooks);
    if (!hooks.probs.defined())
        throw Error("layer " + std::to_string(layer) + " gave no attention probabilities");
    at::Tensor probs = hooks.probs[0].to(at::kCPU, at::kDouble).contiguous(); // {H, T, T}
    const double* p = probs.data_ptr<double>();
    for (int64_t h = 0; h < c.numHeads; ++h) {
        double sum = 0;
        for (int64_t i = 0; i < T; ++i)
            sum += rowEntropyOf(p + (h * T + i) * T, T);
        base.headEntropy.push_back(sum / double(T));
    }
    std::vector<AttentionMap> heads;
    for (int64_t h = 0; h < c.numHeads; ++h) {
        AttentionMap r = base;
        r.head = h;
        r.probs.assign(p + h * T * T, p + (h + 1) * T * T);
        for (int64_t i = 0; i < T; ++i)
            r.rowEntropy.push_back(rowEntropyOf(r.probs.data() + i * T, T));
        heads.push_back(std::move(r));
    }
    return heads;
}

AttentionMap computeAttentionMap(const model::Model& m, const tok::Tokenizer& t, const std::string& prompt,
                                 int64_t layer, int64_t head, const AttentionOptions& options) {
    const auto& c = m.config;
    if (layer < 0 || layer >= c.numLayers)
        throw ArgumentError("layer " + std::to_string(layer) + " out of range [0, " +
                            std::to_string(c.numLayers) + ")");
    if (head < 0 || head >= c.numHeads)
        throw ArgumentError("head " + std::to_string(head) + " out of range [0, " +
                            std::to_string(c.numHeads) + ")");
    return std::move(computeAttentionHeads(m, t, prompt, layer, options)[size_t(head)]);
}

AttentionComparison compareAttention(const AttentionMap& a, const AttentionMap& b) {
    if (a.layer != b.layer || a.head != b.head || a.tokenIds != b.tokenIds)
        throw ArgumentError("attention maps differ in layer, head or tokens: nothing to compare");
    const int64_t T = a.tokens();
    if (int64_t(a.probs.size()) != T * T || int64_t(b.probs.size()) != T * T)
        throw ArgumentError("attention map holds " + std::to_string(a.probs.size()) +
                            " probabilities, not T*T");
    AttentionComparison c;
    c.layer = a.layer;
    c.head = a.head;
    c.tokens = T;
    c.difference.resize(size_t(T * T));
    // A zero in b where a has mass makes KL infinite; the floor keeps it finite and large instead.
    constexpr double kFloor = std::numeric_limits<double>::min();
    for (int64_t i = 0; i < T; ++i) {
        double kl = 0;
        for (int64_t j = 0; j < T; ++j) {
            const size_t k = size_t(i * T + j);
            const double pa = a.probs[k], pb = b.probs[k];
            c.difference[k] = pb - pa;
            c.maxAbsDifference = std::max(c.maxAbsDifference, std::abs(pb - pa));
            // Generalised KL term: >= 0 for any pa, pb > 0, so rounding cannot push the sum below 0.
            if (pa > 0) kl += std::max(0.0, pa * (std::log(pa) - std::log(std::max(pb, kFloor))) - pa + pb);
        }
        c.klPerRow.push_back(kl);
        c.meanKl += kl;
    }
    if (T) c.meanKl /= double(T);
    return c;
}

} // namespace transmla::analysis
