#include "convert/export.h"

#include <cmath>
#include <fstream>

#include <ATen/ATen.h>

#include "io/safetensors.h"
#include "model/model.h"
#include "model/modules.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace transmla::convert {

namespace {

void checkExportable(const model::Model& m) {
    const auto& c = m.config;
    if (c.family == io::Family::Gemma2 || c.family == io::Family::Mixtral)
        throw ArgumentError(io::familyName(c.family) + ": its " +
                            (c.family == io::Family::Gemma2 ? std::string("sandwich norms and soft-capping")
                                                             : std::string("mixture-of-experts MLP")) +
                            " have no DeepSeek-V3 equivalent; evaluate the converted model in transmla instead");
    if (!c.convertedToMla) throw ArgumentError("the model has not been converted to MLA");
    io::ModelConfig standard = c;
    standard.family = io::Family::DeepseekV3;
    double scaling = 1;
    const at::Tensor stdFreq = model::ropeInverseFrequencies(standard, c.maxPositions, &scaling);
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const auto& L = m.layers[i];
        const std::string where = "layer " + std::to_string(i) + ": ";
        if (!L.mla) throw ArgumentError(where + "not converted");
        if (!L.mla->kvANorm.defined())
            throw ArgumentError(where + "no latent norm; DeepSeek-V3 always applies kv_a_layernorm: convert with --latent-norm calibrated");
        if (L.mla->q.bias.defined() && L.mla->q.bias.abs().max().item<double>() > 0)
            throw ArgumentError(where + "the query has a bias (" + io::familyName(c.family) +
                                "), which DeepSeek-V3's q_proj cannot hold; evaluate the converted model in transmla instead");
        const at::Tensor f = L.mla->ropeInvFreq.to(at::kCPU);
        if (f.numel() != stdFreq.numel() || !at::allclose(f, stdFreq.to(at::kFloat), 1e-6, 0))
            throw ArgumentError(where + "its RoPE planes do not follow the standard " + std::to_string(L.mla->ropeDim) +
                                "-dim layout (choose --qk-rope-dim dividing head_dim and the automatic --freqfold)");
    }
}

json deepseekConfig(const model::Model& m, int64_t rank, const std::string& dtype, const ExportOptions& o) {
    const auto& c = m.config;
    const auto& mla = *m.layers[0].mla;
    const bool attnBias = m.layers[0].mla->kvA.bias.defined();
    json j = {{"architectures", {"DeepseekV3ForCausalLM"}},
              {"model_type", "deepseek_v3"},
              {"vocab_size", c.vocabSize},
              {"hidden_size", c.hiddenSize},
              {"intermediate_size", c.intermediateSize},
              {"moe_intermediate_size", c.intermediateSize},
              {"num_hidden_layers", c.numLayers},
              {"first_k_dense_replace", c.numLayers}, // every MLP stays dense
              {"num_attention_heads", c.numHeads},
              {"num_key_value_heads", c.numHeads},
              {"kv_lora_rank", rank},
              {"q_lora_rank", nullptr},
              {"qk_rope_head_dim", mla.ropeDim},
              {"qk_nope_head_dim", mla.nopeDim},
              {"v_head_dim", mla.vDim},
              {"head_dim", mla.ropeDim},
              {"rope_interleave", false},
              {"hidden_act", c.activation == io::Activation::Silu ? "silu" : "gelu_pytorch_tanh"},
              {"max_position_embeddings", c.maxPositions},
              {"rms_norm_eps", c.rmsNormEps},
              {"rope_theta", c.ropeTheta},
              {"attention_bias", attnBias},
              {"attention_dropout", 0.0},
              {"tie_word_embeddings", c.tieWordEmbeddings},
              {"use_cache", true},
              {"torch_dtype", dtype},
              {"dtype", dtype}};
    json rope = {{"rope_type", c.ropeScaling.type}, {"rope_theta", c.ropeTheta}};
    if (c.ropeScaling.type == "linear") rope["factor"] = c.ropeScaling.factor;
    if (c.ropeScaling.type == "llama3") {
        rope["factor"] = c.ropeScaling.factor;
        rope["low_freq_factor"] = c.ropeScaling.lowFreqFactor;
        rope["high_freq_factor"] = c.ropeScaling.highFreqFactor;
        rope["original_max_position_embeddings"] = c.ropeScaling.originalMaxPositions;
    }
    j["rope_parameters"] = rope;
    if (c.ropeScaling.type != "default") j["rope_scaling"] = rope;
    if (c.bosTokenId >= 0) j["bos_token_id"] = c.bosTokenId;
    if (c.eosTokenId >= 0) j["eos_token_id"] = c.eosTokenId;
    j["transmla"] = o.conversionReport;
    j["transmla"]["source_model_type"] = c.modelType;
    return j;
}

} // namespace

