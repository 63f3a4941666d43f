// Reads tokenizer.json quickly: a SAX pass builds the DOM for everything except model.vocab and
// model.merges (hundreds of thousands of strings), which go straight into flat vectors. This keeps
// loading Qwen's 11 MB file well under a second.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/json_util.h"

namespace transmla::tok {

struct TokenizerFile {
    Json root; // model.vocab / model.merges are null here when they were captured below
    bool haveVocab = false, haveMerges = false;
    std::vector<std::pair<std::string, int64_t>> vocab;
    std::vector<std::pair<std::string, std::string>> merges;
};

TokenizerFile parseTokenizerFile(const std::string& text, const LoadContext& ctx);

} // namespace transmla::tok
