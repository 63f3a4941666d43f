#include "tokenizer/bpe.h"

#include <queue>

#include "tokenizer/unicode.h"

namespace transmla::tok {

namespace {
constexpr size_t kCacheCapacity = 200000; // words; the cache is dropped when full
constexpr int64_t kMaxVocabHoles = 1 << 16;
constexpr size_t kMaxCachedWord = 256; // bytes; longer words are rare and not worth keeping
} // namespace

Bpe::Bpe(const LoadContext& ctx, const Json& j, std::vector<std::pair<std::string, int64_t>> vocab,
         const std::vector<std::pair<std::string, std::string>>& merges) {
    const std::string field = "model";
    if (auto d = j.find("dropout"); d != j.end() && !d->is_null() && d->is_number() && d->get<double>() > 0.0)
        throw FormatError(ctx.file, "model.dropout", "unsupported (BPE dropout is random)");
    vocab_.reserve(vocab.size());
    int64_t maxId = -1;
    for (const auto& [tok, id] : vocab) {
        if (id < 0 || id > INT32_MAX)
            throw FormatError(ctx.file, "model.vocab", "id out of range for '" + tok + "'");
        maxId = std::max(maxId, id);
    }
    // The id table is dense (index = id): ids far beyond the vocabulary's size would make a tiny file
    // allocate gigabytes (found by fuzz_tokenizer_json: one token with id 2^30). Real vocabularies
    // are dense; a few holes are allowed.
    if (maxId >= int64_t(vocab.size()) + kMaxVocabHoles)
        throw FormatError(ctx.file, "model.vocab",
                          "id " + std::to_string(maxId) + " is far beyond the " +
                              std::to_string(vocab.size()) + " entries (ids must be nearly dense)");
    idToToken_.resize(static_cast<size_t>(maxId + 1));
    for (auto& [tok, id] : vocab) {
        idToToken_[static_cast<size_t>(id)] = tok;
        vocab_.emplace(std::move(tok), static_cast<int32_t>(id));
    }

    prefix_ = getString(ctx, j, "continuing_subword_prefix", field);
    suffix_ = getString(ctx, j, "end_of_word_suffix", field);
    byteFallback_ = getBool(ctx, j, "byte_fallback", field, false);
    fuseUnk_ = getBool(ctx, j, "fuse_unk", field, false);
    ignoreMerges_ = getBool(ctx, j, "ignore_merges", field, false);
    const std::string unk = getString(ctx, j, "unk_token", field);
    if (!unk.empty()) {
        auto it = vocab_.find(unk);
        if (it == vocab_.end())
            throw FormatError(ctx.file, "model.unk_token", "'" + unk + "' is not in the vocabulary");
        unkId_ = it->second;
    }
    for (int b = 0; b < 256; ++b) {
        static const char* hex = "0123456789ABCDEF";
        const std::string name = std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
        auto it = vocab_.find(name);
        byteIds_[b] = it == vocab_.end() ? -1 : it->second;
    }

    size_t capacity = 16;
    while (capacity < merges.size() * 2)
        capacity *= 2;
    mergeSlots_.assign(capacity, MergeSlot{kEmpty, MergeInfo{0, 0}});
    mergeMask_ = capacity - 1;
    std::string merged;
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [a, b] = merges[rank];
        auto ia = vocab_.find(a), ib = vocab_.find(b);
        if (ia == vocab_.end() || ib == vocab_.end())
            throw FormatError(ctx.file, "model.merges[" + std::to_string(rank) + "]",
                              "token '" + (ia == vocab_.end() ? a : b) + "' is not in the vocabulary");
        if (b.size() < prefix_.size())
            throw FormatError(ctx.file, "model.merges[" + std::to_string(rank) + "]",
                              "token shorter than the prefix");
        merged.assign(a);
        merged.append(b, prefix_.size(), std::string::npos);
        auto im = vocab_.find(merged);
        if (im == vocab_.end())
            throw FormatError(ctx.file, "model.merges[" + std::to_string(rank) + "]",
                              "merged token '" + merged + "' is not in the vocabulary");
        // A repeated pair keeps its last rank, as tokenizers' HashMap collect does.
        insertMerge(pairKey(ia->second, ib->second), MergeInfo{static_cast<int32_t>(rank), im->second});
    }

    charIds_.assign(0x10000, -1);
    for (const auto& [tok, id] : vocab_) {
        if (tok.empty() || tok.size() > 3) continue;
        size_t i = 0;
        const char32_t c = unicode::next(tok, i);
        if (i == tok.size() && c < 0x10000) charIds_[c] = id;
    }
}

void Bpe::insertMerge(uint64_t key, MergeInfo info) {
    for (size_t i = slotOf(key, mergeMask_);; i = (i + 1) & mergeMask_) {
        MergeSlot& s = mergeSlots_[i];
        if (s.key == kEmpty || s.key == key) { // a repeated pair keeps its last rank
            s = MergeSlot{key, info};
            return;
        }
    }
}

int32_t Bpe::tokenToId(std::string_view token) const {
    auto it = vocab_.find(token);
    return it == vocab_.end() ? -1 : it->second;
}

