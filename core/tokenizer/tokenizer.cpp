// Tokenizer: loads tokenizer.json and runs tokenizers' pipeline:
//   added tokens (raw) -> normalizer -> added tokens (normalized) -> pre-tokenizer -> BPE
//   -> post-processor (only with addSpecialTokens).
#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "tokenizer/added_tokens.h"
#include "tokenizer/bpe.h"
#include "tokenizer/decoders.h"
#include "tokenizer/json_load.h"
#include "tokenizer/json_util.h"
#include "tokenizer/normalizers.h"
#include "tokenizer/post_processors.h"
#include "tokenizer/pre_tokenizers.h"
#include "tokenizer/unicode.h"

namespace transmla::tok {

struct Tokenizer::Impl {
    LoadContext ctx;
    std::vector<AddedToken> added; // stable: matchers point into it
    std::unordered_map<int32_t, size_t> addedById;
    std::unordered_map<std::string, int32_t> addedByContent;
    AddedTokenMatcher rawMatcher, normalizedMatcher;
    std::unique_ptr<Normalizer> normalizer;
    std::unique_ptr<PreTokenizer> preTokenizer;
    std::unique_ptr<Bpe> model;
    std::unique_ptr<PostProcessor> postProcessor;
    std::unique_ptr<Decoder> decoder;

