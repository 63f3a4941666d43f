#include "tokenizer/post_processors.h"

#include <map>

namespace transmla::tok {

namespace {

class SequencePost final : public PostProcessor {
public:
    std::vector<std::unique_ptr<PostProcessor>> items;
    void apply(std::vector<int32_t>& ids) const override {
        for (const auto& p : items)
            p->apply(ids);
    }
};

// Template for the single-sequence case: `prefix` + sequence + `suffix`.
class WrapPost final : public PostProcessor {
public:
    WrapPost(std::vector<int32_t> prefix, std::vector<int32_t> suffix)
        : prefix_(std::move(prefix)), suffix_(std::move(suffix)) {}
    void apply(std::vector<int32_t>& ids) const override {
        ids.insert(ids.begin(), prefix_.begin(), prefix_.end());
        ids.insert(ids.end(), suffix_.begin(), suffix_.end());
    }

private:
    std::vector<int32_t> prefix_, suffix_;
};

class NoOpPost final : public PostProcessor {
public:
    void apply(std::vector<int32_t>&) const override {}
};

std::unique_ptr<PostProcessor> makeTemplate(const LoadContext& ctx, const Json& j, const std::string& field) {
    std::map<std::string, std::vector<int32_t>> specials;
    if (auto st = j.find("special_tokens"); st != j.end() && st->is_object()) {
        for (auto it = st->begin(); it != st->end(); ++it) {
            auto ids = it.value().find("ids");
            if (ids == it.value().end() || !ids->is_array())
                throw FormatError(ctx.file, field + ".special_tokens." + it.key() + ".ids", "missing");
            specials[it.key()] = ids->get<std::vector<int32_t>>();
        }
    }
    auto single = j.find("single");
    if (single == j.end() || !single->is_array()) throw FormatError(ctx.file, field + ".single", "missing");
    std::vector<int32_t> prefix, suffix;
    bool seenSequence = false;
    for (const Json& item : *single) {
        if (auto sp = item.find("SpecialToken"); sp != item.end()) {
            const std::string id = getString(ctx, *sp, "id", field + ".single.SpecialToken", "", true);
            auto it = specials.find(id);
            if (it == specials.end())
                throw FormatError(ctx.file, field + ".special_tokens", "no entry for '" + id + "'");
            auto& target = seenSequence ? suffix : prefix;
            target.insert(target.end(), it->second.begin(), it->second.end());
        } else if (auto sq = item.find("Sequence"); sq != item.end()) {
            const std::string id = getString(ctx, *sq, "id", field + ".single.Sequence", "A");
            if (id != "A" || seenSequence)
                throw FormatError(ctx.file, field + ".single", "expected one sequence 'A'");
            seenSequence = true;
        } else {
            throw FormatError(ctx.file, field + ".single", "expected SpecialToken or Sequence items");
        }
    }
    if (!seenSequence) throw FormatError(ctx.file, field + ".single", "has no sequence 'A'");
    return std::make_unique<WrapPost>(std::move(prefix), std::move(suffix));
}

// Roberta/Bert processors store [token, id] pairs.
int32_t pairId(const LoadContext& ctx, const Json& j, const std::string& key, const std::string& field) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_array() || it->size() != 2 || !(*it)[1].is_number_integer())
        throw FormatError(ctx.file, field + "." + key, "expected [token, id]");
    return (*it)[1].get<int32_t>();
}

} // namespace

std::unique_ptr<PostProcessor> makePostProcessor(const LoadContext& ctx, const Json& j,
                                                 const std::string& field) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(ctx, j, field);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequencePost>();
        auto it = j.find("processors");
        if (it == j.end() || !it->is_array()) throw FormatError(ctx.file, field + ".processors", "missing");
        for (size_t i = 0; i < it->size(); ++i)
            if (auto p = makePostProcessor(ctx, (*it)[i], field + ".processors[" + std::to_string(i) + "]"))
                seq->items.push_back(std::move(p));
        return seq;
    }
    if (type == "ByteLevel") return std::make_unique<NoOpPost>(); // only trims offsets, which we do not keep
    if (type == "TemplateProcessing") return makeTemplate(ctx, j, field);
    if (type == "RobertaProcessing" || type == "BertProcessing")
        return std::make_unique<WrapPost>(std::vector<int32_t>{pairId(ctx, j, "cls", field)},
                                          std::vector<int32_t>{pairId(ctx, j, "sep", field)});
    unsupported(ctx, field + ".type", type);
}

} // namespace transmla::tok
