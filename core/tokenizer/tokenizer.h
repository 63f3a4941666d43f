// Hugging Face tokenizer.json reader and encoder/decoder.
// Produces the same ids as the Rust `tokenizers` library for the components it supports; any other
// component is rejected at load time with an error naming it (never silently different ids).
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace transmla::tok {

class Tokenizer {
public:
    // path: a tokenizer.json file, or a model folder holding one.
    static Tokenizer load(const std::filesystem::path& path);

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    // Throws transmla::Error on invalid UTF-8 input.
    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens = false) const;
    std::string decode(const std::vector<int32_t>& ids, bool skipSpecialTokens = false) const;
    // The display text of one token (for plot axes): decoded where possible, else the raw vocab string.
    std::string tokenText(int32_t id) const;
    int64_t vocabSize() const; // highest id + 1 over the model vocabulary and the added tokens
    int32_t tokenToId(std::string_view token) const; // -1 when absent

    struct Impl;

private:
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace transmla::tok
