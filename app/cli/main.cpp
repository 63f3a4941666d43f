// transmla: the headless CLI over core. No logic here: dispatch to the subcommands.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "cli_util.h"
#include "commands.h"
#include "util/error.h"
#include "util/error_text.h"
#include "util/threads.h"
#include "util/version.h"

namespace {

void printHelp() {
    std::cout << "transmla " << transmla::kVersion
              << " - turn GQA language models into Multi-head Latent Attention (TransMLA)\n\n"
              << transmla::cli::helpText();
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
        !std::strcmp(argv[1], "help")) {
        printHelp();
        return argc < 2 ? 1 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::cout << "transmla " << transmla::kVersion << "\n";
        return 0;
    }
    transmla::useAllCores();
    transmla::ignoreFileSizeSignal();
    for (const auto& c : transmla::cli::commands()) {
        if (argv[1] != c.name) continue;
        try {
            return c.run(argc - 1, argv + 1);
        } catch (const transmla::SettingError& e) {
            // Core names the setting; the user typed a flag.
            std::cerr << "transmla " << c.name
                      << ": error: " << transmla::cli::flagMessage(e.setting(), e.detail()) << "\n";
        } catch (const transmla::AlreadyExists& e) {
            std::cerr << "transmla " << c.name << ": error: " << e.what() << "; pass --force to replace it\n";
        } catch (const std::exception& e) {
            // std::bad_alloc and LibTorch's allocator errors included: a message with a suggestion.
            std::cerr << "transmla " << c.name
                      << ": error: " << transmla::userMessage(e, transmla::cli::kMemoryHint) << "\n";
        }
        return 2;
    }
    std::cerr << "transmla: unknown command '" << argv[1] << "' (see transmla --help)\n";
    return 2;
}
