// Small helpers shared by the CLI subcommands.
#pragma once
#include <filesystem>
#include <string>

#include "progress_bar.h"
#include "util/progress.h"
#include "util/resources.h"

namespace transmla::cli {

// The bundled resources (demo model, GSM8K, WikiText-2). Looked up only where a command needs them, so
// that everything else runs without them; when they are missing, the error starts with `purpose`, what
// needed them ("GSM8K train (the default --calib)").
std::filesystem::path resources(const std::string& purpose);
inline std::filesystem::path resources() {
    return resources("the bundled GSM8K data");
}

// A conversion setting out of range, in the CLI's words: "--qk-rope-dim 34: at most head_dim = 32"
// (core names the setting; this maps it to the flag that sets it).
std::string flagMessage(const std::string& setting, const std::string& detail);

// What lowers memory use, with the CLI's flags (core's userMessage appends it to out-of-memory errors).
inline constexpr const char* kMemoryHint =
    "try a smaller --batch-tokens, --samples or --seqlen, --dtype bf16, or --device cpu if the GPU ran out";

// Installs a SIGINT handler that cancels `token` (Ctrl-C stops long work cleanly).
void cancelOnSigint(CancelToken& token);

} // namespace transmla::cli
