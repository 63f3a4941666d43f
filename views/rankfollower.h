// Interactive rank: once a compressed conversion is in memory, letting go of the rank (slider
// released, spin box edited, or the keyboard idle for a moment) re-truncates the cached conversion
// at the new rank and re-scores the same GSM8K problems (workbench::changeRank) as a job; a change
// that arrives while an older one is still evaluating cancels it and runs once it has stopped. Only
// when the rank is the one setting that moved; anything else still needs Run.
#pragma once
#include <QObject>
#include <QTimer>
#include <functional>

#include "workbench/workbench.h"

namespace transmla::views {

class ConversionPanel;
class JobRunner;

class RankFollower : public QObject {
    Q_OBJECT
public:
    // current: the result shown (null: none, or not comparable); apply: show a new one.
    using Current = std::function<const workbench::ConversionResult*()>;
    using Apply = std::function<void(workbench::ConversionResult)>;
    RankFollower(ConversionPanel* panel, JobRunner* jobs, Current current, Apply apply,
                 QObject* parent = nullptr);

    static QString jobName() { return tr("Rank change"); }
    // The deferred details of a first result (MainWindow::completeDetails): a rank change cancels
    // them and goes first (they are computed again for the new rank afterwards).
    static QString detailsJobName() { return tr("Details"); }

signals:
    void rankApplied(int rank, double seconds); // the result at `rank` is shown (seconds: the job's)

private:
    void request(); // the user let go of the rank
    void startPending();
    void onFinished(const QString& name, bool ok, const QString& message);

    ConversionPanel* panel_;
    JobRunner* jobs_;
    Current current_;
    Apply apply_;
    QTimer idle_;     // keyboard and typed changes: re-score once the rank rests
    int pending_ = 0; // the rank asked for and not yet started
    int running_ = 0; // the rank the running change job computes
};

} // namespace transmla::views
