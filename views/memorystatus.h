// Device memory beside the work: a status-bar label with the free memory of the chosen device and
// what the open model and its conversion will need there (workbench::memoryNeed), and the check
// before a conversion loads anything: a model that will not fit gets a message naming the
// alternatives (bf16, the CPU, the CLI's streamed conversion without evaluation: about one layer).
#pragma once
#include <QLabel>
#include <optional>

#include "convert/settings.h"
#include "io/model_config.h"

namespace transmla::views {

class MemoryStatus : public QLabel {
    Q_OBJECT
public:
    explicit MemoryStatus(QWidget* parent = nullptr);

    // config empty: no model open (only the device's memory is shown).
    void showFor(const QString& device, const QString& dtype, const std::optional<io::ModelConfig>& config,
                 int64_t parameters, const convert::ConvertSettings& settings);
    // Empty when the conversion fits in the device's free memory (or it cannot be read); else why
    // not, with the alternatives.
    static QString fitProblem(const QString& device, const QString& dtype, const io::ModelConfig& config,
                              int64_t parameters, const convert::ConvertSettings& settings);
};

} // namespace transmla::views
