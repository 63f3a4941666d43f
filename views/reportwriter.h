// File > Report...: the audit record of the current result as a Markdown file (report.md) with the
// plots as PNG beside it, written into a temporary folder next to the chosen one and renamed into
// place only when complete: a failed or cancelled write leaves nothing half-written, and an older
// report in that folder is replaced as a whole.
#pragma once
#include <QCoreApplication>
#include <QString>
#include <utility>
#include <vector>

#include "results/audit.h"

namespace transmla::views {

class PlotView;

class ReportWriter {
    Q_DECLARE_TR_FUNCTIONS(ReportWriter)
public:
    // plots: (title, view); views without data are left out. Returns the error in the GUI's words,
    // naming the folder (empty: written). A folder that exists and is not a report is never touched.
    static QString write(const QString& dir, const results::AuditRecord& record,
                         const std::vector<std::pair<QString, PlotView*>>& plots);
};

} // namespace transmla::views
