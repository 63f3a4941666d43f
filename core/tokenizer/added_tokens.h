// Added (special) tokens: found in the text before the model sees it, leftmost-longest like the
// aho-corasick matcher of tokenizers' AddedVocabulary, honouring lstrip/rstrip/single_word.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace transmla::tok {

struct AddedToken {
    std::string content;
    int32_t id = -1;
    bool singleWord = false, lstrip = false, rstrip = false, normalized = false, special = false;
};

// One segment of a text: either plain text [start, end) or an added token covering it.
struct Segment {
    size_t start, end;
    int32_t tokenId; // -1 for plain text
};

class AddedTokenMatcher {
public:
    // patterns[i] is the text to look for (the normalized content for normalized tokens).
    void add(std::string pattern, const AddedToken* token);
    bool empty() const { return patterns_.empty(); }
    // Cuts s into plain and token segments (tokenizers' AddedVocabulary::find_matches).
    std::vector<Segment> split(std::string_view s) const;

private:
    struct Entry {
        std::string pattern;
        const AddedToken* token;
    };
    std::vector<Entry> patterns_;
    std::array<std::vector<size_t>, 256> byFirstByte_; // pattern indices, longest first
};

} // namespace transmla::tok
