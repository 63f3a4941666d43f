// bench_tokenizer: load time and single-thread encoding speed of the Qwen3 tokenizer (151k vocab)
// on GSM8K test (question + answer, the evaluation format) and WikiText-2 valid.
// Usage: bench_tokenizer [TOKENIZER_JSON_OR_DIR] [SHARED_DIR]
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error(p.string() + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

struct Result {
    const char* name;
    size_t docs = 0, bytes = 0, tokens = 0;
    double cold = 0, warm = 0; // first pass (empty word cache), second pass
};

Result run(const transmla::tok::Tokenizer& tok, const char* name, const std::vector<std::string>& docs) {
    Result r{name};
    r.docs = docs.size();
    for (int pass = 0; pass < 2; ++pass) {
        size_t tokens = 0, bytes = 0;
        const auto t0 = Clock::now();
        for (const auto& d : docs) {
            tokens += tok.encode(d).size();
            bytes += d.size();
        }
        const double s = seconds(t0, Clock::now());
        (pass ? r.warm : r.cold) = s;
        r.tokens = tokens;
        r.bytes = bytes;
    }
    return r;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const fs::path shared = argc > 2 ? fs::path(argv[2]) : fs::path(TRANSMLA_SHARED_DIR);
        const fs::path tokPath = argc > 1 ? fs::path(argv[1]) : shared / "tokenizers/qwen3/tokenizer.json";

        const auto t0 = Clock::now();
        const auto tok = transmla::tok::Tokenizer::load(tokPath);
        const double loadS = seconds(t0, Clock::now());

        std::vector<std::string> gsm8k;
        std::istringstream lines(readAll(shared / "data/gsm8k/test.jsonl"));
        for (std::string line; std::getline(lines, line);) {
            if (line.empty()) continue;
            const auto j = nlohmann::json::parse(line);
            gsm8k.push_back("Question: " + j.at("question").get<std::string>() +
                            "\nAnswer: " + j.at("answer").get<std::string>());
        }
        // WikiText-2 as one document per line, the way perplexity scripts usually feed it.
        std::vector<std::string> wiki;
        std::istringstream wl(readAll(shared / "data/wikitext2/valid.txt"));
        for (std::string line; std::getline(wl, line);)
            wiki.push_back(line + "\n");

        std::printf("tokenizer: %s (vocab %lld)\nload: %.1f ms\n\n", tokPath.string().c_str(),
                    static_cast<long long>(tok.vocabSize()), loadS * 1e3);
        std::printf("%-16s %6s %9s %9s %10s %10s %12s %12s\n", "corpus", "docs", "MB", "tokens", "cold MB/s",
                    "warm MB/s", "cold tok/s", "warm tok/s");
        for (const Result& r : {run(tok, "gsm8k-test", gsm8k), run(tok, "wikitext2-valid", wiki)}) {
            const double mb = static_cast<double>(r.bytes) / 1e6;
            std::printf("%-16s %6zu %9.2f %9zu %10.2f %10.2f %12.0f %12.0f\n", r.name, r.docs, mb, r.tokens,
                        mb / r.cold, mb / r.warm, static_cast<double>(r.tokens) / r.cold,
                        static_cast<double>(r.tokens) / r.warm);
        }
        std::printf("\ncold: first pass (empty per-word cache); warm: second pass. Single thread.\n");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_tokenizer: %s\n", e.what());
        return 1;
    }
}
