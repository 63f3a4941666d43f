// Architectures are data: one table row per family says how its tensors are named and which
// quirks its forward has. The forward (forward.cpp) is shared by all families.
#pragma once
#include <string>

#include "io/model_config.h"

namespace transmla::model {

struct ArchTable {
    io::Family family;
    const char* embed = "model.embed_tokens.weight";
    const char* finalNorm = "model.norm.weight";
    const char* lmHead = "lm_head.weight";
    // Per layer, relative to "model.layers.{i}.".
    const char* inputNorm = "input_layernorm.weight";
    const char* postAttnNorm = "post_attention_layernorm.weight";
    const char* preFfnNorm = nullptr;  // Gemma-2's sandwich norms
    const char* postFfnNorm = nullptr;
    const char* fusedQkv = nullptr;    // Phi-3: q, k, v stacked in one matrix
    const char* fusedGateUp = nullptr; // Phi-3: gate, up stacked
    bool moe = false;                  // Mixtral: block_sparse_moe.{gate, experts.{e}.w1/w2/w3}
    bool gemmaNorm = false;            // RMSNorm scales by (1 + w)
    bool embedScale = false;           // embeddings multiplied by sqrt(hidden)
    bool sandwichNorm = false;         // norm after attention/MLP, before the residual add
};

const ArchTable& archFor(io::Family family);
std::string layerPrefix(int64_t layer);

// Tensor names of the attention/MLP blocks, relative to the layer prefix.
namespace names {
inline constexpr const char* kQ = "self_attn.q_proj";
inline constexpr const char* kK = "self_attn.k_proj";
inline constexpr const char* kV = "self_attn.v_proj";
inline constexpr const char* kO = "self_attn.o_proj";
inline constexpr const char* kGate = "mlp.gate_proj";
inline constexpr const char* kUp = "mlp.up_proj";
inline constexpr const char* kDown = "mlp.down_proj";
inline constexpr const char* kRouter = "block_sparse_moe.gate.weight";
inline constexpr const char* kExperts = "block_sparse_moe.experts.";
// MLA (DeepSeek-V3), as transformers names them.
inline constexpr const char* kQa = "self_attn.q_a_proj";
inline constexpr const char* kQaNorm = "self_attn.q_a_layernorm.weight";
inline constexpr const char* kQb = "self_attn.q_b_proj";
inline constexpr const char* kKvA = "self_attn.kv_a_proj_with_mqa";
inline constexpr const char* kKvANorm = "self_attn.kv_a_layernorm.weight";
inline constexpr const char* kKvB = "self_attn.kv_b_proj";
} // namespace names

} // namespace transmla::model
