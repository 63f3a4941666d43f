// Conversion panel: the TransMLA settings (kv_lora_rank slider + spin box, qk_rope_head_dim,
// FreqFold, calibration, device, latent norm, and for q/k-norm models the fold approximation), the KV cache
// budget updated live as the rank moves, Run / Cancel / Export, a progress bar with the time left, and the
// per-layer report. Every control's bounds come from core (convert::settingRanges for the open model), so the
// panel cannot produce settings core rejects. It holds no job: it emits what the user asked for and shows
// what the window hands back.
#pragma once
#include <QWidget>
#include <optional>

#include "convert/settings.h"
#include "io/model_config.h"
#include "progresstext.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableView;

namespace transmla::views {

class LayerReportModel;

class ConversionPanel : public QWidget {
    Q_OBJECT
public:
    explicit ConversionPanel(QWidget* parent = nullptr);

    void setModelConfig(const std::optional<io::ModelConfig>& config); // bounds follow the model
    convert::ConvertSettings settings() const;                         // a copy, for the worker
    void applySettings(const convert::ConvertSettings& s);             // e.g. from a session
    // Empty when core accepts settings(); else what is wrong, in the panel's words.
    QString settingsProblem() const;
    static QString settingLabel(const QString& key); // core's setting key -> the panel's label
    QString device() const;                          // cpu | cuda
    QString dtype() const;                           // f32 | bf16: the compute dtype chosen with the device
    int lossProblems() const;                        // 0: no GSM8K evaluation
    void setLossProblems(int n);
    int rank() const;
    int maxRank() const;
    void setRank(int rank);
    bool isExact() const;
    bool foldsQkNorm() const; // the q/k-norm fold is asked for (and the model has the norms)
    void setExact(bool exact);
    void setLatentNormCalibrated(bool on);
    void setCalibration(int samples, int seqLen);
    QString budgetText() const;
    // What is wrong with the calibration text, in the GUI's words (empty: nothing). Quick: checks
    // the file exists, is readable and not empty, before any work starts.
    QString calibrationProblem() const;
    // Why a result of these settings cannot be exported as DeepSeek-V3 (empty: it can).
    QString exportBlockText() const;
    LayerReportModel* layerModel() const { return layers_; }
    // The settings the shown results were computed with (none: no results); the panel marks them
    // stale as soon as its settings differ.
    void setResultSettings(const std::optional<convert::ConvertSettings>& s, int lossProblems);
    bool resultsStale() const { return stale_; }
    // While a rank change job runs (RankFollower), the rank controls stay enabled.
    void setRankLive(bool on);

public slots:
    void setRunning(bool running);
    void setCancelling();
    void setProgress(qint64 done, qint64 total, const QString& stage);
    void setFinished(bool ok, const QString& message); // ends the progress bar: done, failed or cancelled
    void setStatus(const QString& text);
    void setExportable(bool on);

signals:
    void rankChanged(int rank);
    void settingsChanged();
    void staleChanged(bool stale);
    void runRequested();
    void cancelRequested();
    void exportRequested();

private:
    void updateBounds();
    void updateBudget();
    void updateStale();
    void onChanged();
    void updateCalibrationFile();
    void updateExportNote();
    void chooseCalibrationFile();

    std::optional<io::ModelConfig> config_;
    bool rankLive_ = false;
    convert::SettingRanges ranges_;
    QComboBox* mode_;
    QSlider* rankSlider_;
    QSpinBox* rankSpin_;
    QSpinBox* ropeDim_;
    QComboBox* freqFold_;
    QComboBox* calibSource_;
    QSpinBox *samples_, *seqLen_;
    QComboBox* device_;
    QComboBox* latentNorm_;
    QLabel* latentNote_;
    // Q/k-norm families only (Qwen3, Gemma-3): fold the norms (convert::ConvertSettings::foldQkNorm).
    QLabel* foldLabel_;
    QCheckBox* foldQkNorm_;
    QLineEdit* calibFile_;
    QToolButton* calibBrowse_;
    QWidget* calibFileRow_;
    QCheckBox* evaluate_;
    QSpinBox* problems_;
    QLabel* budget_;
    QLabel* staleLabel_;
    QPushButton *run_, *cancel_, *export_;
    QProgressBar* progress_;
    QLabel* status_;
    QTableView* layerView_;
    LayerReportModel* layers_;
    ProgressClock clock_;
    std::optional<convert::ConvertSettings> resultSettings_;
    int resultProblems_ = 0;
    bool running_ = false, exportable_ = false, stale_ = false, updating_ = false;
};

} // namespace transmla::views
