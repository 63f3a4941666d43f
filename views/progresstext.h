// What the progress bar says: core reports stage keys ("calibrate", "loss before", ...); this is the
// one place they become translated words. ProgressClock estimates the time left in a stage.
#pragma once
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QString>

namespace transmla::views {

class ProgressText {
    Q_DECLARE_TR_FUNCTIONS(ProgressText)
public:
    static QString stage(const QString& key); // unknown keys are shown as they are
    static QString remaining(double seconds); // "about 12 s left", "about 3 min left"
};

// Per stage: the rate since the stage began gives the ETA (none until a first step is done).
class ProgressClock {
public:
    // Returns the seconds left in the stage, or -1 when not yet known.
    double update(qint64 done, qint64 total, const QString& stage);
    void reset() { stage_.clear(); }

private:
    QString stage_;
    qint64 startDone_ = 0;
    QElapsedTimer timer_;
};

} // namespace transmla::views
