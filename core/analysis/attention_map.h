// Attention maps: one layer's softmax probabilities for a prompt, as plain values (torch-free: the GUI
// draws them), with per-row and per-head entropy, and a comparison of two models' maps.
//   entropy of row i   H_i = -sum_j p_ij ln p_ij          (nats; 0 for row 0, which sees one token)
//   KL per row         KL_i(a || b) = sum_j [a_ij ln(a_ij / b_ij) - a_ij + b_ij], over a_ij > 0
//     (equal to the usual form for rows summing to 1; every term is >= 0, so float rounding in the
//     row sums can no longer make KL negative: identical maps give exactly 0)
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/error.h"

namespace transmla::model {
class Model;
}
namespace transmla::tok {
class Tokenizer;
}

namespace transmla::analysis {

// Which attention a map shows: grouped-query (the original model) or multi-head latent (a converted or
// DeepSeek model); a session keeps both maps of one prompt, told apart by this.
enum class ModelForm { Gqa, Mla };
inline const char* modelFormName(ModelForm f) {
    return f == ModelForm::Mla ? "mla" : "gqa";
}
inline ModelForm parseModelForm(const std::string& name) {
    if (name == "gqa" || name == "mla") return name == "mla" ? ModelForm::Mla : ModelForm::Gqa;
    throw ArgumentError("unknown attention form '" + name + "' (gqa, mla)");
}

struct AttentionMap {
    std::string model; // the model folder
    ModelForm form = ModelForm::Gqa;
    std::string prompt;
    int64_t layer = 0, head = 0;         // query head
    std::vector<int32_t> tokenIds;       // the prompt's tokens, cut to AttentionOptions::maxTokens
    int64_t promptTokens = 0;            // tokens of the whole prompt (> tokens() when cut)
    std::vector<std::string> tokenTexts; // axis labels (Tokenizer::tokenText)
    std::vector<double> probs;           // {T, T} row-major: row = query, column = key
    std::vector<double> rowEntropy;      // {T} of this head
    std::vector<double> headEntropy;     // {H}: mean row entropy of every head of the layer

    int64_t tokens() const { return int64_t(tokenIds.size()); }
    double at(int64_t query, int64_t key) const { return probs[size_t(query * tokens() + key)]; }
    double meanEntropy() const; // mean of rowEntropy
};

struct AttentionComparison {
    int64_t layer = 0, head = 0, tokens = 0;
    std::vector<double> difference; // {T, T}: b - a
    std::vector<double> klPerRow;   // {T}: KL(a || b)
    double meanKl = 0, maxAbsDifference = 0;
};

// Attention prompts are cut to this many tokens: the map is T x T (GUI, CLI, sessions).
inline constexpr int64_t kAttentionMaxTokens = 256;

struct AttentionOptions {
    int64_t maxTokens = kAttentionMaxTokens; // the prompt is cut to this many tokens
};

// The default prompt: the first GSM8K test problem in the evaluation format.
std::string defaultAttentionPrompt(const std::filesystem::path& gsm8kTestFile);

// Runs the forward up to `layer` and reads the probabilities through ForwardHooks::probsLayer.
// Throws ArgumentError for a layer or head out of range or an empty prompt.
AttentionMap computeAttentionMap(const model::Model& m, const tok::Tokenizer& t, const std::string& prompt,
                                 int64_t layer, int64_t head, const AttentionOptions& options = {});

// Every query head of `layer` from one forward (element h is head h); same checks as above.
std::vector<AttentionMap> computeAttentionHeads(const model::Model& m, const tok::Tokenizer& t,
                                                const std::string& prompt, int64_t layer,
                                                const AttentionOptions& options = {});

// Both maps must have the same layer, head and tokens (throws ArgumentError otherwise).
AttentionComparison compareAttention(const AttentionMap& a, const AttentionMap& b);

// -sum p ln p over one row of probabilities.
double rowEntropyOf(const double* row, int64_t n);

} // namespace transmla::analysis
