// PCRE2 (UTF + Unicode properties, JIT when available) wrapper standing in for the Oniguruma
// regexes of the Rust `tokenizers` crate. Subjects must be valid UTF-8 (checked once by the caller).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace transmla::tok {

struct Span {
    size_t start = 0, end = 0;
    bool isMatch = false;
};

class Regex {
public:
    // Throws std::invalid_argument with PCRE2's message when the pattern does not compile.
    explicit Regex(const std::string& onigPattern);
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    // All non-overlapping matches, left to right, with Oniguruma's rule for empty matches
    // (an empty match right after the previous match is skipped).
    std::vector<std::pair<size_t, size_t>> findAll(std::string_view s) const;
    // The whole subject cut into matched and unmatched spans (tokenizers' Pattern::find_matches).
    std::vector<Span> spans(std::string_view s) const;

private:
    struct Code;
    std::unique_ptr<Code> code_;
};

// Oniguruma syntax -> PCRE2: \s also covers U+0085 (White_Space) and \w follows Oniguruma.
std::string onigToPcre2(const std::string& pattern);
// A regex matching `literal` verbatim.
std::string escapeRegex(std::string_view literal);

} // namespace transmla::tok
