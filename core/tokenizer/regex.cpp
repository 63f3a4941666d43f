#include "tokenizer/regex.h"

#include <pcre2.h>

#include <stdexcept>

#include "tokenizer/unicode.h"
#include "util/error.h"

namespace transmla::tok {

struct Regex::Code {
    pcre2_code* code = nullptr;
};

namespace {

// Per-thread match state shared by every pattern: match data for group 0 and a JIT stack large
// enough for long whitespace runs.
struct MatchState {
    pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
    pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
    pcre2_match_context* context = pcre2_match_context_create(nullptr);
    MatchState() {
        if (stack) pcre2_jit_stack_assign(context, nullptr, stack);
    }
    ~MatchState() {
        pcre2_match_context_free(context);
        if (stack) pcre2_jit_stack_free(stack);
        pcre2_match_data_free(data);
    }
};

MatchState& matchState() {
    thread_local MatchState state;
    return state;
}

} // namespace

std::string onigToPcre2(const std::string& p) {
    std::string out;
    out.reserve(p.size() + 16);
    int classDepth = 0;
    for (size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '\\' && i + 1 < p.size()) {
            const char n = p[i + 1];
            // Oniguruma's \w is Letter | Mark | Decimal_Number | Connector_Punctuation; PCRE2's
            // (10.42) lacks marks and accepts every number.
            static const char* kWord = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";
            if (n == 's')
                out += classDepth ? "\\s\\x{85}" : "[\\s\\x{85}]";
            else if (n == 'S' && !classDepth)
                out += "[^\\s\\x{85}]";
            else if (n == 'w')
                out += classDepth ? std::string(kWord) : "[" + std::string(kWord) + "]";
            else if (n == 'W' && !classDepth)
                out += "[^" + std::string(kWord) + "]";
            else
                out.append(p, i, 2);
            ++i;
            continue;
        }
        if (c == '[') {
            ++classDepth;
            out += c;
            // A ']' right after '[' or '[^' is a literal member, not the end of the class.
            if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
            if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
            continue;
        }
        if (c == ']' && classDepth) --classDepth;
        out += c;
    }
    return out;
}

std::string escapeRegex(std::string_view literal) {
    std::string out;
    for (char c : literal) {
        if (std::string_view("\\^$.|?*+()[]{}-#&~ ").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

Regex::Regex(const std::string& onigPattern) : code_(std::make_unique<Code>()) {
    const std::string pattern = onigToPcre2(onigPattern);
    int err = 0;
    PCRE2_SIZE errOffset = 0;
    code_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                PCRE2_UTF | PCRE2_UCP, &err, &errOffset, nullptr);
    if (!code_->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        throw std::invalid_argument("regex '" + onigPattern + "' does not compile at offset " +
                                    std::to_string(errOffset) + ": " + reinterpret_cast<char*>(msg));
    }
    pcre2_jit_compile(code_->code, PCRE2_JIT_COMPLETE); // falls back to the interpreter if JIT is absent
}

Regex::~Regex() {
    if (code_ && code_->code) pcre2_code_free(code_->code);
}

std::vector<std::pair<size_t, size_t>> Regex::findAll(std::string_view s) const {
    std::vector<std::pair<size_t, size_t>> out;
    MatchState& st = matchState();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(s.data());
    size_t pos = 0;
    bool havePrev = false;
    size_t prevEnd = 0;
    while (pos <= s.size()) {
        const int rc =
            pcre2_match(code_->code, subject, s.size(), pos, PCRE2_NO_UTF_CHECK, st.data, st.context);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(rc, msg, sizeof msg);
            throw Error(std::string("tokenizer: regex match failed: ") + reinterpret_cast<char*>(msg));
        }
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data);
        const size_t a = ov[0], b = ov[1];
        if (a == b && havePrev && prevEnd == b) {
            if (pos >= s.size()) break;
            pos += unicode::seqLen(static_cast<unsigned char>(s[pos])); // step over one character
            continue;
        }
        out.emplace_back(a, b);
        havePrev = true;
        prevEnd = b;
        pos = b;
    }
    return out;
}

std::vector<Span> Regex::spans(std::string_view s) const {
    if (s.empty()) return {Span{0, 0, false}};
    std::vector<Span> out;
    size_t prev = 0;
    for (auto [a, b] : findAll(s)) {
        if (prev != a) out.push_back({prev, a, false});
        out.push_back({a, b, true});
        prev = b;
    }
    if (prev != s.size()) out.push_back({prev, s.size(), false});
    return out;
}

} // namespace transmla::tok
