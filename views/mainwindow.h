// The workbench's main window: menus, the model panel, and (as later issues add them) the
// conversion panel and plot views. It shows core's results; it computes nothing itself.
#pragma once
#include <QFutureWatcher>
#include <QMainWindow>

#include "model/summary.h"

class QAction;
class QLabel;
class QTableView;
class QTabWidget;

namespace transmla::views {

class SummaryModel;

// What a background model read hands back: the summary, or the error text (never an exception
// across threads).
struct SummaryJobResult {
    model::ModelSummary summary;
    QString error;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    SummaryModel* summaryModel() const { return summaryModel_; }
    QString modelPath() const { return modelPath_; }

public slots:
    void openModel(const QString& dir); // loads in a worker thread; emits modelLoaded / modelLoadFailed

signals:
    void modelLoaded(const QString& dir);
    void modelLoadFailed(const QString& dir, const QString& message);

private slots:
    void chooseModelFolder();
    void showAbout();
    void onSummaryReady();

private:
    void createMenus();

    SummaryModel* summaryModel_;
    QTableView* summaryView_;
    QTabWidget* tabs_;
    QLabel* statusLabel_;
    QFutureWatcher<SummaryJobResult>* watcher_;
    QString modelPath_, pendingPath_;
    QAction* openSessionAction_ = nullptr;
    QAction* saveSessionAction_ = nullptr;
    QAction* exportAction_ = nullptr;
};

} // namespace transmla::views
