#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "cli_util.h"
#include "commands.h"

namespace transmla::cli {

namespace {
int run(int (*cmd)(int, char**), std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& s : args)
        argv.push_back(s.data());
    return cmd(int(argv.size()), argv.data());
}
} // namespace

// The headless demo: the README's first command falls back to it when there is no display.
// The main job end to end on the bundled model: inspect, convert GQA -> MLA (rank 48, calibrated on
// GSM8K train), GSM8K loss before/after, export in DeepSeek-V3 format, and load the export back.
int cmdDemo(int argc, char** argv) {
    Args args(argc, argv, 1, {"help"});
    if (args.has("help") || !args.positionals().empty()) {
        std::cout
            << "Usage: transmla demo\n"
               "Inspects the bundled demo model, converts it to MLA (rank 48), evaluates GSM8K before and\n"
               "after, exports it in DeepSeek-V3 format to the temporary folder and loads it back.\n";
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly({"help"});
    const std::string model = demoModelDir(resources("the demo model")).string();
    const std::string out = (std::filesystem::temp_directory_path() / "transmla-demo-mla").string();
    std::cout << "== transmla demo on the bundled model " << model << "\n\n";
    if (int rc = run(cmdInspect, {"inspect", model})) return rc;
    std::cout << "\n== TransMLA: GQA -> MLA, kv_lora_rank 48 + RoPE key 32, calibrated on 32 x 128 "
                 "GSM8K-train tokens;\n"
                 "   GSM8K test loss (first 200 problems, CPU, fp32) before and after; DeepSeek-V3 export to "
              << out << "\n";
    if (int rc = run(cmdConvert, {"convert", model, "--kv-lora-rank", "48", "--samples", "32", "--seqlen",
                                  "128", "--eval", "--limit", "200", "--out", out, "--force"}))
        return rc;
    std::cout << "\n== the exported model, as loaded back\n";
    return run(cmdInspect, {"inspect", out});
}

} // namespace transmla::cli
