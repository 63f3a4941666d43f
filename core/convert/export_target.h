// Which loader an export is written for (torch-free: the workbench and the views name it too).
// - transformers: DeepSeek-V3 as transformers 5.x loads it, in the checkpoint's dtype, at the
//   conversion's own kv_lora_rank / qk_rope_head_dim;
// - serving: what vLLM and SGLang serve exactly: bf16, every layer padded to kv_lora_rank 512 and
//   qk_rope_head_dim 64 (the only MLA shape FlashMLA-class kernels take), lm_head always written,
//   only default RoPE, SiLU and no biases (what their DeepSeek-V2/V3 model code can express).
// Both write the RoPE dims as GPT-J interleaved pairs (rope_interleave: true).
#pragma once
#include <cstdint>
#include <string>

#include "convert/settings.h"

namespace transmla::convert {

enum class ExportTarget { Transformers, Serving };

// The MLA shape of a serving export (vLLM's FlashMLA / SGLang's fast paths: 512 + 64 = 576).
constexpr int64_t kServingKvLoraRank = 512;
constexpr int64_t kServingRopeDim = 64;

inline std::string exportTargetName(ExportTarget t) {
    return t == ExportTarget::Serving ? "serving" : "transformers";
}

inline ExportTarget parseExportTarget(const std::string& name) {
    if (name == "transformers") return ExportTarget::Transformers;
    if (name == "serving") return ExportTarget::Serving;
    throw SettingError(setting::kExportTarget, "'" + name + "': expected transformers or serving");
}

} // namespace transmla::convert
