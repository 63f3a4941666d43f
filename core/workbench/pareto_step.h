// The workbench's held-out searches (convert/search.h), torch-free for the views: the Pareto grid
// over (r, r_R, FreqFold) and the automatic choice of r_R / FreqFold at the panel's rank.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include "convert/search_result.h"
#include "convert/settings.h"
#include "util/progress.h"
#include "workbench/workbench.h"

namespace transmla::workbench {

// The grid (an empty list keeps base's value; rank -1 = full), every candidate on heldOutSamples
// sequences of base's calibration source after its calibration rows. Loads the model once.
convert::SearchResult paretoSearch(const std::filesystem::path& modelDir,
                                   const convert::ConvertSettings& base, const std::vector<int64_t>& ranks,
                                   const std::vector<int64_t>& ropeDims,
                                   const std::vector<int64_t>& freqFolds, int64_t heldOutSamples,
                                   const JobOptions& options, const Progress& progress = {});

// convert::autoCandidates at base's rank (r_R and/or FreqFold searched), compared the same way;
// SearchResult::best() is the choice.
convert::SearchResult chooseByHeldOutLoss(const std::filesystem::path& modelDir,
                                          const convert::ConvertSettings& base, bool searchRopeDim,
                                          bool searchFreqFold, int64_t heldOutSamples,
                                          const JobOptions& options, const Progress& progress = {});

} // namespace transmla::workbench
