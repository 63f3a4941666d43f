// The workbench's main window: menus, the model panel, the conversion panel (a dock) and the plot
// views (tabs). It shows core's results; it computes nothing itself: long work goes through the
// JobRunner (one job at a time, cancellable), and every view is filled from plain value types.
#pragma once
#include <QMainWindow>
#include <optional>

#include "io/model_config.h"
#include "model/summary.h"
#include "unsavedguard.h"
#include "workbench/session_state.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTableView;
class QTabWidget;

namespace transmla::views {

class AttentionView;
class BudgetView;
class ClassroomGuide;
class ConversionPanel;
class HealView;
class JobRunner;
class LossView;
class ParetoView;
class MemoryStatus;
class PlotView;
class RankFollower;
class SpectrumView;
class SpeedView;
class SummaryModel;
class TensorModel;

// What a background model read hands back: the summary and config, or the error text (never an
// exception across threads).
struct SummaryJobResult {
    model::ModelSummary summary;
    std::optional<io::ModelConfig> config;
    QString error;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    SummaryModel* summaryModel() const { return summaryModel_; }
    TensorModel* tensorModel() const { return tensorModel_; }
    ConversionPanel* conversionPanel() const { return panel_; }
    SpectrumView* spectrumView() const { return spectrum_; }
    BudgetView* budgetView() const { return budget_; }
    AttentionView* attentionView() const { return attention_; }
    LossView* lossView() const { return loss_; }
    HealView* healView() const { return heal_; } // mainwindow_quality.cpp
    ParetoView* paretoView() const { return pareto_; }
    SpeedView* speedView() const { return speed_; } // mainwindow_speed.cpp
    JobRunner* jobs() const { return jobs_; }
    QTabWidget* tabs() const { return tabs_; }
    ClassroomGuide* classroomGuide() const { return guide_; }
    QString modelPath() const { return modelPath_; }
    const workbench::WorkbenchState& state() const { return state_; }
    bool isClassroomMode() const { return classroom_; }
    bool hasUnsavedResults() const { return unsaved_.hasUnsaved(); }

public slots:
    // Reads the model as a job (refused while another job runs; asks before dropping unsaved
    // results); emits modelLoaded / modelLoadFailed.
    void openModel(const QString& dir);
    void runConversion();
    void cancelJob();
    void exportModel(const QString& outDir, bool serving = false); // serving: for vLLM / SGLang
    void runRankSweep();
    // mainwindow_quality.cpp: the Heal step and the held-out searches (Pareto, r_R / FreqFold choice).
    void runHeal();
    void runParetoSearch();
    void runAutoChoice();
    void runSpeed(); // mainwindow_speed.cpp: measured decoding, GQA vs MLA cache
    bool saveSession(const QString& file);
    bool openSession(const QString& file);
    void setClassroomMode(bool on);
    QString writeReport(const QString& dir); // File > Report...; returns the error (empty: written)

signals:
    void modelLoaded(const QString& dir);
    void modelLoadFailed(const QString& dir, const QString& message);
    void conversionFinished(); // everything shown (for a large model: after the deferred details)
    void firstResultShown();   // a large model's first result (loss before/after); the details follow
    void jobFailed(const QString& job, const QString& message); // "Cancelled" when cancelled
    void exportFinished(const QString& dir, const QStringList& notes);
    void attentionUpdated();
    void sweepFinished();
    void healFinished();
    void searchFinished();
    void speedMeasured();
    void sessionOpened(const QString& file);
    void reportWritten(const QString& dir);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private slots:
    void chooseModelFolder();
    void chooseExportFolder();
    void chooseServingExportFolder();
    void chooseSessionToOpen();
    void chooseSessionToSave();
    void exportCurrentPlot();
    void chooseReportFolder();
    void showAbout();
    void onSummaryReady(const SummaryJobResult& result);
    void onRankChanged(int rank);
    void onJobFinished(const QString& name, bool ok, const QString& message);
    void computeAttention(const QString& prompt, int layer, int head);
    void onClassroomStep(int step);

private:
    void createMenus();
    void setupQualitySteps();  // mainwindow_quality.cpp: the Heal and Pareto tabs
    void updateQualitySteps(); // their buttons follow the model, the result and the busy state
    void setupSpeedStep();     // mainwindow_speed.cpp: the Speed tab
    void updateSpeedStep();
    void chooseExportFolderFor(bool serving);
    void onBusyChanged(bool busy); // every action that starts work follows the busy state
    bool confirmDiscard(const QString& action);
    void markSaved(bool saved);
    void updateRecentMenu();
    void rememberRecent(const QString& dir);
    void showResult(); // fills every view from state_
    // The deferred details of the result shown (spectra, full-rank loss, perplexity, maps) as a job
    // of their own, so that the first result is on screen without them; a rank change cancels it.
    void completeDetails();
    void showSweep(
        const results::RankSweep& sweep); // a sweep (or a finished part of it) into state_ and the loss view
    void updateBudgets();
    workbench::JobOptions jobOptions() const;
    PlotView* currentPlot() const;
    bool canExport() const; // an exportable result (a reopened session's is converted again)

    SummaryModel* summaryModel_;
    TensorModel* tensorModel_;
    QTableView* summaryView_;
    QTableView* tensorView_;
    QTabWidget* tabs_;
    QLabel* statusLabel_;
    ConversionPanel* panel_;
    SpectrumView* spectrum_;
    BudgetView* budget_;
    AttentionView* attention_;
    LossView* loss_;
    HealView* heal_ = nullptr;
    ParetoView* pareto_ = nullptr;
    SpeedView* speed_ = nullptr;
    JobRunner* jobs_;
    ClassroomGuide* guide_;
    QDockWidget* panelDock_;
    QDockWidget* guideDock_;
    QLabel* staleLabel_;
    QList<QAction*> workActions_; // start work: disabled while a job runs
    QAction* cancelAction_ = nullptr;
    UnsavedGuard unsaved_;
    QMenu* recentMenu_ = nullptr;
    QAction* classroomAction_ = nullptr;
    QString modelPath_, pendingPath_;
    std::optional<io::ModelConfig> config_;
    workbench::WorkbenchState state_;
    std::optional<workbench::WorkbenchState> pendingSession_; // applied once its model has been read
    bool classroom_ = false, wasMaximized_ = false;
    QFont normalFont_;
    MemoryStatus* memory_ = nullptr;       // device memory free / needed (status bar)
    RankFollower* rankFollower_ = nullptr; // re-scores the shown conversion when the rank is let go
};

} // namespace transmla::views
