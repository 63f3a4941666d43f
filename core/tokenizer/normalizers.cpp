#include "tokenizer/normalizers.h"

#include <vector>

#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"

namespace transmla::tok {

namespace {

class SequenceNormalizer final : public Normalizer {
public:
    std::vector<std::unique_ptr<Normalizer>> items;
    void apply(std::string& s) const override {
        for (const auto& n : items)
            n->apply(s);
    }
};

class UnicodeNormalizer final : public Normalizer {
public:
    explicit UnicodeNormalizer(unicode::Form f) : form_(f) {}
    void apply(std::string& s) const override { s = unicode::normalize(s, form_); }

private:
    unicode::Form form_;
};

class PrependNormalizer final : public Normalizer {
public:
    explicit PrependNormalizer(std::string p) : prefix_(std::move(p)) {}
    void apply(std::string& s) const override {
        if (!s.empty()) s.insert(0, prefix_); // tokenizers never prepends to an empty string
    }

private:
    std::string prefix_;
};

class ReplaceNormalizer final : public Normalizer {
public:
    ReplaceNormalizer(bool literal, std::string needle, const std::string& regex, std::string content)
        : literal_(literal), needle_(std::move(needle)), content_(std::move(content)) {
        if (!literal_) regex_ = std::make_unique<Regex>(regex);
    }
    void apply(std::string& s) const override {
        if (literal_) {
            if (needle_.empty() || s.find(needle_) == std::string::npos) return;
            std::string out;
            out.reserve(s.size() + 16);
            size_t pos = 0;
            for (size_t hit; (hit = s.find(needle_, pos)) != std::string::npos; pos = hit + needle_.size()) {
                out.append(s, pos, hit - pos);
                out += content_;
            }
            out.append(s, pos, std::string::npos);
            s = std::move(out);
            return;
        }
        std::string out;
        for (const Span& sp : regex_->spans(s)) {
            if (sp.isMatch)
                out += content_;
            else
                out.append(s, sp.start, sp.end - sp.start);
        }
        s = std::move(out);
    }

private:
    bool literal_;
    std::string needle_;
    std::string content_;
    std::unique_ptr<Regex> regex_;
};

class LowercaseNormalizer final : public Normalizer {
public:
    void apply(std::string& s) const override { s = unicode::lowercase(s); }
};

class StripNormalizer final : public Normalizer {
public:
    StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
    void apply(std::string& s) const override {
        size_t begin = 0, end = s.size();
        if (left_) {
            while (begin < end) {
                size_t i = begin;
                if (!unicode::isWhitespace(unicode::next(s, i))) break;
                begin = i;
            }
        }
        if (right_) {
            while (end > begin) {
                size_t start = end - 1;
                while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
                    --start;
                size_t i = start;
                if (!unicode::isWhitespace(unicode::next(s, i))) break;
                end = start;
            }
        }
        s = s.substr(begin, end - begin);
    }

private:
    bool left_, right_;
};

} // namespace

std::unique_ptr<Normalizer> makeNormalizer(const LoadContext& ctx, const Json& j, const std::string& field) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(ctx, j, field);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequenceNormalizer>();
        auto it = j.find("normalizers");
        if (it == j.end() || !it->is_array()) throw FormatError(ctx.file, field + ".normalizers", "missing");
        for (size_t i = 0; i < it->size(); ++i)
            if (auto n = makeNormalizer(ctx, (*it)[i], field + ".normalizers[" + std::to_string(i) + "]"))
                seq->items.push_back(std::move(n));
        return seq;
    }
    if (type == "NFC") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFC);
    if (type == "NFD") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFD);
    if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFKC);
    if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(unicode::Form::NFKD);
    if (type == "Prepend")
        return std::make_unique<PrependNormalizer>(getString(ctx, j, "prepend", field, "", true));
    if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
    if (type == "Strip")
        return std::make_unique<StripNormalizer>(getBool(ctx, j, "strip_left", field, true),
                                                 getBool(ctx, j, "strip_right", field, true));
    if (type == "Replace") {
        bool literal = false;
        std::string needle;
        const std::string regex = patternRegex(ctx, j, field, literal, needle);
        try {
            return std::make_unique<ReplaceNormalizer>(literal, needle, regex,
                                                       getString(ctx, j, "content", field, "", true));
        } catch (const std::invalid_argument& e) {
            throw FormatError(ctx.file, field + ".pattern", e.what());
        }
    }
    unsupported(ctx, field + ".type", type);
}

} // namespace transmla::tok
