// Small helpers shared by the CLI subcommands.
#pragma once
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "util/progress.h"
#include "util/resources.h"

namespace transmla::cli {

inline std::filesystem::path resources() { return findResources(executableDir(), TRANSMLA_SOURCE_RESOURCES); }

// A progress printer on stderr: one line per stage, updated in place.
inline ProgressFn stderrProgress(bool quiet) {
    if (quiet) return {};
    // One line per stage, rewritten in place; a new stage starts a new line.
    auto last = std::make_shared<std::string>();
    return [last](int64_t done, int64_t total, const std::string& stage) {
        if (stage != *last && !last->empty()) std::cerr << "\n";
        *last = stage;
        std::cerr << "\r" << stage << " " << done << "/" << total << std::flush;
    };
}

// A conversion setting out of range, in the CLI's words: "--qk-rope-dim 34: at most head_dim = 32"
// (core names the setting; this maps it to the flag that sets it).
std::string flagMessage(const std::string& setting, const std::string& detail);

// Installs a SIGINT handler that cancels `token` (Ctrl-C stops long work cleanly).
void cancelOnSigint(CancelToken& token);

} // namespace transmla::cli
