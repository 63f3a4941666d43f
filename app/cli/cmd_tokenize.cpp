// transmla tokenize: token ids of a list of texts, for comparing against the Rust tokenizers.
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace transmla::cli {

namespace {

const char* const kUsage =
    "Usage: transmla tokenize MODEL_DIR_OR_TOKENIZER_JSON --cases IN.json --json [--add-special-tokens]\n"
    "\n"
    "Encodes every {\"text\": ...} of IN.json (a JSON array) with the model's tokenizer.json and prints\n"
    "[{\"text\": ..., \"ids\": [...]}] on stdout.\n"
    "\n"
    "  --cases IN.json          the texts to encode\n"
    "  --json                   JSON output (the only format)\n"
    "  --add-special-tokens     apply the post-processor (e.g. prepend BOS), like add_special_tokens=True\n";

} // namespace

int cmdTokenize(int argc, char** argv) {
    Args args(argc, argv, 1, {"json", "add-special-tokens", "help"});
    if (args.has("help")) {
        std::cout << kUsage;
        return 0;
    }
    args.allowOnly({"json", "add-special-tokens", "help", "cases"});
    if (args.positionals().size() != 1)
        throw ArgumentError(std::string("expected one tokenizer path\n") + kUsage);
    const auto casesPath = args.get("cases");
    if (!casesPath) throw ArgumentError(std::string("--cases IN.json is required\n") + kUsage);
    if (!args.has("json")) throw ArgumentError("only --json output is supported; pass --json");

    const tok::Tokenizer tokenizer = tok::Tokenizer::load(args.positionals()[0]);
    std::ifstream in(*casesPath, std::ios::binary);
    if (!in) throw Error(*casesPath + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json cases;
    try {
        cases = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw FormatError(*casesPath, "", std::string("not valid JSON: ") + e.what());
    }
    if (!cases.is_array()) throw FormatError(*casesPath, "", "expected an array of {\"text\": ...}");

    const bool addSpecial = args.has("add-special-tokens");
    nlohmann::ordered_json out = nlohmann::ordered_json::array(); // keeps "text" before "ids"
    for (size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        if (!c.is_object() || !c.contains("text") || !c["text"].is_string())
            throw FormatError(*casesPath, "[" + std::to_string(i) + "].text", "expected a string");
        const std::string text = c["text"].get<std::string>();
        out.push_back({{"text", text}, {"ids", tokenizer.encode(text, addSpecial)}});
    }
    std::cout << out.dump() << "\n";
    return 0;
}

} // namespace transmla::cli
