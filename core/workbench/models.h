// The definition behind workbench::Models (opaque in workbench.h): for the workbench's .cpp files only.
#pragma once
#include <optional>

#include <nlohmann/json.hpp>

#include "convert/pipeline.h"
#include "io/folder_snapshot.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace transmla::workbench {

struct Models {
    std::optional<model::Model> original; // kept for before/after attention maps (and healing)
    model::Model converted;
    tok::Tokenizer tokenizer;
    convert::ConvertReport report;
    io::FolderSnapshot snapshot; // the folder as loaded: the weights are mapped from it
    nlohmann::json heal;         // the HealReport of the last finished healing (null: not healed)
};

} // namespace transmla::workbench
