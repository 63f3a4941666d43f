#include "tokenizer/json_load.h"

namespace transmla::tok {

namespace {

class Handler {
public:
    Handler(TokenizerFile& out, const LoadContext& ctx) : out_(out), ctx_(ctx), dom_(out.root, true) {}

    bool null() { return mode_ == Mode::None ? dom_.null() : bad(); }
    bool boolean(bool v) { return mode_ == Mode::None ? dom_.boolean(v) : bad(); }
    bool number_integer(Json::number_integer_t v) {
        if (mode_ == Mode::Vocab) return vocabId(v);
        return mode_ == Mode::None ? dom_.number_integer(v) : bad();
    }
    bool number_unsigned(Json::number_unsigned_t v) {
        if (mode_ == Mode::Vocab) return vocabId(static_cast<int64_t>(v));
        return mode_ == Mode::None ? dom_.number_unsigned(v) : bad();
    }
    bool number_float(Json::number_float_t v, const std::string& s) {
        return mode_ == Mode::None ? dom_.number_float(v, s) : bad();
    }
    bool binary(Json::binary_t& v) { return mode_ == Mode::None ? dom_.binary(v) : bad(); }
    bool string(std::string& s) {
        if (mode_ == Mode::None) return dom_.string(s);
        if (mode_ != Mode::Merges) return bad();
        if (inPair_) {
            pair_.push_back(std::move(s));
            return true;
        }
        // Legacy form "a b": exactly one space.
        const size_t sp = s.find(' ');
        if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
            throw FormatError(ctx_.file, mergeField(), "expected 'a b', got '" + s + "'");
        out_.merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
        return true;
    }
    bool key(std::string& k) {
        if (mode_ == Mode::Vocab) {
            pendingKey_ = std::move(k);
            return true;
        }
        if (mode_ != Mode::None) return bad();
        if (!keys_.empty()) keys_.back() = k;
        return dom_.key(k);
    }
    bool start_object(std::size_t n) {
        if (mode_ != Mode::None) return bad();
        if (at("vocab")) {
            mode_ = Mode::Vocab;
            out_.haveVocab = true;
            return true;
        }
        keys_.emplace_back();
        return dom_.start_object(n);
    }
    bool end_object() {
        if (mode_ == Mode::Vocab) {
            mode_ = Mode::None;
            return dom_.null();
        }
        if (mode_ != Mode::None) return bad();
        keys_.pop_back();
        return dom_.end_object();
    }
    bool start_array(std::size_t n) {
        if (mode_ == Mode::Merges && !inPair_) {
            inPair_ = true;
            pair_.clear();
            return true;
        }
        if (mode_ != Mode::None) return bad();
        if (at("merges")) {
            mode_ = Mode::Merges;
            out_.haveMerges = true;
            return true;
        }
        keys_.emplace_back(); // arrays have no keys, but keep the stack depth in step
        return dom_.start_array(n);
    }
    bool end_array() {
        if (mode_ == Mode::Merges) {
            if (inPair_) {
                inPair_ = false;
                if (pair_.size() != 2) throw FormatError(ctx_.file, mergeField(), "expected [a, b]");
                out_.merges.emplace_back(std::move(pair_[0]), std::move(pair_[1]));
                return true;
            }
            mode_ = Mode::None;
            return dom_.null();
        }
        if (mode_ != Mode::None) return bad();
        keys_.pop_back();
        return dom_.end_array();
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        throw FormatError(ctx_.file, "", std::string("not valid JSON: ") + e.what());
    }

private:
    enum class Mode { None, Vocab, Merges };

    // True when the value about to start is root.model.<name>.
    bool at(const char* name) const { return keys_.size() == 2 && keys_[0] == "model" && keys_[1] == name; }
    bool vocabId(int64_t id) {
        out_.vocab.emplace_back(std::move(pendingKey_), id);
        return true;
    }
    std::string mergeField() const { return "model.merges[" + std::to_string(out_.merges.size()) + "]"; }
    [[noreturn]] bool bad() {
        if (mode_ == Mode::Vocab) throw FormatError(ctx_.file, "model.vocab", "expected {token: integer id}");
        throw FormatError(ctx_.file, mergeField(), "expected \"a b\" or [a, b]");
    }

    TokenizerFile& out_;
    const LoadContext& ctx_;
    nlohmann::detail::json_sax_dom_parser<Json> dom_;
    std::vector<std::string> keys_; // last key seen in each open container
    Mode mode_ = Mode::None;
    std::string pendingKey_;
    bool inPair_ = false;
    std::vector<std::string> pair_;
};

} // namespace

TokenizerFile parseTokenizerFile(const std::string& text, const LoadContext& ctx) {
    TokenizerFile out;
    Handler h(out, ctx);
    Json::sax_parse(text, &h);
    return out;
}

} // namespace transmla::tok
