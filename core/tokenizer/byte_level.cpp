#include "tokenizer/byte_level.h"

#include "tokenizer/unicode.h"

namespace transmla::tok::byte_level {

namespace {

struct Tables {
    std::array<std::string, 256> text;
    std::array<int, 512> byteOf{}; // code points 0..511 cover the whole table
    Tables() {
        byteOf.fill(-1);
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            // Printable Latin-1 bytes stand for themselves; the others are shifted to 256 + n.
            const bool keep = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            const char32_t cp = keep ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
            unicode::append(text[b], cp);
            byteOf[cp] = b;
        }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

} // namespace

const std::array<std::string, 256>& byteToText() {
    return tables().text;
}

int codePointToByte(char32_t cp) {
    return cp < 512 ? tables().byteOf[cp] : -1;
}

std::string encode(std::string_view s) {
    const auto& t = tables().text;
    std::string out;
    out.reserve(s.size() * 2);
    for (char c : s)
        out += t[static_cast<unsigned char>(c)];
    return out;
}

} // namespace transmla::tok::byte_level
