// What the workbench's File > Save/Open session keeps: the model, the panel's settings, the conversion
// (report, losses, attention maps, spectra, budgets) and the rank sweep, mapped to and from the one
// session schema (results/session.h) that the CLI reads and writes too. Torch-free (views use it).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "results/session.h"
#include "workbench/workbench.h"

namespace transmla::workbench {

struct WorkbenchState {
    std::string modelDir;
    convert::ConvertSettings settings;
    int lossProblems = 0;
    std::optional<ConversionResult> result; // models is null after a load
    std::optional<results::RankSweep> sweep;
    std::vector<analysis::KvBudget> budgets;
};

// Hashes the model folder (results::referenceModel): throws FormatError naming it when unreadable.
results::Session toSession(const WorkbenchState& state);
WorkbenchState fromSession(const results::Session& session);

} // namespace transmla::workbench
