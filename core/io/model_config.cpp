#include "io/model_config.h"

#include <fstream>

#include "util/error.h"

using nlohmann::json;
namespace fs = std::filesystem;

namespace transmla::io {

namespace {

// Upper bounds that no real model reaches: reject before any allocation is sized from them.
constexpr int64_t kMaxLayers = 4096, kMaxHeads = 4096, kMaxHidden = 1 << 20, kMaxVocab = 1 << 24;

class Reader {
public:
    Reader(const json& j, std::string file) : j_(j), file_(std::move(file)) {}

    bool has(const char* key) const { return j_.contains(key) && !j_[key].is_null(); }

    int64_t integer(const char* key, std::optional<int64_t> fallback, int64_t lo, int64_t hi) const {
        if (!has(key)) {
            if (!fallback) throw FormatError(file_, key, "missing");
            return *fallback;
        }
        const json& v = j_[key];
        if (!v.is_number_integer()) throw FormatError(file_, key, "expected an integer, got " + v.dump());
        // Above INT64_MAX get<int64_t> would wrap to a negative value; name the value as written.
        if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(hi))
            throw FormatError(file_, key,
                              "value " + v.dump() + " out of range [" + std::to_string(lo) + ", " +
                                  std::to_string(hi) + "]");
        int64_t n = v.get<int64_t>();
        if (n < lo || n > hi)
            throw FormatError(file_, key,
                              "value " + std::to_string(n) + " out of range [" + std::to_string(lo) + ", " +
                                  std::to_string(hi) + "]");
        return n;
    }
    double number(const json& obj, const char* key, double fallback, const std::string& where) const {
        if (!obj.contains(key) || obj[key].is_null()) return fallback;
        if (!obj[key].is_number()) throw FormatError(file_, where + key, "expected a number");
        return obj[key].get<double>();
    }
    double number(const char* key, double fallback) const { return number(j_, key, fallback, ""); }
    bool boolean(const char* key, bool fallback) const {
        if (!has(key)) return fallback;
        if (!j_[key].is_boolean()) throw FormatError(file_, key, "expected true/false");
        return j_[key].get<bool>();
    }
    std::string string(const char* key, const std::string& fallback) const {
        if (!has(key)) return fallback;
        if (!j_[key].is_string()) throw FormatError(file_, key, "expected a string");
        return j_[key].get<std::string>();
    }
    const std::string& file() const { return file_; }
    const json& json_() const { return j_; }

private:
    const json& j_;
    std::string file_;
};

void parseRope(const Reader& r, ModelConfig& c) {
    const json& j = r.json_();
    c.ropeTheta = r.number("rope_theta", c.ropeTheta);
    // transformers 5 folds rope_theta and the scaling into rope_parameters; older files use rope_scaling.
    const char* key = nullptr;
    if (r.has("rope_parameters"))
        key = "rope_parameters";
    else if (r.has("rope_scaling"))
        key = "rope_scaling";
    if (!key) return;
    const json* top = &j[key];
    if (!top->is_object()) throw FormatError(r.file(), key, "expected an object");
    std::string where = std::string(key) + ".";
    // Per layer type (transformers 5's Gemma-3): the full-attention entry is the model's RoPE, the
    // sliding one only sets the local base.
    if (top->contains("sliding_attention") || top->contains("full_attention")) {
        if (top->contains("sliding_attention")) {
            const json& local = (*top)["sliding_attention"];
            if (!local.is_object())
                throw FormatError(r.file(), where + "sliding_attention", "expected an object");
            if (local.contains("rope_theta"))
                c.ropeLocalTheta = r.number(local, "rope_theta", 1e4, where + "sliding_attention.");
        }
        if (!top->contains("full_attention")) return;
        where += "full_attention.";
        top = &(*top)["full_attention"];
        if (!top->is_object()) throw FormatError(r.file(), where, "expected an object");
    }
    const json& p = *top;
    c.ropeTheta = r.number(p, "rope_theta", c.ropeTheta, where);
    std::string type = "default";
    if (p.contains("rope_type") && p["rope_type"].is_string())
        type = p["rope_type"].get<std::string>();
    else if (p.contains("type") && p["type"].is_string())
        type = p["type"].get<std::string>();
    if (type != "default" && type != "linear" && type != "dynamic" && type != "llama3" && type != "yarn")
        throw FormatError(r.file(), where + "rope_type",
                          "unsupported RoPE scaling '" + type +
                              "' (supported: default, linear, dynamic, llama3, yarn)");
    RopeScaling& s = c.ropeScaling;
    s.type = type;
    s.factor = r.number(p, "factor", 1.0, where);
    if (s.factor <= 0) throw FormatError(r.file(), where + "factor", "must be positive");
    s.lowFreqFactor = r.number(p, "low_freq_factor", 1.0, where);
    s.highFreqFactor = r.number(p, "high_freq_factor", 4.0, where);
    s.originalMaxPositions = static_cast<int64_t>(
        r.number(p, "original_max_position_embeddings", static_cast<double>(c.maxPositions), where));
    s.betaFast = r.number(p, "beta_fast", 32.0, where);
    s.betaSlow = r.number(p, "beta_slow", 1.0, where);
    if (p.contains("attention_factor") && p["attention_factor"].is_number())
        s.attentionFactor = p["attention_factor"].get<double>();
    s.mscale = r.number(p, "mscale", 0.0, where);
    s.mscaleAllDim = r.number(p, "mscale_all_dim", 0.0, where);
    if (p.contains("truncate") && p["truncate"].is_boolean()) s.truncate = p["truncate"].get<bool>();
    if (type == "llama3" && s.lowFreqFactor >= s.highFreqFactor)
        throw FormatError(r.file(), where + "low_freq_factor", "must be below high_freq_factor");
}

Activation parseActivation(const Reader& r, const char* key, const std::string& fallback) {
    const std::string a = r.string(key, fallback);
    if (a == "silu" || a == "swish") return Activation::Silu;
    if (a == "gelu_pytorch_tanh" || a == "gelu_new" || a == "gelu_fast") return Activation::GeluTanh;
    if (a == "gelu") return Activation::Gelu;
    throw FormatError(r.file(), key, "unsupported activation '" + a + "'");
}

} // namespace

