#include "util/threads.h"

#include <thread>

#include <ATen/Parallel.h>

namespace transmla {
void useAllCores() {
    const unsigned n = std::thread::hardware_concurrency();
    if (n > 0) at::set_num_threads(static_cast<int>(n));
}
} // namespace transmla
