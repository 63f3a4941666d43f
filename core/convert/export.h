// Export of a converted model as a Hugging Face folder in DeepSeek-V3 format
// (model_type deepseek_v3, DeepseekV3ForCausalLM, all-dense MLP layers), written atomically:
// built in a temporary folder, renamed into place at the end; the source is never touched.
//
// What DeepSeek-V3 can express, and so what is checked before anything is written:
// - RoPE on the standard frequencies of the written qk_rope_head_dim: each rope plane of a layer must
//   have one of them (r_R divides d and FreqFold spread the planes evenly: the default); a custom
//   plane/frequency layout cannot be exported. Planes are written as GPT-J pairs (rope_interleave
//   true): row j of the half-split form -> row 2j, row j + r_R/2 -> row 2j + 1;
// - a kv_a_layernorm on the latent: the conversion must use --latent-norm calibrated;
// - no query bias (DeepSeek's q_proj has none): Qwen2 models evaluate in the engine only;
// - a Llama-style block: Llama, Qwen2, Mistral (without its sliding window) and Phi-3 export;
//   Gemma-2 (sandwich norms, soft-capping) and Mixtral (its MoE) are not loadable as DeepSeek-V3.
// Layers of different ranks are zero-padded to the largest rank (the serving target: to 512, and the rope
// block to 64 dims); exact, see export.cpp (latent rows scaled, norm weight rescaled, q folded).
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "convert/export_target.h"
#include "util/error.h"

namespace transmla::model {
class Model;
}

namespace transmla::convert {

struct ExportOptions {
    std::string dtype = "source"; // source (the checkpoint's dtype) | f32 | bf16 | f16; serving: bf16
    bool overwrite = false;
    ExportTarget target = ExportTarget::Transformers;
    // The layout exports had before rope_interleave (half-split pairs, rope_interleave false): kept
    // so that tests can make such an export and check that it still loads.
    bool legacyHalfSplitRope = false;
    nlohmann::json conversionReport; // stored under "transmla" in config.json
};

// Runs an export step (exportDeepseekV3, StreamedExport's calls). A failure names the temporary
// folder, removed by then: it is rethrown as "OUT: export failed, nothing written (...)", unless it
// already names OUT itself. Cancelled passes through unchanged.
template <class Step>
auto namingExportTarget(const std::filesystem::path& out, const Step& step) -> decltype(step()) {
    try {
        return step();
    } catch (const Cancelled&) {
        throw;
    } catch (const SettingError&) { // checked before anything is written; the front end names its control
        throw;
    } catch (const Error& e) {
        if (std::string(e.what()).rfind(out.string() + ":", 0) == 0) throw;
        throw Error(out.string() + ": export failed, nothing written (" + e.what() + ")");
    }
}

// Returns notes for the user (approximations the target format implies). Throws ArgumentError
// naming what cannot be exported, before any file is written.
std::vector<std::string> exportDeepseekV3(const model::Model& converted, const std::filesystem::path& out,
                                          const ExportOptions& options);

// What exportDeepseekV3 checks before writing: throws ArgumentError naming what cannot be exported.
void checkDeepseekV3Exportable(const model::Model& converted);

// The same export written layer by layer while a (streamed) conversion runs: one shard per layer
// (model-000LL-of-NNNNN.safetensors, written as soon as the layer is converted), the embeddings, then
// the final norm and LM head in the last two shards, then model.safetensors.index.json and config.json. Every
// layer must have the same rank (given up front). Until finish() succeeds everything lives in a temporary
// folder beside `out`, removed on destruction (error, cancel); the target is replaced only at the end.
class StreamedExport {
public:
    StreamedExport(const model::Model& model, const std::filesystem::path& out, const ExportOptions& options,
                   int64_t rank); // checks the family, the target and the rank before anything is computed
    ~StreamedExport();
    StreamedExport(const StreamedExport&) = delete;
    StreamedExport& operator=(const StreamedExport&) = delete;

    void writeLayer(int64_t layer); // the converted layer, still resident in the model
    std::vector<std::string> finish(const nlohmann::json& conversionReport); // notes, as exportDeepseekV3

private:
    struct State;
    std::string shardName(int64_t k) const;
    void writeShard(int64_t k, const std::vector<std::pair<std::string, at::Tensor>>& tensors);
    const model::Model& m_;
    std::unique_ptr<State> st_;
};

} // namespace transmla::convert
