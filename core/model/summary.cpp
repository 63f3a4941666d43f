#include "model/summary.h"

#include <sstream>

#include "io/model_config.h"
#include "io/safetensors.h"

namespace transmla::model {

namespace {
std::string humanBytes(double b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        ++u;
    }
    std::ostringstream s;
    s.precision(u ? 3 : 0);
    s << std::fixed << b << " " << units[u];
    return s.str();
}
} // namespace

ModelSummary summarizeModel(const std::filesystem::path& dir) {
    const io::ModelConfig c = io::loadModelConfig(dir);
    const io::Checkpoint ckpt(dir);
    ModelSummary s;
    s.path = std::filesystem::absolute(dir).lexically_normal().string();
    s.family = io::familyName(c.family);
    s.architecture = c.architecture;
    s.dtype = c.dtype;
    s.layers = c.numLayers;
    s.hiddenSize = c.hiddenSize;
    s.queryHeads = c.numHeads;
    s.kvHeads = c.numKvHeads;
    s.headDim = c.headDim;
    s.vocabSize = c.vocabSize;
    s.intermediateSize = c.intermediateSize;
    s.kvLoraRank = c.kvLoraRank;
    s.qkRopeHeadDim = c.qkRopeHeadDim;
    s.tiedEmbeddings = c.tieWordEmbeddings;
    s.kvCacheBytesPerToken = c.kvCacheBytesPerToken(io::kBytes16Bit);
    for (const auto& name : ckpt.names()) {
        const io::TensorInfo& t = ckpt.info(name);
        s.parameterCount += t.numel();
        s.checkpointBytes += static_cast<int64_t>(t.nbytes);
        s.tensors.push_back({name, io::dtypeName(t.dtype), t.shape});
    }
    std::ostringstream notes;
    if (c.slidingWindow) notes << "sliding window " << *c.slidingWindow << "; ";
    if (c.numExperts) notes << c.numExperts << " experts, top-" << c.numExpertsPerTok << "; ";
    if (c.attnLogitSoftcap) notes << "attention soft-cap " << *c.attnLogitSoftcap << "; ";
    if (c.finalLogitSoftcap) notes << "final soft-cap " << *c.finalLogitSoftcap << "; ";
    if (c.ropeScaling.type != "default") notes << "RoPE scaling " << c.ropeScaling.type << "; ";
    s.notes = notes.str();
    if (s.notes.size() >= 2) s.notes.resize(s.notes.size() - 2);
    return s;
}

nlohmann::json ModelSummary::toJson() const {
    nlohmann::json j = {{"path", path},
                        {"family", family},
                        {"architecture", architecture},
                        {"dtype", dtype},
                        {"layers", layers},
                        {"hidden_size", hiddenSize},
                        {"intermediate_size", intermediateSize},
                        {"query_heads", queryHeads},
                        {"kv_heads", kvHeads},
                        {"head_dim", headDim},
                        {"vocab_size", vocabSize},
                        {"parameter_count", parameterCount},
                        {"checkpoint_bytes", checkpointBytes},
                        {"kv_cache_bytes_per_token", kvCacheBytesPerToken},
                        {"tied_embeddings", tiedEmbeddings},
                        {"notes", notes},
                        {"tensor_count", tensors.size()}};
    if (kvLoraRank) {
        j["kv_lora_rank"] = kvLoraRank;
        j["qk_rope_head_dim"] = qkRopeHeadDim;
    }
    return j;
}

std::string ModelSummary::toText() const {
    std::ostringstream o;
    auto row = [&](const char* k, const std::string& v) {
        o << "  " << k << std::string(24 - std::string(k).size(), ' ') << v << "\n";
    };
    o << path << "\n";
    row("family", family + " (" + architecture + ")");
    row("layers", std::to_string(layers));
    row("hidden size", std::to_string(hiddenSize));
    row("query heads", std::to_string(queryHeads));
    row("KV heads", std::to_string(kvHeads) + (kvLoraRank ? " (MLA latent)" : ""));
    row("head_dim", std::to_string(headDim));
    if (kvLoraRank)
        row("kv_lora_rank / rope", std::to_string(kvLoraRank) + " / " + std::to_string(qkRopeHeadDim));
    row("intermediate size", std::to_string(intermediateSize));
    row("vocab", std::to_string(vocabSize));
    row("parameters",
        std::to_string(parameterCount) + " (" + humanBytes(double(checkpointBytes)) + " as " + dtype + ")");
    row("KV cache per token", std::to_string(kvCacheBytesPerToken) + " bytes (16-bit, all layers)");
    row("tied embeddings", tiedEmbeddings ? "yes" : "no");
    if (!notes.empty()) row("notes", notes);
    return o.str();
}

} // namespace transmla::model
