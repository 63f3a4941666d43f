#include "commands.h"

namespace transmla::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> kCommands = {
        {"inspect", "", "MODEL_DIR [--json] [--tensors]", "architecture summary of a checkpoint", cmdInspect},
        {"eval", "",
         "MODEL_DIR --data gsm8k|FILE [--device cpu|cuda] [--dtype f32|bf16] [--limit N] [--json]",
         "GSM8K test loss (tokens, mean NLL, perplexity, per problem)", cmdEval},
        {"logits", "", "MODEL_DIR --ids IDS.json --out F.safetensors [--device cpu|cuda] [--dtype f32|bf16]",
         "fp32 logits [B, T, vocab] for equal-length id lists", cmdLogits},
        {"tokenize", "", "MODEL_DIR_OR_TOKENIZER_JSON --cases IN.json --json [--add-special-tokens]",
         "token ids of [{\"text\": ...}] cases", cmdTokenize},
        {"convert", "",
         "MODEL_DIR [--out DIR] [--kv-lora-rank R | --energy E | --exact] [--qk-rope-dim 64] [--eval] ...",
         "GQA -> MLA (TransMLA), exported in DeepSeek-V3 format", cmdConvert},
        {"demo", "", "", "inspect, convert and evaluate the bundled demo model", cmdDemo},
        {"analyze", "spectra",
         "MODEL_DIR [--samples N] [--seqlen L] [--weights-only] [--session F.h5] [--csv DIR] [--json]",
         "singular value spectra of W_k, W_v and of calibration keys/values", cmdAnalyze},
        {"analyze", "budget", "MODEL_DIR [--rank R] [--rope-dim R_R] [--dtype bf16] [--batch B] [--json]",
         "KV cache bytes of GQA, exact MLA and MLA at a rank", cmdAnalyze},
        {"analyze", "attention", "MODEL_DIR [--layer L] [--head H] [--prompt TEXT] [--json]",
         "attention probabilities of one head", cmdAnalyze},
        {"analyze", "loss-sweep",
         "MODEL_DIR [--ranks R1,R2,..] [--rope-dim R_R] [--limit N] [--session F.h5]",
         "GSM8K test loss of MLA conversions at several ranks (resumable)", cmdAnalyze},
        {"analyze", "pareto",
         "MODEL_DIR [--ranks ..] [--rope-dims ..] [--freqfolds ..] [--held-out N] [--json]",
         "held-out loss vs KV bytes over (r, r_R, FreqFold) and its Pareto front", cmdAnalyze},
        {"analyze", "speed",
         "MODEL_DIR [--kv-lora-rank R] [--context 256] [--batch 1] [--steps 16] [--device cpu|cuda]",
         "measured decoding, GQA cache vs MLA latent cache: ms/step, tokens/s, cache bytes", cmdAnalyze},
    };
    return kCommands;
}

std::vector<std::string> subcommands(const std::string& name) {
    std::vector<std::string> out;
    for (const auto& c : commands())
        if (c.name == name && !c.sub.empty()) out.push_back(c.sub);
    return out;
}

std::string helpText() {
    std::string out = "Usage: transmla COMMAND [ARGS]\n\nCommands:\n";
    for (const auto& c : commands()) {
        std::string line = "  " + c.name + (c.sub.empty() ? "" : " " + c.sub);
        if (!c.synopsis.empty()) line += " " + c.synopsis;
        out += line + "\n      " + c.summary + "\n";
    }
    return out + "\nRun 'transmla COMMAND --help' for a command's options.\n";
}

} // namespace transmla::cli
