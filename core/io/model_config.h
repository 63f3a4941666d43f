// config.json -> one model description for every supported family.
// Reads both the classic fields (rope_theta, rope_scaling, torch_dtype) and the transformers-5 ones
// (rope_parameters, layer_types, dtype), and applies the defaults transformers applies.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/family.h"

namespace transmla::io {

// Bytes of one bf16 / f16 value: the width KV cache sizes and weight sizes are quoted at when no
// dtype is chosen (the summary, the conversion report, the workbench's budgets).
inline constexpr int64_t kBytes16Bit = 2;

enum class Activation { Silu, GeluTanh, Gelu };

struct RopeScaling {
    std::string type = "default"; // default | linear | dynamic | llama3 | yarn | longrope
    double factor = 1.0;
    double lowFreqFactor = 1.0, highFreqFactor = 4.0; // llama3
    int64_t originalMaxPositions = 0;                 // llama3, yarn, dynamic
    double betaFast = 32.0, betaSlow = 1.0;           // yarn
    std::optional<double> attentionFactor;            // yarn
    double mscale = 0.0, mscaleAllDim = 0.0;          // yarn (DeepSeek)
    bool truncate = true;                             // yarn
};

struct ModelConfig {
    std::filesystem::path sourceFile;
    Family family = Family::Llama;
    std::string modelType;
    std::string architecture;
    int64_t hiddenSize = 0, intermediateSize = 0, numLayers = 0;
    int64_t numHeads = 0, numKvHeads = 0, headDim = 0, vocabSize = 0;
    int64_t maxPositions = 2048;
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    std::optional<double> ropeLocalTheta; // Gemma-3: the sliding layers' RoPE base (default RoPE, no scaling)
    double partialRotaryFactor = 1.0;
    RopeScaling ropeScaling;
    bool tieWordEmbeddings = false;
    bool qkvBias = false; // q/k/v (MLA: q_a, kv_a) projections carry biases (Qwen2; attention_bias)
    bool oBias = false;   // o_proj bias (attention_bias)
    bool mlpBias = false;
    Activation activation = Activation::Silu;
    std::optional<int64_t> slidingWindow;
    std::vector<bool> slidingLayers; // per layer: uses the sliding window
    // Gemma-2, Gemma-3
    std::optional<double> queryPreAttnScalar;
    std::optional<double> attnLogitSoftcap, finalLogitSoftcap;
    // Mixtral
    int64_t numExperts = 0, numExpertsPerTok = 0;
    // MLA (deepseek_v3 exports)
    int64_t kvLoraRank = 0, qLoraRank = 0, qkRopeHeadDim = 0, qkNopeHeadDim = 0, vHeadDim = 0;
    // rope_interleave (transformers' default true): the rope dims of q and kv_a are stored as GPT-J
    // pairs (2j, 2j+1); false (our exports before it): half-split pairs (j, j + r_R/2).
    bool ropeInterleave = false;
    std::string dtype = "float32";
    int64_t bosTokenId = -1, eosTokenId = -1;
    nlohmann::json raw; // the file as read, for exports that carry fields over

    bool convertedToMla = false; // a GQA family whose layers were converted in the engine
    bool isMla() const { return familySpec(family).mla(); }
    bool qkNorm() const { return familySpec(family).has(TensorKind::QNorm); } // per-head q/k RMSNorm
    bool hasMlaCache() const { return isMla() || convertedToMla; }
    int64_t rotaryDim() const; // head_dim * partial_rotary_factor
    // KV cache bytes per token for the whole model at `bytesPerElement` (kBytes16Bit for bf16).
    int64_t kvCacheBytesPerToken(int64_t bytesPerElement) const;
};

ModelConfig parseModelConfig(const nlohmann::json& j, const std::string& fileName);
ModelConfig loadModelConfig(const std::filesystem::path& modelDir); // reads modelDir/config.json

} // namespace transmla::io
