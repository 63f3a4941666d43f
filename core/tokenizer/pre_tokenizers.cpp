#include "tokenizer/pre_tokenizers.h"

#include <algorithm>
#include <functional>

#include "tokenizer/byte_level.h"
#include "tokenizer/unicode.h"

namespace transmla::tok {

void splitPiece(const Piece& p, const std::vector<Span>& spans, SplitBehavior behavior,
                std::vector<Piece>& out) {
    // (start, end, remove) after applying the behaviour, as in NormalizedString::split.
    struct Cut {
        size_t start, end;
        bool remove;
    };
    std::vector<Cut> cuts;
    cuts.reserve(spans.size());
    switch (behavior) {
    case SplitBehavior::Isolated:
        for (const Span& s : spans)
            cuts.push_back({s.start, s.end, false});
        break;
    case SplitBehavior::Removed:
        for (const Span& s : spans)
            cuts.push_back({s.start, s.end, s.isMatch});
        break;
    case SplitBehavior::Contiguous: {
        bool prev = false;
        for (const Span& s : spans) {
            if (s.isMatch == prev && !cuts.empty())
                cuts.back().end = s.end;
            else
                cuts.push_back({s.start, s.end, false});
            prev = s.isMatch;
        }
        break;
    }
    case SplitBehavior::MergedWithPrevious: {
        bool prev = false;
        for (const Span& s : spans) {
            if (s.isMatch && !prev && !cuts.empty())
                cuts.back().end = s.end;
            else
                cuts.push_back({s.start, s.end, false});
            prev = s.isMatch;
        }
        break;
    }
    case SplitBehavior::MergedWithNext: {
        bool prev = false;
        for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
            if (it->isMatch && !prev && !cuts.empty())
                cuts.back().start = it->start;
            else
                cuts.push_back({it->start, it->end, false});
            prev = it->isMatch;
        }
        std::reverse(cuts.begin(), cuts.end());
        break;
    }
    }
    for (const Cut& c : cuts) {
        if (c.remove || c.end == c.start) continue; // empty pieces never survive a split
        out.push_back(Piece{p.text.substr(c.start, c.end - c.start), p.atStart && c.start == 0});
    }
}

