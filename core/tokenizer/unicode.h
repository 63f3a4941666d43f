// UTF-8 and Unicode helpers for the tokenizer: decoding, validation, lossy repair, character classes
// matching Rust's `char` predicates (which the `tokenizers` crate uses), and NF* normalisation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace transmla::tok::unicode {

// Decodes the code point starting at s[i] (s must be valid UTF-8) and advances i past it.
char32_t next(std::string_view s, size_t& i);
// Byte length of the UTF-8 sequence that starts with lead byte b (1 for continuation bytes).
inline size_t seqLen(unsigned char b) {
    return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}
void append(std::string& out, char32_t cp);

// Byte offset of the first invalid UTF-8 sequence, or npos when s is valid.
size_t firstInvalid(std::string_view s);
// Throws transmla::Error naming the byte offset when s is not valid UTF-8.
void validate(std::string_view s);
// Rust's String::from_utf8_lossy: each maximal invalid subpart becomes one U+FFFD.
std::string lossy(std::string_view bytes);

bool isAscii(std::string_view s);

// Rust char predicates.
bool isWhitespace(char32_t c); // White_Space property
bool isAlphanumeric(
    char32_t c);            // Alphabetic || Numeric (approximated by L*, Nl, Nd, No, Other_Alphabetic marks)
bool isNumeric(char32_t c); // general category Nd, Nl, No
bool isPunctuation(char32_t c); // ASCII punctuation or general category P*
bool isWordChar(char32_t c);    // regex \w: alphanumeric, marks, connector punctuation

enum class Form { NFC, NFD, NFKC, NFKD };
std::string normalize(std::string_view s, Form form);
// Rust char::to_lowercase applied to every character.
std::string lowercase(std::string_view s);

} // namespace transmla::tok::unicode
