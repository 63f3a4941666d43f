// bench_spectra: wall time of the full spectra analysis (weights + calibration activations of
// K pre/post RoPE and V, streaming fp64 Grams) of the demo model on the CPU.
// Usage: bench_spectra [MODEL_DIR] [SAMPLES=64] [SEQLEN=256] [THREADS=torch default]
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "analysis/spectra.h"
#include "io/datasets.h"
#include "model/forward.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace transmla;

namespace {
double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}
} // namespace

int main(int argc, char** argv) {
    try {
        const fs::path resources = TRANSMLA_RESOURCES_DIR;
        const fs::path dir =
            argc > 1 && *argv[1] ? fs::path(argv[1]) : resources / "models" / "tiny-llama-gqa";
        const int64_t samples = argc > 2 ? std::stoll(argv[2]) : 64,
                      seqLen = argc > 3 ? std::stoll(argv[3]) : 256;
        if (argc > 4) at::set_num_threads(std::stoi(argv[4]));

        const auto t0 = Clock::now();
        const model::Model m = model::Model::load(dir, {"cpu", "f32"});
        const tok::Tokenizer tok = tok::Tokenizer::load(dir);
        std::vector<std::string> texts;
        for (const auto& p : io::loadGsm8k(resources / "data" / "gsm8k" / "train.jsonl"))
            texts.push_back(p.text());
        const auto t1 = Clock::now();
        const auto weights = analysis::weightSpectra(m);
        const auto t2 = Clock::now();
        const auto seqs = analysis::calibrationSequences(tok, texts, samples, seqLen);
        const auto t3 = Clock::now();
        const auto acts = analysis::activationSpectra(m, seqs);
        const auto t4 = Clock::now();
        // The same forwards without hooks: what the Gram accumulation adds on top.
        {
            c10::InferenceMode guard;
            for (size_t i = 0; i < seqs.size(); i += size_t(8192 / seqLen)) {
                const size_t b = std::min(seqs.size() - i, size_t(std::max<int64_t>(1, 8192 / seqLen)));
                std::vector<int64_t> ids;
                for (size_t j = i; j < i + b; ++j)
                    ids.insert(ids.end(), seqs[j].begin(), seqs[j].end());
                model::forwardHidden(m, at::tensor(ids, at::kLong).view({int64_t(b), seqLen}));
            }
        }
        const auto t4b = Clock::now();
        // The whole entry point, as `transmla analyze spectra` runs it.
        analysis::SpectraOptions opts;
        opts.samples = samples;
        opts.seqLen = seqLen;
        const auto full = analysis::computeSpectra(m, tok, texts, "gsm8k train", opts);
        const auto t5 = Clock::now();

        const double forwardS = seconds(t4, t4b);
        const double tokens = double(samples * seqLen);
        std::printf("command: %s %s %lld %lld\nmachine: %u hardware threads, torch intra-op threads %d\n",
                    argv[0], dir.string().c_str(), static_cast<long long>(samples),
                    static_cast<long long>(seqLen), std::thread::hardware_concurrency(),
                    at::get_num_threads());
        std::printf("model: %lld layers, %lld kv heads x %lld, hidden %lld\n\n",
                    static_cast<long long>(m.config.numLayers), static_cast<long long>(m.config.numKvHeads),
                    static_cast<long long>(m.config.headDim), static_cast<long long>(m.config.hiddenSize));
        std::printf("%-34s %10s  %s\n", "stage", "ms", "notes");
        std::printf("%-34s %10.1f  model + tokenizer + %zu texts\n", "load", seconds(t0, t1) * 1e3,
                    texts.size());
        std::printf("%-34s %10.1f  %zu spectra (fp64 SVD)\n", "weight spectra", seconds(t1, t2) * 1e3,
                    weights.size());
        std::printf("%-34s %10.1f  %lld x %lld tokens\n", "tokenize calibration", seconds(t2, t3) * 1e3,
                    static_cast<long long>(samples), static_cast<long long>(seqLen));
        std::printf("%-34s %10.1f  %zu spectra, %.0f tokens/s\n", "activation spectra (forward + Gram)",
                    seconds(t3, t4) * 1e3, acts.size(), tokens / seconds(t3, t4));
        std::printf("%-34s %10.1f  activation spectra / forward = %.2fx\n", "forward only (no hooks)",
                    forwardS * 1e3, seconds(t3, t4) / forwardS);
        std::printf("%-34s %10.1f  %zu spectra (= %.2fx the stages above)\n", "computeSpectra (all)",
                    seconds(t4b, t5) * 1e3, full.spectra.size(), seconds(t4b, t5) / seconds(t1, t4));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_spectra: %s\n", e.what());
        return 1;
    }
}
