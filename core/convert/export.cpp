#include "convert/export.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>

#include <ATen/ATen.h>

#include "convert/qk_norm.h"
#include "convert/settings.h"
#include "io/family.h"
#include "io/safetensors.h"
#include "model/model.h"
#include "model/modules.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace transmla::convert {

namespace {

using K = io::TensorKind;

// What we write: the deepseek_v3 row of the family table names every tensor.
const io::FamilySpec& exportFamily() {
    return io::familySpec(io::Family::DeepseekV3);
}

bool hasNonzero(const at::Tensor& t) {
    return t.defined() && t.abs().max().item<double>() > 0;
}

void checkFamily(const model::Model& m) {
    const auto& c = m.config;
    if (const char* block = io::familySpec(c.family).exportBlock)
        throw ArgumentError(
            io::familyName(c.family) + ": its " + block +
            " have no DeepSeek-V3 equivalent; evaluate the converted model in transmla instead");
}

// What vLLM's and SGLang's DeepSeek-V2/V3 code cannot reproduce, model-wide (vLLM deepseek_v2.py:
// DeepseekV2MLP raises for any hidden_act but silu; DeepseekV2MLAAttention turns every rope_type
// other than default into deepseek_yarn, SGLang's DeepseekV2AttentionMLA likewise).
void checkServingModel(const model::Model& m, const ExportOptions& o) {
    const auto& c = m.config;
    if (c.activation != io::Activation::Silu)
        throw ArgumentError("serving export: " + io::familyName(c.family) +
                            " uses a GELU MLP; vLLM's and SGLang's DeepSeek MLP runs SiLU only (export for "
                            "transformers instead)");
    if (c.ropeScaling.type != "default")
        throw ArgumentError(
            "serving export: rope_scaling type '" + c.ropeScaling.type +
            "': vLLM and SGLang turn any non-default RoPE scaling of a DeepSeek model into DeepSeek-YaRN, "
            "which rotates by other frequencies (export for transformers instead)");
    if (o.dtype != "source" && o.dtype != "bf16" && o.dtype != "f32")
        throw SettingError(setting::kExportDtype,
                           o.dtype + ": serving exports are written in bf16 (f32 for checks)");
}

// How every layer is written: the latent zero-padded to `rank`, the rope block to `ropeDim` dims
// (0: the layer's own r_R), as GPT-J pairs or (legacy) half-split pairs.
struct Plan {
    bool serving = false, f32 = false;
    int64_t rank = 0, ropeDim = 0;
    bool interleave = true;
};

Plan makePlan(const ExportOptions& o, int64_t rank) {
    Plan p;
    p.serving = o.target == ExportTarget::Serving;
    p.f32 = o.dtype == "f32";
    p.interleave = !o.legacyHalfSplitRope;
    p.rank = rank;
    if (p.serving) {
        if (rank > kServingKvLoraRank)
            throw ArgumentError(
                "serving export: kv_lora_rank " + std::to_string(rank) + " exceeds " +
                std::to_string(kServingKvLoraRank) +
                ", the latent size vLLM's and SGLang's MLA kernels take (FlashMLA: 512 + 64 rope dims); "
                "convert with kv_lora_rank 512 or less");
        p.rank = kServingKvLoraRank;
        p.ropeDim = kServingRopeDim;
    }
    return p;
}

int64_t writtenRopeDim(const Plan& p, const model::MlaAttention& a) {
    return p.ropeDim ? p.ropeDim : a.ropeDim;
}

// The standard frequencies of an r_R-dim DeepSeek-V3 RoPE (what the loaders derive from the config).
at::Tensor standardFrequencies(const io::ModelConfig& c, const model::MlaAttention& a, int64_t ropeDim) {
    io::ModelConfig s = c;
    s.family = io::Family::DeepseekV3;
    s.qkRopeHeadDim = ropeDim;
    s.qkNopeHeadDim = a.nopeDim;
    s.vHeadDim = a.vDim;
    s.kvLoraRank = a.rank;
    double scaling = 1;
    return model::ropeInverseFrequencies(s, c.maxPositions, &scaling).to(at::kCPU, at::kDouble);
}

// Where each rope plane j of layer i goes: the index s_j of its frequency among the written
// ropeDim/2 standard ones (r_R = 32 planes padded to 64 dims land on every second pair).
std::vector<int64_t> ropeSlots(const model::Model& m, size_t i, int64_t ropeDim) {
    const auto& a = *m.layers[i].mla;
    const at::Tensor own = a.ropeInvFreq.defined() ? a.ropeInvFreq.to(at::kCPU, at::kDouble)
                                                   : standardFrequencies(m.config, a, a.ropeDim);
    const at::Tensor target = standardFrequencies(m.config, a, ropeDim);
    const auto* f = own.data_ptr<double>();
    const auto* t = target.data_ptr<double>();
    std::vector<int64_t> slots;
    std::vector<bool> used(size_t(target.numel()), false);
    for (int64_t j = 0; j < own.numel(); ++j) {
        int64_t k = 0;
        while (k < target.numel() && (used[size_t(k)] || std::abs(t[k] - f[j]) > 1e-5 * t[k]))
            ++k;
        if (k == target.numel())
            throw ArgumentError(
                "layer " + std::to_string(i) + ": RoPE plane " + std::to_string(j) + " turns at frequency " +
                std::to_string(f[j]) + ", not one of the standard " + std::to_string(ropeDim) +
                "-dim frequencies (choose a qk_rope_head_dim dividing head_dim and the automatic freqfold)");
        used[size_t(k)] = true;
        slots.push_back(k);
    }
    return slots;
}

// The rope block of x along `dim` (r_R rows, half-split: plane j = rows j and j + r_R/2) written as
// ropeDim rows: plane j at rows (2 s_j, 2 s_j + 1) (GPT-J interleaved, rope_interleave true) or at
// (s_j, s_j + ropeDim/2) (legacy); rows of unused planes are zero and add nothing to q.k.
at::Tensor ropeRows(const at::Tensor& x, int64_t dim, const std::vector<int64_t>& slots, int64_t ropeDim,
                    bool interleave) {
    const int64_t n = x.size(dim) / 2;
    std::vector<int64_t> shape = x.sizes().vec();
    shape[size_t(dim)] = ropeDim;
    at::Tensor y = at::zeros(shape, x.options());
    if (!n) return y;
    std::vector<int64_t> first, second;
    for (int64_t j = 0; j < n; ++j) {
        first.push_back(interleave ? 2 * slots[size_t(j)] : slots[size_t(j)]);
        second.push_back(interleave ? 2 * slots[size_t(j)] + 1 : slots[size_t(j)] + ropeDim / 2);
    }
    auto index = [&](const std::vector<int64_t>& v) {
        return at::tensor(at::ArrayRef<int64_t>(v), at::kLong).to(x.device());
    };
    y.index_copy_(dim, index(first), x.narrow(dim, 0, n));
    y.index_copy_(dim, index(second), x.narrow(dim, n, n));
    return y;
}

void checkLayer(const model::Model& m, size_t i, const Plan& plan) {
    const auto& c = m.config;
    const auto& L = m.layers[i];
    const std::string where = "layer " + std::to_string(i) + ": ";
    if (!L.mla) throw ArgumentError(where + "not converted");
    const auto& a = *L.mla;
    if (a.normedInput()) throw foldNeededForExport(c, where); // a setting: the front end names its control
    if (!a.kvANorm.defined())
        throw ArgumentError(
            where +
            "no latent norm; DeepSeek-V3 always applies kv_a_layernorm: convert with latent_norm calibrated");
    if (!a.q.defined()) throw ArgumentError(where + "a low-rank query (q_a/q_b) is not exported");
    if (hasNonzero(a.q.bias) || hasNonzero(a.qRope.bias))
        throw ArgumentError(
            where + "the query has a bias (" + io::familyName(c.family) +
            "), which DeepSeek-V3's q_proj cannot hold; evaluate the converted model in transmla instead");
    if (hasNonzero(L.mlp.gate.bias) || hasNonzero(L.mlp.up.bias) || hasNonzero(L.mlp.down.bias))
        throw ArgumentError(where + "the MLP has biases (mlp_bias), which DeepSeek-V3's MLP cannot hold");
    if (plan.serving && (hasNonzero(a.kvA.bias) || hasNonzero(a.o.bias)))
        throw ArgumentError(where +
                            "the key/value or output projection has a bias; vLLM and SGLang build DeepSeek's "
                            "kv_a_proj_with_mqa and o_proj without one (export for transformers instead)");
    if (plan.ropeDim && a.ropeDim > plan.ropeDim)
        throw ArgumentError(where + "qk_rope_head_dim " + std::to_string(a.ropeDim) + " exceeds the " +
                            std::to_string(plan.ropeDim) +
                            " of vLLM's and SGLang's MLA kernels; convert with qk_rope_head_dim " +
                            std::to_string(plan.ropeDim) + " or less");
    ropeSlots(m, i, writtenRopeDim(plan, a)); // throws naming the plane
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
    if (o.target == ExportTarget::Serving) return o.dtype == "f32" ? "float32" : "bfloat16";
    return o.dtype == "source" ? m.config.dtype
                               : (o.dtype == "f32"    ? "float32"
                                  : o.dtype == "bf16" ? "bfloat16"
                                                      : "float16");
}
at::ScalarType exportDtype(const std::string& name) {
    return name == "float32" ? at::kFloat : name == "float16" ? at::kHalf : at::kBFloat16;
}

using Named = std::vector<std::pair<std::string, at::Tensor>>;

// The tensors of one converted layer in DeepSeek-V3 names. Padding is exact:
// - latent r -> rank: zero rows lower the RMS over the latent by sqrt(r / rank), so the latent rows
//   of kv_a are scaled by sqrt(rank / r) and the kv_a_layernorm weight by sqrt(r / rank): the mean
//   square over rank equals the old one over r, the norm (eps included) gives the same values;
//   kv_b reads the padded dims through zero columns;
// - rope r_R -> r_R': DeepSeek scales scores by 1/sqrt(d_n + r_R') of the written dims, so q_proj
//   carries sqrt((d_n + r_R') / (d_n + r_R)); the padded planes are zero in q and k.
void layerTensors(const model::Model& m, size_t i, const Plan& plan, at::ScalarType dt, Named& t) {
    const io::FamilySpec& ds = exportFamily();
    const auto li = int64_t(i);
    auto put = [&](K k, const at::Tensor& x) { t.emplace_back(ds.tensorName(k, li), x.to(dt)); };
    auto putBias = [&](K k, const at::Tensor& x) { t.emplace_back(ds.biasName(k, li), x.to(dt)); };
    const auto& L = m.layers[i];
    const auto& a = *L.mla;
    const int64_t r = a.rank, pad = plan.rank - r, rR = a.ropeDim, rOut = writtenRopeDim(plan, a),
                  dn = a.nopeDim;
    const int64_t H = m.config.numHeads;
    const std::vector<int64_t> slots = ropeSlots(m, i, rOut);
    const double latentScale = std::sqrt(double(plan.rank) / double(r));
    auto kvARows = [&](const at::Tensor& w) { // [r + rR, ..] -> [rank + rOut, ..]
        std::vector<int64_t> shape = w.sizes().vec();
        shape[0] = pad;
        const at::Tensor latent = pad ? w.narrow(0, 0, r) * latentScale : w.narrow(0, 0, r);
        return at::cat({latent, at::zeros(shape, w.options()),
                        ropeRows(w.narrow(0, r, rR), 0, slots, rOut, plan.interleave)},
                       0);
    };
    const at::Tensor qRows = model::mlaQueryRows(a).weight;           // joined where split (model.h)
    const at::Tensor qw = qRows.reshape({H, dn + rR, qRows.size(1)}); // {H, dn + rR, D}
    at::Tensor q =
        at::cat({qw.narrow(1, 0, dn), ropeRows(qw.narrow(1, dn, rR), 1, slots, rOut, plan.interleave)}, 1)
            .reshape({H * (dn + rOut), qw.size(2)}); // {H * (dn + rOut), D}
    if (rOut != rR) q = q * std::sqrt(double(dn + rOut) / double(dn + rR));
    put(K::InputNorm, L.inputNorm);
    put(K::PostAttnNorm, L.postAttnNorm);
    put(K::Q, q);
    put(K::KvA, kvARows(a.kvA.weight));
    if (a.kvA.bias.defined() && !plan.serving) {
        putBias(K::KvA, kvARows(a.kvA.bias));
        putBias(K::O, a.o.bias.defined() ? a.o.bias : at::zeros({m.config.hiddenSize}, a.kvA.bias.options()));
    }
    const at::Tensor norm = pad ? a.kvANorm / latentScale : a.kvANorm;
    put(K::KvANorm, pad ? at::cat({norm, at::ones({pad}, norm.options())}) : norm);
    const at::Tensor kvB = model::mlaKvBRows(a, H); // per head, where groups of heads share them (model.h)
    put(K::KvB, pad ? at::cat({kvB, at::zeros({kvB.size(0), pad}, kvB.options())}, 1) : kvB);
    put(K::O, a.o.weight);
    put(K::Gate, L.mlp.gate.weight);
    put(K::Up, L.mlp.up.weight);
    put(K::Down, L.mlp.down.weight);
}

// The engines never tie lm_head to the embedding (vLLM's ParallelLMHead reads lm_head.weight): a
// serving export always has its own copy.
void globalTensors(const model::Model& m, const Plan& plan, at::ScalarType dt, Named& t) {
    const io::FamilySpec& ds = exportFamily();
    t.emplace_back(ds.tensorName(K::Embed), m.embed.to(dt));
    t.emplace_back(ds.tensorName(K::FinalNorm), m.finalNorm.to(dt));
    if (!m.config.tieWordEmbeddings || plan.serving)
        t.emplace_back(ds.tensorName(K::LmHead), m.lmHead.to(dt));
}

std::vector<std::string> exportNotes(const model::Model& m, const Plan& plan, int64_t rank, int64_t ropeDim) {
    std::vector<std::string> notes;
    if (m.config.slidingWindow)
        notes.push_back("DeepSeek-V3 has no sliding window: transformers attends over the full context, "
                        "identical to the source only up to " +
                        std::to_string(*m.config.slidingWindow) + " tokens");
    if (plan.serving && (rank != plan.rank || ropeDim != plan.ropeDim))
        notes.push_back("serving shape: kv_lora_rank " + std::to_string(rank) + " and qk_rope_head_dim " +
                        std::to_string(ropeDim) + " zero-padded to " + std::to_string(plan.rank) + " + " +
                        std::to_string(plan.ropeDim) + " (same logits; the engines cache " +
                        std::to_string(plan.rank + plan.ropeDim) + " values per token and layer)");
    if (qkNormsFolded(m))
        notes.push_back(
            "approximation: the q/k norms were folded into the projections (per-token RMS dropped), "
            "labelled transmla.approximation in config.json");
    if (plan.serving && plan.f32)
        notes.push_back(
            "f32 serving export: for checks; the engines' MLA kernels serve bf16 (export_dtype bf16)");
    return notes;
}

void writeSideFiles(const model::Model& m, const fs::path& dir, const json& config) {
    {
        AtomicFile cfg(dir / "config.json");
        const std::string text = config.dump(2) + "\n";
        cfg.write(text.data(), text.size());
        cfg.commit();
    }
    for (const char* f :
         {"tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
          "added_tokens.json", "chat_template.jinja", "generation_config.json"}) {
        std::error_code ec;
        if (fs::exists(m.dir / f)) fs::copy_file(m.dir / f, dir / f, ec);
        if (ec) throw Error((dir / f).string() + ": copy failed: " + ec.message());
    }
}

json deepseekConfig(const model::Model& m, const Plan& plan, const AttentionShape& mla,
                    const std::string& dtype, const nlohmann::json& report) {
    const auto& c = m.config;
    const int64_t ropeDim = plan.ropeDim ? plan.ropeDim : mla.ropeDim;
    json j = {{"architectures", {exportFamily().architecture}},
              {"model_type", exportFamily().modelType},
              {"vocab_size", c.vocabSize},
              {"hidden_size", c.hiddenSize},
              {"intermediate_size", c.intermediateSize},
              {"num_hidden_layers", c.numLayers},
              // Every MLP stays dense: the engines' is_moe_layer is n_routed_experts set, layer >=
              // first_k_dense_replace and layer % moe_layer_freq == 0. The expert counts are never
              // used but some loaders do arithmetic on them (vLLM load_weights), so none is null.
              {"first_k_dense_replace", c.numLayers},
              {"moe_layer_freq", 1},
              {"moe_intermediate_size", c.intermediateSize},
              {"n_routed_experts", 1},
              {"n_shared_experts", 1},
              {"num_experts_per_tok", 1},
              {"n_group", 1},
              {"topk_group", 1},
              {"routed_scaling_factor", 1.0}, // vLLM divides fp16 hidden states by it in every layer
              {"num_attention_heads", c.numHeads},
              {"num_key_value_heads", c.numHeads},
              {"kv_lora_rank", plan.rank},
              {"q_lora_rank", nullptr},
              {"qk_rope_head_dim", ropeDim},
              {"qk_nope_head_dim", mla.nopeDim},
              {"v_head_dim", mla.vDim},
              {"head_dim", ropeDim},
              {"rope_interleave", plan.interleave},
              {"hidden_act", c.activation == io::Activation::Silu ? "silu" : "gelu_pytorch_tanh"},
              {"max_position_embeddings", c.maxPositions},
              {"rms_norm_eps", c.rmsNormEps},
              {"rope_theta", c.ropeTheta},
              {"attention_bias", mla.bias && !plan.serving},
              {"attention_dropout", 0.0},
              {"tie_word_embeddings", c.tieWordEmbeddings && !plan.serving},
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
    // Token ids verbatim from the source (Llama-3.x-Instruct lists several eos ids).
    for (const char* key : {"bos_token_id", "eos_token_id", "pad_token_id"})
        if (c.raw.is_object() && c.raw.contains(key) && !c.raw[key].is_null()) j[key] = c.raw[key];
    if (!j.contains("bos_token_id") && c.bosTokenId >= 0) j["bos_token_id"] = c.bosTokenId;
    if (!j.contains("eos_token_id") && c.eosTokenId >= 0) j["eos_token_id"] = c.eosTokenId;
    j["transmla"] = report;
    j["transmla"]["source_model_type"] = c.modelType;
    j["transmla"]["export_target"] = plan.serving ? "serving" : "transformers";
    if (qkNormsFolded(m))
        j["transmla"]["approximation"] =
            "q/k norms folded (qk_norm.h): each head's RMSNorm replaced by a fitted constant scale; the "
            "per-token 1/rms is dropped, so this model differs from the source beyond the rank truncation";
    return j;
}

} // namespace

std::vector<std::string> exportDeepseekV3(const model::Model& m, const fs::path& out,
                                          const ExportOptions& o) {
    checkFamily(m);
    if (o.target == ExportTarget::Serving) checkServingModel(m, o);
    if (!m.config.convertedToMla) throw ArgumentError("the model has not been converted to MLA");
    int64_t rank = 0;
    for (const auto& L : m.layers)
        rank = std::max(rank, L.mla ? L.mla->rank : 0);
    const Plan plan = makePlan(o, rank);
    for (size_t i = 0; i < m.layers.size(); ++i)
        checkLayer(m, i, plan);
    const std::string dtypeName = exportDtypeName(m, o);
    const at::ScalarType dt = exportDtype(dtypeName);

    AtomicDir dir(out, o.overwrite);
    // Tensors stay on the model's device; the writer moves them to the host one at a time.
    Named t;
    globalTensors(m, plan, dt, t);
    for (size_t i = 0; i < m.layers.size(); ++i)
        layerTensors(m, i, plan, dt, t);
    io::writeSafetensors(dir.path() / "model.safetensors", t,
                         {{"format", "pt"}, {"converted_by", "transmla-workbench"}});
    const AttentionShape shape = attentionShape(m.layers[0]);
    writeSideFiles(m, dir.path(), deepseekConfig(m, plan, shape, dtypeName, o.conversionReport));
    dir.commit();
    return exportNotes(m, plan, rank, shape.ropeDim);
}

struct StreamedExport::State {
    AtomicDir dir;
    std::string dtypeName;
    at::ScalarType dt;
    int64_t rank, shards; // rank: every layer's (before padding)
    Plan plan;
    std::optional<AttentionShape> shape;
    json weightMap = json::object();
    uint64_t totalBytes = 0;
    State(const fs::path& out, bool overwrite) : dir(out, overwrite) {}
};

StreamedExport::StreamedExport(const model::Model& m, const fs::path& out, const ExportOptions& o,
                               int64_t rank)
    : m_(m) {
    checkFamily(m);
    if (o.target == ExportTarget::Serving) checkServingModel(m, o);
    if (rank < 1) throw ArgumentError("streamed export: kv_lora_rank must be known before the first layer");
    const Plan plan = makePlan(o, rank); // refuses a serving rank above 512 before anything is converted
    st_ = std::make_unique<State>(out, o.overwrite);
    st_->plan = plan;
    st_->dtypeName = exportDtypeName(m, o);
    st_->dt = exportDtype(st_->dtypeName);
    st_->rank = rank;
    st_->shards = m.config.numLayers + 2;
}
StreamedExport::~StreamedExport() = default; // an unfinished export's temporary folder is removed

std::string StreamedExport::shardName(int64_t k) const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "model-%05lld-of-%05lld.safetensors", (long long)k,
                  (long long)st_->shards);
    return buf;
}

