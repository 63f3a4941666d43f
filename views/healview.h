// Heal view: the Heal step after a conversion (workbench/heal_step.h). Its controls (mode local /
// e2e / both, steps, learning rate, training text, sequences), Heal and Cancel, and the training
// loss curve, which grows as steps finish (local: relative attention-output error, left axis; e2e:
// KL per token, right axis). It holds no job: it emits what the user asked for and shows what the
// window hands back.
#pragma once
#include <optional>
#include <vector>

#include "plotview.h"
#include "workbench/heal_step.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace transmla::views {

class HealView : public PlotView {
    Q_OBJECT
public:
    explicit HealView(QWidget* parent = nullptr);

    workbench::HealRequest request() const; // a copy, for the worker
    // on: a compressed conversion is in memory and no job runs; otherwise `why` (if given) says
    // what is missing. Without a curve, the status line says which.
    void setAvailable(bool on, const QString& why = QString());
    // The conversion in memory was replaced (a new run, a rank change, a session): the curve and the
    // outcome belong to a model that is gone; points of a heal still running are ignored.
    void startOver();
    // A new run: clears the curve; points of other runs are ignored from now on. Returns its id.
    int beginRun();
    void setOutcome(const workbench::HealOutcome& outcome, std::optional<double> lossBefore);
    int curvePoints() const; // points shown (all phases)
    QString statusText() const;
    bool hasData() const override { return curvePoints() > 0; }

public slots:
    void addPoint(int run, const QString& phase, qint64 step, qint64 steps, double loss);
    void setRunning(bool running);
    void setCancelling();
    void setFinished(bool ok, const QString& message);

signals:
    void healRequested();
    void cancelRequested();

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;

private:
    struct Point {
        QString phase;
        double step, loss;
    };
    QComboBox *mode_, *data_;
    QSpinBox *steps_, *samples_;
    QDoubleSpinBox* lr_;
    QLineEdit* file_;
    QPushButton *heal_, *cancel_;
    QLabel* status_;
    void showReadiness();
    std::vector<Point> points_;
    QString why_;
    int run_ = 0;
    bool running_ = false, available_ = false;
};

} // namespace transmla::views
