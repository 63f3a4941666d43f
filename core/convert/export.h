// Export of a converted model as a Hugging Face folder in DeepSeek-V3 format
// (model_type deepseek_v3, DeepseekV3ForCausalLM, all-dense MLP layers), written atomically:
// built in a temporary folder, renamed into place at the end; the source is never touched.
//
// What DeepSeek-V3 can express, and so what is checked before anything is written:
// - RoPE on the standard r_R-dim frequencies (rope_interleave false): r_R divides d and FreqFold
//   spread the rope planes evenly (the default); a custom plane/frequency layout cannot be exported;
// - a kv_a_layernorm on the latent: the conversion must use --latent-norm calibrated;
// - no query bias (DeepSeek's q_proj has none): Qwen2 models evaluate in the engine only;
// - a Llama-style block: Llama, Qwen2, Mistral (without its sliding window) and Phi-3 export;
//   Gemma-2 (sandwich norms, soft-capping) and Mixtral (its MoE) are not loadable as DeepSeek-V3.
// Layers of different ranks are zero-padded to the largest rank (exact: the norm weight is rescaled).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transmla::model {
class Model;
}

namespace transmla::convert {

struct ExportOptions {
    std::string dtype = "source"; // source (the checkpoint's dtype) | f32 | bf16 | f16
    bool overwrite = false;
    nlohmann::json conversionReport; // stored under "transmla" in config.json
};

// Returns notes for the user (approximations the target format implies). Throws ArgumentError
// naming what cannot be exported, before any file is written.
std::vector<std::string> exportDeepseekV3(const model::Model& converted, const std::filesystem::path& out,
                                          const ExportOptions& options);

} // namespace transmla::convert