std::vector<std::string> exportDeepseekV3(const model::Model& m, const fs::path& out, const ExportOptions& o) {
    checkExportable(m);
    const auto& c = m.config;
    const std::string dtypeName = o.dtype == "source" ? c.dtype : (o.dtype == "f32" ? "float32" : o.dtype == "bf16" ? "bfloat16" : "float16");
    const at::ScalarType dt = dtypeName == "float32" ? at::kFloat : dtypeName == "float16" ? at::kHalf : at::kBFloat16;
    std::vector<std::string> notes;
    int64_t rank = 0;
    for (const auto& L : m.layers) rank = std::max(rank, L.mla->rank);
    if (c.slidingWindow)
        notes.push_back("DeepSeek-V3 has no sliding window: transformers attends over the full context, identical to the source only up to " +
                        std::to_string(*c.slidingWindow) + " tokens");

    AtomicDir dir(out, o.overwrite);
    std::vector<std::pair<std::string, at::Tensor>> t;
    // Tensors stay on the model's device; the writer moves them to the host one at a time.
    auto put = [&](const std::string& name, const at::Tensor& x) { t.emplace_back(name, x.to(dt)); };
    put("model.embed_tokens.weight", m.embed);
    put("model.norm.weight", m.finalNorm);
    if (!c.tieWordEmbeddings) put("lm_head.weight", m.lmHead);
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const auto& L = m.layers[i];
        const auto& a = *L.mla;
        const std::string p = "model.layers." + std::to_string(i) + ".";
        const int64_t r = a.rank, pad = rank - r;
        auto padRows = [&](const at::Tensor& w) { // latent rows of kv_a: [r + rR, ..] -> [rank + rR, ..]
            if (!pad) return w;
            std::vector<int64_t> shape = w.sizes().vec();
            shape[0] = pad;
            return at::cat({w.narrow(0, 0, r), at::zeros(shape, w.options()), w.narrow(0, r, a.ropeDim)}, 0);
        };
        put(p + "input_layernorm.weight", L.inputNorm);
        put(p + "post_attention_layernorm.weight", L.postAttnNorm);
        put(p + "self_attn.q_proj.weight", a.q.weight);
        put(p + "self_attn.kv_a_proj_with_mqa.weight", padRows(a.kvA.weight));
        if (a.kvA.bias.defined()) {
            put(p + "self_attn.kv_a_proj_with_mqa.bias", padRows(a.kvA.bias));
            put(p + "self_attn.o_proj.bias", a.o.bias.defined() ? a.o.bias : at::zeros({c.hiddenSize}, a.kvA.bias.options()));
        }
        // Zero latent dims change the RMS over the latent by sqrt(r / rank): rescale the weight back.
        at::Tensor norm = a.kvANorm * std::sqrt(double(r) / double(rank));
        put(p + "self_attn.kv_a_layernorm.weight", pad ? at::cat({norm, at::ones({pad}, norm.options())}) : norm);
        put(p + "self_attn.kv_b_proj.weight", pad ? at::cat({a.kvB.weight, at::zeros({a.kvB.weight.size(0), pad}, a.kvB.weight.options())}, 1) : a.kvB.weight);
        put(p + "self_attn.o_proj.weight", a.o.weight);
        put(p + "mlp.gate_proj.weight", L.mlp.gate.weight);
        put(p + "mlp.up_proj.weight", L.mlp.up.weight);
        put(p + "mlp.down_proj.weight", L.mlp.down.weight);
    }
    io::writeSafetensors(dir.path() / "model.safetensors", t, {{"format", "pt"}, {"converted_by", "transmla-workbench"}});
    {
        AtomicFile cfg(dir.path() / "config.json");
        const std::string text = deepseekConfig(m, rank, dtypeName, o).dump(2) + "\n";
        cfg.write(text.data(), text.size());
        cfg.commit();
    }
    for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"}) {
        std::error_code ec;
        if (fs::exists(m.dir / f)) fs::copy_file(m.dir / f, dir.path() / f, ec);
        if (ec) throw Error((dir.path() / f).string() + ": copy failed: " + ec.message());
    }
    dir.commit();
    return notes;
}

} // namespace transmla::convert
