#include "healview.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextStream>
#include <algorithm>

#include "qcp.h"

namespace transmla::views {

HealView::HealView(QWidget* parent)
    : PlotView(parent), mode_(new QComboBox), data_(new QComboBox), steps_(new QSpinBox),
      samples_(new QSpinBox), lr_(new QDoubleSpinBox), file_(new QLineEdit),
      heal_(new QPushButton(tr("Heal"))), cancel_(new QPushButton(tr("Cancel"))), status_(new QLabel) {
    setWindowTitle(tr("Healing"));
    mode_->setObjectName(QStringLiteral("healMode"));
    mode_->addItem(tr("local (per layer)"), QStringLiteral("local"));
    mode_->addItem(tr("end-to-end (KL)"), QStringLiteral("e2e"));
    mode_->addItem(tr("both"), QStringLiteral("both"));
    steps_->setObjectName(QStringLiteral("healSteps"));
    steps_->setRange(0, 100000);
    steps_->setSpecialValueText(tr("default"));
    steps_->setToolTip(tr("Adam steps per layer (local) or in all (end-to-end)"));
    lr_->setObjectName(QStringLiteral("healLr"));
    lr_->setDecimals(5);
    lr_->setRange(0, 1);
    lr_->setSingleStep(1e-4);
    lr_->setSpecialValueText(tr("default"));
    data_->setObjectName(QStringLiteral("healData"));
    data_->addItem(tr("GSM8K train"), QStringLiteral("gsm8k"));
    data_->addItem(tr("WikiText-2"), QStringLiteral("wikitext2"));
    data_->addItem(tr("File"), QString());
    file_->setObjectName(QStringLiteral("healFile"));
    file_->setPlaceholderText(tr("training text (.txt or .jsonl)"));
    file_->setEnabled(false);
    samples_->setObjectName(QStringLiteral("healSamples"));
    samples_->setRange(2, 65536);
    samples_->setValue(64);
    samples_->setToolTip(tr("Training sequences of 128 tokens (1/8 held out for the figures)"));
    heal_->setObjectName(QStringLiteral("healButton"));
    cancel_->setObjectName(QStringLiteral("healCancelButton"));
    status_->setObjectName(QStringLiteral("healStatus"));
    status_->setWordWrap(true);
    controls()->addWidget(new QLabel(tr("Mode:")));
    controls()->addWidget(mode_);
    controls()->addWidget(new QLabel(tr("Steps:")));
    controls()->addWidget(steps_);
    controls()->addWidget(new QLabel(tr("LR:")));
    controls()->addWidget(lr_);
    controls()->addWidget(new QLabel(tr("Sequences:")));
    controls()->addWidget(samples_);
    controls()->addWidget(heal_);
    controls()->addWidget(cancel_);
    controls()->addStretch(1);
    // The training text on a second row: one row of everything is wider than a 1366-pixel screen
    // leaves the tabs (beside the conversion panel), and the window then clips at the right.
    auto* text = new QHBoxLayout;
    text->addWidget(new QLabel(tr("Text:")));
    text->addWidget(data_);
    text->addWidget(file_, 1);
    mainLayout()->insertLayout(mainLayout()->indexOf(controls()) + 1, text);
    mainLayout()->addWidget(status_);
    connect(data_, &QComboBox::currentIndexChanged, this,
            [this] { file_->setEnabled(data_->currentData().toString().isEmpty()); });
    connect(heal_, &QPushButton::clicked, this, &HealView::healRequested);
    connect(cancel_, &QPushButton::clicked, this, &HealView::cancelRequested);

    QCustomPlot* p = plot();
    p->xAxis->setLabel(tr("training step"));
    p->yAxis->setLabel(tr("local: relative attention-output error"));
    p->yAxis2->setLabel(tr("end-to-end: KL per token"));
    p->yAxis2->setVisible(true);
    p->legend->setVisible(true);
    applyPalette(p);
    setRunning(false);
    rebuild();
}

workbench::HealRequest HealView::request() const {
    workbench::HealRequest r;
    r.mode = mode_->currentData().toString().toStdString();
    r.steps = steps_->value();
    r.lr = lr_->value();
    const QString data = data_->currentData().toString();
    r.data = (data.isEmpty() ? file_->text().trimmed() : data).toStdString();
    r.samples = samples_->value();
    return r;
}

void HealView::setAvailable(bool on, const QString& why) {
    available_ = on;
    why_ = why;
    heal_->setEnabled(on && !running_);
    showReadiness();
}

void HealView::startOver() {
    points_.clear();
    ++run_;
    rebuild();
    showReadiness();
}

void HealView::showReadiness() {
    if (running_ || !points_.empty()) return; // the run's own progress or outcome
    if (available_)
        status_->setText(tr("Ready: Heal trains the converted model's new attention weights towards the "
                            "original (choose the mode and steps, then press Heal)."));
    else
        status_->setText(!why_.isEmpty() ? why_
                                         : tr("Convert a model first; healing then trains its new attention "
                                              "weights towards the original."));
}

int HealView::beginRun() {
    points_.clear();
    ++run_;
    rebuild();
    return run_;
}

void HealView::addPoint(int run, const QString& phase, qint64 step, qint64 steps, double loss) {
    if (run != run_) return; // a point of an earlier run, delivered late
    points_.push_back({phase, double(step), loss});
    status_->setText(
        tr("Healing (%1): step %2 of %3, loss %4").arg(phase).arg(step + 1).arg(steps).arg(number(loss)));
    rebuild();
}

void HealView::setRunning(bool running) {
    running_ = running;
    heal_->setEnabled(available_ && !running);
    cancel_->setEnabled(running);
    for (QWidget* w : std::initializer_list<QWidget*>{mode_, steps_, lr_, data_, samples_})
        w->setEnabled(!running);
    file_->setEnabled(!running && data_->currentData().toString().isEmpty());
}

void HealView::setCancelling() {
    cancel_->setEnabled(false);
    status_->setText(tr("Cancelling... the unhealed conversion stays as it was"));
}

void HealView::setFinished(bool ok, const QString& message) {
    setRunning(false);
    if (!ok) status_->setText(tr("Healing stopped: %1 (the unhealed conversion is kept)").arg(message));
}

void HealView::setOutcome(const workbench::HealOutcome& outcome, std::optional<double> lossBefore) {
    QStringList lines;
    for (const auto& ph : outcome.phases)
        lines << tr("%1: %2 steps, held-out %3 -> %4 (%5 s)")
                     .arg(QString::fromStdString(ph.mode))
                     .arg(ph.steps)
                     .arg(number(ph.heldOutBefore))
                     .arg(number(ph.heldOutAfter))
                     .arg(number(ph.seconds, 3));
    if (outcome.lossAfter && lossBefore)
        lines << tr("GSM8K loss: converted %1 -> healed %2")
                     .arg(number(*lossBefore))
                     .arg(number(outcome.lossAfter->meanNll()));
    lines << tr("The loss view, the attention maps and the export now use the healed model.");
    status_->setText(lines.join(QLatin1Char('\n')));
}

int HealView::curvePoints() const {
    return int(points_.size());
}
QString HealView::statusText() const {
    return status_->text();
}

void HealView::rebuild() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    QVector<double> lx, ly, ex, ey;
    for (const auto& pt : points_) {
        auto& x = pt.phase == QLatin1String("e2e") ? ex : lx;
        auto& y = pt.phase == QLatin1String("e2e") ? ey : ly;
        x.push_back(pt.step);
        y.push_back(pt.loss);
    }
    auto add = [&](const QVector<double>& x, const QVector<double>& y, QCPAxis* axis, const QString& name,
                   int color) {
        if (x.isEmpty()) return;
        auto* g = new QCPGraph(p->xAxis, axis);
        g->setName(name);
        g->setPen(QPen(seriesColor(color), 1.5));
        g->setData(x, y, true);
        const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
        axis->setRange(paddedRange(std::min(0.0, *lo), *hi));
    };
    add(lx, ly, p->yAxis, tr("local"), 0);
    add(ex, ey, p->yAxis2, tr("end-to-end"), 1);
    double xmax = 1;
    for (const auto& pt : points_)
        xmax = std::max(xmax, pt.step);
    p->xAxis->setRange(0, xmax);
    p->legend->setVisible(p->plottableCount() > 0); // no empty legend box before the first run
    replotLater();
}

bool HealView::writeCsv(const QString& file) const {
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    QTextStream out(&f);
    out << "phase,step,loss\n";
    for (const auto& pt : points_)
        out << pt.phase << ',' << qint64(pt.step) << ',' << QString::number(pt.loss, 'g', 17) << '\n';
    return f.error() == QFile::NoError;
}

} // namespace transmla::views
