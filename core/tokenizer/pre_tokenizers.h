// Pre-tokenizers (tokenizers' `pre_tokenizer` section): cut normalized text into the pieces that the
// model tokenizes one by one. Semantics follow tokenizers' PreTokenizedString::split: empty pieces
// are dropped.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/json_util.h"
#include "tokenizer/regex.h"

namespace transmla::tok {

struct Piece {
    std::string text;
    bool atStart = false; // begins at byte 0 of the original input (Metaspace prepend_scheme "first")
};

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// Cuts `p` along `spans` (a cover of p.text) the way NormalizedString::split does; appends to out.
void splitPiece(const Piece& p, const std::vector<Span>& spans, SplitBehavior behavior,
                std::vector<Piece>& out);

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    virtual void apply(std::vector<Piece>& pieces) const = 0;
};

std::unique_ptr<PreTokenizer> makePreTokenizer(const LoadContext& ctx, const Json& j,
                                               const std::string& field);

} // namespace transmla::tok