void StreamedExport::writeShard(int64_t k, const std::vector<std::pair<std::string, at::Tensor>>& t) {
    const std::string name = shardName(k);
    io::writeSafetensors(st_->dir.path() / name, t,
                         {{"format", "pt"}, {"converted_by", "transmla-workbench"}});
    for (const auto& [n, x] : t) {
        st_->weightMap[n] = name;
        st_->totalBytes += uint64_t(x.numel()) * x.element_size();
    }
}

void StreamedExport::writeLayer(int64_t i) {
    const auto& L = m_.layers.at(size_t(i));
    checkLayer(m_, size_t(i), st_->plan);
    if (L.mla->rank != st_->rank)
        throw ArgumentError(
            "layer " + std::to_string(i) + ": rank " + std::to_string(L.mla->rank) + " differs from " +
            std::to_string(st_->rank) +
            "; a streamed export needs one rank in every layer (give kv_lora_rank, or convert in memory)");
    if (!st_->shape) st_->shape = attentionShape(L);
    Named t;
    layerTensors(m_, size_t(i), st_->plan, st_->dt, t);
    writeShard(i + 1, t);
}

std::vector<std::string> StreamedExport::finish(const nlohmann::json& conversionReport) {
    if (!m_.config.convertedToMla || !st_->shape)
        throw ArgumentError("streamed export: not every layer was converted and written");
    // The embedding and the final norm + LM head go to the last two shards; the mapped pages of the
    // one written are dropped before the next is read, so host memory holds one of them at a time.
    Named t;
    globalTensors(m_, st_->plan, st_->dt, t);
    writeShard(st_->shards - 1, {t.begin(), t.begin() + 1});
    m_.releaseHostPages();
    writeShard(st_->shards, {t.begin() + 1, t.end()});
    m_.releaseHostPages();
    for (int64_t i = 0; i < m_.config.numLayers; ++i)
        if (!st_->weightMap.contains(exportFamily().tensorName(K::KvB, i)))
            throw ArgumentError("streamed export: layer " + std::to_string(i) + " was not written");
    {
        AtomicFile idx(st_->dir.path() / "model.safetensors.index.json");
        const std::string text =
            json{{"metadata", {{"total_size", st_->totalBytes}}}, {"weight_map", st_->weightMap}}.dump(2) +
            "\n";
        idx.write(text.data(), text.size());
        idx.commit();
    }
    writeSideFiles(m_, st_->dir.path(),
                   deepseekConfig(m_, st_->plan, *st_->shape, st_->dtypeName, conversionReport));
    st_->dir.commit();
    return exportNotes(m_, st_->plan, st_->rank, st_->shape->ropeDim);
}

void checkDeepseekV3Exportable(
    const model::Model& converted) { // what exportDeepseekV3 checks for the transformers target
    checkFamily(converted);
    if (!converted.config.convertedToMla) throw ArgumentError("the model has not been converted to MLA");
    int64_t rank = 0;
    for (const auto& L : converted.layers)
        rank = std::max(rank, L.mla ? L.mla->rank : 0);
    const Plan plan = makePlan(ExportOptions{}, rank);
    for (size_t i = 0; i < converted.layers.size(); ++i)
        checkLayer(converted, i, plan);
}

} // namespace transmla::convert
