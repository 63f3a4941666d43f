#include "mainwindow.h"

#include <QApplication>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "summarymodel.h"

namespace transmla::views {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), summaryModel_(new SummaryModel(this)), summaryView_(new QTableView),
      tabs_(new QTabWidget), statusLabel_(new QLabel), watcher_(new QFutureWatcher<SummaryJobResult>(this)) {
    setWindowTitle(tr("TransMLA Workbench"));
    summaryView_->setModel(summaryModel_);
    summaryView_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    summaryView_->horizontalHeader()->setStretchLastSection(true);
    summaryView_->verticalHeader()->hide();
    summaryView_->setAlternatingRowColors(true);
    summaryView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    summaryView_->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* modelPage = new QWidget;
    auto* layout = new QVBoxLayout(modelPage);
    auto* heading = new QLabel(tr("<b>Architecture</b>"));
    layout->addWidget(heading);
    layout->addWidget(summaryView_);
    tabs_->addTab(modelPage, tr("Model"));
    setCentralWidget(tabs_);
    statusBar()->addWidget(statusLabel_, 1);
    statusLabel_->setText(tr("Open a model folder (File > Open model folder)"));

    connect(watcher_, &QFutureWatcher<SummaryJobResult>::finished, this, &MainWindow::onSummaryReady);
    createMenus();
    resize(900, 600);
}

MainWindow::~MainWindow() { watcher_->waitForFinished(); }

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open model folder..."), this, &MainWindow::chooseModelFolder);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    openSessionAction_ = file->addAction(tr("Open &session..."));
    saveSessionAction_ = file->addAction(tr("&Save session..."));
    saveSessionAction_->setShortcut(QKeySequence::Save);
    exportAction_ = file->addAction(tr("&Export..."));
    // Sessions and exports arrive with the analyses; until then the actions say so and stay disabled.
    for (QAction* a : {openSessionAction_, saveSessionAction_, exportAction_}) {
        a->setEnabled(false);
        a->setStatusTip(tr("Available once a conversion or analysis has run"));
    }
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Model"), this, [this] { tabs_->setCurrentIndex(0); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About"), this, &MainWindow::showAbout);
}

void MainWindow::chooseModelFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Hugging Face model folder"), modelPath_);
    if (!dir.isEmpty()) openModel(dir);
}

void MainWindow::openModel(const QString& dir) {
    if (watcher_->isRunning()) watcher_->waitForFinished();
    pendingPath_ = dir;
    statusLabel_->setText(tr("Reading %1 ...").arg(dir));
    const std::string path = dir.toStdString(); // copied by value into the job
    watcher_->setFuture(QtConcurrent::run([path] {
        SummaryJobResult r;
        try {
            r.summary = model::summarizeModel(path);
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

void MainWindow::onSummaryReady() {
    const SummaryJobResult result = watcher_->result();
    if (result.error.isEmpty()) {
        const model::ModelSummary& s = result.summary;
        summaryModel_->setSummary(s);
        modelPath_ = pendingPath_;
        setWindowTitle(tr("TransMLA Workbench - %1").arg(QString::fromStdString(s.path)));
        statusLabel_->setText(tr("%1: %2 layers, %3 query / %4 KV heads")
                                  .arg(QString::fromStdString(s.path))
                                  .arg(s.layers)
                                  .arg(s.queryHeads)
                                  .arg(s.kvHeads));
        emit modelLoaded(modelPath_);
    } else {
        const QString& msg = result.error;
        statusLabel_->setText(tr("Could not open %1").arg(pendingPath_));
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open model"), msg, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        emit modelLoadFailed(pendingPath_, msg);
    }
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About TransMLA Workbench"),
                       tr("<b>TransMLA Workbench</b> %1<br>Converts GQA language models to Multi-head Latent "
                          "Attention (TransMLA) and shows what the conversion did.")
                           .arg(QApplication::applicationVersion()));
}

} // namespace transmla::views
