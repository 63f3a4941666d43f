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

// e.what() without the LibTorch backtrace it may carry; for out-of-memory errors,
// followed by "out of memory: try ..." with the options that lower memory use.
std::string userMessage(const std::exception& e);

} // namespace transmla
