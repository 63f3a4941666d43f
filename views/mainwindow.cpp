#include "mainwindow.h"

#include "results/audit.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "attentionview.h"
#include "budgetview.h"
#include "classroomguide.h"
#include "conversionpanel.h"
#include "healview.h"
#include "jobrunner.h"
#include "lossview.h"
#include "memorystatus.h"
#include "rankfollower.h"
#include "reportwriter.h"
#include "spectrumview.h"
#include "summarymodel.h"
#include "tablemodels.h"
#include "util/resources.h"
#include "windowfit.h"
#include "workbench/rank_sweep.h"

namespace transmla::views {

namespace {
std::filesystem::path resourcesDir() {
    return findResources(executableDir(), TRANSMLA_SOURCE_RESOURCES);
}
std::vector<SweepPointValue> sweepValues(const std::optional<results::RankSweep>& sweep) {
    std::vector<SweepPointValue> out;
    if (sweep)
        for (const auto& p : sweep->points)
            out.push_back({p.rank, p.kvBytesPerToken, p.meanNll});
    return out;
}
QTableView* makeTable(QAbstractItemModel* model) {
    auto* v = new QTableView;
    v->setModel(model);
    v->horizontalHeader()->setStretchLastSection(true);
    v->verticalHeader()->hide();
    v->setAlternatingRowColors(true);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return v;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), summaryModel_(new SummaryModel(this)), tensorModel_(new TensorModel(this)),
      summaryView_(makeTable(summaryModel_)), tensorView_(nullptr), tabs_(new QTabWidget),
      statusLabel_(new QLabel), panel_(new ConversionPanel), spectrum_(new SpectrumView),
      budget_(new BudgetView), attention_(new AttentionView), loss_(new LossView), jobs_(new JobRunner(this)),
      guide_(new ClassroomGuide), panelDock_(new QDockWidget(tr("Conversion"), this)),
      guideDock_(new QDockWidget(tr("Classroom"), this)), staleLabel_(new QLabel) {
    setWindowTitle(tr("TransMLA Workbench"));
    setAcceptDrops(true);
    normalFont_ = QApplication::font();
    summaryView_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    auto* sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(tensorModel_);
    sorted->setSortRole(TensorModel::SortRole);
    tensorView_ = makeTable(sorted);
    tensorView_->setSortingEnabled(true);
    tensorView_->sortByColumn(-1, Qt::AscendingOrder);
    tensorView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto* modelPage = new QWidget;
    auto* layout = new QVBoxLayout(modelPage);
    auto* split = new QSplitter(Qt::Vertical);
    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(new QLabel(tr("<b>Architecture</b>")));
    topLayout->addWidget(summaryView_);
    auto* bottom = new QWidget;
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(new QLabel(tr("<b>Tensors</b>")));
    bottomLayout->addWidget(tensorView_);
    split->addWidget(top);
    split->addWidget(bottom);
    layout->addWidget(split);
    tabs_->addTab(modelPage, tr("Model"));
    tabs_->addTab(spectrum_, tr("Spectrum"));
    tabs_->addTab(budget_, tr("KV budget"));
    tabs_->addTab(attention_, tr("Attention"));
    tabs_->addTab(loss_, tr("Loss"));
    for (PlotView* plot : std::initializer_list<PlotView*>{spectrum_, budget_, attention_, loss_})
        plot->setProvenance([this] {
            return state_.result
                       ? QString::fromStdString(workbench::auditRecord(*state_.result).toJson().dump(1))
                       : QString();
        });
    setCentralWidget(tabs_);

    panelDock_->setObjectName(QStringLiteral("conversionDock"));
    panelDock_->setWidget(scrollable(panel_)); // scrolls on short screens instead of growing the window
    addDockWidget(Qt::LeftDockWidgetArea, panelDock_);
    guideDock_->setObjectName(QStringLiteral("classroomDock"));
    guideDock_->setWidget(guide_);
    addDockWidget(Qt::LeftDockWidgetArea, guideDock_);
    guideDock_->hide();

    statusBar()->addWidget(statusLabel_, 1);
    statusLabel_->setSizePolicy(QSizePolicy::Ignored,
                                QSizePolicy::Preferred); // a long path never widens the window
    statusLabel_->setText(tr("Open a model folder (File > Open model folder)"));
    statusLabel_->setObjectName(QStringLiteral("statusLabel"));
    staleLabel_->setObjectName(QStringLiteral("staleStatus"));
    staleLabel_->setText(tr("Results are stale (settings changed)"));
    staleLabel_->setStyleSheet(QStringLiteral("QLabel { color: #b35900; font-weight: bold; }"));
    staleLabel_->hide();
    statusBar()->addPermanentWidget(staleLabel_);
    memory_ = new MemoryStatus;
    statusBar()->addPermanentWidget(memory_);
    connect(panel_, &ConversionPanel::staleChanged, staleLabel_, &QLabel::setVisible);
    connect(panel_, &ConversionPanel::rankChanged, this, &MainWindow::onRankChanged);
    connect(panel_, &ConversionPanel::settingsChanged, this, &MainWindow::updateBudgets);
    connect(panel_, &ConversionPanel::runRequested, this, &MainWindow::runConversion);
    connect(panel_, &ConversionPanel::cancelRequested, this, &MainWindow::cancelJob);
    connect(panel_, &ConversionPanel::exportRequested, this, &MainWindow::chooseExportFolder);
    connect(attention_, &AttentionView::attentionRequested, this, &MainWindow::computeAttention);
    connect(loss_, &LossView::sweepRequested, this, &MainWindow::runRankSweep);
    connect(guide_, &ClassroomGuide::stepRequested, this, &MainWindow::onClassroomStep);
    connect(jobs_, &JobRunner::progressed, panel_, &ConversionPanel::setProgress);
    connect(jobs_, &JobRunner::started, this, [this](const QString& name) {
        panel_->setRunning(true);
        attention_->setBusy(true);
        loss_->setBusy(true);
        guide_->setBusy(true);
        panel_->setStatus(tr("%1 ...").arg(name));
        statusLabel_->setText(tr("%1 ...").arg(name)); // a new job clears the last one's message
    });
    connect(jobs_, &JobRunner::cancelling, this, [this] {
        panel_->setCancelling();
        statusLabel_->setText(tr("Cancelling..."));
    });
    connect(jobs_, &JobRunner::refused, this, [this](const QString& name, const QString& running) {
        statusLabel_->setText(tr("%1 is running: wait for it or cancel it before %2").arg(running, name));
    });
    connect(jobs_, &JobRunner::busyChanged, this, &MainWindow::onBusyChanged);
    connect(jobs_, &JobRunner::finished, this, &MainWindow::onJobFinished);
    setupQualitySteps();
    setupSpeedStep();
    createMenus();
    auto showMemory = [this] {
        memory_->showFor(panel_->device(), panel_->dtype(), config_, summaryModel_->summary().parameterCount,
                         panel_->settings());
    };
    connect(panel_, &ConversionPanel::settingsChanged, this, showMemory);
    connect(jobs_, &JobRunner::busyChanged, this, showMemory);
    connect(this, &MainWindow::modelLoaded, this, showMemory);
    if (auto* device = panel_->findChild<QComboBox*>(QStringLiteral("deviceCombo")))
        connect(device, &QComboBox::currentIndexChanged, this, showMemory);
    showMemory();
    rankFollower_ = new RankFollower(
        panel_, jobs_,
        [this]() -> const workbench::ConversionResult* {
            return state_.result && panel_->lossProblems() == state_.lossProblems ? &*state_.result : nullptr;
        },
        [this](workbench::ConversionResult r) {
            state_.settings = r.settings;
            state_.result = std::move(r);
            panel_->setResultSettings(state_.settings, state_.lossProblems);
            markSaved(false);
            showResult();
            if (state_.result->detailsPending) // cancelled by this change: after it, at the new rank
                QMetaObject::invokeMethod(this, &MainWindow::completeDetails, Qt::QueuedConnection);
        },
        this);
    connect(rankFollower_, &RankFollower::rankApplied, heal_, &HealView::startOver); // healing is dropped
    resize(1280, 720);
    QSettings settings;
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    guideDock_->hide();
    restoreFittedGeometry(this, settings.value(QStringLiteral("window/geometry")).toByteArray());
}

MainWindow::~MainWindow() {
    jobs_->cancelAndWait(); // the only place the GUI thread waits: after cancelling, on close
    // The child widgets outlive this class's members (QWidget deletes them afterwards), and hiding them
    // commits a half-typed spin box value: its valueChanged must not reach this half-destroyed window
    // (tst_robustness saw std::bad_alloc from updateBudgets copying a destroyed vector).
    for (QObject* child : findChildren<QObject*>())
        QObject::disconnect(child, nullptr, this, nullptr);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!confirmDiscard(tr("Closing the window"))) {
        event->ignore();
        return;
    }
    jobs_->cancel();
    QSettings settings;
    if (!classroom_) { // classroom mode's full screen is not the user's window
        settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
        settings.setValue(QStringLiteral("window/state"), saveState());
    }
    event->accept();
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model folder..."), this, &MainWindow::chooseModelFolder);
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &recent"));
    updateRecentMenu();
    file->addSeparator();
    QAction* openSession = file->addAction(tr("Open &session..."), this, &MainWindow::chooseSessionToOpen);
    openSession->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    workActions_ << open << recentMenu_->menuAction() << openSession;
    QAction* saveSession = file->addAction(tr("&Save session..."), this, &MainWindow::chooseSessionToSave);
    saveSession->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QAction* exportPlot =
        file->addAction(tr("Export current &plot..."), this, &MainWindow::exportCurrentPlot);
    exportPlot->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    workActions_ << file->addAction(tr("E&xport converted model (DeepSeek-V3)..."), this,
                                    &MainWindow::chooseExportFolder);
    QAction* servingExport = file->addAction(tr("Export for vLLM / SGLang &serving..."), this,
                                             &MainWindow::chooseServingExportFolder);
    servingExport->setObjectName(QStringLiteral("servingExportAction"));
    workActions_ << servingExport;
    file->addAction(tr("Re&port..."), this, &MainWindow::chooseReportFolder)
        ->setObjectName(QStringLiteral("reportAction"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QString names[] = {tr("&Model"), tr("&Spectrum"), tr("KV &budget"), tr("&Attention"), tr("&Loss")};
    for (int i = 0; i < 5; ++i) {
        QAction* a = view->addAction(names[i], this, [this, i] { tabs_->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    }
    for (int i = 5; i < std::min(tabs_->count(), 9); ++i) { // Heal, Pareto, ...: Alt+6 on
        QAction* a = view->addAction(tabs_->tabText(i), this, [this, i] { tabs_->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    view->addAction(panelDock_->toggleViewAction());
    classroomAction_ = view->addAction(tr("&Classroom mode"));
    classroomAction_->setCheckable(true);
    classroomAction_->setShortcut(QKeySequence(Qt::Key_F11));
    connect(classroomAction_, &QAction::toggled, this, &MainWindow::setClassroomMode);

    // Run actions sit in File (the menu bar stays File / View / Help).
    auto* run = new QMenu(tr("&Run"), file);
    file->insertMenu(quit, run);
    QAction* convert = run->addAction(tr("&Convert"), this, &MainWindow::runConversion);
    convert->setObjectName(QStringLiteral("convertAction"));
    convert->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    cancelAction_ = run->addAction(tr("C&ancel"), this, &MainWindow::cancelJob);
    cancelAction_->setObjectName(QStringLiteral("cancelAction"));
    cancelAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    QAction* sweep = run->addAction(tr("Rank &sweep"), this, &MainWindow::runRankSweep);
    sweep->setObjectName(QStringLiteral("sweepAction"));
    workActions_ << convert << sweep;
    onBusyChanged(false);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About"), this, &MainWindow::showAbout);
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentModels")).toStringList();
    for (const QString& dir : recent)
        recentMenu_->addAction(dir, this, [this, dir] { openModel(dir); });
    recentMenu_->setEnabled(!recent.isEmpty() && !jobs_->isBusy());
}

void MainWindow::onBusyChanged(bool busy) {
    for (QAction* a : std::as_const(workActions_))
        a->setEnabled(!busy);
    if (recentMenu_ && recentMenu_->isEmpty()) recentMenu_->setEnabled(false);
    if (cancelAction_) cancelAction_->setEnabled(busy);
}

bool MainWindow::confirmDiscard(const QString& action) {
    return unsaved_.confirmDiscard(this, action, [this] {
        chooseSessionToSave();
        return !unsaved_.hasUnsaved();
    });
}

void MainWindow::markSaved(bool saved) {
    unsaved_.setUnsaved(!saved);
}

void MainWindow::rememberRecent(const QString& dir) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentModels")).toStringList();
    recent.removeAll(dir);
    recent.prepend(dir);
    while (recent.size() > 8)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentModels"), recent);
    updateRecentMenu();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = event->mimeData()->urls().value(0).toLocalFile();
    if (path.endsWith(QLatin1String(".h5")))
        openSession(path);
    else if (!path.isEmpty())
        openModel(QFileInfo(path).isDir() ? path : QFileInfo(path).absolutePath());
}

void MainWindow::chooseModelFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Open a Hugging Face model folder"), modelPath_);
    if (!dir.isEmpty()) openModel(dir);
}

void MainWindow::openModel(const QString& dir) {
    if (jobs_->isBusy()) { // one job at a time: the model being worked on stays
        emit jobs_->refused(tr("Opening a model"), jobs_->currentJob());
        pendingSession_.reset();
        return;
    }
    if (!pendingSession_ && !confirmDiscard(tr("Opening a model"))) return;
    const std::string path = dir.toStdString(); // copied by value into the job
    const bool started = jobs_->start<SummaryJobResult>(
        tr("Reading model"),
        [path](const Progress& p) {
            p(0, 1, "read model");
            SummaryJobResult r;
            try {
                r.summary = model::summarizeModel(path);
                r.config = io::loadModelConfig(path);
            } catch (const std::exception& e) {
                r.error = QString::fromUtf8(e.what());
            }
            return r;
        },
        [this](SummaryJobResult r) { onSummaryReady(r); });
    if (!started) return;
    pendingPath_ = dir;
    statusLabel_->setText(tr("Reading %1 ...").arg(dir));
}

void MainWindow::onSummaryReady(const SummaryJobResult& result) {
    if (result.error.isEmpty()) {
        const model::ModelSummary& s = result.summary;
        summaryModel_->setSummary(s);
        tensorModel_->setTensors(s.tensors);
        modelPath_ = pendingPath_;
        config_ = result.config;
        if (config_ && config_->isMla()) config_.reset(); // already MLA: nothing to convert
        if (!pendingSession_) {
            state_ = workbench::WorkbenchState{};
            state_.modelDir = modelPath_.toStdString();
            markSaved(true); // nothing to save yet
        }
        panel_->setModelConfig(config_);
        attention_->setLimits(int(s.layers), int(s.queryHeads));
        setWindowTitle(tr("TransMLA Workbench - %1").arg(QString::fromStdString(s.path)));
        statusLabel_->setText(tr("%1: %2 layers, %3 query / %4 KV heads")
                                  .arg(QString::fromStdString(s.path))
                                  .arg(s.layers)
                                  .arg(s.queryHeads)
                                  .arg(s.kvHeads));
        rememberRecent(modelPath_);
        updateBudgets();
        if (!pendingSession_) showResult();
        emit modelLoaded(modelPath_);
    } else {
        const QString& msg = result.error;
        statusLabel_->setText(tr("Could not open %1").arg(pendingPath_));
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open model"),
                                    tr("The folder could not be read as a Hugging Face model:"),
                                    QMessageBox::Ok, this);
        box->setInformativeText(wrappablePath(msg));
        box->setDetailedText(tr("A model folder needs config.json, the *.safetensors weights (with "
                                "model.safetensors.index.json when sharded) and tokenizer.json.\n\n%1")
                                 .arg(pendingPath_));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        emit modelLoadFailed(pendingPath_, msg);
    }
    if (pendingSession_) {
        const QString file = QString::fromStdString(pendingSession_->modelDir);
        state_ = std::move(*pendingSession_);
        pendingSession_.reset();
        panel_->applySettings(state_.settings);
        panel_->setLossProblems(state_.lossProblems);
        panel_->setResultSettings(state_.result ? std::optional(state_.settings) : std::nullopt,
                                  state_.lossProblems);
        markSaved(true);
        showResult();
        emit sessionOpened(file);
    }
}

workbench::JobOptions MainWindow::jobOptions() const {
    workbench::JobOptions o;
    o.resourcesDir = resourcesDir();
    o.device = parseDevice(panel_->device().toStdString());
    o.dtype = parseComputeDtype(panel_->dtype().toStdString());
    o.lossProblems = panel_->lossProblems();
    o.attentionLayer = attention_->layer();
    o.attentionHead = attention_->head();
    o.attentionPrompt = attention_->prompt().toStdString();
    o.wikitextChunks = o.lossProblems > 0 ? 8 : 0; // WikiText-2 perplexity on 8 x 512 tokens, with the loss
    o.deferDetails = workbench::defersDetails(summaryModel_->summary().parameterCount);
    return o;
}

void MainWindow::runConversion() {
    if (modelPath_.isEmpty() || !config_) return;
    if (jobs_->isBusy()) {
        emit jobs_->refused(tr("Conversion"), jobs_->currentJob());
        return;
    }
    // Never start with settings core rejects (the panel's bounds make this a last guard).
    if (const QString problem = panel_->settingsProblem(); !problem.isEmpty()) {
        panel_->setStatus(problem);
        statusLabel_->setText(problem);
        return;
    }
    if (const QString problem = panel_->calibrationProblem(); !problem.isEmpty()) { // before any work
        onJobFinished(tr("Conversion"), false, problem);
        return;
    }
    if (const QString problem =
            MemoryStatus::fitProblem(panel_->device(), panel_->dtype(), *config_,
                                     summaryModel_->summary().parameterCount, panel_->settings());
        !problem.isEmpty()) { // before anything is loaded
        onJobFinished(tr("Conversion"), false, problem);
        return;
    }
    if (!confirmDiscard(tr("A new conversion"))) return;
    const std::string dir = modelPath_.toStdString();
    const convert::ConvertSettings settings = panel_->settings(); // copied by value
    const workbench::JobOptions options = jobOptions();
    jobs_->start<workbench::ConversionResult>(
        tr("Conversion"),
        [dir, settings, options](const Progress& p) {
            return workbench::runConversion(dir, settings, options, p);
        },
        [this, options](workbench::ConversionResult r) {
            state_.modelDir = r.modelDir;
            state_.settings = r.settings;
            state_.lossProblems = int(options.lossProblems);
            state_.result = std::move(r);
            state_.sweep.reset();
            panel_->setResultSettings(state_.settings, state_.lossProblems);
            markSaved(false);
            showResult();
            if (!state_.result->detailsPending) {
                emit conversionFinished();
                return;
            }
            emit firstResultShown();
            // Queued: the conversion job's own finish (busy state, status) comes first.
            QMetaObject::invokeMethod(this, &MainWindow::completeDetails, Qt::QueuedConnection);
        });
}

void MainWindow::completeDetails() {
    if (!state_.result || !state_.result->detailsPending || jobs_->isBusy()) return;
    const workbench::ConversionResult first = *state_.result; // shares the models
    jobs_->start<workbench::ConversionResult>(
        RankFollower::detailsJobName(),
        [first](const Progress& p) { return workbench::completeDetails(first, p); },
        [this](workbench::ConversionResult full) {
            // A result replaced meanwhile (another run, a rank change) waits for its own details.
            const auto& now = state_.result;
            if (!now || now->models != full.models || now->settings.kvLoraRank != full.settings.kvLoraRank)
                return;
            state_.result = std::move(full);
            markSaved(false);
            showResult();
            emit conversionFinished();
        });
}

void MainWindow::cancelJob() {
    jobs_->cancel();
} // feedback comes with JobRunner::cancelling

void MainWindow::chooseExportFolder() {
    chooseExportFolderFor(false);
}
void MainWindow::chooseServingExportFolder() {
    chooseExportFolderFor(true);
}

// serving: for vLLM / SGLang (bf16, padded to kv_lora_rank 512 + qk_rope_head_dim 64), else for transformers.
void MainWindow::chooseExportFolderFor(bool serving) {
    if (jobs_->isBusy() || !canExport()) return;
    const QString title = serving ? tr("Export for vLLM / SGLang serving (bf16, kv_lora_rank 512 + RoPE 64)")
                                  : tr("Export a DeepSeek-V3 model folder");
    const QString dir = QFileDialog::getSaveFileName(this, title, modelPath_ + QStringLiteral("-mla"));
    if (!dir.isEmpty()) exportModel(dir, serving);
}

void MainWindow::exportModel(const QString& outDir, bool serving) {
    if (!canExport()) return;
    const workbench::ConversionResult result = *state_.result; // shares the converted model (read only)
    const std::string out = outDir.toStdString();
    const workbench::JobOptions options = jobOptions();
    jobs_->start<std::vector<std::string>>(
        tr("Export"),
        [result, out, options, serving](const Progress& p) {
            workbench::ConversionResult r = result;
            // A reopened session has no model in memory: convert again from the stored settings after
            // checking the model's content hash (reconvert), then export with the session's audit record.
            if (!r.models) r.models = workbench::reconvert(result, options, p).models;
            return workbench::exportConverted(r, out, true, p,
                                              serving ? convert::ExportTarget::Serving
                                                      : convert::ExportTarget::Transformers);
        },
        [this, outDir](std::vector<std::string> notes) {
            QStringList list;
            for (const auto& n : notes)
                list << QString::fromStdString(n);
            panel_->setStatus(tr("Exported %1").arg(outDir));
            emit exportFinished(outDir, list);
        });
}

void MainWindow::computeAttention(const QString& prompt, int layer, int head) {
    if (!state_.result || !state_.result->models) return;
    auto models = state_.result->models;
    const std::string text =
        prompt.isEmpty() ? workbench::defaultPrompt(resourcesDir()) : prompt.toStdString();
    jobs_->start<workbench::AttentionPair>(
        tr("Attention"),
        [models, text, layer, head](const Progress& p) {
            p.checkCancel();
            return workbench::attentionPair(*models, text, layer, head,
                                            workbench::JobOptions{}.attentionMaxTokens);
        },
        [this, head](workbench::AttentionPair pair) {
            state_.result->attentionBefore = pair.before;
            state_.result->attentionAfter = pair.after;
            state_.result->attentionHeadsBefore = std::move(pair.headsBefore);
            state_.result->attentionHeadsAfter = std::move(pair.headsAfter);
            attention_->setLayerMaps(state_.result->attentionHeadsBefore, state_.result->attentionHeadsAfter,
                                     head);
            emit attentionUpdated();
        });
}

void MainWindow::runRankSweep() {
    if (modelPath_.isEmpty() || !config_) return;
    if (jobs_->isBusy()) {
        emit jobs_->refused(tr("Rank sweep"), jobs_->currentJob());
        return;
    }
    const int full = panel_->maxRank();
    if (full <= 0) return;
    workbench::SweepRequest request; // copied by value into the job
    for (int div : {16, 8, 4, 2, 1})
        request.ranks.push_back(std::max(1, full / div));
    request.ranks.erase(std::unique(request.ranks.begin(), request.ranks.end()), request.ranks.end());
    request.modelDir = modelPath_.toStdString();
    request.resourcesDir = resourcesDir();
    request.device = panel_->device().toStdString();
    request.dtype = panel_->dtype().toStdString();
    request.settings = panel_->settings();
    request.problems = std::max(1, panel_->lossProblems() ? panel_->lossProblems() : 20);
    // The sweep shown (a cancelled one, or one from a session, CLI-written or not) continues when it was
    // made with these settings; another is replaced only after asking.
    std::optional<results::RankSweep> resume;
    if (state_.sweep && state_.sweep->sameSetup(request.settings, request.problems))
        resume = state_.sweep;
    else if (state_.sweep && !confirmDiscard(tr("A new rank sweep")))
        return;
    // Each finished point comes back to the GUI thread at once (queued before the job's end), so the
    // plot grows as the sweep runs and a cancelled sweep keeps its points.
    // With the conversion in memory made at these settings, the points re-truncate its cached bases
    // (no reload, no calibration); otherwise each point loads and converts the model again.
    workbench::ConvertStep step;
    if (state_.result && state_.result->models)
        step = workbench::cachedConvertStep(*state_.result, request.settings);
    auto sink = [this](const results::RankSweep& soFar) {
        QMetaObject::invokeMethod(
            this, [this, soFar] { showSweep(soFar); }, Qt::QueuedConnection);
    };
    jobs_->start<results::RankSweep>(
        tr("Rank sweep"),
        [request, resume, sink, step](const Progress& p) {
            return workbench::rankSweep(request, resume, sink, p, step);
        },
        [this](results::RankSweep sweep) {
            showSweep(sweep);
            emit sweepFinished();
        });
}

void MainWindow::showSweep(const results::RankSweep& sweep) {
    state_.sweep = sweep;
    loss_->setSweep(sweepValues(state_.sweep));
    markSaved(false);
}

void MainWindow::onJobFinished(const QString& name, bool ok, const QString& message) {
    panel_->setRunning(false);
    panel_->setFinished(ok, message);
    attention_->setBusy(!(state_.result && state_.result->models));
    loss_->setBusy(!config_);
    guide_->setBusy(false);
    panel_->setExportable(canExport());
    if (ok) {
        panel_->setStatus(tr("%1 finished").arg(name));
        // The status bar must not go on saying "... " (running) unless the result put its own message.
        if (statusLabel_->text() == tr("%1 ...").arg(name))
            statusLabel_->setText(tr("%1 finished").arg(name));
        return;
    }
    panel_->setStatus(tr("%1: %2").arg(name, message));
    statusLabel_->setText(tr("%1: %2").arg(name, message));
    if (message != JobRunner::cancelledMessage()) {
        auto* box =
            new QMessageBox(QMessageBox::Warning, tr("%1 failed").arg(name), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    emit jobFailed(name, message);
}

void MainWindow::onRankChanged(int rank) {
    spectrum_->setRank(rank);
    updateBudgets();
}

void MainWindow::updateBudgets() {
    if (!config_) {
        budget_->setBudgets(state_.budgets);
        return;
    }
    const convert::ConvertSettings s = panel_->settings();
    const int64_t rR = s.exact ? config_->numKvHeads * config_->headDim : s.qkRopeHeadDim;
    const int64_t rank = s.exact ? std::max<int64_t>(1, panel_->maxRank()) : s.kvLoraRank;
    const int64_t weights = summaryModel_->summary().parameterCount * io::kBytes16Bit;
    try {
        state_.budgets =
            analysis::standardBudgets(*config_, std::max<int64_t>(1, rank), std::min(rR, config_->headDim),
                                      analysis::CacheDtype::BF16, weights);
    } catch (const std::exception&) {
        state_.budgets = {analysis::gqaBudget(*config_, analysis::CacheDtype::BF16, weights)};
    }
    budget_->setBudgets(state_.budgets);
}

void MainWindow::showResult() {
    const auto& r = state_.result;
    std::vector<std::vector<double>> latent;
    if (r)
        for (const auto& l : r->layers)
            latent.push_back(l.eigenvalues);
    spectrum_->setData(latent, r ? r->spectra : std::nullopt);
    spectrum_->setRank(r && !r->settings.exact ? int(r->rank()) : panel_->rank());
    panel_->layerModel()->setLayers(r ? r->layers : std::vector<workbench::LayerFigures>{});
    if (r && r->attentionBefore && !r->attentionHeadsBefore.empty())
        attention_->setLayerMaps(r->attentionHeadsBefore, r->attentionHeadsAfter,
                                 int(r->attentionBefore->head));
    else if (r && r->attentionBefore && r->attentionAfter)
        attention_->setMaps(*r->attentionBefore, *r->attentionAfter);
    else
        attention_->clear();
    if (r)
        loss_->setLosses(r->lossBefore, r->lossAfter, r->kvBytesPerTokenBefore, r->kvBytesPerTokenAfter,
                         r->lossFullRank);
    else
        loss_->setLosses(std::nullopt, std::nullopt);
    loss_->setPerplexity(r ? r->wikitextBefore : std::nullopt, r ? r->wikitextAfter : std::nullopt);
    loss_->setSweep(sweepValues(state_.sweep));
    budget_->setBudgets(state_.budgets);
    panel_->setExportable(canExport());
    attention_->setBusy(!(r && r->models));
    loss_->setBusy(!config_);
    if (r)
        panel_->setStatus(tr("KV cache %1 -> %2 bytes/token, max rank %3, FreqFold %4, %5 s")
                              .arg(r->kvBytesPerTokenBefore)
                              .arg(r->kvBytesPerTokenAfter)
                              .arg(r->rank())
                              .arg(r->freqFold)
                              .arg(QLocale().toString(r->secondsTotal, 'f', 2)));
}

bool MainWindow::saveSession(const QString& file) {
    try {
        results::saveSession(file.toStdString(), workbench::toSession(state_));
        statusLabel_->setText(tr("Saved session %1").arg(file));
        markSaved(true);
        return true;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot save session"), QString::fromUtf8(e.what()));
        return false;
    }
}

bool MainWindow::openSession(const QString& file) {
    if (jobs_->isBusy()) {
        emit jobs_->refused(tr("Opening a session"), jobs_->currentJob());
        return false;
    }
    if (!confirmDiscard(tr("Opening a session"))) return false;
    try {
        workbench::WorkbenchState st = workbench::fromSession(results::loadSession(file.toStdString()));
        const QString dir = QString::fromStdString(st.modelDir);
        pendingSession_ = std::move(st);
        openModel(dir); // the summary comes back first; the session's results are applied after it
        statusLabel_->setText(tr("Opened session %1").arg(file));
        return true;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot open session"), QString::fromUtf8(e.what()));
        return false;
    }
}

void MainWindow::chooseSessionToOpen() {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open session"), QString(), tr("Sessions (*.h5)"));
    if (!file.isEmpty()) openSession(file);
}

void MainWindow::chooseSessionToSave() {
    QString file = QFileDialog::getSaveFileName(this, tr("Save session"), QString(), tr("Sessions (*.h5)"));
    if (file.isEmpty()) return;
    if (!file.endsWith(QLatin1String(".h5"))) file += QStringLiteral(".h5");
    saveSession(file);
}

PlotView* MainWindow::currentPlot() const {
    return qobject_cast<PlotView*>(tabs_->currentWidget());
}

void MainWindow::exportCurrentPlot() {
    if (PlotView* p = currentPlot())
        p->chooseExportFile();
    else
        statusLabel_->setText(tr("Choose a plot tab first"));
}

bool MainWindow::canExport() const {
    const auto& r = state_.result;
    if (!r || !config_ || !r->exportProblem.empty()) return false;
    if (workbench::exportBlock(*config_, r->settings) != workbench::ExportBlock::None) return false;
    return r->models || !r->modelContentHash.empty();
}

void MainWindow::chooseReportFolder() {
    const QString dir = QFileDialog::getSaveFileName(this, tr("Write a report folder (report.md + plots)"),
                                                     modelPath_ + QStringLiteral("-report"));
    if (dir.isEmpty()) return;
    const QString error = writeReport(dir);
    if (!error.isEmpty()) QMessageBox::warning(this, tr("Cannot write the report"), error);
}

QString MainWindow::writeReport(const QString& dir) {
    if (!state_.result) return tr("Run a conversion (or open a session) first: there is nothing to report.");
    const QString error = ReportWriter::write(dir, workbench::auditRecord(*state_.result),
                                              {{tr("Singular value spectra"), spectrum_},
                                               {tr("KV cache budget"), budget_},
                                               {tr("Attention maps"), attention_},
                                               {tr("GSM8K loss"), loss_}});
    statusLabel_->setText(error.isEmpty() ? tr("Wrote the report %1").arg(dir) : error);
    if (error.isEmpty()) emit reportWritten(dir);
    return error;
}

void MainWindow::setClassroomMode(bool on) {
    if (classroom_ == on) return;
    classroom_ = on;
    // Readable from the back of a room: full screen, text and plot ticks at least 18 pt.
    QFont f = normalFont_;
    if (on) f.setPointSizeF(std::max(18.0, normalFont_.pointSizeF() * 1.5));
    QApplication::setFont(f);
    guideDock_->setVisible(on);
    if (on) {
        guide_->restart();
        wasMaximized_ = isMaximized();
        showFullScreen();
        // The docks keep their old width at the large font (and the new font reaches the panel's layout
        // only later): 40% of the full screen for the panel and the guide.
        QTimer::singleShot(0, this, [this] {
            const int full =
                screen() ? screen()->availableGeometry().width() : width(); // full screen's width
            resizeDocks({panelDock_}, {full * 2 / 5}, Qt::Horizontal);
        });
    } else if (isFullScreen()) {
        if (wasMaximized_)
            showMaximized();
        else
            showNormal();
    }
    const QSignalBlocker block(classroomAction_);
    classroomAction_->setChecked(on);
}

void MainWindow::onClassroomStep(int step) {
    // The guide names what it changed, so that no setting changes behind the user's back.
    const convert::ConvertSettings before = panel_->settings();
    const int problemsBefore = panel_->lossProblems();
    switch (step) {
    case 0:
        openModel(QString::fromStdString(demoModelDir(resourcesDir()).string()));
        tabs_->setCurrentWidget(budget_);
        break;
    case 1:
        panel_->setExact(true);
        panel_->setLatentNormCalibrated(false); // the exact algebra (same logits); not exportable
        panel_->setLossProblems(20);
        runConversion();
        tabs_->setCurrentWidget(attention_);
        break;
    default:
        panel_->setExact(false);
        panel_->setLatentNormCalibrated(true); // the exportable model
        panel_->setRank(std::max(1, panel_->maxRank() / 4));
        panel_->setCalibration(32, 128);
        runConversion();
        tabs_->setCurrentWidget(spectrum_);
        break;
    }
    guide_->setChanges(
        ClassroomGuide::describeChanges(before, problemsBefore, panel_->settings(), panel_->lossProblems()));
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About TransMLA Workbench"),
                       tr("<b>TransMLA Workbench</b> %1<br>Converts GQA language models to Multi-head Latent "
                          "Attention (TransMLA) and shows what the conversion did.")
                           .arg(QApplication::applicationVersion()));
}

} // namespace transmla::views
