// The definition behind workbench::Models (opaque in workbench.h): for the workbench's .cpp files only.
#pragma once
#include <optional>

#include <nlohmann/json.hpp>

#include "convert/pipeline.h"
#include "eval/loss.h"
#include "io/folder_snapshot.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "workbench/workbench.h"

namespace transmla::workbench {

struct Models {
    // Kept for before/after attention maps, healing and rank changes (the GQA weights a re-truncation
    // starts from). converted is a copy of it that shares every tensor but the attention's.
    std::optional<model::Model> original;
    model::Model converted;
    tok::Tokenizer tokenizer;
    convert::ConvertReport report{};
    io::FolderSnapshot snapshot{}; // the folder as loaded: the weights are mapped from it
    nlohmann::json heal{};         // the HealReport of the last finished healing (null: not healed)
    // What a rank change reuses (changeRank): the per-layer bases, the calibration tokens (for the
    // attention-output error), the tokenized evaluation texts and the options of the run.
    convert::ConversionCache cache{};
    at::Tensor calibration{};
    std::vector<eval::Document> docs{}, wikiDocs{};
    JobOptions options{};
};

} // namespace transmla::workbench
