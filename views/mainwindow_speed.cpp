// MainWindow's Speed tab (issue 16), kept apart from mainwindow.cpp: measured decoding of the original
// (GQA cache) and the converted model (MLA latent cache) at the context x batch the view's spin boxes
// hold, as a job of the window's JobRunner (refused while another job runs; Cancel answers at once).
#include <QLabel>
#include <QTabWidget>

#include "jobrunner.h"
#include "mainwindow.h"
#include "speedview.h"
#include "workbench/speed_step.h"

namespace transmla::views {

namespace {
// GiB with two decimals (memorystatus.cpp has a localized gib(); the views compile in unity batches).
QString gib2(int64_t bytes) {
    return QString::number(double(bytes) / double(int64_t(1) << 30), 'f', 2);
}
} // namespace

void MainWindow::setupSpeedStep() {
    speed_ = new SpeedView;
    speed_->setObjectName(QStringLiteral("speedView"));
    tabs_->addTab(speed_, tr("Speed"));
    speed_->setProvenance([this] {
        return state_.result ? QString::fromStdString(workbench::auditRecord(*state_.result).toJson().dump(1))
                             : QString();
    });
    connect(speed_, &SpeedView::measureRequested, this, &MainWindow::runSpeed);
    connect(speed_, &SpeedView::cancelRequested, this, &MainWindow::cancelJob);
    const QString job = tr("Measuring decoding speed");
    connect(jobs_, &JobRunner::started, this, [this, job](const QString& name) {
        if (name == job) speed_->setRunning(true);
    });
    connect(jobs_, &JobRunner::cancelling, this, [this, job](const QString& name) {
        if (name == job) speed_->setCancelling();
    });
    connect(jobs_, &JobRunner::progressed, this,
            [this, job](qint64 done, qint64 total, const QString& stage) {
                if (jobs_->currentJob() == job) speed_->setProgress(done, total, stage);
            });
    connect(jobs_, &JobRunner::finished, this,
            [this, job](const QString& name, bool ok, const QString& message) {
                if (name == job) speed_->setFinished(ok, message);
                updateSpeedStep();
            });
    connect(jobs_, &JobRunner::busyChanged, this, &MainWindow::updateSpeedStep);
    connect(this, &MainWindow::conversionFinished, this, &MainWindow::updateSpeedStep);
    connect(this, &MainWindow::modelLoaded, this, &MainWindow::updateSpeedStep);
    connect(this, &MainWindow::sessionOpened, this, &MainWindow::updateSpeedStep);
    updateSpeedStep();
}

void MainWindow::updateSpeedStep() {
    if (config_) speed_->setLimits(workbench::speedLimits(*config_));
    const bool inMemory = state_.result && state_.result->models;
    speed_->setAvailable(inMemory, state_.result && !inMemory, !jobs_->isBusy());
}

void MainWindow::runSpeed() {
    const QString job = tr("Measuring decoding speed");
    if (jobs_->isBusy()) {
        emit jobs_->refused(job, jobs_->currentJob());
        return;
    }
    if (!state_.result || !state_.result->models) return; // the view says why
    const workbench::SpeedRequest request = speed_->request();
    const workbench::ConversionResult result = *state_.result; // shares the models (read only)
    // Quick and on this thread: a setting that will not fit is refused before a job starts.
    const workbench::SpeedMemory memory = workbench::speedMemory(result, request);
    if (!memory.fits()) {
        speed_->setFinished(
            false, tr("context %1 x batch %2 needs %3 GiB (GQA cache %4 GiB, MLA cache %5 GiB, "
                      "prefill %6 GiB), %7 GiB are free: choose a shorter context or a "
                      "smaller batch")
                       .arg(request.context)
                       .arg(request.batch)
                       .arg(gib2(memory.needBytes()), gib2(memory.gqaCacheBytes), gib2(memory.mlaCacheBytes),
                            gib2(memory.workingBytes), gib2(memory.freeBytes)));
        return;
    }
    jobs_->start<workbench::SpeedPoint>(
        job, [result, request](const Progress& p) { return workbench::measureSpeed(result, request, p); },
        [this](workbench::SpeedPoint point) {
            speed_->addPoint(point);
            emit speedMeasured();
        });
}

} // namespace transmla::views
