#pragma once

namespace transmla {
// Torch intra-op threads = the machine's core count (the CLI and GUI call this once at start).
void useAllCores();

// Keeps large tensor buffers in the heap instead of mapping and unmapping them per allocation:
// an evaluation batch frees and re-allocates the same few hundred MB every layer, and fresh
// mappings are page-faulted in again each time (measured: 2.1M page faults and 96 % system time
// for 50 GSM8K problems on the 2-core CI machine; 3.75 s instead of 16.4 s with the heap kept).
// Freed memory above 1 GiB at the heap's top is still returned. Called by the CLI, GUI and tests.
void tuneAllocator();

// A write past the file-size limit (RLIMIT_FSIZE) then fails with EFBIG, which the atomic writers
// report and clean up after, instead of SIGXFSZ killing the process with its temporaries left behind.
void ignoreFileSizeSignal();
} // namespace transmla
