// GPT-2's bytes_to_unicode table: every byte gets a printable code point, so that byte-level BPE
// vocabularies can be stored as text. Used by the ByteLevel pre-tokenizer and decoder.
#pragma once
#include <array>
#include <string>
#include <string_view>

namespace transmla::tok::byte_level {

// UTF-8 of the code point standing for byte b.
const std::array<std::string, 256>& byteToText();
// Byte for code point cp, or -1 when cp stands for no byte.
int codePointToByte(char32_t cp);
// Maps every byte of s to its stand-in.
std::string encode(std::string_view s);

} // namespace transmla::tok::byte_level
