#pragma once

namespace transmla {
// Torch intra-op threads = the machine's core count (the CLI and GUI call this once at start).
void useAllCores();
} // namespace transmla
