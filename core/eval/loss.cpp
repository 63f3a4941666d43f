#include "eval/loss.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "io/datasets.h"
#include "model/forward.h"
#include "tokenizer/tokenizer.h"

namespace transmla::eval {

double LossResult::perplexity() const {
    return std::exp(meanNll());
}

nlohmann::json LossResult::toJson(bool withPerDoc) const {
    nlohmann::json j = {{"documents", documents},
                        {"tokens", tokens},
                        {"nll_sum", nllSum},
                        {"mean_nll", meanNll()},
                        {"ppl", perplexity()},
                        {"answer_tokens", answerTokens},
                        {"answer_mean_nll", answerMeanNll()},
                        {"seconds", seconds},
                        {"tokens_per_second", tokensPerSecond()}};
    if (withPerDoc) {
        j["per_doc"] = nlohmann::json::array();
        for (const auto& d : perDoc)
            j["per_doc"].push_back({{"nll_sum", d.nllSum},
                                    {"tokens", d.tokens},
                                    {"answer_nll_sum", d.answerNllSum},
                                    {"answer_tokens", d.answerTokens}});
    }
    return j;
}

std::vector<Document> tokenizeGsm8k(const tok::Tokenizer& t, const std::vector<io::Gsm8kProblem>& problems,
                                    int64_t maxTokens) {
    std::vector<Document> docs;
    docs.reserve(problems.size());
    for (const auto& p : problems) {
        Document d;
        for (int32_t id : t.encode(p.text(), /*addSpecialTokens=*/true))
            d.ids.push_back(id);
        if (int64_t(d.ids.size()) > maxTokens) d.ids.resize(size_t(maxTokens));
        d.answerStart = std::min<int64_t>(int64_t(t.encode(p.prompt(), true).size()), int64_t(d.ids.size()));
        docs.push_back(std::move(d));
    }
    return docs;
}

std::vector<Document> tokenizeChunks(const tok::Tokenizer& t, const std::vector<std::string>& texts,
                                     int64_t chunkTokens, int64_t chunks) {
    std::vector<Document> docs;
    if (chunkTokens < 2 || chunks < 1) return docs;
    std::vector<int64_t> ids;
    for (const auto& text : texts) {
        for (int32_t id : t.encode(text, /*addSpecialTokens=*/true))
            ids.push_back(id);
        while (int64_t(ids.size()) >= chunkTokens && int64_t(docs.size()) < chunks) {
            Document d;
            d.ids.assign(ids.begin(), ids.begin() + chunkTokens);
            d.answerStart = chunkTokens; // no answer part
            ids.erase(ids.begin(), ids.begin() + chunkTokens);
            docs.push_back(std::move(d));
        }
        if (int64_t(docs.size()) >= chunks) break;
    }
    return docs;
}

LossResult evaluateLoss(const model::Model& m, const std::vector<Document>& docs, const LossOptions& options,
                        const Progress& progress) {
    c10::InferenceMode guard;
    const auto start = std::chrono::steady_clock::now();
    LossResult result;
    result.documents = int64_t(docs.size());
    result.perDoc.resize(docs.size());
    // Longest first: the first batch shows the peak memory right away; similar lengths share batches.
    std::vector<size_t> order(docs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return docs[a].ids.size() > docs[b].ids.size(); });
    const at::Device device = m.device();
    size_t next = 0;
    int64_t done = 0;
    while (next < order.size()) {
        progress(done, int64_t(docs.size()), "evaluate");
        // Batch length rounded up to a multiple of 32: fewer distinct shapes for the GPU kernels'
        // per-shape plans, at the cost of a little padding (ignored: causal, right-padded).
        const int64_t longest = std::min<int64_t>(int64_t(docs[order[next]].ids.size()), options.maxTokens);
        const int64_t T =
            std::max<int64_t>(1, std::min<int64_t>((longest + 31) / 32 * 32, options.maxTokens));
        const int64_t B = std::max<int64_t>(1, options.batchTokens / std::max<int64_t>(T, 1));
        std::vector<size_t> batch;
        while (next < order.size() && int64_t(batch.size()) < B)
            batch.push_back(order[next++]);
        // Right-padded ids, and for every predicted position: its target and owning document.
        std::vector<int64_t> ids(batch.size() * size_t(T), 0);
        std::vector<int64_t> rows, targets, owner, isAnswer;
        for (size_t b = 0; b < batch.size(); ++b) {
            const Document& d = docs[batch[b]];
            const int64_t n = std::min<int64_t>(int64_t(d.ids.size()), T);
            std::copy(d.ids.begin(), d.ids.begin() + n, ids.begin() + int64_t(b) * T);
            for (int64_t t = 0; t + 1 < n; ++t) {
                rows.push_back(int64_t(b) * T + t);
                targets.push_back(d.ids[size_t(t + 1)]);
                owner.push_back(int64_t(batch[b]));
                isAnswer.push_back(t + 1 >= d.answerStart);
            }
        }
        at::Tensor idsT = at::tensor(ids, at::kLong).view({int64_t(batch.size()), T});
        model::checkTokenIds(m, idsT, "the tokenized documents");
        idsT = idsT.to(device);
        // A cancel is honoured per layer, not only per batch (a batch can take seconds on a CPU).
        model::ForwardHooks hooks;
        hooks.onAttentionInput = [&](int64_t, const at::Tensor&) { progress.checkCancel(); };
        at::Tensor hidden = model::forwardHidden(m, idsT, progress.cancel ? &hooks : nullptr)
                                .reshape({-1, m.config.hiddenSize});
        at::Tensor rowsT = at::tensor(rows, at::kLong).to(device);
        at::Tensor targetsT = at::tensor(targets, at::kLong).to(device);
        std::vector<float> nll(rows.size());
        for (int64_t s = 0; s < int64_t(rows.size()); s += options.logitRows) {
            const int64_t n = std::min<int64_t>(options.logitRows, int64_t(rows.size()) - s);
            at::Tensor h = hidden.index_select(0, rowsT.narrow(0, s, n));
            at::Tensor logp = at::log_softmax(model::logitsFromHidden(m, h), -1);
            at::Tensor chunk = -logp.gather(1, targetsT.narrow(0, s, n).unsqueeze(1)).squeeze(1);
            chunk = chunk.to(at::kCPU, at::kFloat).contiguous();
            std::copy(chunk.data_ptr<float>(), chunk.data_ptr<float>() + n, nll.begin() + s);
        }
        for (size_t i = 0; i < rows.size(); ++i) {
            DocLoss& d = result.perDoc[size_t(owner[i])];
            d.nllSum += nll[i];
            d.tokens += 1;
            if (isAnswer[i]) {
                d.answerNllSum += nll[i];
                d.answerTokens += 1;
            }
        }
        done += int64_t(batch.size());
    }
    for (const auto& d : result.perDoc) {
        result.nllSum += d.nllSum;
        result.tokens += d.tokens;
        result.answerNllSum += d.answerNllSum;
        result.answerTokens += d.answerTokens;
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress(int64_t(docs.size()), int64_t(docs.size()), "evaluate");
    return result;
}

} // namespace transmla::eval
