#include "util/error_text.h"

#include <c10/util/Exception.h> // c10::OutOfMemoryError (LibTorch >= 2)
#if __has_include(<torch/version.h>)
#include <torch/version.h>
#endif

#include <new>

namespace transmla {

bool isOutOfMemory(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) return true;
#if defined(TORCH_VERSION_MAJOR) && TORCH_VERSION_MAJOR >= 2
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e)) return true;
#endif
    const std::string what = e.what();
    for (const char* text :
         {"out of memory", "not enough memory", "can't allocate memory", "Cannot allocate memory"})
        if (what.find(text) != std::string::npos) return true;
    return false;
}

std::string userMessage(const std::exception& e, const std::string& memoryHint) {
    std::string what = e.what();
    // LibTorch's messages carry a C++ backtrace: keep what comes before it. TORCH_CHECK errors start
    // it with "Exception raised from", CAFFE_ENFORCE ones (the CPU allocator's) with "frame #0:".
    for (const char* marker : {"\nException raised from", "\nframe #0:"})
        if (const size_t bt = what.find(marker); bt != std::string::npos) what.resize(bt);
    if (what.empty() || dynamic_cast<const std::bad_alloc*>(&e))
        what = "memory allocation failed (" + what + ")";
    if (isOutOfMemory(e)) what += "\n  (out of memory: " + memoryHint + ")";
    return what;
}

} // namespace transmla
