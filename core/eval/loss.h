// Language-model loss over a set of documents: total tokens, mean NLL, perplexity, per document,
// and answer-only loss. Batched by a token budget (documents sorted by length to cut padding);
// logits are materialised a chunk of rows at a time, so memory stays bounded for large vocabularies.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/progress.h"

namespace transmla::tok {
class Tokenizer;
}
namespace transmla::io {
struct Gsm8kProblem;
}

namespace transmla::model {
class Model;
}

namespace transmla::eval {

struct Document {
    std::vector<int64_t> ids;
    int64_t answerStart = 0; // tokens at positions >= answerStart belong to the answer
};

struct DocLoss {
    double nllSum = 0;
    int64_t tokens = 0; // predicted tokens: ids.size() - 1
    double answerNllSum = 0;
    int64_t answerTokens = 0;
};

struct LossResult {
    int64_t documents = 0, tokens = 0, answerTokens = 0;
    double nllSum = 0, answerNllSum = 0;
    double seconds = 0;
    std::vector<DocLoss> perDoc; // in input order
    double meanNll() const { return tokens ? nllSum / double(tokens) : 0; }
    double perplexity() const;
    double answerMeanNll() const { return answerTokens ? answerNllSum / double(answerTokens) : 0; }
    double tokensPerSecond() const { return seconds > 0 ? double(tokens) / seconds : 0; }
    nlohmann::json toJson(bool withPerDoc) const;
};

// Every document is cut to this many tokens: GSM8K problems (as the reference losses in
// ../shared were computed by transformers) and WikiText-2 chunks.
inline constexpr int64_t kDocumentMaxTokens = 512;

struct LossOptions {
    int64_t maxTokens = kDocumentMaxTokens; // truncation per document
    int64_t batchTokens = 16384;            // padded tokens per forward batch
    int64_t logitRows = 4096;               // rows of logits materialised at once
};

LossResult evaluateLoss(const model::Model& m, const std::vector<Document>& docs,
                        const LossOptions& options = {}, const Progress& progress = {});

// GSM8K: "Question: q\nAnswer: a", tokenized with the model's tokenizer (its default special tokens),
// truncated to options.maxTokens; the answer starts after the tokens of "Question: q\nAnswer:".
std::vector<Document> tokenizeGsm8k(const tok::Tokenizer& t, const std::vector<io::Gsm8kProblem>& problems,
                                    int64_t maxTokens);

// Perplexity text (WikiText-2): the texts in order, tokenized (with the model's default special tokens)
// and concatenated, cut into at most `chunks` documents of `chunkTokens` tokens (a shorter last one
// is dropped). Every token but a chunk's first is predicted; no answer part.
std::vector<Document> tokenizeChunks(const tok::Tokenizer& t, const std::vector<std::string>& texts,
                                     int64_t chunkTokens, int64_t chunks);

} // namespace transmla::eval
