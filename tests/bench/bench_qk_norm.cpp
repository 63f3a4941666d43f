// The GSM8K NLL table of issue 18 for the q/k-norm families (convert/qk_norm.h): the original model, the
// exact merge, the compressed conversion (the normalised keys' latent) and the DeepSeek-V3-compatible
// approximation (norms folded, then converted) at r in {full, 50%, 25%} of 2*g*d - r_R.
//   bench_qk_norm MODEL_DIR [PROBLEMS (0: all 1,319)] [CALIB_SAMPLES x 128 tokens (default 32)] [DEVICE]
// DEVICE: cpu (default) | cuda | cuda:N; the compute stays f32 (the whole test set is ~13x the CPU's 100
// problems).
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/calibration.h"
#include "convert/pipeline.h"
#include "convert/qk_norm.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

using namespace transmla;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_qk_norm MODEL_DIR [PROBLEMS] [CALIB_SAMPLES] [DEVICE]\n");
        return 2;
    }
    c10::InferenceMode guard;
    const fs::path dir = argv[1], resources = TRANSMLA_RESOURCES_DIR;
    const int64_t problems =
        argc > 2 && std::atoll(argv[2]) > 0 ? std::atoll(argv[2]) : -1; // loadGsm8k: -1 = all
    const auto tokenizer = tok::Tokenizer::load(dir);
    const auto docs = eval::tokenizeGsm8k(
        tokenizer, io::loadGsm8k(resources / "data" / "gsm8k" / "test.jsonl", problems), 512);
    convert::CalibrationSettings cs;
    cs.samples = argc > 3 ? std::atoll(argv[3]) : 32;
    cs.seqLen = 128;
    const at::Tensor calib = convert::calibrationTokens(cs, tokenizer, resources);
    const model::LoadOptions lo(argc > 4 ? argv[4] : "cpu", "f32");
    auto nll = [&](const model::Model& m) { return eval::evaluateLoss(m, docs).meanNll(); };
    const auto t0 = std::chrono::steady_clock::now();

    const model::Model original = model::Model::load(dir, lo);
    model::Model exact = model::Model::load(dir, lo);
    convert::ConvertSettings es;
    es.exact = true;
    convert::convertModel(exact, es, {});
    std::printf("%s on %s: %lld GSM8K problems, %lld tokens; calibration %lld x %lld\n",
                dir.filename().c_str(), deviceName(lo.device).c_str(), (long long)docs.size(),
                (long long)eval::evaluateLoss(original, docs).tokens, (long long)cs.samples,
                (long long)cs.seqLen);
    std::printf("original %.5f   exact merge %.5f\n", nll(original), nll(exact));

    convert::ConvertSettings s; // the defaults: RoRoPE + FreqFold, balanced KV, joint PCA
    model::Model compressed = model::Model::load(dir, lo);
    convert::ConversionCache cache;
    const auto full = convert::convertModel(compressed, s, calib, {}, {}, &cache);
    model::Model folded = model::Model::load(dir, lo);
    const auto fold = convert::foldQkNorms(folded, calib);
    const model::Model foldedOriginal = folded;
    model::Model approx = folded;
    convert::ConversionCache approxCache;
    convert::convertModel(approx, s, calib, {}, {}, &approxCache);
    std::printf("folded norms (no conversion) %.5f   mean relative head error of the fit %.4f\n",
                nll(foldedOriginal), fold.meanRelativeError);
    std::printf("| r | r_R | KV bytes/token (bf16) | compressed (exact form) | DS-V3 approximation |\n");
    std::printf("|---|---|---|---|---|\n");
    for (int64_t r : {full.maxRank, full.maxRank / 2, full.maxRank / 4}) {
        const auto rep = convert::reassembleAtRank(compressed, original, cache, r);
        convert::reassembleAtRank(approx, foldedOriginal, approxCache, r);
        std::printf("| %lld | %lld | %lld | %.5f | %.5f |\n", (long long)r, (long long)rep.ropeDim,
                    (long long)rep.kvBytesPerTokenAfter, nll(compressed), nll(approx));
        std::fflush(stdout);
    }
    std::printf("(%.0f s)\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return 0;
}
