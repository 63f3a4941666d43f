#include "util/threads.h"

#include <malloc.h>

#include <csignal>

#include <thread>

#include <ATen/Parallel.h>

namespace transmla {
void useAllCores() {
    tuneAllocator();
    const unsigned n = std::thread::hardware_concurrency();
    if (n > 0) at::set_num_threads(static_cast<int>(n));
}

void tuneAllocator() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_MAX, 0);             // no per-allocation mappings: big buffers come from the heap
    mallopt(M_TRIM_THRESHOLD, 1 << 30); // return free memory at the top only beyond 1 GiB
    mallopt(M_TOP_PAD, 64 << 20);       // grow the heap in 64 MiB steps
#endif
}

void ignoreFileSizeSignal() {
    std::signal(SIGXFSZ, SIG_IGN);
}
} // namespace transmla
