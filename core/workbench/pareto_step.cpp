#include "workbench/pareto_step.h"

#include "convert/search.h"
#include "io/folder_snapshot.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace transmla::workbench {

namespace {

convert::SearchResult search(const std::filesystem::path& modelDir, const convert::ConvertSettings& base,
                             const std::vector<convert::ConvertSettings>* grid, bool searchRopeDim,
                             bool searchFreqFold, int64_t heldOutSamples, const JobOptions& options,
                             const Progress& progress) {
    const io::FolderSnapshot snapshot = io::FolderSnapshot::takeStat(modelDir);
    const tok::Tokenizer tokenizer = tok::Tokenizer::load(modelDir);
    const model::Model original = model::Model::load(modelDir, {options.device, ComputeDtype::F32}, progress);
    const auto split =
        convert::splitCalibration(base.calibration, heldOutSamples, tokenizer, options.resourcesDir);
    const auto candidates =
        grid ? *grid : convert::autoCandidates(base, original.config, searchRopeDim, searchFreqFold);
    convert::SearchResult r = convert::searchConversions(original, candidates, split, progress);
    snapshot.verifyUnchanged(); // the weights were read from the mapped files throughout
    return r;
}

} // namespace

convert::SearchResult paretoSearch(const std::filesystem::path& modelDir,
                                   const convert::ConvertSettings& base, const std::vector<int64_t>& ranks,
                                   const std::vector<int64_t>& ropeDims,
                                   const std::vector<int64_t>& freqFolds, int64_t heldOutSamples,
                                   const JobOptions& options, const Progress& progress) {
    const auto grid = convert::gridCandidates(base, ranks, ropeDims, freqFolds);
    return search(modelDir, base, &grid, false, false, heldOutSamples, options, progress);
}

convert::SearchResult chooseByHeldOutLoss(const std::filesystem::path& modelDir,
                                          const convert::ConvertSettings& base, bool searchRopeDim,
                                          bool searchFreqFold, int64_t heldOutSamples,
                                          const JobOptions& options, const Progress& progress) {
    return search(modelDir, base, nullptr, searchRopeDim, searchFreqFold, heldOutSamples, options, progress);
}

} // namespace transmla::workbench
