// Fuzz inputs reach the file-based parsers through a file in /dev/shm (what users hand us is files).
#pragma once
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

inline std::string fuzzFile(const uint8_t* data, size_t size, const char* suffix) {
    const std::string path = "/dev/shm/transmla-fuzz-" + std::to_string(::getpid()) + suffix;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), std::streamsize(size));
    return path;
}