    void encodePlain(std::string_view text, bool atStart, std::vector<int32_t>& ids) const;
    const std::string* idToToken(int32_t id) const;
};

namespace {

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error(p.string() + ": cannot open tokenizer file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void loadAddedTokens(Tokenizer::Impl& impl, const Json& root) {
    const LoadContext& ctx = impl.ctx;
    auto it = root.find("added_tokens");
    if (it == root.end() || it->is_null()) return;
    if (!it->is_array()) throw FormatError(ctx.file, "added_tokens", "expected an array");
    impl.added.reserve(it->size());
    for (size_t i = 0; i < it->size(); ++i) {
        const Json& t = (*it)[i];
        const std::string field = "added_tokens[" + std::to_string(i) + "]";
        AddedToken a;
        a.content = getString(ctx, t, "content", field, "", true);
        a.special = getBool(ctx, t, "special", field, false);
        a.singleWord = getBool(ctx, t, "single_word", field, false);
        a.lstrip = getBool(ctx, t, "lstrip", field, false);
        a.rstrip = getBool(ctx, t, "rstrip", field, false);
        a.normalized = getBool(ctx, t, "normalized", field, !a.special);
        // tokenizers keeps the model's id when the content is in the vocabulary.
        const int32_t modelId = impl.model->tokenToId(a.content);
        const long long id = modelId >= 0 ? modelId : getInt(ctx, t, "id", field, -1);
        if (id > INT32_MAX)
            throw FormatError(ctx.file, field + ".id", "value " + std::to_string(id) + " out of range");
        if (id < 0) throw FormatError(ctx.file, field + ".id", "missing");
        a.id = static_cast<int32_t>(id);
        impl.added.push_back(std::move(a));
    }
    for (size_t i = 0; i < impl.added.size(); ++i) {
        const AddedToken& a = impl.added[i];
        impl.addedById[a.id] = i;
        impl.addedByContent[a.content] = a.id;
        if (a.normalized) {
            std::string pattern = a.content;
            if (impl.normalizer) impl.normalizer->apply(pattern);
            impl.normalizedMatcher.add(std::move(pattern), &a);
        } else {
            impl.rawMatcher.add(a.content, &a);
        }
    }
}

} // namespace

Tokenizer Tokenizer::load(const std::filesystem::path& path) {
    std::filesystem::path file = path;
    if (!std::filesystem::exists(file)) throw Error(file.string() + ": no such file or folder");
    if (std::filesystem::is_directory(file)) {
        file /= "tokenizer.json";
        if (!std::filesystem::exists(file)) throw Error(path.string() + ": the folder has no tokenizer.json");
    }
    auto impl = std::make_unique<Impl>();
    impl->ctx.file = file.string();
    const LoadContext& ctx = impl->ctx;
    TokenizerFile parsed;
    try {
        parsed = parseTokenizerFile(readFile(file), ctx);
    } catch (const Json::exception& e) {
        throw FormatError(ctx.file, "", std::string("not valid JSON: ") + e.what());
    }
    const Json& root = parsed.root;
    if (!root.is_object()) throw FormatError(ctx.file, "", "expected a JSON object");

    auto model = root.find("model");
    if (model == root.end() || !model->is_object()) throw FormatError(ctx.file, "model", "missing");
    // Files from old tokenizers versions may omit the model type; BPE is the one with merges.
    std::string type = getString(ctx, *model, "type", "model");
    if (type.empty() && model->contains("merges")) type = "BPE";
    if (type != "BPE") unsupported(ctx, "model.type", type.empty() ? "(none)" : type);

    try {
        if (!parsed.haveVocab) throw FormatError(ctx.file, "model.vocab", "missing (expected {token: id})");
        impl->model = std::make_unique<Bpe>(ctx, *model, std::move(parsed.vocab), parsed.merges);
        parsed.merges.clear();
        impl->normalizer = makeNormalizer(ctx, root.value("normalizer", Json()), "normalizer");
        impl->preTokenizer = makePreTokenizer(ctx, root.value("pre_tokenizer", Json()), "pre_tokenizer");
        impl->postProcessor = makePostProcessor(ctx, root.value("post_processor", Json()), "post_processor");
        impl->decoder = makeDecoder(ctx, root.value("decoder", Json()), "decoder");
        loadAddedTokens(*impl, root);
    } catch (const Json::exception& e) { // a field of the wrong JSON type somewhere
        throw FormatError(ctx.file, "", e.what());
    }
    return Tokenizer(std::move(impl));
}

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

// One stretch of text between non-normalized added tokens.
void Tokenizer::Impl::encodePlain(std::string_view text, bool atStart, std::vector<int32_t>& ids) const {
    std::string normalized(text);
    if (normalizer) normalizer->apply(normalized);
    std::vector<Segment> segments;
    if (normalizedMatcher.empty()) {
        if (!normalized.empty()) segments.push_back(Segment{0, normalized.size(), -1});
    } else {
        segments = normalizedMatcher.split(normalized);
    }
    std::vector<Piece> pieces;
    for (const Segment& seg : segments) {
        if (seg.tokenId >= 0) {
            ids.push_back(seg.tokenId);
            continue;
        }
        pieces.clear();
        pieces.push_back(Piece{normalized.substr(seg.start, seg.end - seg.start), atStart && seg.start == 0});
        if (preTokenizer) preTokenizer->apply(pieces);
        for (const Piece& p : pieces)
            model->tokenize(p.text, ids);
    }
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool addSpecialTokens) const {
    unicode::validate(text);
    std::vector<int32_t> ids;
    ids.reserve(text.size() / 3 + 4);
    if (impl_->rawMatcher.empty()) {
        if (!text.empty()) impl_->encodePlain(text, true, ids);
    } else {
        for (const Segment& seg : impl_->rawMatcher.split(text)) {
            if (seg.tokenId >= 0)
                ids.push_back(seg.tokenId);
            else
                impl_->encodePlain(text.substr(seg.start, seg.end - seg.start), seg.start == 0, ids);
        }
    }
    if (addSpecialTokens && impl_->postProcessor) impl_->postProcessor->apply(ids);
    return ids;
}

const std::string* Tokenizer::Impl::idToToken(int32_t id) const {
    if (auto it = addedById.find(id); it != addedById.end()) return &added[it->second].content;
    return model->idToToken(id);
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecialTokens) const {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
        const std::string* t = impl_->idToToken(id);
        if (!t) continue; // unknown ids are skipped, as tokenizers does
        if (skipSpecialTokens) {
            auto it = impl_->addedById.find(id);
            if (it != impl_->addedById.end() && impl_->added[it->second].special) continue;
        }
        tokens.push_back(*t);
    }
    std::string out;
    if (impl_->decoder) {
        impl_->decoder->decodeChain(tokens);
        for (const auto& t : tokens)
            out += t;
    } else {
        for (size_t i = 0; i < tokens.size(); ++i) {
            if (i) out += ' ';
            out += tokens[i];
        }
    }
    return out;
}

std::string Tokenizer::tokenText(int32_t id) const {
    const std::string* raw = impl_->idToToken(id);
    if (!raw) return std::string();
    std::string text = decode({id});
    // A lone byte of a multi-byte character decodes to U+FFFD: the vocab string says more.
    if (text.empty() || text.find("\xEF\xBF\xBD") != std::string::npos) return *raw;
    return text;
}

int64_t Tokenizer::vocabSize() const {
    int64_t n = static_cast<int64_t>(impl_->model->maxId()) + 1;
    for (const auto& a : impl_->added)
        n = std::max<int64_t>(n, static_cast<int64_t>(a.id) + 1);
    return n;
}

int32_t Tokenizer::tokenToId(std::string_view token) const {
    if (auto it = impl_->addedByContent.find(std::string(token)); it != impl_->addedByContent.end())
        return it->second;
    return impl_->model->tokenToId(token);
}

} // namespace transmla::tok
