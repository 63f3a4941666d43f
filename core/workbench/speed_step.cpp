#include "workbench/speed_step.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <ATen/ATen.h>

#include "analysis/budget.h"
#include "eval/decode_speed.h"
#include "util/error.h"
#include "workbench/device.h"
#include "workbench/models.h"

namespace transmla::workbench {

namespace {

void checkRange(const char* field, int64_t value, int64_t hi) {
    if (value < 1 || value > hi)
        throw SettingError(field, std::to_string(value) + " outside [1, " + std::to_string(hi) + "]");
}

std::string gib(int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", double(bytes) / double(int64_t(1) << 30));
    return buf;
}

const Models& modelsOf(const ConversionResult& result) {
    if (!result.models)
        throw ArgumentError("no converted model in memory: run the conversion (a reopened session keeps "
                            "its figures, not the model)");
    return *result.models;
}

// The budget formulas (analysis/budget.h) at the compute width of the measured models.
std::pair<analysis::KvBudget, analysis::KvBudget> budgets(const ConversionResult& r, const io::ModelConfig& c,
                                                          int64_t bytesPerElement) {
    analysis::KvBudget gqa = analysis::gqaBudget(c, analysis::CacheDtype::F32);
    analysis::KvBudget mla = r.settings.exact
                                 ? analysis::mlaExactBudget(c, r.ropeDim, analysis::CacheDtype::F32)
                                 : analysis::mlaBudget(c, r.rank(), r.ropeDim, analysis::CacheDtype::F32);
    gqa.bytesPerElement = mla.bytesPerElement = bytesPerElement; // f32, bf16 or f16 (f64 in tests)
    return {gqa, mla};
}

FormSpeed formSpeed(const std::string& form, const eval::DecodeSpeed& d, const analysis::KvBudget& b,
                    const SpeedRequest& q) {
    FormSpeed f;
    f.form = form;
    f.prefillSeconds = d.prefillSeconds;
    f.msPerStep = d.msPerStep();
    f.tokensPerSecond = d.tokensPerSecond();
    f.cacheBytes = d.cacheBytes;
    f.cacheBytesPerToken = d.cacheBytesPerToken;
    f.budgetBytesPerToken = b.bytesPerToken();
    f.budgetBytes = b.cacheBytes(q.context, q.batch);
    return f;
}

} // namespace

SpeedLimits speedLimits(const io::ModelConfig& config) {
    SpeedLimits l;
    l.maxContext = std::max<int64_t>(1, config.maxPositions);
    return l;
}

void checkSpeedRequest(const SpeedRequest& q, const io::ModelConfig& config) {
    const SpeedLimits l = speedLimits(config);
    checkRange("context", q.context, l.maxContext);
    checkRange("batch", q.batch, l.maxBatch);
    checkRange("decode_steps", q.steps, l.maxSteps);
}

double SpeedPoint::cacheRatio() const {
    return gqa.cacheBytes ? double(mla.cacheBytes) / double(gqa.cacheBytes) : 0.0;
}
double SpeedPoint::budgetRatio() const {
    return gqa.budgetBytesPerToken ? double(mla.budgetBytesPerToken) / double(gqa.budgetBytesPerToken) : 0.0;
}
double SpeedPoint::speedRatio() const {
    return gqa.tokensPerSecond > 0 ? mla.tokensPerSecond / gqa.tokensPerSecond : 0.0;
}

int64_t SpeedMemory::needBytes() const {
    return std::max(gqaCacheBytes, mlaCacheBytes) + workingBytes;
}

SpeedMemory speedMemory(const ConversionResult& result, const SpeedRequest& q) {
    const model::Model& converted = modelsOf(result).converted;
    const int64_t capacity = q.context + 1 + q.steps;
    SpeedMemory m;
    // The original's cache from the config (it is GQA in every layer): no need to load it to know.
    const int64_t element = int64_t(at::elementSize(converted.computeDtype()));
    m.gqaCacheBytes = 2 * converted.config.numLayers * converted.config.numKvHeads *
                      converted.config.headDim * element * capacity * q.batch;
    m.mlaCacheBytes = eval::cacheBytesFor(converted, q.batch, capacity);
    m.workingBytes = eval::decodeWorkingBytes(converted, q.batch, capacity);
    const DeviceMemory free = deviceMemory(deviceName(converted.options.device));
    m.known = free.known;
    m.freeBytes = free.freeBytes;
    return m;
}

void checkSpeedFits(const SpeedMemory& m, const SpeedRequest& q, const std::string& device) {
    if (m.fits()) return;
    throw ArgumentError("context " + std::to_string(q.context) + " x batch " + std::to_string(q.batch) +
                        " needs " + gib(m.needBytes()) + " (GQA cache " + gib(m.gqaCacheBytes) +
                        ", MLA cache " + gib(m.mlaCacheBytes) + ", prefill " + gib(m.workingBytes) +
                        ") but " + gib(m.freeBytes) + " is free on " + device +
                        ": choose a shorter context or a smaller batch");
}

SpeedPoint measureSpeed(const ConversionResult& result, const SpeedRequest& q, const Progress& progress) {
    const Models& models = modelsOf(result);
    const model::Model& converted = models.converted;
    checkSpeedRequest(q, converted.config);
    checkSpeedFits(speedMemory(result, q), q, deviceName(converted.options.device));
    // The original in the converted model's device and dtype, so that only the cache form differs.
    std::optional<model::Model> loaded;
    const model::Model* original = models.original ? &*models.original : nullptr;
    if (!original || original->computeDtype() != converted.computeDtype() ||
        original->device() != converted.device()) {
        loaded = model::Model::load(result.modelDir, converted.options, progress);
        original = &*loaded;
    }
    SpeedPoint p;
    p.request = q;
    p.device = deviceName(converted.options.device);
    p.dtype = computeDtypeName(converted.options.dtype);
    p.kvLoraRank = result.rank();
    p.qkRopeHeadDim = result.ropeDim;
    p.exact = result.settings.exact;
    for (const auto& l : result.layers)
        p.perLayerRanks = p.perLayerRanks || l.rank != p.kvLoraRank;
    const auto [gqaBudget, mlaBudget] =
        budgets(result, original->config, int64_t(at::elementSize(converted.computeDtype())));
    const at::Tensor context = eval::syntheticContext(converted.config.vocabSize, q.batch, q.context, q.seed);
    p.gqa = formSpeed("GQA", eval::measureDecode(*original, context, q.steps, "GQA", progress), gqaBudget, q);
    loaded.reset(); // the GQA cache is gone too: the MLA run has the memory to itself
    p.mla = formSpeed("MLA", eval::measureDecode(converted, context, q.steps, "MLA", progress), mlaBudget, q);
    return p;
}

} // namespace transmla::workbench
