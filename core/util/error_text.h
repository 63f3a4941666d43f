// What to tell a user about an exception caught at a boundary (CLI main, GUI worker): LibTorch's
// messages lose their C++ backtrace, and running out of memory (std::bad_alloc, LibTorch's CPU
// allocator, CUDA) gets a suggestion instead of a bare allocator message. Torch-free header.
#pragma once
#include <exception>
#include <string>

namespace transmla {

// True for std::bad_alloc, c10::OutOfMemoryError (LibTorch 2.x) and allocator messages of LibTorch
// 1.13 ("out of memory", "not enough memory", "can't allocate memory").
bool isOutOfMemory(const std::exception& e);

// What lowers memory use, in setting names; a front end passes its own words (the CLI its flags).
inline constexpr const char* kMemoryHint = "try a smaller batch_tokens, calibration_samples or "
                                           "calibration_seqlen, dtype bf16, or device cpu if the GPU ran out";

// e.what() without the LibTorch backtrace it may carry; for out-of-memory errors,
// followed by "(out of memory: <memoryHint>)".
std::string userMessage(const std::exception& e, const std::string& memoryHint = kMemoryHint);

} // namespace transmla
