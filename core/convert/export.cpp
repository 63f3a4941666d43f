#include "convert/export.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>

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

void checkFamily(const model::Model& m) {
    const auto& c = m.config;
    if (c.family == io::Family::Gemma2 || c.family == io::Family::Mixtral)
        throw ArgumentError(io::familyName(c.family) + ": its " +
                            (c.family == io::Family::Gemma2 ? std::string("sandwich norms and soft-capping")
                                                             : std::string("mixture-of-experts MLP")) +
                            " have no DeepSeek-V3 equivalent; evaluate the converted model in transmla instead");
}

void checkLayer(const model::Model& m, size_t i) {
    const auto& c = m.config;
    const auto& L = m.layers[i];
    const std::string where = "layer " + std::to_string(i) + ": ";
    if (!L.mla) throw ArgumentError(where + "not converted");
    // The frequencies DeepSeek-V3 derives from the config (a streamed conversion has not yet
    // updated the model's config: take the dims from the layer).
    io::ModelConfig standard = c;
    standard.family = io::Family::DeepseekV3;
    standard.qkRopeHeadDim = L.mla->ropeDim;
    standard.qkNopeHeadDim = L.mla->nopeDim;
    standard.vHeadDim = L.mla->vDim;
    standard.kvLoraRank = L.mla->rank;
    double scaling = 1;
    const at::Tensor stdFreq = model::ropeInverseFrequencies(standard, c.maxPositions, &scaling);
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

void checkExportable(const model::Model& m) {
    checkFamily(m);
    if (!m.config.convertedToMla) throw ArgumentError("the model has not been converted to MLA");
    for (size_t i = 0; i < m.layers.size(); ++i) checkLayer(m, i);
}

// What config.json needs from the attention layers (all layers share it).
struct AttentionShape {
    int64_t ropeDim = 0, nopeDim = 0, vDim = 0;
    bool bias = false;
};

AttentionShape attentionShape(const model::Layer& L) {
    return {L.mla->ropeDim, L.mla->nopeDim, L.mla->vDim, L.mla->kvA.bias.defined()};
}

std::string exportDtypeName(const model::Model& m, const ExportOptions& o) {
    return o.dtype == "source" ? m.config.dtype : (o.dtype == "f32" ? "float32" : o.dtype == "bf16" ? "bfloat16" : "float16");
}
at::ScalarType exportDtype(const std::string& name) {
    return name == "float32" ? at::kFloat : name == "float16" ? at::kHalf : at::kBFloat16;
}

using Named = std::vector<std::pair<std::string, at::Tensor>>;

// The tensors of one converted layer in DeepSeek-V3 names, latent zero-padded to `rank`.
void layerTensors(const model::Model& m, size_t i, int64_t rank, at::ScalarType dt, Named& t) {
    const auto& c = m.config;
    auto put = [&](const std::string& name, const at::Tensor& x) { t.emplace_back(name, x.to(dt)); };
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

void globalTensors(const model::Model& m, at::ScalarType dt, Named& t) {
    t.emplace_back("model.embed_tokens.weight", m.embed.to(dt));
    t.emplace_back("model.norm.weight", m.finalNorm.to(dt));
    if (!m.config.tieWordEmbeddings) t.emplace_back("lm_head.weight", m.lmHead.to(dt));
}

std::vector<std::string> exportNotes(const model::Model& m) {
    std::vector<std::string> notes;
    if (m.config.slidingWindow)
        notes.push_back("DeepSeek-V3 has no sliding window: transformers attends over the full context, identical to the source only up to " +
                        std::to_string(*m.config.slidingWindow) + " tokens");
    return notes;
}

void writeSideFiles(const model::Model& m, const fs::path& dir, const json& config) {
    {
        AtomicFile cfg(dir / "config.json");
        const std::string text = config.dump(2) + "\n";
        cfg.write(text.data(), text.size());
        cfg.commit();
    }
    for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"}) {
        std::error_code ec;
        if (fs::exists(m.dir / f)) fs::copy_file(m.dir / f, dir / f, ec);
        if (ec) throw Error((dir / f).string() + ": copy failed: " + ec.message());
    }
}

json deepseekConfig(const model::Model& m, int64_t rank, const AttentionShape& mla, const std::string& dtype,
                    const nlohmann::json& report) {
    const auto& c = m.config;
    const bool attnBias = mla.bias;
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
    j["transmla"] = report;
    j["transmla"]["source_model_type"] = c.modelType;
    return j;
}

} // namespace

