#include <iomanip>
#include <iostream>

#include "args.h"
#include "cli_util.h"
#include "commands.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace transmla::cli {

int cmdEval(int argc, char** argv) {
    const std::set<std::string> flags = {"json", "help", "quiet", "no-per-doc"};
    Args args(argc, argv, 1, flags);
    static_assert(eval::kDocumentMaxTokens == 512, "the usage text names the truncation");
    if (args.has("help") || args.positionals().size() != 1) {
        std::cout
            << "Usage: transmla eval MODEL_DIR --data gsm8k|FILE.jsonl [--device cpu|cuda] [--dtype "
               "f32|bf16]\n"
               "                     [--limit N] [--batch-tokens N] [--json] [--no-per-doc] [--quiet]\n"
               "GSM8K test loss: every problem as \"Question: q\\nAnswer: a\", truncated to 512 tokens;\n"
               "NLL summed over every predicted token; answer-only loss over the tokens after \"Answer:\".\n";
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly(
        {"json", "help", "quiet", "no-per-doc", "data", "device", "dtype", "limit", "batch-tokens"});
    const model::LoadOptions lo{args.get("device", "cpu"),
                                args.get("dtype", "f32")}; // checked before any work
    const std::string data = args.get("data", "gsm8k");
    const std::filesystem::path file = data == "gsm8k"
                                           ? gsm8kFile(resources("GSM8K test (--data gsm8k)"), "test")
                                           : std::filesystem::path(data);
    const auto problems = io::loadGsm8k(file, args.getInt("limit", -1));
    const std::filesystem::path dir = args.positionals()[0];
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(dir);
    CancelToken cancel;
    cancelOnSigint(cancel);
    Progress progress{stderrProgress(args.has("quiet")), &cancel};
    const model::Model m = model::Model::load(dir, lo, progress);
    eval::LossOptions opts;
    opts.batchTokens = args.getInt("batch-tokens", opts.batchTokens);
    const auto docs = eval::tokenizeGsm8k(tokenizer, problems, opts.maxTokens);
    const eval::LossResult r = eval::evaluateLoss(m, docs, opts, progress);
    if (args.has("json")) {
        nlohmann::json j = r.toJson(!args.has("no-per-doc"));
        j["model"] = dir.string();
        j["data"] = file.string();
        j["device"] = deviceName(m.options.device);
        j["dtype"] = computeDtypeName(m.options.dtype);
        std::cout << j.dump(1) << "\n";
    } else {
        std::cout << std::setprecision(6) << std::fixed << "problems        " << r.documents << "\n"
                  << "tokens          " << r.tokens << "\n"
                  << "mean NLL        " << r.meanNll() << "\n"
                  << "perplexity      " << r.perplexity() << "\n"
                  << "answer mean NLL " << r.answerMeanNll() << " (" << r.answerTokens << " tokens)\n"
                  << std::setprecision(1) << "time            " << r.seconds << " s (" << r.tokensPerSecond()
                  << " tokens/s, " << deviceName(m.options.device) << ", "
                  << computeDtypeName(m.options.dtype) << ")\n";
    }
    return 0;
}

} // namespace transmla::cli
