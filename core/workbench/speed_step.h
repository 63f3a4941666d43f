// The workbench's Speed step: measured greedy decoding of the original (GQA cache) and the converted
// model (MLA latent cache, absorbed form) at one context x batch on the models' device, beside the
// analytic KV budget (analysis/budget.h): what the cache savings buy on this machine. Torch-free for
// the views; eval/decode_speed.h measures (the same function as `transmla analyze speed` and
// tests/bench/bench_decode).
#pragma once
#include <cstdint>
#include <string>

#include "io/model_config.h"
#include "util/progress.h"
#include "workbench/workbench.h"

namespace transmla::workbench {

struct SpeedRequest {
    int64_t context = 256; // tokens per sequence before decoding (synthetic ids)
    int64_t batch = 1;     // sequences decoded together
    int64_t steps = 16;    // timed greedy steps (one more, untimed, warms up)
    uint64_t seed = 0;     // of the synthetic context
};

// The valid ranges, decided here once (the view's spin boxes take them): context 1 .. the model's
// max_position_embeddings, batch 1 .. 256, steps 1 .. 4096.
struct SpeedLimits {
    int64_t maxContext = 1, maxBatch = 256, maxSteps = 4096;
};
SpeedLimits speedLimits(const io::ModelConfig& config);
// Throws SettingError naming the field (context, batch, decode_steps) for a value outside speedLimits.
void checkSpeedRequest(const SpeedRequest& request, const io::ModelConfig& config);

// One cache form measured at the request's context x batch.
struct FormSpeed {
    std::string form; // GQA | MLA
    double prefillSeconds = 0, msPerStep = 0, tokensPerSecond = 0;
    int64_t cacheBytes = 0;          // allocated (context + 1 + steps positions per sequence)
    int64_t cacheBytesPerToken = 0;  // allocated, per token and sequence
    int64_t budgetBytesPerToken = 0; // analytic (analysis/budget.h) at the compute width
    int64_t budgetBytes = 0;         // analytic, at context x batch
};

struct SpeedPoint {
    SpeedRequest request;
    std::string device, dtype; // where and in which precision it ran ("cpu", "f32")
    int64_t kvLoraRank = 0, qkRopeHeadDim = 0;
    bool exact = false;         // the exact merge (same cache size as GQA)
    bool perLayerRanks = false; // ranks differ by layer: the budget is at the largest (kvLoraRank)
    FormSpeed gqa, mla;

    double cacheRatio() const;  // measured MLA / GQA cache bytes
    double budgetRatio() const; // analytic MLA / GQA bytes per token
    double speedRatio() const;  // MLA / GQA tokens per second
};

// Memory the measurement needs on the models' device (the two caches are held one after the other).
struct SpeedMemory {
    int64_t gqaCacheBytes = 0, mlaCacheBytes = 0, workingBytes = 0;
    bool known = false; // freeBytes could be read
    int64_t freeBytes = 0;
    int64_t needBytes() const;
    bool fits() const { return !known || needBytes() <= freeBytes; }
};
// Throws ArgumentError when the result holds no converted model.
SpeedMemory speedMemory(const ConversionResult& result, const SpeedRequest& request);
// Throws ArgumentError saying what the request needs and what is free on `device` when it does not fit.
void checkSpeedFits(const SpeedMemory& memory, const SpeedRequest& request, const std::string& device);

// Checks the request and the memory first (ArgumentError saying what is needed and free, before
// anything is allocated), then measures GQA and MLA. Progress stages "GQA prefill", "GQA decode",
// "MLA prefill", "MLA decode"; Cancelled between chunks and steps. The original model is the one the
// result kept, or loaded again (same device and dtype as the converted model) for this call.
SpeedPoint measureSpeed(const ConversionResult& result, const SpeedRequest& request,
                        const Progress& progress = {});

} // namespace transmla::workbench
