#include "io/hash.h"

#include <cstdio>
#include <fstream>
#include <vector>

#include "util/error.h"

namespace transmla::io {

uint64_t fnv1a64(const void* data, size_t bytes, uint64_t state) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < bytes; ++i) {
        state ^= p[i];
        state *= 0x100000001b3ULL;
    }
    return state;
}

std::string hashHex(uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

uint64_t hashFile(const std::filesystem::path& file, uint64_t state) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw FormatError(file.string(), "", "cannot open for hashing");
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        state = fnv1a64(buf.data(), size_t(in.gcount()), state);
    }
    if (in.bad()) throw FormatError(file.string(), "", "read error while hashing");
    return state;
}

uint64_t hashFileContent(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw FormatError(file.string(), "", "cannot open for hashing");
    std::vector<uint64_t> buf(1 << 16);
    uint64_t state = kFnv1aOffset, total = 0;
    while (in) {
        in.read(reinterpret_cast<char*>(buf.data()), std::streamsize(buf.size() * sizeof(uint64_t)));
        const size_t got = size_t(in.gcount());
        const size_t words = got / sizeof(uint64_t);
        for (size_t i = 0; i < words; ++i) {
            state ^= buf[i];
            state *= 0x100000001b3ULL;
            state ^= state >> 29; // spreads the high bytes of each word into the low ones
        }
        state = fnv1a64(reinterpret_cast<const char*>(buf.data()) + words * sizeof(uint64_t),
                        got % sizeof(uint64_t), state);
        total += got;
    }
    if (in.bad()) throw FormatError(file.string(), "", "read error while hashing");
    return fnv1a64(&total, sizeof total, state);
}

uint64_t hashSafetensorsHeader(const std::filesystem::path& file, uint64_t state) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw FormatError(file.string(), "", "cannot open for hashing");
    unsigned char len[8];
    if (!in.read(reinterpret_cast<char*>(len), 8))
        throw FormatError(file.string(), "header", "shorter than 8 bytes");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | len[i]; // little-endian
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    // The header length is untrusted: it must fit in the file (and in a sane bound) before we allocate.
    if (ec || n > size - 8 || n > (uint64_t(1) << 30))
        throw FormatError(file.string(), "header", "length " + std::to_string(n) + " exceeds the file");
    std::vector<char> header(static_cast<size_t>(n));
    if (!in.read(header.data(), std::streamsize(n))) throw FormatError(file.string(), "header", "truncated");
    state = fnv1a64(len, 8, state);
    return fnv1a64(header.data(), header.size(), state);
}

} // namespace transmla::io
