#include "analysis/budget.h"

#include <algorithm>
#include <limits>

#include "io/model_config.h"
#include "util/error.h"

namespace transmla::analysis {

namespace {

struct DtypeRow {
    CacheDtype type;
    const char* name;
    int64_t bytes;
};
const DtypeRow kDtypes[] = {{CacheDtype::F32, "f32", 4},
                            {CacheDtype::BF16, "bf16", 2},
                            {CacheDtype::F16, "f16", 2},
                            {CacheDtype::FP8, "fp8", 1}};

struct KindRow {
    CacheKind kind;
    const char* name;
};
const KindRow kKinds[] = {
    {CacheKind::Gqa, "gqa"}, {CacheKind::MlaExact, "mla_exact"}, {CacheKind::MlaCompressed, "mla"}};

// Products of config fields: checked, since a hostile config could overflow them.
int64_t mulChecked(int64_t a, int64_t b) {
    if (a < 0 || b < 0) throw ArgumentError("negative size in a KV budget");
    if (a != 0 && b > std::numeric_limits<int64_t>::max() / a)
        throw ArgumentError("KV budget overflows 64 bits");
    return a * b;
}

KvBudget base(const io::ModelConfig& c, CacheDtype dtype, int64_t weightsBytes) {
    if (c.isMla()) throw ArgumentError("KV budgets start from a GQA model; this one is already MLA");
    KvBudget b;
    b.numLayers = c.numLayers;
    b.numKvHeads = c.numKvHeads;
    b.headDim = c.headDim;
    b.bytesPerElement = bytesPerElement(dtype);
    b.weightsBytes = weightsBytes;
    b.contextLimit = c.maxPositions;
    return b;
}

} // namespace

int64_t bytesPerElement(CacheDtype t) {
    for (const auto& r : kDtypes)
        if (r.type == t) return r.bytes;
    return 0;
}

std::string cacheDtypeName(CacheDtype t) {
    for (const auto& r : kDtypes)
        if (r.type == t) return r.name;
    return "?";
}

CacheDtype parseCacheDtype(const std::string& name) {
    for (const auto& r : kDtypes)
        if (name == r.name) return r.type;
    if (name == "fp32" || name == "float32") return CacheDtype::F32;
    if (name == "fp16" || name == "float16") return CacheDtype::F16;
    throw ArgumentError("unknown cache dtype '" + name + "' (choose f32, bf16, f16 or fp8)");
}

std::string cacheKindName(CacheKind k) {
    for (const auto& r : kKinds)
        if (r.kind == k) return r.name;
    return "?";
}

CacheKind parseCacheKind(const std::string& name) {
    for (const auto& r : kKinds)
        if (name == r.name) return r.kind;
    throw ArgumentError("unknown cache kind '" + name + "' (gqa, mla_exact, mla)");
}

int64_t KvBudget::cacheBytes(int64_t contextTokens, int64_t batch) const {
    return mulChecked(mulChecked(bytesPerToken(), contextTokens), batch);
}

int64_t KvBudget::maxContext(int64_t gpuBytes, int64_t batch) const {
    const int64_t perToken = mulChecked(bytesPerToken(), batch);
    if (gpuBytes <= weightsBytes || perToken <= 0) return 0;
    return (gpuBytes - weightsBytes) / perToken;
}

int64_t KvBudget::usableContext(int64_t gpuBytes, int64_t batch) const {
    const int64_t fits = maxContext(gpuBytes, batch);
    return contextLimit > 0 ? std::min(fits, contextLimit) : fits;
}

KvBudget KvBudget::withDtype(CacheDtype dtype) const {
    KvBudget b = *this;
    b.bytesPerElement = analysis::bytesPerElement(dtype); // the free function, not the field
    return b;
}

double KvBudget::ratioTo(const KvBudget& other) const {
    return other.bytesPerToken() ? double(bytesPerToken()) / double(other.bytesPerToken()) : 0.0;
}

const std::vector<GpuPreset>& gpuPresets() {
    constexpr int64_t GiB = int64_t(1) << 30;
    static const std::vector<GpuPreset> presets = {
        {"24 GB", 24 * GiB}, {"40 GB", 40 * GiB}, {"80 GB", 80 * GiB}, {"141 GB", 141 * GiB}};
    return presets;
}

KvBudget gqaBudget(const io::ModelConfig& c, CacheDtype dtype, int64_t weightsBytes) {
    KvBudget b = base(c, dtype, weightsBytes);
    b.label = "GQA";
    b.kind = CacheKind::Gqa;
    b.elementsPerTokenPerLayer = mulChecked(2, mulChecked(c.numKvHeads, c.headDim));
    return b;
}

KvBudget mlaExactBudget(const io::ModelConfig& c, int64_t qkRopeHeadDim, CacheDtype dtype,
                        int64_t weightsBytes) {
    if (qkRopeHeadDim < 0 || qkRopeHeadDim > c.headDim)
        throw ArgumentError("qk_rope_head_dim " + std::to_string(qkRopeHeadDim) + " outside [0, head_dim " +
                            std::to_string(c.headDim) + "]");
    KvBudget b = base(c, dtype, weightsBytes);
    b.label = "MLA exact";
    b.kind = CacheKind::MlaExact;
    b.elementsPerTokenPerLayer = mulChecked(2, mulChecked(c.numKvHeads, c.headDim));
    b.qkRopeHeadDim = qkRopeHeadDim;
    b.kvLoraRank = b.elementsPerTokenPerLayer - qkRopeHeadDim;
    return b;
}

KvBudget mlaBudget(const io::ModelConfig& c, int64_t kvLoraRank, int64_t qkRopeHeadDim, CacheDtype dtype,
                   int64_t weightsBytes) {
    if (kvLoraRank <= 0)
        throw ArgumentError("kv_lora_rank must be positive, got " + std::to_string(kvLoraRank));
    if (qkRopeHeadDim < 0 || qkRopeHeadDim > c.headDim)
        throw ArgumentError("qk_rope_head_dim " + std::to_string(qkRopeHeadDim) + " outside [0, head_dim " +
                            std::to_string(c.headDim) + "]");
    KvBudget b = base(c, dtype, weightsBytes);
    b.label = "MLA r=" + std::to_string(kvLoraRank) + " r_R=" + std::to_string(qkRopeHeadDim);
    b.kind = CacheKind::MlaCompressed;
    b.kvLoraRank = kvLoraRank;
    b.qkRopeHeadDim = qkRopeHeadDim;
    b.elementsPerTokenPerLayer = kvLoraRank + qkRopeHeadDim;
    return b;
}

std::vector<KvBudget> standardBudgets(const io::ModelConfig& c, int64_t kvLoraRank, int64_t qkRopeHeadDim,
                                      CacheDtype dtype, int64_t weightsBytes) {
    return {gqaBudget(c, dtype, weightsBytes), mlaExactBudget(c, qkRopeHeadDim, dtype, weightsBytes),
            mlaBudget(c, kvLoraRank, qkRopeHeadDim, dtype, weightsBytes)};
}

} // namespace transmla::analysis