std::vector<std::string> exportDeepseekV3(const model::Model& m, const fs::path& out, const ExportOptions& o) {
    checkExportable(m);
    const std::string dtypeName = exportDtypeName(m, o);
    const at::ScalarType dt = exportDtype(dtypeName);
    int64_t rank = 0;
    for (const auto& L : m.layers) rank = std::max(rank, L.mla->rank);

    AtomicDir dir(out, o.overwrite);
    // Tensors stay on the model's device; the writer moves them to the host one at a time.
    Named t;
    globalTensors(m, dt, t);
    for (size_t i = 0; i < m.layers.size(); ++i) layerTensors(m, i, rank, dt, t);
    io::writeSafetensors(dir.path() / "model.safetensors", t, {{"format", "pt"}, {"converted_by", "transmla-workbench"}});
    writeSideFiles(m, dir.path(), deepseekConfig(m, rank, attentionShape(m.layers[0]), dtypeName, o.conversionReport));
    dir.commit();
    return exportNotes(m);
}

struct StreamedExport::State {
    AtomicDir dir;
    std::string dtypeName;
    at::ScalarType dt;
    int64_t rank, shards;
    std::optional<AttentionShape> shape;
    json weightMap = json::object();
    uint64_t totalBytes = 0;
    State(const fs::path& out, bool overwrite) : dir(out, overwrite) {}
};

StreamedExport::StreamedExport(const model::Model& m, const fs::path& out, const ExportOptions& o, int64_t rank) : m_(m) {
    checkFamily(m);
    if (rank < 1) throw ArgumentError("streamed export: kv_lora_rank must be known before the first layer");
    st_ = std::make_unique<State>(out, o.overwrite);
    st_->dtypeName = exportDtypeName(m, o);
    st_->dt = exportDtype(st_->dtypeName);
    st_->rank = rank;
    st_->shards = m.config.numLayers + 2;
}

StreamedExport::~StreamedExport() = default; // an unfinished export's temporary folder is removed

std::string StreamedExport::shardName(int64_t k) const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "model-%05lld-of-%05lld.safetensors", (long long)k, (long long)st_->shards);
    return buf;
}

void StreamedExport::writeShard(int64_t k, const std::vector<std::pair<std::string, at::Tensor>>& t) {
    const std::string name = shardName(k);
    io::writeSafetensors(st_->dir.path() / name, t, {{"format", "pt"}, {"converted_by", "transmla-workbench"}});
    for (const auto& [n, x] : t) {
        st_->weightMap[n] = name;
        st_->totalBytes += uint64_t(x.numel()) * x.element_size();
    }
}

void StreamedExport::writeLayer(int64_t i) {
    const auto& L = m_.layers.at(size_t(i));
    checkLayer(m_, size_t(i));
    if (L.mla->rank != st_->rank)
        throw ArgumentError("layer " + std::to_string(i) + ": rank " + std::to_string(L.mla->rank) + " differs from " +
                            std::to_string(st_->rank) +
                            "; a streamed export needs one rank in every layer (give --kv-lora-rank, or convert in memory)");
    if (!st_->shape) st_->shape = attentionShape(L);
    Named t;
    layerTensors(m_, size_t(i), st_->rank, st_->dt, t);
    writeShard(i + 1, t);
}

std::vector<std::string> StreamedExport::finish(const nlohmann::json& conversionReport) {
    if (!m_.config.convertedToMla || !st_->shape)
        throw ArgumentError("streamed export: not every layer was converted and written");
    // The embedding and the final norm + LM head go to the last two shards; the mapped pages of the
    // one written are dropped before the next is read, so host memory holds one of them at a time.
    Named t;
    globalTensors(m_, st_->dt, t);
    writeShard(st_->shards - 1, {t.begin(), t.begin() + 1});
    m_.releaseHostPages();
    writeShard(st_->shards, {t.begin() + 1, t.end()});
    m_.releaseHostPages();
    for (int64_t i = 0; i < m_.config.numLayers; ++i)
        if (!st_->weightMap.contains("model.layers." + std::to_string(i) + ".self_attn.kv_b_proj.weight"))
            throw ArgumentError("streamed export: layer " + std::to_string(i) + " was not written");
    {
        AtomicFile idx(st_->dir.path() / "model.safetensors.index.json");
        const std::string text = json{{"metadata", {{"total_size", st_->totalBytes}}}, {"weight_map", st_->weightMap}}.dump(2) + "\n";
        idx.write(text.data(), text.size());
        idx.commit();
    }
    writeSideFiles(m_, st_->dir.path(), deepseekConfig(m_, st_->rank, *st_->shape, st_->dtypeName, conversionReport));
    st_->dir.commit();
    return exportNotes(m_);
}

void checkDeepseekV3Exportable(const model::Model& converted) { checkExportable(converted); }

} // namespace transmla::convert
