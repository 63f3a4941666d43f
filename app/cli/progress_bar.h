// Progress of long work on stderr, in the two forms a user meets:
// - a terminal: one line per stage, rewritten in place as a bar with counts and the time left
//   ("convert [##########..........] 12/24  50%  ETA 0:41"), ended with the stage's time when done;
// - a file or pipe (a log, CI): one line per stage, written once the stage ends ("convert 24/24 3.2 s"),
//   so that logs hold no carriage returns and no lines run together.
#pragma once
#include <chrono>
#include <functional>
#include <ostream>

#include "util/progress.h"

namespace transmla::cli {

// quiet: no output at all. Otherwise the form follows isatty(stderr).
ProgressFn stderrProgress(bool quiet);

// The printer behind it, on any stream; `now` in seconds (a steady clock unless a test gives one).
ProgressFn progressPrinter(std::ostream& out, bool terminal, std::function<double()> now = {});

} // namespace transmla::cli
