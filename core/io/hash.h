// Content hashes that tie a saved session to the model it was computed from. FNV-1a 64: not
// cryptographic, only a fingerprint that changes when config.json or a tensor header changes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace transmla::io {

constexpr uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;
// Continue a hash over more bytes: fnv1a64(b, nb, fnv1a64(a, na)).
uint64_t fnv1a64(const void* data, size_t bytes, uint64_t state = kFnv1aOffset);
std::string hashHex(uint64_t h); // 16 lowercase hex digits

// The whole file (throws FormatError naming it when unreadable).
uint64_t hashFile(const std::filesystem::path& file, uint64_t state = kFnv1aOffset);
// The whole file, 8 bytes at a time (several times faster than fnv1a64 for weights; a different value
// from hashFile). For FolderSnapshot: tells a rewritten file from a touched one.
uint64_t hashFileContent(const std::filesystem::path& file);
// The 8-byte length and the JSON header of a safetensors file: names, dtypes, shapes and offsets,
// without reading the tensor data (gigabytes) itself.
uint64_t hashSafetensorsHeader(const std::filesystem::path& file, uint64_t state = kFnv1aOffset);

} // namespace transmla::io
