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
    // j: the `model` object (its options); vocab and merges come pre-extracted (see json_load.h).
    // Throws FormatError for anything malformed or unsupported.
    Bpe(const LoadContext& ctx, const Json& j, std::vector<std::pair<std::string, int64_t>> vocab,
        const std::vector<std::pair<std::string, std::string>>& merges);

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
    // Open-addressing table (pair key -> merge): lookups dominate encoding, and node-based maps miss cache.
    struct MergeSlot {
        uint64_t key;
        MergeInfo info;
    };
    std::vector<MergeSlot> mergeSlots_; // size is a power of two; key kEmpty marks a free slot
    uint64_t mergeMask_ = 0;
    static constexpr uint64_t kEmpty = ~uint64_t(0);
    static size_t slotOf(uint64_t key, uint64_t mask) {
        return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 20 & mask);
    }
    const MergeInfo* findMerge(int32_t a, int32_t b) const {
        if (mergeSlots_.empty()) return nullptr;
        const uint64_t key = pairKey(a, b);
        for (size_t i = slotOf(key, mergeMask_);; i = (i + 1) & mergeMask_) {
            const MergeSlot& s = mergeSlots_[i];
            if (s.key == key) return &s.info;
            if (s.key == kEmpty) return nullptr;
        }
    }
    void insertMerge(uint64_t key, MergeInfo info);
    // Ids of single code points below 0x10000 (-1 when not a token), for the initial symbols.
    std::vector<int32_t> charIds_;
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