namespace {

// Pattern::find_matches for a char predicate: every matching character is its own match.
std::vector<Span> charSpans(const std::string& s, const std::function<bool(char32_t)>& pred) {
    if (s.empty()) return {Span{0, 0, false}};
    std::vector<Span> out;
    size_t last = 0, i = 0;
    while (i < s.size()) {
        const size_t b = i;
        const char32_t c = unicode::next(s, i);
        if (pred(c)) {
            if (last < b) out.push_back({last, b, false});
            out.push_back({b, i, true});
            last = i;
        }
    }
    if (last < s.size()) out.push_back({last, s.size(), false});
    return out;
}

void splitAll(std::vector<Piece>& pieces, const std::function<std::vector<Span>(const std::string&)>& find,
              SplitBehavior behavior) {
    std::vector<Piece> out;
    out.reserve(pieces.size() * 2);
    for (const Piece& p : pieces)
        splitPiece(p, find(p.text), behavior, out);
    pieces = std::move(out);
}

class SequencePre final : public PreTokenizer {
public:
    std::vector<std::unique_ptr<PreTokenizer>> items;
    void apply(std::vector<Piece>& pieces) const override {
        for (const auto& p : items)
            p->apply(pieces);
    }
};

class SplitPre final : public PreTokenizer {
public:
    SplitPre(const std::string& regex, SplitBehavior b, bool invert)
        : regex_(regex), behavior_(b), invert_(invert) {}
    void apply(std::vector<Piece>& pieces) const override {
        splitAll(
            pieces,
            [this](const std::string& s) {
                auto spans = regex_.spans(s);
                if (invert_)
                    for (Span& sp : spans)
                        sp.isMatch = !sp.isMatch;
                return spans;
            },
            behavior_);
    }

private:
    Regex regex_;
    SplitBehavior behavior_;
    bool invert_;
};

class CharPredPre final : public PreTokenizer {
public:
    CharPredPre(std::function<bool(char32_t)> pred, SplitBehavior b) : pred_(std::move(pred)), behavior_(b) {}
    void apply(std::vector<Piece>& pieces) const override {
        splitAll(
            pieces, [this](const std::string& s) { return charSpans(s, pred_); }, behavior_);
    }

private:
    std::function<bool(char32_t)> pred_;
    SplitBehavior behavior_;
};

const char* const kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPre final : public PreTokenizer {
public:
    ByteLevelPre(bool addPrefixSpace, bool useRegex) : addPrefixSpace_(addPrefixSpace) {
        if (useRegex) regex_ = std::make_unique<Regex>(kGpt2Pattern);
    }
    void apply(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        out.reserve(pieces.size() * 2);
        for (Piece& p : pieces) {
            if (addPrefixSpace_ && (p.text.empty() || p.text[0] != ' ')) p.text.insert(0, 1, ' ');
            if (regex_)
                splitPiece(p, regex_->spans(p.text), SplitBehavior::Isolated, out);
            else if (!p.text.empty())
                out.push_back(std::move(p));
        }
        for (Piece& p : out)
            p.text = byte_level::encode(p.text);
        pieces = std::move(out);
    }

private:
    bool addPrefixSpace_;
    std::unique_ptr<Regex> regex_;
};

enum class PrependScheme { Always, First, Never };

class MetaspacePre final : public PreTokenizer {
public:
    MetaspacePre(char32_t replacement, PrependScheme scheme, bool split)
        : replacement_(replacement), scheme_(scheme), split_(split) {
        unicode::append(rep_, replacement);
    }
    void apply(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        out.reserve(pieces.size() * 2);
        for (Piece& p : pieces) {
            std::string s;
            s.reserve(p.text.size() + rep_.size());
            for (char c : p.text) {
                if (c == ' ')
                    s += rep_;
                else
                    s += c;
            }
            const bool startsWithRep = s.compare(0, rep_.size(), rep_) == 0;
            if (!startsWithRep &&
                (scheme_ == PrependScheme::Always || (scheme_ == PrependScheme::First && p.atStart)))
                s.insert(0, rep_);
            Piece q{std::move(s), p.atStart};
            if (split_) {
                const char32_t r = replacement_;
                splitPiece(q, charSpans(q.text, [r](char32_t c) { return c == r; }),
                           SplitBehavior::MergedWithNext, out);
            } else if (!q.text.empty()) {
                out.push_back(std::move(q));
            }
        }
        pieces = std::move(out);
    }

private:
    char32_t replacement_;
    std::string rep_;
    PrependScheme scheme_;
    bool split_;
};

SplitBehavior parseBehavior(const LoadContext& ctx, const Json& j, const std::string& field,
                            SplitBehavior fallback) {
    const std::string b = getString(ctx, j, "behavior", field);
    if (b.empty()) return fallback;
    if (b == "Removed") return SplitBehavior::Removed;
    if (b == "Isolated") return SplitBehavior::Isolated;
    if (b == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
    if (b == "MergedWithNext") return SplitBehavior::MergedWithNext;
    if (b == "Contiguous") return SplitBehavior::Contiguous;
    unsupported(ctx, field + ".behavior", b);
}

char32_t singleChar(const LoadContext& ctx, const std::string& s, const std::string& field) {
    size_t i = 0;
    if (s.empty() || unicode::firstInvalid(s) != std::string::npos)
        throw FormatError(ctx.file, field, "expected one character");
    const char32_t c = unicode::next(s, i);
    if (i != s.size()) throw FormatError(ctx.file, field, "expected one character, got '" + s + "'");
    return c;
}

} // namespace

std::unique_ptr<PreTokenizer> makePreTokenizer(const LoadContext& ctx, const Json& j,
                                               const std::string& field) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(ctx, j, field);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequencePre>();
        auto it = j.find("pretokenizers");
        if (it == j.end() || !it->is_array())
            throw FormatError(ctx.file, field + ".pretokenizers", "missing");
        for (size_t i = 0; i < it->size(); ++i)
            if (auto p = makePreTokenizer(ctx, (*it)[i], field + ".pretokenizers[" + std::to_string(i) + "]"))
                seq->items.push_back(std::move(p));
        return seq;
    }
    if (type == "Split") {
        bool literal = false;
        std::string needle;
        std::string regex = patternRegex(ctx, j, field, literal, needle);
        if (literal) regex = escapeRegex(needle);
        const auto behavior = parseBehavior(ctx, j, field, SplitBehavior::Isolated);
        try {
            return std::make_unique<SplitPre>(regex, behavior, getBool(ctx, j, "invert", field, false));
        } catch (const std::invalid_argument& e) {
            throw FormatError(ctx.file, field + ".pattern", e.what());
        }
    }
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelPre>(getBool(ctx, j, "add_prefix_space", field, true),
                                              getBool(ctx, j, "use_regex", field, true));
    if (type == "Metaspace") {
        const char32_t rep =
            singleChar(ctx, getString(ctx, j, "replacement", field, "\xE2\x96\x81"), field + ".replacement");
        PrependScheme scheme =
            getBool(ctx, j, "add_prefix_space", field, true) ? PrependScheme::Always : PrependScheme::Never;
        if (j.contains("prepend_scheme") && !j["prepend_scheme"].is_null()) {
            const std::string s = getString(ctx, j, "prepend_scheme", field);
            if (s == "always")
                scheme = PrependScheme::Always;
            else if (s == "first")
                scheme = PrependScheme::First;
            else if (s == "never")
                scheme = PrependScheme::Never;
            else
                unsupported(ctx, field + ".prepend_scheme", s);
        }
        return std::make_unique<MetaspacePre>(rep, scheme, getBool(ctx, j, "split", field, true));
    }
    if (type == "Digits") {
        const bool individual = getBool(ctx, j, "individual_digits", field, false);
        return std::make_unique<CharPredPre>(unicode::isNumeric, individual ? SplitBehavior::Isolated
                                                                            : SplitBehavior::Contiguous);
    }
    if (type == "Punctuation")
        return std::make_unique<CharPredPre>(unicode::isPunctuation,
                                             parseBehavior(ctx, j, field, SplitBehavior::Isolated));
    if (type == "WhitespaceSplit")
        return std::make_unique<CharPredPre>(unicode::isWhitespace, SplitBehavior::Removed);
    if (type == "Whitespace")
        return std::make_unique<SplitPre>(R"(\w+|[^\w\s]+)", SplitBehavior::Removed, true);
    if (type == "CharDelimiterSplit") {
        const char32_t d =
            singleChar(ctx, getString(ctx, j, "delimiter", field, "", true), field + ".delimiter");
        return std::make_unique<CharPredPre>([d](char32_t c) { return c == d; }, SplitBehavior::Removed);
    }
    if (type == "BertPreTokenizer") {
        auto seq = std::make_unique<SequencePre>();
        seq->items.push_back(std::make_unique<CharPredPre>(unicode::isWhitespace, SplitBehavior::Removed));
        seq->items.push_back(std::make_unique<CharPredPre>(unicode::isPunctuation, SplitBehavior::Isolated));
        return seq;
    }
    unsupported(ctx, field + ".type", type);
}

} // namespace transmla::tok
