// transmla: the headless CLI over core. No logic here: dispatch to the subcommands.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "cli_util.h"
#include "commands.h"
#include "convert/settings.h"
#include "util/error_text.h"
#include "util/threads.h"
#include "util/version.h"

namespace {

struct Command {
    const char* name;
    int (*run)(int, char**);
    const char* summary;
};

const Command kCommands[] = {
    {"inspect", transmla::cli::cmdInspect, "inspect MODEL_DIR [--json]    architecture summary of a checkpoint"},
    {"eval", transmla::cli::cmdEval,
     "eval MODEL_DIR --data gsm8k [--device cpu|cuda] [--limit N] [--dtype f32|bf16] [--json]\n"
     "                                      GSM8K test loss (tokens, mean NLL, perplexity, per problem)"},
    {"logits", transmla::cli::cmdLogits,
     "logits MODEL_DIR --ids IDS.json --out F.safetensors [--device cpu|cuda]\n"
     "                                      fp32 logits [B, T, vocab] for equal-length id lists"},
    {"tokenize", transmla::cli::cmdTokenize,
     "tokenize MODEL_DIR_OR_TOKENIZER_JSON --cases IN.json --json [--add-special-tokens]\n"
     "                                      token ids of [{\"text\": ...}] cases"},
    {"convert", transmla::cli::cmdConvert,
     "convert MODEL_DIR [--out DIR] [--kv-lora-rank R | --energy E | --exact] [--qk-rope-dim 64] [--eval] ...\n"
     "                                      GQA -> MLA (TransMLA), exported in DeepSeek-V3 format"},
    {"demo", transmla::cli::cmdDemo, "demo                           inspect + evaluate the bundled demo model"},
    {"analyze", transmla::cli::cmdAnalyze, "analyze spectra|budget|attention|pareto MODEL_DIR [--session F.h5] [--csv DIR] [--json]\n                                      singular value spectra, KV cache budgets, attention maps"},
};

void printHelp() {
    std::cout << "transmla " << transmla::kVersion
              << " - turn GQA language models into Multi-head Latent Attention (TransMLA)\n\n"
                 "Usage: transmla COMMAND [ARGS]\n\nCommands:\n";
    for (const auto& c : kCommands) std::cout << "  " << c.summary << "\n";
    std::cout << "\nRun 'transmla COMMAND --help' for a command's options.\n";
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
    for (const auto& c : kCommands) {
        if (std::string(argv[1]) == c.name) {
            try {
                return c.run(argc - 1, argv + 1);
            } catch (const transmla::convert::SettingError& e) {
                std::cerr << "transmla " << c.name << ": error: " << transmla::cli::flagMessage(e.setting(), e.detail()) << "\n";
                return 2;
            } catch (const std::exception& e) {
                // std::bad_alloc and LibTorch's allocator errors included: a message with a suggestion.
                std::cerr << "transmla " << c.name << ": error: " << transmla::userMessage(e) << "\n";
                return 2;
            }
        }
    }
    std::cerr << "transmla: unknown command '" << argv[1] << "' (see transmla --help)\n";
    return 2;
}
