// The BPE model (tokenizers' models::bpe::BPE) without dropout: per-word merges driven by a
// rank-ordered heap over a linked list of symbols, with a per-word result cache.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenizer/json_util.h"

namespace transmla::tok {

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using Vocab = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

class Bpe {
public:
    // j: the `model` object. Throws FormatError for anything malformed or unsupported.
    Bpe(const LoadContext& ctx, const Json& j);

    // Appends the ids of one pre-tokenized word.
    void tokenize(std::string_view word, std::vector<int32_t>& out) const;

    const Vocab& vocab() const { return vocab_; }
    int32_t tokenToId(std::string_view token) const;
    const std::string* idToToken(int32_t id) const;
    int32_t maxId() const { return static_cast<int32_t>(idToToken_.size()) - 1; }

private:
    struct MergeInfo {
        int32_t rank;
        int32_t newId;
    };
    static uint64_t pairKey(int32_t a, int32_t b) {
        return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
    }
    void mergeWord(std::string_view word, std::vector<int32_t>& out) const;

    Vocab vocab_;
    std::vector<std::string> idToToken_;
    std::unordered_map<uint64_t, MergeInfo> merges_;
    std::optional<int32_t> unkId_;
    std::string prefix_; // continuing_subword_prefix
    std::string suffix_; // end_of_word_suffix
    bool byteFallback_ = false;
    bool fuseUnk_ = false;
    bool ignoreMerges_ = false;
    int32_t byteIds_[256]; // ids of the <0xNN> tokens, -1 when absent

    mutable std::mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>, StringHash, std::equal_to<>> cache_;
};

} // namespace transmla::tok
