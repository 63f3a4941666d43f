// The architecture summary shown by `transmla inspect` and the GUI's model panel.
// Torch-free on purpose: views include it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transmla::model {

struct TensorRow {
    std::string name, dtype;
    std::vector<int64_t> shape;
};

struct ModelSummary {
    std::string path, family, architecture, dtype;
    int64_t layers = 0, hiddenSize = 0, queryHeads = 0, kvHeads = 0, headDim = 0, vocabSize = 0;
    int64_t intermediateSize = 0, parameterCount = 0, checkpointBytes = 0;
    int64_t kvCacheBytesPerToken = 0;          // all layers, K and V, at the checkpoint's 16-bit width
    int64_t kvLoraRank = 0, qkRopeHeadDim = 0; // MLA checkpoints
    bool tiedEmbeddings = false;
    std::string notes; // sliding windows, MoE, soft-capping ...
    std::vector<TensorRow> tensors;

    nlohmann::json toJson() const;
    std::string toText() const;
};

// Reads config.json and the safetensors headers (no weights are loaded).
ModelSummary summarizeModel(const std::filesystem::path& dir);

} // namespace transmla::model
