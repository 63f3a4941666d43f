// Fuzz inputs reach the file-based parsers through a file in /dev/shm (what users hand us is files).
#pragma once
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

// Removes the input file when the fuzzer exits normally (-max_total_time, -runs), so that CI leaves
// nothing in /dev/shm; after a crash the artifact libFuzzer writes is what matters.
struct FuzzFileRemover {
    std::string path;
    ~FuzzFileRemover() {
        if (!path.empty()) ::unlink(path.c_str());
    }
};

inline std::string fuzzFile(const uint8_t* data, size_t size, const char* suffix) {
    const std::string path = "/dev/shm/transmla-fuzz-" + std::to_string(::getpid()) + suffix;
    static FuzzFileRemover remover;
    remover.path = path;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), std::streamsize(size));
    return path;
}
