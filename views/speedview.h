// Speed view: measured decoding on this device, the original's GQA cache against the converted
// model's MLA latent cache (workbench/speed_step.h), at a context x batch chosen in spin boxes whose
// ranges come from core (speedLimits). Measure / Cancel, a progress bar, a table of every measured
// setting (a short history, so settings can be compared) and a bar plot of one figure per setting:
// tokens/s, ms per step, cache size (the analytic budget marked), or the MLA/GQA ratios. It holds no
// job: it emits what the user asked for and shows what the window hands back.
#pragma once
#include "plotview.h"
#include "workbench/speed_step.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace transmla::views {

class SpeedModel;

class SpeedView : public PlotView {
    Q_OBJECT
public:
    explicit SpeedView(QWidget* parent = nullptr);

    enum Figure { TokensPerSecond, MsPerStep, CacheBytes, Ratios };
    workbench::SpeedRequest request() const;
    void setLimits(const workbench::SpeedLimits& limits);
    // What can be measured now: hasConverted (a converted model in memory), inSession (a reopened
    // session's conversion, not in memory), idle (no job runs).
    void setAvailable(bool hasConverted, bool inSession, bool idle);
    void addPoint(const workbench::SpeedPoint& point);
    SpeedModel* model() const { return model_; }
    QString statusText() const;
    bool hasData() const override;

public slots:
    void setRunning(bool running);
    void setProgress(qint64 done, qint64 total, const QString& stage);
    void setCancelling();
    void setFinished(bool ok, const QString& message);

signals:
    void measureRequested();
    void cancelRequested();

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;

private:
    QSpinBox *context_, *batch_, *steps_;
    QComboBox* figure_;
    QPushButton *measure_, *cancel_, *clear_;
    QProgressBar* progress_;
    QLabel* status_;
    QTableView* table_;
    SpeedModel* model_;
    bool running_ = false, available_ = false;
};

} // namespace transmla::views
