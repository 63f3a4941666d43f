#include "tokenizer/added_tokens.h"

#include <algorithm>

#include "tokenizer/unicode.h"

namespace transmla::tok {

void AddedTokenMatcher::add(std::string pattern, const AddedToken* token) {
    if (pattern.empty()) return;
    const size_t index = patterns_.size();
    auto& bucket = byFirstByte_[static_cast<unsigned char>(pattern[0])];
    patterns_.push_back(Entry{std::move(pattern), token});
    bucket.push_back(index);
    std::stable_sort(bucket.begin(), bucket.end(), [this](size_t a, size_t b) {
        return patterns_[a].pattern.size() > patterns_[b].pattern.size();
    });
}

namespace {

// The code point that ends at byte `end` (exclusive) of s.
char32_t lastChar(std::string_view s, size_t end) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
        --start;
    return unicode::next(s, start);
}

} // namespace

std::vector<Segment> AddedTokenMatcher::split(std::string_view s) const {
    std::vector<Segment> out;
    if (s.empty()) return out;
    size_t startOffset = 0;
    size_t pos = 0;
    while (pos < s.size()) {
        // Leftmost-longest: the first position where any pattern matches, longest pattern there.
        const Entry* hit = nullptr;
        for (; pos < s.size() && !hit; ++pos) {
            for (size_t idx : byFirstByte_[static_cast<unsigned char>(s[pos])]) {
                const Entry& e = patterns_[idx];
                if (s.compare(pos, e.pattern.size(), e.pattern) == 0) {
                    hit = &e;
                    break;
                }
            }
        }
        if (!hit) break;
        size_t start = pos - 1;
        size_t stop = start + hit->pattern.size();
        pos = stop; // the scan resumes after the raw match, as aho-corasick does
        const AddedToken& tok = *hit->token;
        if (tok.singleWord) {
            const bool spaceBefore = start == 0 || !unicode::isWordChar(lastChar(s, start));
            size_t i = stop;
            const bool spaceAfter = stop == s.size() || !unicode::isWordChar(unicode::next(s, i));
            if (!spaceBefore || !spaceAfter) continue;
        }
        if (tok.lstrip) {
            size_t newStart = start;
            while (newStart > 0 && unicode::isWhitespace(lastChar(s, newStart))) {
                size_t b = newStart - 1;
                while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80)
                    --b;
                newStart = b;
            }
            start = std::max(newStart, startOffset); // spaces already taken by the previous match stay there
        }
        if (tok.rstrip) {
            size_t i = stop;
            while (i < s.size()) {
                size_t j = i;
                if (!unicode::isWhitespace(unicode::next(s, j))) break;
                i = j;
            }
            stop = i;
        }
        if (start < startOffset) continue; // overlaps what an rstrip already consumed
        if (startOffset < start) out.push_back(Segment{startOffset, start, -1});
        out.push_back(Segment{start, stop, tok.id});
        startOffset = stop;
    }
    if (startOffset < s.size()) out.push_back(Segment{startOffset, s.size(), -1});
    return out;
}

} // namespace transmla::tok
