#include "rankfollower.h"

#include <QSlider>
#include <QSpinBox>

#include "conversionpanel.h"
#include "jobrunner.h"

namespace transmla::views {

RankFollower::RankFollower(ConversionPanel* panel, JobRunner* jobs, Current current, Apply apply,
                           QObject* parent)
    : QObject(parent), panel_(panel), jobs_(jobs), current_(std::move(current)), apply_(std::move(apply)) {
    setObjectName(QStringLiteral("rankFollower"));
    idle_.setSingleShot(true);
    idle_.setInterval(600);
    connect(&idle_, &QTimer::timeout, this, &RankFollower::request);
    auto* slider = panel_->findChild<QSlider*>(QStringLiteral("rankSlider"));
    if (slider) {
        // A drag re-scores on release only; keyboard steps and wheel turns once they rest.
        connect(slider, &QSlider::sliderReleased, this, &RankFollower::request);
        connect(slider, &QSlider::valueChanged, this, [this, slider] {
            if (!slider->isSliderDown()) idle_.start();
        });
    }
    if (auto* spin = panel_->findChild<QSpinBox*>(QStringLiteral("rankSpin")))
        connect(spin, &QSpinBox::editingFinished, this, &RankFollower::request);
    connect(jobs_, &JobRunner::finished, this, &RankFollower::onFinished);
}

void RankFollower::request() {
    idle_.stop();
    const workbench::ConversionResult* r = current_();
    if (!r || !workbench::canChangeRank(*r, panel_->settings())) return;
    const int rank = panel_->rank();
    const bool changing = jobs_->isBusy() && jobs_->currentJob() == jobName();
    // Already shown, or already being computed (the panel re-announces its rank when a job starts
    // or a result is shown): nothing to cancel or start.
    if (changing ? rank == running_ : r->settings.kvLoraRank == rank) {
        pending_ = 0;
        return;
    }
    pending_ = rank;
    startPending();
}

void RankFollower::startPending() {
    if (pending_ <= 0) return;
    if (jobs_->isBusy()) {
        // A stale evaluation: cancel it; onFinished starts the pending rank once it has stopped.
        if (jobs_->currentJob() == jobName() || jobs_->currentJob() == detailsJobName()) jobs_->cancel();
        return;
    }
    const workbench::ConversionResult* r = current_();
    const int rank = pending_;
    pending_ = 0;
    if (!r || !workbench::canChangeRank(*r, panel_->settings()) || r->settings.kvLoraRank == rank) return;
    const workbench::ConversionResult previous = *r; // shares the models; changeRank updates them
    running_ = rank;
    panel_->setRankLive(true); // before the job's start disables the panel
    jobs_->start<workbench::ConversionResult>(
        jobName(), [previous, rank](const Progress& p) { return workbench::changeRank(previous, rank, p); },
        [this, rank](workbench::ConversionResult next) {
            const double seconds = next.secondsTotal;
            apply_(std::move(next));
            emit rankApplied(rank, seconds);
        });
}

void RankFollower::onFinished(const QString& name, bool, const QString&) {
    if (name == detailsJobName()) {
        startPending();
        return;
    }
    if (name != jobName()) return;
    running_ = 0;
    panel_->setRankLive(false);
    if (pending_ > 0) startPending();
}

} // namespace transmla::views
