#include "io/family.h"

#include <initializer_list>

#include "util/error.h"

namespace transmla::io {

namespace {

using K = TensorKind;
using Group = std::initializer_list<TensorPath>;

// The module paths, in groups that families share (names as transformers' checkpoints have them).
const Group kShared = {
    {K::Embed, "model.embed_tokens"},
    {K::FinalNorm, "model.norm"},
    {K::LmHead, "lm_head"},
    {K::InputNorm, "model.layers.{i}.input_layernorm"},
    {K::PostAttnNorm, "model.layers.{i}.post_attention_layernorm"},
};
const Group kSandwichNorms = {
    {K::PreFfnNorm, "model.layers.{i}.pre_feedforward_layernorm"},
    {K::PostFfnNorm, "model.layers.{i}.post_feedforward_layernorm"},
};
const Group kGqa = {
    {K::Q, "model.layers.{i}.self_attn.q_proj"},
    {K::K, "model.layers.{i}.self_attn.k_proj"},
    {K::V, "model.layers.{i}.self_attn.v_proj"},
    {K::O, "model.layers.{i}.self_attn.o_proj"},
};
const Group kQkNorm = {
    {K::QNorm, "model.layers.{i}.self_attn.q_norm"},
    {K::KNorm, "model.layers.{i}.self_attn.k_norm"},
};
const Group kGqaFused = {
    {K::Qkv, "model.layers.{i}.self_attn.qkv_proj"},
    {K::O, "model.layers.{i}.self_attn.o_proj"},
};
const Group kMla = {
    {K::Q, "model.layers.{i}.self_attn.q_proj"}, // q_lora_rank null: one projection
    {K::Qa, "model.layers.{i}.self_attn.q_a_proj"},
    {K::QaNorm, "model.layers.{i}.self_attn.q_a_layernorm"},
    {K::Qb, "model.layers.{i}.self_attn.q_b_proj"},
    {K::KvA, "model.layers.{i}.self_attn.kv_a_proj_with_mqa"},
    {K::KvANorm, "model.layers.{i}.self_attn.kv_a_layernorm"},
    {K::KvB, "model.layers.{i}.self_attn.kv_b_proj"},
    {K::O, "model.layers.{i}.self_attn.o_proj"},
};
const Group kMlp = {
    {K::Gate, "model.layers.{i}.mlp.gate_proj"},
    {K::Up, "model.layers.{i}.mlp.up_proj"},
    {K::Down, "model.layers.{i}.mlp.down_proj"},
};
const Group kMlpFused = {
    {K::GateUp, "model.layers.{i}.mlp.gate_up_proj"},
    {K::Down, "model.layers.{i}.mlp.down_proj"},
};
const Group kMoe = {
    // Mixtral: w1 = gate, w2 = down, w3 = up
    {K::Router, "model.layers.{i}.block_sparse_moe.gate"},
    {K::ExpertGate, "model.layers.{i}.block_sparse_moe.experts.{e}.w1"},
    {K::ExpertDown, "model.layers.{i}.block_sparse_moe.experts.{e}.w2"},
    {K::ExpertUp, "model.layers.{i}.block_sparse_moe.experts.{e}.w3"},
};

std::vector<TensorPath> join(std::initializer_list<Group> groups) {
    std::vector<TensorPath> all;
    for (const Group& g : groups)
        all.insert(all.end(), g.begin(), g.end());
    return all;
}

// One row per family. Config defaults follow each transformers config class (Gemma2Config:
// head_dim 256, 8192 positions, tied, gelu_pytorch_tanh, window 4096; MixtralConfig: rope_theta 1e6;
// MistralConfig: window 4096).
const std::vector<FamilySpec>& table() {
    static const std::vector<FamilySpec> rows = {
        {.family = Family::Llama,
         .modelType = "llama",
         .architecture = "LlamaForCausalLM",
         .tensors = join({kShared, kGqa, kMlp}),
         .config = {.bias = BiasRule::AttentionBias}},
        {.family = Family::Qwen2,
         .modelType = "qwen2",
         .architecture = "Qwen2ForCausalLM",
         .tensors = join({kShared, kGqa, kMlp}),
         .config = {.bias = BiasRule::Qkv, .slidingLayers = SlidingLayers::MaxWindowLayers}},
        {.family = Family::Mistral,
         .modelType = "mistral",
         .architecture = "MistralForCausalLM",
         .tensors = join({kShared, kGqa, kMlp}),
         .config = {.slidingWindow = 4096}},
        {.family = Family::Mixtral,
         .modelType = "mixtral",
         .architecture = "MixtralForCausalLM",
         .tensors = join({kShared, kGqa, kMoe}),
         .config = {.ropeTheta = 1e6},
         .exportBlock = "mixture-of-experts MLP"},
        {.family = Family::Gemma2,
         .modelType = "gemma2",
         .architecture = "Gemma2ForCausalLM",
         .tensors = join({kShared, kSandwichNorms, kGqa, kMlp}),
         .config = {.maxPositions = 8192,
                    .headDim = 256,
                    .tieWordEmbeddings = true,
                    .activationKey = "hidden_activation",
                    .activation = "gelu_pytorch_tanh",
                    .slidingWindow = 4096,
                    .bias = BiasRule::AttentionBias,
                    .slidingLayers = SlidingLayers::Alternating},
         .gemmaNorm = true,
         .embedScale = true,
         .sandwichNorm = true,
         .softcapping = true,
         .exportBlock = "sandwich norms and soft-capping"},
        {.family = Family::Phi3,
         .modelType = "phi3",
         .architecture = "Phi3ForCausalLM",
         .tensors = join({kShared, kGqaFused, kMlpFused}),
         .config = {}},
        // Qwen3: explicit head_dim (Qwen3Config's default 128), no q/k/v bias, q/k norms. The norms have no
        // DeepSeek-V3 form: the exporter refuses a model that still holds them (convert/qk_norm.h).
        {.family = Family::Qwen3,
         .modelType = "qwen3",
         .architecture = "Qwen3ForCausalLM",
         .tensors = join({kShared, kGqa, kQkNorm, kMlp}),
         .config = {.maxPositions = 32768,
                    .headDim = 128,
                    .bias = BiasRule::AttentionBias,
                    .slidingLayers = SlidingLayers::MaxWindowLayers}},
        // Gemma-3 text (Gemma3TextConfig: head_dim 256, 131072 positions, window 4096, 5 sliding : 1 full,
        // rope_theta 1e6 global / 1e4 local): Gemma-2's block with q/k norms instead of soft-caps.
        {.family = Family::Gemma3Text,
         .modelType = "gemma3_text",
         .architecture = "Gemma3ForCausalLM",
         .tensors = join({kShared, kSandwichNorms, kGqa, kQkNorm, kMlp}),
         .config = {.maxPositions = 131072,
                    .headDim = 256,
                    .ropeTheta = 1e6,
                    .tieWordEmbeddings = true,
                    .activationKey = "hidden_activation",
                    .activation = "gelu_pytorch_tanh",
                    .slidingWindow = 4096,
                    .bias = BiasRule::AttentionBias,
                    .slidingLayers = SlidingLayers::Pattern},
         .gemmaNorm = true,
         .embedScale = true,
         .sandwichNorm = true,
         .softcapping = true,
         .localRope = true,
         .exportBlock = "sandwich norms, q/k norms and local RoPE base"},
        // Our export target (all-dense MLA layers), and what we load back.
        {.family = Family::DeepseekV3,
         .modelType = "deepseek_v3",
         .architecture = "DeepseekV3ForCausalLM",
         .tensors = join({kShared, kMla, kMlp}),
         .config = {.bias = BiasRule::AttentionBias}},
    };
    return rows;
}

const char* findPath(const FamilySpec& f, TensorKind k) {
    for (const TensorPath& t : f.tensors)
        if (t.kind == k) return t.path;
    return nullptr;
}

// Replaces {i} / {e}; a placeholder without a value is a caller's bug.
std::string fill(const FamilySpec& f, TensorKind k, int64_t layer, int64_t expert) {
    const char* path = findPath(f, k);
    if (!path)
        throw Error("internal: " + std::string(f.modelType) + " has no " + tensorKindName(k) + " tensor");
    std::string s = path;
    for (const auto& [key, value] : {std::pair<const char*, int64_t>{"{i}", layer}, {"{e}", expert}}) {
        const size_t at = s.find(key);
        if (at == std::string::npos) continue;
        if (value < 0)
            throw Error("internal: " + std::string(f.modelType) + " " + tensorKindName(k) + ": " + key +
                        " not given");
        s.replace(at, 3, std::to_string(value));
    }
    return s;
}

} // namespace

std::string tensorKindName(TensorKind k) {
    static const char* const names[kTensorKinds] = {"embed",
                                                    "final_norm",
                                                    "lm_head",
                                                    "input_norm",
                                                    "post_attention_norm",
                                                    "pre_ffn_norm",
                                                    "post_ffn_norm",
                                                    "q",
                                                    "k",
                                                    "v",
                                                    "o",
                                                    "qkv",
                                                    "q_norm",
                                                    "k_norm",
                                                    "q_a",
                                                    "q_a_norm",
                                                    "q_b",
                                                    "kv_a",
                                                    "kv_a_norm",
                                                    "kv_b",
                                                    "gate",
                                                    "up",
                                                    "down",
                                                    "gate_up",
                                                    "router",
                                                    "expert_gate",
                                                    "expert_up",
                                                    "expert_down"};
    return names[int(k)];
}

bool FamilySpec::has(TensorKind k) const {
    return findPath(*this, k) != nullptr;
}

std::string FamilySpec::tensorName(TensorKind k, int64_t layer, int64_t expert) const {
    return fill(*this, k, layer, expert) + ".weight";
}

std::string FamilySpec::biasName(TensorKind k, int64_t layer) const {
    return fill(*this, k, layer, -1) + ".bias";
}

const std::vector<FamilySpec>& families() {
    return table();
}

const FamilySpec& familySpec(Family f) {
    for (const FamilySpec& s : table())
        if (s.family == f) return s;
    throw Error("internal: no family table row for family " + std::to_string(int(f)));
}

const FamilySpec* findFamily(const std::string& modelType) {
    for (const FamilySpec& s : table())
        if (modelType == s.modelType) return &s;
    return nullptr;
}

std::string familyName(Family f) {
    return familySpec(f).modelType;
}

} // namespace transmla::io