int64_t ModelConfig::rotaryDim() const {
    int64_t d = isMla() ? qkRopeHeadDim : static_cast<int64_t>(headDim * partialRotaryFactor);
    return d - d % 2;
}

int64_t ModelConfig::kvCacheBytesPerToken(int64_t bytesPerElement) const {
    if (hasMlaCache()) return numLayers * (kvLoraRank + qkRopeHeadDim) * bytesPerElement;
    return numLayers * 2 * numKvHeads * headDim * bytesPerElement;
}

ModelConfig parseModelConfig(const json& j, const std::string& file) {
    if (!j.is_object()) throw FormatError(file, "", "not a JSON object");
    Reader r(j, file);
    ModelConfig c;
    c.sourceFile = file;
    c.raw = j;
    c.modelType = r.string("model_type", "");
    const FamilySpec* row = findFamily(c.modelType);
    if (!row) {
        std::string supported;
        for (const auto& f : families())
            supported += std::string(supported.empty() ? "" : ", ") + f.modelType;
        throw FormatError(
            file, "model_type",
            (c.modelType.empty() ? std::string("missing") : "unsupported '" + c.modelType + "'") +
                " (supported: " + supported + ")");
    }
    c.family = row->family;
    c.architecture = row->architecture;
    const ConfigDefaults& d = row->config;

    c.hiddenSize = r.integer("hidden_size", std::nullopt, 1, kMaxHidden);
    c.intermediateSize = r.integer("intermediate_size", std::nullopt, 1, 64 * kMaxHidden);
    c.numLayers = r.integer("num_hidden_layers", std::nullopt, 1, kMaxLayers);
    c.numHeads = r.integer("num_attention_heads", std::nullopt, 1, kMaxHeads);
    c.numKvHeads = r.integer("num_key_value_heads", c.numHeads, 1, kMaxHeads);
    c.vocabSize = r.integer("vocab_size", std::nullopt, 1, kMaxVocab);
    c.maxPositions = r.integer("max_position_embeddings", d.maxPositions, 1, int64_t(1) << 31);
    if (c.numHeads % c.numKvHeads != 0)
        throw FormatError(file, "num_key_value_heads",
                          std::to_string(c.numKvHeads) + " does not divide num_attention_heads " +
                              std::to_string(c.numHeads));
    if (r.has("head_dim")) {
        c.headDim = r.integer("head_dim", std::nullopt, 1, 65536);
    } else if (d.headDim) {
        c.headDim = d.headDim;
    } else {
        if (c.hiddenSize % c.numHeads != 0)
            throw FormatError(file, "hidden_size",
                              std::to_string(c.hiddenSize) + " is not divisible by num_attention_heads " +
                                  std::to_string(c.numHeads) + " (and head_dim is absent)");
        c.headDim = c.hiddenSize / c.numHeads;
    }
    c.rmsNormEps = r.number("rms_norm_eps", 1e-6);
    if (c.rmsNormEps <= 0) throw FormatError(file, "rms_norm_eps", "must be positive");
    c.ropeTheta = d.ropeTheta;
    if (row->localRope) c.ropeLocalTheta = r.number("rope_local_base_freq", 1e4);
    parseRope(r, c);
    if (c.ropeTheta <= 0) throw FormatError(file, "rope_theta", "must be positive");
    if (c.ropeLocalTheta && *c.ropeLocalTheta <= 0)
        throw FormatError(file, "rope_local_base_freq", "must be positive");
    c.partialRotaryFactor = r.number("partial_rotary_factor", 1.0);
    if (c.partialRotaryFactor <= 0 || c.partialRotaryFactor > 1)
        throw FormatError(file, "partial_rotary_factor", "must be in (0, 1]");
    c.tieWordEmbeddings = r.boolean("tie_word_embeddings", d.tieWordEmbeddings);
    c.activation = parseActivation(r, r.has(d.activationKey) ? d.activationKey : "hidden_act", d.activation);
    c.mlpBias = r.boolean("mlp_bias", false);
    if (d.bias == BiasRule::Qkv)
        c.qkvBias = true;
    else if (d.bias == BiasRule::AttentionBias)
        c.qkvBias = c.oBias = r.boolean("attention_bias", false);
    c.dtype = r.string("dtype", r.string("torch_dtype", "float32"));
    c.bosTokenId = r.has("bos_token_id") && j["bos_token_id"].is_number_integer()
                       ? j["bos_token_id"].get<int64_t>()
                       : -1;
    c.eosTokenId = r.has("eos_token_id") && j["eos_token_id"].is_number_integer()
                       ? j["eos_token_id"].get<int64_t>()
                       : -1;

    // Sliding windows: which layers use one follows each family's transformers config class.
    std::optional<int64_t> window;
    if (r.has("sliding_window"))
        window = r.integer("sliding_window", std::nullopt, 1, int64_t(1) << 31);
    else if (d.slidingWindow && !j.contains("sliding_window"))
        window = d.slidingWindow;
    c.slidingLayers.assign(static_cast<size_t>(c.numLayers), false);
    if (r.has("layer_types")) {
        const json& lt = j["layer_types"];
        if (!lt.is_array() || static_cast<int64_t>(lt.size()) != c.numLayers)
            throw FormatError(file, "layer_types",
                              "must list one type per layer (" + std::to_string(c.numLayers) + ")");
        for (size_t i = 0; i < lt.size(); ++i) {
            const std::string t = lt[i].is_string() ? lt[i].get<std::string>() : "";
            if (t == "sliding_attention")
                c.slidingLayers[i] = true;
            else if (t != "full_attention")
                throw FormatError(file, "layer_types[" + std::to_string(i) + "]",
                                  "unsupported '" + lt[i].dump() + "'");
        }
    } else if (d.slidingLayers == SlidingLayers::Alternating) {
        for (int64_t i = 0; i < c.numLayers; ++i)
            c.slidingLayers[i] = (i + 1) % 2 != 0;
    } else if (d.slidingLayers == SlidingLayers::MaxWindowLayers) {
        if (r.boolean("use_sliding_window", false)) {
            int64_t from = r.integer("max_window_layers", 28, 0, kMaxLayers);
            for (int64_t i = from; i < c.numLayers; ++i)
                c.slidingLayers[i] = true;
        }
    } else if (d.slidingLayers == SlidingLayers::Pattern) {
        const int64_t every = r.integer("sliding_window_pattern", 6, 1, kMaxLayers);
        for (int64_t i = 0; i < c.numLayers; ++i)
            c.slidingLayers[i] = (i + 1) % every != 0;
    } else if (window) {
        c.slidingLayers.assign(static_cast<size_t>(c.numLayers), true);
    }
    bool anySliding = false;
    for (bool s : c.slidingLayers)
        anySliding |= s;
    if (anySliding) {
        if (!window)
            throw FormatError(file, "sliding_window", "layers use sliding attention but no window is set");
        c.slidingWindow = window;
    }

    if (row->softcapping) {
        c.queryPreAttnScalar = r.number("query_pre_attn_scalar", 256.0);
        if (*c.queryPreAttnScalar <= 0) throw FormatError(file, "query_pre_attn_scalar", "must be positive");
        if (r.has("attn_logit_softcapping")) c.attnLogitSoftcap = r.number("attn_logit_softcapping", 50.0);
        if (r.has("final_logit_softcapping")) c.finalLogitSoftcap = r.number("final_logit_softcapping", 30.0);
    }
    if (row->moe()) {
        c.numExperts = r.integer("num_local_experts", 8, 1, 4096);
        c.numExpertsPerTok = r.integer("num_experts_per_tok", 2, 1, c.numExperts);
    }
    if (c.isMla()) {
        c.kvLoraRank = r.integer("kv_lora_rank", std::nullopt, 1, 1 << 20);
        c.qLoraRank = r.has("q_lora_rank") ? r.integer("q_lora_rank", std::nullopt, 1, 1 << 20) : 0;
        c.qkRopeHeadDim = r.integer("qk_rope_head_dim", std::nullopt, 0, 65536);
        c.qkNopeHeadDim = r.integer("qk_nope_head_dim", std::nullopt, 0, 65536);
        c.vHeadDim = r.integer("v_head_dim", std::nullopt, 1, 65536);
        if (c.qkRopeHeadDim % 2) throw FormatError(file, "qk_rope_head_dim", "must be even");
        c.ropeInterleave = r.boolean("rope_interleave", true);
        c.headDim = c.qkNopeHeadDim + c.qkRopeHeadDim;
        if (r.integer("first_k_dense_replace", 0, 0, kMaxLayers) < c.numLayers)
            throw FormatError(
                file, "first_k_dense_replace",
                "DeepSeek mixture-of-experts layers are not supported (only all-dense MLA exports)");
        c.numKvHeads = c.numHeads;
    }
    if (c.rotaryDim() <= 0 && !c.isMla())
        throw FormatError(file, "partial_rotary_factor", "leaves no rotary dimensions");
    return c;
}

ModelConfig loadModelConfig(const fs::path& modelDir) {
    if (!fs::exists(modelDir)) throw FormatError(modelDir.string(), "", "no such file or folder");
    const fs::path p = fs::is_directory(modelDir) ? modelDir / "config.json" : modelDir;
    std::ifstream in(p);
    if (!in) throw FormatError(p.string(), "", "cannot open (is this a Hugging Face model folder?)");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& e) {
        throw FormatError(p.string(), "", std::string("invalid JSON: ") + e.what());
    }
    return parseModelConfig(j, p.string());
}

} // namespace transmla::io