const std::string* Bpe::idToToken(int32_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= idToToken_.size()) return nullptr;
    const std::string& s = idToToken_[static_cast<size_t>(id)];
    return s.empty() && vocab_.find(s) == vocab_.end() ? nullptr : &s;
}

void Bpe::tokenize(std::string_view word, std::vector<int32_t>& out) const {
    if (word.empty()) return;
    if (ignoreMerges_) {
        if (auto it = vocab_.find(word); it != vocab_.end()) {
            out.push_back(it->second);
            return;
        }
    }
    const bool cacheable = word.size() <= kMaxCachedWord;
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        if (auto it = cache_.find(word); it != cache_.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids;
    mergeWord(word, ids);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        if (cache_.size() >= kCacheCapacity) cache_.clear();
        cache_.emplace(std::string(word), std::move(ids));
    }
}

void Bpe::mergeWord(std::string_view w, std::vector<int32_t>& out) const {
    struct Symbol {
        int32_t id;
        int32_t prev, next;
        bool alive;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(w.size());
    auto add = [&symbols](int32_t id) {
        const auto n = static_cast<int32_t>(symbols.size());
        if (n) symbols.back().next = n;
        symbols.push_back(Symbol{id, n - 1, -1, true});
    };

    // Initial symbols: one per character (with prefix/suffix), byte fallback, or (fused) unk.
    int32_t pendingUnk = -1; // an unk not yet emitted, so that consecutive ones can fuse
    std::string s;
    size_t i = 0;
    while (i < w.size()) {
        const size_t start = i;
        i += unicode::seqLen(static_cast<unsigned char>(w[i]));
        if (i > w.size()) i = w.size();
        std::string_view ch = w.substr(start, i - start);
        if (prefix_.empty() && suffix_.empty() && ch.size() <= 3) {
            size_t k = 0;
            const char32_t c = unicode::next(ch, k);
            if (const int32_t id = charIds_[c]; id >= 0) {
                if (pendingUnk >= 0) {
                    add(pendingUnk);
                    pendingUnk = -1;
                }
                add(id);
                continue;
            }
        }
        std::string_view key = ch;
        if ((start != 0 && !prefix_.empty()) || (i == w.size() && !suffix_.empty())) {
            s.clear();
            if (start != 0) s += prefix_;
            s += ch;
            if (i == w.size()) s += suffix_;
            key = s;
        }
        if (auto it = vocab_.find(key); it != vocab_.end()) {
            if (pendingUnk >= 0) {
                add(pendingUnk);
                pendingUnk = -1;
            }
            add(it->second);
            continue;
        }
        if (byteFallback_) {
            bool all = true;
            for (char c : key)
                all = all && byteIds_[static_cast<unsigned char>(c)] >= 0;
            if (all) { // note: tokenizers does not flush a pending unk first
                for (char c : key)
                    add(byteIds_[static_cast<unsigned char>(c)]);
                continue;
            }
        }
        if (unkId_) {
            if (pendingUnk >= 0 && !fuseUnk_) add(pendingUnk);
            pendingUnk = *unkId_;
        }
        // No unk token: the character is dropped, as tokenizers does.
    }
    if (pendingUnk >= 0) add(pendingUnk);

    struct Cand {
        int32_t rank;
        int32_t pos;
        int32_t newId;
        bool operator<(const Cand& o) const { // priority_queue pops the largest: lowest rank, then lowest pos
            return rank != o.rank ? rank > o.rank : pos > o.pos;
        }
    };
    std::priority_queue<Cand> queue;
    for (size_t k = 0; k + 1 < symbols.size(); ++k) {
        if (const MergeInfo* m = findMerge(symbols[k].id, symbols[k + 1].id))
            queue.push(Cand{m->rank, static_cast<int32_t>(k), m->newId});
    }
    while (!queue.empty()) {
        const Cand top = queue.top();
        queue.pop();
        Symbol& cur = symbols[static_cast<size_t>(top.pos)];
        if (!cur.alive || cur.next < 0) continue;
        const int32_t nextPos = cur.next;
        Symbol& right = symbols[static_cast<size_t>(nextPos)];
        // Skip stale entries: the pair at this position must still merge into the same token.
        const MergeInfo* current = findMerge(cur.id, right.id);
        if (!current || current->newId != top.newId) continue;
        cur.id = top.newId;
        cur.next = right.next;
        right.alive = false;
        if (right.next >= 0) symbols[static_cast<size_t>(right.next)].prev = top.pos;
        if (cur.prev >= 0) {
            const Symbol& p = symbols[static_cast<size_t>(cur.prev)];
            if (const MergeInfo* m = findMerge(p.id, cur.id)) queue.push(Cand{m->rank, cur.prev, m->newId});
        }
        if (cur.next >= 0) {
            const Symbol& n = symbols[static_cast<size_t>(cur.next)];
            if (const MergeInfo* m = findMerge(cur.id, n.id)) queue.push(Cand{m->rank, top.pos, m->newId});
        }
    }
    for (const Symbol& sym : symbols)
        if (sym.alive) out.push_back(sym.id);
}

} // namespace transmla::tok
