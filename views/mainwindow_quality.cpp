// MainWindow's conversion-quality steps (issue 14), kept apart from mainwindow.cpp: the Heal tab
// (heal the converted model in place, its curve growing as steps finish) and the Pareto tab (held-out
// loss vs KV bytes over a grid, and the held-out choice of r_R / FreqFold, applied to the panel).
#include <QLabel>
#include <QPointer>
#include <QTabWidget>

#include "conversionpanel.h"
#include "healview.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "paretoview.h"
#include "workbench/pareto_step.h"

namespace transmla::views {

void MainWindow::setupQualitySteps() {
    heal_ = new HealView;
    pareto_ = new ParetoView;
    heal_->setObjectName(QStringLiteral("healView"));
    pareto_->setObjectName(QStringLiteral("paretoView"));
    tabs_->addTab(heal_, tr("Heal"));
    tabs_->addTab(pareto_, tr("Pareto"));
    for (PlotView* plot : std::initializer_list<PlotView*>{heal_, pareto_})
        plot->setProvenance([this] {
            return state_.result
                       ? QString::fromStdString(workbench::auditRecord(*state_.result).toJson().dump(1))
                       : QString();
        });
    connect(heal_, &HealView::healRequested, this, &MainWindow::runHeal);
    connect(heal_, &HealView::cancelRequested, this, &MainWindow::cancelJob);
    connect(pareto_, &ParetoView::searchRequested, this, &MainWindow::runParetoSearch);
    connect(pareto_, &ParetoView::autoChoiceRequested, this, &MainWindow::runAutoChoice);
    connect(pareto_, &ParetoView::applyRequested, this, [this](qint64 ropeDim, qint64 freqFold, qint64 rank) {
        convert::ConvertSettings s = panel_->settings();
        s.qkRopeHeadDim = ropeDim;
        s.freqFold = freqFold;
        if (rank > 0 && s.energy <= 0) s.kvLoraRank = rank;
        panel_->applySettings(s);
        statusLabel_->setText(
            tr("Applied r_R %1, FreqFold %2 to the conversion settings").arg(ropeDim).arg(freqFold));
    });
    const QString healing = tr("Healing");
    connect(jobs_, &JobRunner::started, this, [this, healing](const QString& name) {
        if (name == healing) heal_->setRunning(true);
    });
    connect(jobs_, &JobRunner::cancelling, this, [this, healing](const QString& name) {
        if (name == healing) heal_->setCancelling();
    });
    connect(jobs_, &JobRunner::finished, this,
            [this, healing](const QString& name, bool ok, const QString& message) {
                if (name == healing) heal_->setFinished(ok, message);
                updateQualitySteps();
            });
    connect(jobs_, &JobRunner::busyChanged, this, &MainWindow::updateQualitySteps);
    auto replaced = [this] { // the curve and outcome belonged to the model that was replaced
        heal_->startOver();
        updateQualitySteps();
    };
    connect(this, &MainWindow::conversionFinished, this, replaced);
    connect(this, &MainWindow::modelLoaded, this, replaced);
    connect(this, &MainWindow::sessionOpened, this, replaced);
    updateQualitySteps();
}

void MainWindow::updateQualitySteps() {
    const bool idle = !jobs_->isBusy();
    // What the Heal tab offers follows the model in memory (a rank change keeps it, re-truncated).
    const bool converted = state_.result && state_.result->models;
    QString why;
    if (!idle)
        why = tr("Healing is possible once the running job (%1) has finished.").arg(jobs_->currentJob());
    else if (state_.result && !state_.result->models)
        why = tr("A reopened session holds no model in memory: run the conversion again to heal it.");
    else if (converted && state_.result->settings.exact)
        why = tr("The exact conversion loses nothing: there is nothing to heal.");
    heal_->setAvailable(idle && converted && !state_.result->settings.exact, why);
    pareto_->setAvailable(idle && config_.has_value());
}

void MainWindow::runHeal() {
    if (!state_.result || !state_.result->models) return;
    if (jobs_->isBusy()) {
        emit jobs_->refused(tr("Healing"), jobs_->currentJob());
        return;
    }
    const workbench::HealRequest request = heal_->request();
    workbench::JobOptions options = jobOptions();
    try { // quick (mode, numbers, the file exists): before any work
        workbench::checkHealRequest(request, options.resourcesDir);
    } catch (const std::exception& e) {
        heal_->setFinished(false, QString::fromUtf8(e.what()));
        return;
    }
    const workbench::ConversionResult result = *state_.result; // shares the models: healed in place
    // The same evaluations as the conversion's, so that before and after compare.
    options.lossProblems = result.lossBefore ? state_.lossProblems : 0;
    options.wikitextChunks = result.wikitextBefore ? int64_t(result.wikitextBefore->documents) : 0;
    const std::optional<double> converted =
        result.lossAfter ? std::optional<double>(result.lossAfter->meanNll()) : std::nullopt;
    const int run = heal_->beginRun();
    QPointer<HealView> view(heal_);
    jobs_->start<workbench::HealOutcome>(
        tr("Healing"),
        [result, request, options, view, run](const Progress& p) {
            auto onStep = [view, run](const std::string& phase, int64_t step, int64_t steps, double loss) {
                QMetaObject::invokeMethod(
                    view.data(),
                    [view, run, name = QString::fromStdString(phase), step, steps, loss] {
                        if (view) view->addPoint(run, name, step, steps, loss);
                    },
                    Qt::QueuedConnection);
            };
            return workbench::healConversion(result, request, options, onStep, p);
        },
        [this, converted](workbench::HealOutcome outcome) {
            if (state_.result) {
                if (outcome.lossAfter) state_.result->lossAfter = outcome.lossAfter;
                if (outcome.wikitextAfter) state_.result->wikitextAfter = outcome.wikitextAfter;
            }
            heal_->setOutcome(outcome, converted);
            markSaved(false);
            showResult();
            emit healFinished();
        });
}

void MainWindow::runParetoSearch() {
    if (modelPath_.isEmpty() || !config_) return;
    if (jobs_->isBusy()) {
        emit jobs_->refused(tr("Pareto search"), jobs_->currentJob());
        return;
    }
    if (const QString problem = pareto_->problem(); !problem.isEmpty()) {
        statusLabel_->setText(problem);
        return;
    }
    if (const QString problem = panel_->calibrationProblem(); !problem.isEmpty()) {
        onJobFinished(tr("Pareto search"), false, problem);
        return;
    }
    std::vector<int64_t> ranks = pareto_->ranks();
    if (ranks.empty()) { // 1/16, 1/8, 1/4, 1/2 of the full rank, and full
        const int full = panel_->maxRank();
        for (int div : {16, 8, 4, 2})
            ranks.push_back(std::max(1, full / div));
        ranks.push_back(-1);
    }
    const std::string dir = modelPath_.toStdString();
    const convert::ConvertSettings base = panel_->settings();
    const auto ropeDims = pareto_->ropeDims(), freqFolds = pareto_->freqFolds();
    const int64_t heldOut = pareto_->heldOutSamples();
    const workbench::JobOptions options = jobOptions();
    jobs_->start<convert::SearchResult>(
        tr("Pareto search"),
        [=](const Progress& p) {
            return workbench::paretoSearch(dir, base, ranks, ropeDims, freqFolds, heldOut, options, p);
        },
        [this](convert::SearchResult r) {
            pareto_->setResult(r, false);
            emit searchFinished();
        });
}

void MainWindow::runAutoChoice() {
    if (modelPath_.isEmpty() || !config_) return;
    if (jobs_->isBusy()) {
        emit jobs_->refused(tr("Choosing r_R and FreqFold"), jobs_->currentJob());
        return;
    }
    const convert::ConvertSettings base = panel_->settings();
    if (base.exact) {
        statusLabel_->setText(tr("The exact merge has no r_R or FreqFold to choose"));
        return;
    }
    if (const QString problem = panel_->settingsProblem(); !problem.isEmpty()) {
        statusLabel_->setText(problem);
        return;
    }
    const std::string dir = modelPath_.toStdString();
    const int64_t heldOut = pareto_->heldOutSamples();
    const workbench::JobOptions options = jobOptions();
    jobs_->start<convert::SearchResult>(
        tr("Choosing r_R and FreqFold"),
        [=](const Progress& p) {
            return workbench::chooseByHeldOutLoss(dir, base, true, true, heldOut, options, p);
        },
        [this](convert::SearchResult r) {
            pareto_->setResult(r, true);
            emit searchFinished();
        });
}

} // namespace transmla::views
