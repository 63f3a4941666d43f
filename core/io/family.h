// The model families as data: one row per family holds everything that differs between them and is
// not math: config.json's model_type and the class transformers builds, the name of every tensor the
// loader reads and the exporter writes, the config defaults transformers applies, the block quirks the
// shared forward switches on, and whether DeepSeek-V3 can hold the block (the export target is the
// deepseek_v3 row). Adding a family is one row in family.cpp, plus code only for new math.
// As llama.cpp's llama-arch.cpp: tensor names live here and nowhere else. Torch-free.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace transmla::io {

enum class Family { Llama, Qwen2, Mistral, Mixtral, Gemma2, Phi3, Qwen3, Gemma3Text, DeepseekV3 };

// Every tensor a supported checkpoint holds, by its role in the forward.
enum class TensorKind {
    Embed,
    FinalNorm,
    LmHead, // model-wide
    InputNorm,
    PostAttnNorm,
    PreFfnNorm,
    PostFfnNorm, // per layer; Pre/PostFfn: Gemma-2's sandwich norms
    Q,
    K,
    V,
    O,
    Qkv, // GQA attention; Qkv: q, k, v stacked (Phi-3)
    QNorm,
    KNorm, // per-head RMSNorm of queries / keys before RoPE (Qwen3, Gemma-3): one [head_dim] weight
    Qa,
    QaNorm,
    Qb,
    KvA,
    KvANorm,
    KvB, // MLA attention (with Q or Qa/Qb, and O)
    Gate,
    Up,
    Down,
    GateUp, // MLP; GateUp: gate, up stacked (Phi-3)
    Router,
    ExpertGate,
    ExpertUp,
    ExpertDown, // mixture of experts; Expert*: per expert
};
inline constexpr int kTensorKinds = int(TensorKind::ExpertDown) + 1;
std::string tensorKindName(TensorKind k); // "q", "kv_a", "expert_gate": for messages

// A module path ("model.layers.{i}.self_attn.q_proj"; {i}: layer, {e}: expert). The table never
// spells ".weight" or ".bias": tensorName and biasName append them.
struct TensorPath {
    TensorKind kind;
    const char* path;
};

// Which projections carry biases.
enum class BiasRule {
    None,          // none (Mistral, Mixtral, Phi-3)
    Qkv,           // q, k and v always (Qwen2)
    AttentionBias, // config's attention_bias: q/k/v (MLA: q_a, kv_a) and o (Llama, Gemma-2, DeepSeek-V3)
};

// Which layers slide when config.json has no layer_types (and a window is set).
enum class SlidingLayers {
    All,             // every layer (Mistral)
    Alternating,     // layers 0, 2, 4, ... (Gemma-2)
    MaxWindowLayers, // layers from max_window_layers on, when use_sliding_window (Qwen2)
    Pattern,         // all but every sliding_window_pattern-th layer (default 6; Gemma-3)
};

// What transformers' config class assumes for a key config.json leaves out.
struct ConfigDefaults {
    int64_t maxPositions = 2048;
    int64_t headDim = 0; // 0: hidden_size / num_attention_heads
    double ropeTheta = 10000.0;
    bool tieWordEmbeddings = false;
    const char* activationKey = "hidden_act"; // read first; hidden_act when it is absent
    const char* activation = "silu";
    int64_t slidingWindow = 0; // when the key is absent (an explicit null means none); 0: none
    BiasRule bias = BiasRule::None;
    SlidingLayers slidingLayers = SlidingLayers::All;
};

struct FamilySpec {
    Family family;
    const char* modelType;    // config.json model_type
    const char* architecture; // the class transformers builds
    std::vector<TensorPath> tensors;
    ConfigDefaults config;
    // Block quirks the shared forward switches on.
    bool gemmaNorm = false;    // RMSNorm scales by (1 + w)
    bool embedScale = false;   // embeddings multiplied by sqrt(hidden)
    bool sandwichNorm = false; // norm after attention/MLP, before the residual add
    bool softcapping = false;  // query_pre_attn_scalar and attention / final logit soft-caps (where set)
    bool localRope = false;    // sliding layers rotate with their own base (rope_local_base_freq)
    // Why DeepSeek-V3 cannot hold this family's block ("... have no DeepSeek-V3 equivalent");
    // nullptr: a converted model exports.
    const char* exportBlock = nullptr;

    bool has(TensorKind k) const;
    bool moe() const { return has(TensorKind::Router); }
    bool mla() const { return has(TensorKind::KvA); }
    // The checkpoint name of the weight ("model.layers.3.self_attn.q_proj.weight") or bias. Throws
    // Error when the family has no such tensor or the layer/expert is missing (a caller's bug).
    std::string tensorName(TensorKind k, int64_t layer = -1, int64_t expert = -1) const;
    std::string biasName(TensorKind k, int64_t layer = -1) const;
};

const std::vector<FamilySpec>& families();
const FamilySpec& familySpec(Family f);
const FamilySpec* findFamily(const std::string& modelType); // nullptr: not supported
std::string familyName(Family f);                           // its model_type

} // namespace transmla::io
