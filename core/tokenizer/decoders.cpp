#include "tokenizer/decoders.h"

#include "tokenizer/byte_level.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"

namespace transmla::tok {

namespace {

const char* const kReplacementChar = "\xEF\xBF\xBD";

class SequenceDecoder final : public Decoder {
public:
    std::vector<std::unique_ptr<Decoder>> items;
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (const auto& d : items)
            d->decodeChain(tokens);
    }
};

// Byte-level tokens back to bytes; a token with a character outside the table is kept verbatim.
class ByteLevelDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::string bytes;
        for (const std::string& t : tokens) {
            std::string mapped;
            bool ok = true;
            size_t i = 0;
            while (i < t.size() && ok) {
                const int b = byte_level::codePointToByte(unicode::next(t, i));
                if (b < 0)
                    ok = false;
                else
                    mapped.push_back(static_cast<char>(b));
            }
            bytes += ok ? mapped : t;
        }
        tokens.assign(1, unicode::lossy(bytes));
    }
};

class MetaspaceDecoder final : public Decoder {
public:
    MetaspaceDecoder(std::string rep, bool prependNotNever)
        : rep_(std::move(rep)), dropFirst_(prependNotNever) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (size_t k = 0; k < tokens.size(); ++k) {
            std::string out;
            const std::string& t = tokens[k];
            for (size_t i = 0; i < t.size();) {
                if (t.compare(i, rep_.size(), rep_) == 0) {
                    if (!(k == 0 && dropFirst_)) out += ' ';
                    i += rep_.size();
                } else {
                    out += t[i++];
                }
            }
            tokens[k] = std::move(out);
        }
    }

private:
    std::string rep_;
    bool dropFirst_;
};

// <0xNN> runs become their bytes when those form valid UTF-8, else one U+FFFD per byte.
class ByteFallbackDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::vector<std::string> out;
        std::string pending;
        auto flush = [&] {
            if (pending.empty()) return;
            if (unicode::firstInvalid(pending) == std::string::npos)
                out.push_back(pending);
            else
                for (size_t i = 0; i < pending.size(); ++i)
                    out.push_back(kReplacementChar);
            pending.clear();
        };
        for (std::string& t : tokens) {
            int byte = -1;
            if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>') byte = hexByte(t[3], t[4]);
            if (byte >= 0) {
                pending.push_back(static_cast<char>(byte));
            } else {
                flush();
                out.push_back(std::move(t));
            }
        }
        flush();
        tokens = std::move(out);
    }

private:
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
    static int hexByte(char a, char b) {
        const int h = hexDigit(a), l = hexDigit(b);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }
};

class FuseDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::string all;
        for (const auto& t : tokens)
            all += t;
        tokens.assign(1, std::move(all));
    }
};

// Removes up to `start` leading and `stop` trailing copies of one character from every token.
class StripDecoder final : public Decoder {
public:
    StripDecoder(char32_t c, size_t start, size_t stop) : c_(c), start_(start), stop_(stop) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (std::string& t : tokens) {
            std::vector<std::pair<size_t, char32_t>> chars; // (byte offset, code point)
            for (size_t i = 0; i < t.size();) {
                const size_t at = i;
                chars.emplace_back(at, unicode::next(t, i));
            }
            size_t startCut = 0;
            for (size_t i = 0; i < start_ && i < chars.size() && chars[i].second == c_; ++i)
                startCut = i + 1;
            size_t stopCut = chars.size();
            for (size_t i = 0; i < stop_ && i < chars.size(); ++i) {
                const size_t index = chars.size() - i - 1;
                if (chars[index].second != c_) break;
                stopCut = index;
            }
            if (stopCut <= startCut) {
                t.clear();
                continue;
            }
            const size_t from = startCut < chars.size() ? chars[startCut].first : t.size();
            const size_t to = stopCut < chars.size() ? chars[stopCut].first : t.size();
            t = t.substr(from, to - from);
        }
    }

private:
    char32_t c_;
    size_t start_, stop_;
};

class ReplaceDecoder final : public Decoder {
public:
    ReplaceDecoder(const std::string& regex, std::string content)
        : regex_(regex), content_(std::move(content)) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (std::string& t : tokens) {
            std::string out;
            for (const Span& s : regex_.spans(t)) {
                if (s.isMatch)
                    out += content_;
                else
                    out.append(t, s.start, s.end - s.start);
            }
            t = std::move(out);
        }
    }

private:
    Regex regex_;
    std::string content_;
};

} // namespace

std::unique_ptr<Decoder> makeDecoder(const LoadContext& ctx, const Json& j, const std::string& field) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(ctx, j, field);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequenceDecoder>();
        auto it = j.find("decoders");
        if (it == j.end() || !it->is_array()) throw FormatError(ctx.file, field + ".decoders", "missing");
        for (size_t i = 0; i < it->size(); ++i)
            if (auto d = makeDecoder(ctx, (*it)[i], field + ".decoders[" + std::to_string(i) + "]"))
                seq->items.push_back(std::move(d));
        return seq;
    }
    if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
    if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
    if (type == "Fuse") return std::make_unique<FuseDecoder>();
    if (type == "Metaspace") {
        const std::string rep = getString(ctx, j, "replacement", field, "\xE2\x96\x81");
        bool prepend = getBool(ctx, j, "add_prefix_space", field, true);
        if (j.contains("prepend_scheme") && !j["prepend_scheme"].is_null())
            prepend = getString(ctx, j, "prepend_scheme", field) != "never";
        return std::make_unique<MetaspaceDecoder>(rep, prepend);
    }
    if (type == "Strip") {
        const std::string content = getString(ctx, j, "content", field, " ");
        size_t i = 0;
        if (content.empty()) throw FormatError(ctx.file, field + ".content", "expected one character");
        const char32_t c = unicode::next(content, i);
        return std::make_unique<StripDecoder>(c, static_cast<size_t>(getInt(ctx, j, "start", field, 0)),
                                              static_cast<size_t>(getInt(ctx, j, "stop", field, 0)));
    }
    if (type == "Replace") {
        bool literal = false;
        std::string needle;
        std::string regex = patternRegex(ctx, j, field, literal, needle);
        if (literal) regex = escapeRegex(needle);
        try {
            return std::make_unique<ReplaceDecoder>(regex, getString(ctx, j, "content", field, "", true));
        } catch (const std::invalid_argument& e) {
            throw FormatError(ctx.file, field + ".pattern", e.what());
        }
    }
    unsupported(ctx, field + ".type", type);
}

} // namespace transmla::tok
