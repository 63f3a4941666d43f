// transmla analyze speed: measured greedy decoding of the model (GQA cache) and of its conversion at
// --kv-lora-rank (MLA latent cache) at --context x --batch, beside the analytic KV budget: the same
// measurement as the workbench's Speed view (workbench/speed_step.h).
#include <cstdio>
#include <iostream>

#include "args.h"
#include "cli_util.h"
#include "commands.h"
#include "io/model_config.h"
#include "workbench/speed_step.h"
#include "workbench/workbench.h"

namespace fs = std::filesystem;

namespace transmla::cli {

namespace {

const char* kSpeedUsage =
    "Usage: transmla analyze speed MODEL_DIR [--kv-lora-rank R | --exact] [--qk-rope-dim R_R]\n"
    "         [--context 256] [--batch 1] [--steps 16] [--device cpu|cuda] [--dtype f32|bf16]\n"
    "         [--samples 32 --seqlen 128] [--json] [--quiet]\n"
    "Converts the model (calibrated on --samples GSM8K train sequences; the speed depends only on the\n"
    "shapes), then decodes greedily from a synthetic context of --context tokens in --batch sequences\n"
    "with the original's GQA cache and with the converted model's MLA latent cache: --steps timed steps\n"
    "after one untimed warm-up step. Prints ms per step, tokens/s, the allocated cache and the analytic\n"
    "KV budget of both, and MLA/GQA. Refuses (before allocating) a context x batch that does not fit.\n";

std::string mib(int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f MiB", double(bytes) / double(1 << 20));
    return buf;
}

} // namespace

int cmdAnalyzeSpeed(int argc, char** argv) {
    Args args(argc, argv, 1, {"json", "help", "quiet", "exact"});
    if (args.has("help") || args.positionals().size() != 1) {
        std::cout << kSpeedUsage;
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly({"json", "help", "quiet", "exact", "kv-lora-rank", "qk-rope-dim", "context", "batch",
                    "steps", "device", "dtype", "samples", "seqlen"});
    const fs::path dir = args.positionals()[0];
    const io::ModelConfig config = io::loadModelConfig(dir);
    workbench::SpeedRequest q;
    q.context = args.getInt("context", q.context);
    q.batch = args.getInt("batch", q.batch);
    q.steps = args.getInt("steps", q.steps);
    workbench::checkSpeedRequest(q, config); // before the model is read
    convert::ConvertSettings s;
    s.exact = args.has("exact");
    s.kvLoraRank = args.getInt("kv-lora-rank", -1);
    s.qkRopeHeadDim = args.getInt("qk-rope-dim", 0);
    s.calibration.samples = args.getInt("samples", 32);
    s.calibration.seqLen = args.getInt("seqlen", 128);
    workbench::JobOptions o;
    o.resourcesDir = resources("GSM8K train (the calibration text)");
    o.device = parseDevice(args.get("device", "cpu"));
    o.dtype = parseComputeDtype(args.get("dtype", "f32"));
    o.keepCalibration = false;
    o.spectra = o.attention = false;
    CancelToken cancel;
    cancelOnSigint(cancel);
    const Progress progress{stderrProgress(args.has("quiet") || args.has("json")), &cancel};
    const workbench::ConversionResult result = workbench::runConversion(dir, s, o, progress);
    const workbench::SpeedPoint p = workbench::measureSpeed(result, q, progress);
    if (!args.has("quiet") && !args.has("json")) std::cerr << "\n";
    if (args.has("json")) {
        auto form = [](const workbench::FormSpeed& f) {
            return nlohmann::json{{"prefill_seconds", f.prefillSeconds},
                                  {"ms_per_step", f.msPerStep},
                                  {"tokens_per_second", f.tokensPerSecond},
                                  {"cache_bytes", f.cacheBytes},
                                  {"cache_bytes_per_token", f.cacheBytesPerToken},
                                  {"budget_bytes_per_token", f.budgetBytesPerToken},
                                  {"budget_bytes", f.budgetBytes}};
        };
        std::cout << nlohmann::json{{"model", dir.string()},
                                    {"device", p.device},
                                    {"dtype", p.dtype},
                                    {"context", q.context},
                                    {"batch", q.batch},
                                    {"steps", q.steps},
                                    {"kv_lora_rank", p.kvLoraRank},
                                    {"qk_rope_head_dim", p.qkRopeHeadDim},
                                    {"gqa", form(p.gqa)},
                                    {"mla", form(p.mla)},
                                    {"cache_ratio", p.cacheRatio()},
                                    {"budget_ratio", p.budgetRatio()},
                                    {"speed_ratio", p.speedRatio()}}
                         .dump(1)
                  << "\n";
        return 0;
    }
    std::printf("%s on %s (%s), context %lld x batch %lld, %lld timed steps; MLA r=%lld r_R=%lld%s\n",
                dir.string().c_str(), p.device.c_str(), p.dtype.c_str(), (long long)q.context,
                (long long)q.batch, (long long)q.steps, (long long)p.kvLoraRank, (long long)p.qkRopeHeadDim,
                p.exact ? " (exact)" : "");
    std::printf("%-6s %10s %10s %10s %14s %14s %14s %14s\n", "cache", "prefill s", "ms/step", "tok/s",
                "cache", "B/token", "budget B/tok", "budget");
    for (const auto* f : {&p.gqa, &p.mla})
        std::printf("%-6s %10.3f %10.3f %10.1f %14s %14lld %14lld %14s\n", f->form.c_str(), f->prefillSeconds,
                    f->msPerStep, f->tokensPerSecond, mib(f->cacheBytes).c_str(),
                    (long long)f->cacheBytesPerToken, (long long)f->budgetBytesPerToken,
                    mib(f->budgetBytes).c_str());
    std::printf("MLA/GQA: cache %.4f (budget %.4f), tokens/s %.3fx, ms/step %.3fx\n", p.cacheRatio(),
                p.budgetRatio(), p.speedRatio(),
                p.gqa.msPerStep > 0 ? p.mla.msPerStep / p.gqa.msPerStep : 0.0);
    return 0;
}

} // namespace transmla::cli
