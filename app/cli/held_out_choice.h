// Settings chosen by held-out loss (transmla convert --qk-rope-dim best / --freqfold best), shared
// by `convert` and `analyze pareto` (cmd_pareto.cpp).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "convert/settings.h"
#include "util/progress.h"

namespace transmla::model {
struct LoadOptions;
}

namespace transmla::cli {

// Comma-separated integers ("16,32,64"); "full" stands for -1 (full rank). Names the flag on error.
std::vector<int64_t> parseIntList(const std::string& flag, const std::string& text);

// Compares the auto candidates (convert::autoCandidates) on heldOut rows of the calibration source,
// sets s to the one with the lowest held-out loss and returns the search's JSON (candidates, losses,
// "chosen"). Loads the model once more, resident.
nlohmann::json chooseByHeldOutLoss(convert::ConvertSettings& s, const std::filesystem::path& dir,
                                   const model::LoadOptions& load, bool searchRopeDim, bool searchFreqFold,
                                   int64_t heldOut, const Progress& progress);

} // namespace transmla::cli
