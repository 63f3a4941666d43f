// What File > Save/Open session keeps: the model, the conversion settings, and every result the
// views show, mapped to and from io::Session (HDF5). Per-layer report figures and the sweep ride in
// the session's numeric settings under stable keys ("layer.<l>.rank", "latent.<l>.<i>", "sweep.<i>.rank").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "io/session.h"
#include "lossview.h"
#include "workbench/workbench.h"

namespace transmla::views {

struct WorkbenchState {
    std::string modelDir;
    convert::ConvertSettings settings;
    int lossProblems = 0;
    std::optional<workbench::ConversionResult> result; // models is null after a load
    std::vector<SweepPointValue> sweep;
    std::vector<analysis::KvBudget> budgets;
};

io::Session toSession(const WorkbenchState& state);
WorkbenchState fromSession(const io::Session& session);

} // namespace transmla::views
