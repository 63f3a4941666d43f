// KV cache budgets: how many bytes each token costs in the cache of the original GQA model, of the
// exact TransMLA form, and of a compressed MLA at (r = kv_lora_rank, r_R = qk_rope_head_dim); and how
// long a context fits on a GPU once the weights are loaded. Torch-free: the GUI plots these directly.
//
// Elements cached per token and layer:
//   GQA            K and V of g heads of d:          2 * g * d
//   MLA (exact)    the exact merge keeps every K/V direction: latent 2*g*d - r_R plus the rope key r_R
//                  = 2 * g * d (same bytes as GQA; the saving comes only with compression)
//   MLA (r, r_R)   latent c_kv plus the shared rope key:  r + r_R
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace transmla::io {
struct ModelConfig;
}

namespace transmla::analysis {

enum class CacheDtype { F32, BF16, F16, FP8 };
int64_t bytesPerElement(CacheDtype t);
std::string cacheDtypeName(CacheDtype t);            // f32 | bf16 | f16 | fp8
CacheDtype parseCacheDtype(const std::string& name); // throws ArgumentError naming the choices

enum class CacheKind { Gqa, MlaExact, MlaCompressed };
std::string cacheKindName(CacheKind k);            // gqa | mla_exact | mla
CacheKind parseCacheKind(const std::string& name); // throws ArgumentError

struct KvBudget {
    std::string label; // "GQA", "MLA exact", "MLA r=64 r_R=16"
    CacheKind kind = CacheKind::Gqa;
    int64_t numLayers = 0;
    int64_t numKvHeads = 0, headDim = 0;       // of the source model
    int64_t kvLoraRank = 0, qkRopeHeadDim = 0; // MLA forms; 0 for GQA
    int64_t elementsPerTokenPerLayer = 0;
    int64_t bytesPerElement = 2;
    int64_t weightsBytes = 0; // the model's weights at the compute width (what sits beside the cache)
    int64_t contextLimit = 0; // the model's max_position_embeddings (0: unknown)

    int64_t bytesPerTokenPerLayer() const { return elementsPerTokenPerLayer * bytesPerElement; }
    int64_t bytesPerToken() const { return numLayers * bytesPerTokenPerLayer(); }
    // The cache of `batch` sequences of `contextTokens` each.
    int64_t cacheBytes(int64_t contextTokens, int64_t batch = 1) const;
    // The longest context per sequence whose cache fits in gpuBytes beside the weights; 0 when the
    // weights alone do not fit. (Activations and the allocator's slack are not counted.)
    int64_t maxContext(int64_t gpuBytes, int64_t batch = 1) const;
    // maxContext, but no longer than the model was trained for (contextLimit): what a user can run.
    int64_t usableContext(int64_t gpuBytes, int64_t batch = 1) const;
    // The same cache stored at another element width (e.g. fp8 instead of bf16).
    KvBudget withDtype(CacheDtype dtype) const;
    // This cache's size relative to another's (0.25 = a quarter of it).
    double ratioTo(const KvBudget& other) const;
};

// GPU memory presets as the cards are sold (24, 40, 80, 141 GB), counted in GiB (2^30 bytes).
struct GpuPreset {
    std::string name;
    int64_t bytes = 0;
};
const std::vector<GpuPreset>& gpuPresets();

// weightsBytes: pass parameterCount * bytes per weight (0 to leave weights out).
KvBudget gqaBudget(const io::ModelConfig& c, CacheDtype dtype, int64_t weightsBytes = 0);
KvBudget mlaExactBudget(const io::ModelConfig& c, int64_t qkRopeHeadDim, CacheDtype dtype,
                        int64_t weightsBytes = 0);
// Throws ArgumentError unless 0 < r and 0 <= r_R <= head_dim.
KvBudget mlaBudget(const io::ModelConfig& c, int64_t kvLoraRank, int64_t qkRopeHeadDim, CacheDtype dtype,
                   int64_t weightsBytes = 0);
// The three forms side by side, the way `transmla analyze budget` and the GUI show them.
std::vector<KvBudget> standardBudgets(const io::ModelConfig& c, int64_t kvLoraRank, int64_t qkRopeHeadDim,
                                      CacheDtype dtype, int64_t weightsBytes);

} // namespace transmla::analysis
