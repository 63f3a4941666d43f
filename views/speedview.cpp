#include "speedview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

#include "io/csv.h"
#include "progresstext.h"
#include "qcp.h"
#include "speedmodel.h"

namespace transmla::views {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}

SpeedView::SpeedView(QWidget* parent)
    : PlotView(parent), context_(new QSpinBox), batch_(new QSpinBox), steps_(new QSpinBox),
      figure_(new QComboBox), measure_(new QPushButton(tr("Measure"))),
      cancel_(new QPushButton(tr("Cancel"))), clear_(new QPushButton(tr("Clear"))),
      progress_(new QProgressBar), status_(new QLabel), table_(new QTableView), model_(new SpeedModel(this)) {
    setWindowTitle(tr("Decoding speed"));
    const workbench::SpeedRequest defaults;
    context_->setObjectName(QStringLiteral("speedContext"));
    context_->setToolTip(tr("Context tokens per sequence before decoding (synthetic token ids)"));
    batch_->setObjectName(QStringLiteral("speedBatch"));
    batch_->setToolTip(tr("Sequences decoded together"));
    steps_->setObjectName(QStringLiteral("speedSteps"));
    steps_->setToolTip(tr("Timed greedy decoding steps (one more, untimed, warms up)"));
    // Values change on Enter, an arrow or focus-out, not per keystroke ("5" on the way to "512").
    for (QSpinBox* box : {context_, batch_, steps_}) {
        box->setKeyboardTracking(false);
        box->setAccelerated(true);
    }
    // Until a model gives max_position_embeddings, any context: the defaults below must not be clamped.
    workbench::SpeedLimits open;
    open.maxContext = std::numeric_limits<int>::max();
    setLimits(open);
    context_->setValue(int(defaults.context));
    batch_->setValue(int(defaults.batch));
    steps_->setValue(int(defaults.steps));
    figure_->setObjectName(QStringLiteral("speedFigure"));
    figure_->addItem(tr("tokens/s"), TokensPerSecond);
    figure_->addItem(tr("ms per step"), MsPerStep);
    figure_->addItem(tr("cache size"), CacheBytes);
    figure_->addItem(tr("MLA/GQA ratios"), Ratios);
    measure_->setObjectName(QStringLiteral("speedMeasure"));
    cancel_->setObjectName(QStringLiteral("speedCancel"));
    clear_->setObjectName(QStringLiteral("speedClear"));
    clear_->setToolTip(tr("Forget the measured settings"));
    progress_->setObjectName(QStringLiteral("speedProgress"));
    progress_->setTextVisible(false);
    progress_->setMaximumHeight(8);
    status_->setObjectName(QStringLiteral("speedStatus"));
    status_->setWordWrap(true);
    table_->setObjectName(QStringLiteral("speedTable"));
    table_->setModel(model_);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setMaximumHeight(170);

    controls()->addWidget(new QLabel(tr("Context:")));
    controls()->addWidget(context_);
    controls()->addWidget(new QLabel(tr("Batch:")));
    controls()->addWidget(batch_);
    controls()->addWidget(new QLabel(tr("Steps:")));
    controls()->addWidget(steps_);
    controls()->addWidget(measure_);
    controls()->addWidget(cancel_);
    controls()->addStretch(1);
    // The figure choice on a second row: one row was too wide for a 1366 px screen in German.
    auto* show = new QHBoxLayout;
    show->addWidget(new QLabel(tr("Show:")));
    show->addWidget(figure_);
    show->addWidget(clear_);
    show->addStretch(1);
    mainLayout()->insertLayout(mainLayout()->indexOf(controls()) + 1, show);
    mainLayout()->insertWidget(mainLayout()->indexOf(controls()) + 2, status_);
    mainLayout()->insertWidget(mainLayout()->indexOf(controls()) + 3, progress_);
    mainLayout()->addWidget(table_);
    connect(measure_, &QPushButton::clicked, this, &SpeedView::measureRequested);
    connect(cancel_, &QPushButton::clicked, this, &SpeedView::cancelRequested);
    connect(clear_, &QPushButton::clicked, this, [this] {
        model_->clear();
        rebuild();
    });
    connect(figure_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });

    QCustomPlot* p = plot();
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    applyPalette(p);
    setAvailable(false, false, true);
    setRunning(false);
    rebuild();
}

workbench::SpeedRequest SpeedView::request() const {
    workbench::SpeedRequest r;
    r.context = context_->value();
    r.batch = batch_->value();
    r.steps = steps_->value();
    return r;
}

void SpeedView::setLimits(const workbench::SpeedLimits& l) {
    auto clampInt = [](int64_t v) { return int(std::min<int64_t>(v, std::numeric_limits<int>::max())); };
    context_->setRange(1, clampInt(l.maxContext));
    batch_->setRange(1, clampInt(l.maxBatch));
    steps_->setRange(1, clampInt(l.maxSteps));
}

void SpeedView::setAvailable(bool hasConverted, bool inSession, bool idle) {
    available_ = hasConverted;
    measure_->setEnabled(hasConverted && idle && !running_);
    if (running_) return;
    if (!hasConverted)
        status_->setText(
            inSession ? tr("This session's conversion is not in memory: run the conversion again to measure "
                           "decoding speed.")
                      : tr("No converted model yet: run the conversion first. Then Measure decodes with the "
                           "original model's GQA cache and with the converted model's MLA latent cache."));
    else if (model_->rowCount() == 0)
        status_->setText(tr("Choose a context and a batch, then Measure (on the CPU, small contexts such as "
                            "256 x 1 take seconds)."));
}

void SpeedView::addPoint(const workbench::SpeedPoint& p) {
    model_->add(p);
    table_->scrollToBottom();
    QString text = tr("%1: GQA %2 tok/s (%3 ms/step), MLA %4 tok/s (%5 ms/step); MLA cache %6 of GQA's "
                      "(budget %7)")
                       .arg(SpeedModel::settingText(p), number(p.gqa.tokensPerSecond),
                            number(p.gqa.msPerStep), number(p.mla.tokensPerSecond), number(p.mla.msPerStep),
                            number(p.cacheRatio()), number(p.budgetRatio()));
    if (p.perLayerRanks) text += QLatin1Char(' ') + tr("(ranks differ by layer: budget at the largest)");
    status_->setText(text);
    rebuild();
}

QString SpeedView::statusText() const {
    return status_->text();
}

bool SpeedView::hasData() const {
    return model_->rowCount() > 0;
}

void SpeedView::setRunning(bool running) {
    running_ = running;
    measure_->setEnabled(available_ && !running);
    cancel_->setEnabled(running);
    for (QWidget* w : std::initializer_list<QWidget*>{context_, batch_, steps_, clear_})
        w->setEnabled(!running);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    if (running) status_->setText(tr("Measuring %1 x %2 ...").arg(context_->value()).arg(batch_->value()));
}

void SpeedView::setProgress(qint64 done, qint64 total, const QString& stage) {
    if (!running_) return;
    progress_->setRange(0, int(std::max<qint64>(1, total)));
    progress_->setValue(int(std::clamp<qint64>(done, 0, total)));
    status_->setText(tr("%1: %2 of %3").arg(ProgressText::stage(stage)).arg(done).arg(total));
}

void SpeedView::setCancelling() {
    cancel_->setEnabled(false);
    status_->setText(tr("Cancelling... the measured settings are kept"));
}

void SpeedView::setFinished(bool ok, const QString& message) {
    setRunning(false);
    if (!ok) status_->setText(tr("Not measured: %1").arg(message));
}

void SpeedView::rebuild() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->clearItems();
    const auto& points = model_->points();
    const auto figure = Figure(figure_->currentData().toInt());
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (size_t i = 0; i < points.size(); ++i)
        ticker->addTick(double(i + 1), SpeedModel::settingText(points[i]));
    p->xAxis->setTicker(ticker);
    p->xAxis->setLabel(tr("context x batch"));
    double top = 0;
    // One bar series: value(point) for every point, at key i + 1 + offset.
    auto bars = [&](const QString& name, int color, double offset, double width, auto value) {
        auto* b = new QCPBars(p->xAxis, p->yAxis);
        b->setName(name);
        b->setWidth(width);
        b->setPen(QPen(seriesColor(color).darker(130)));
        b->setBrush(seriesColor(color));
        for (size_t i = 0; i < points.size(); ++i) {
            const double v = value(points[i]);
            b->addData(double(i + 1) + offset, v);
            top = std::max(top, v);
        }
    };
    if (figure == Ratios) {
        p->yAxis->setLabel(tr("MLA / GQA"));
        bars(tr("cache (measured)"), 0, -0.27, 0.25, [](const auto& q) { return q.cacheRatio(); });
        bars(tr("cache (budget)"), 2, 0.0, 0.25, [](const auto& q) { return q.budgetRatio(); });
        bars(tr("tokens/s"), 1, 0.27, 0.25, [](const auto& q) { return q.speedRatio(); });
        auto* one = new QCPItemStraightLine(p);
        one->point1->setCoords(0, 1);
        one->point2->setCoords(1, 1);
        one->setPen(QPen(palette().color(QPalette::WindowText), 1, Qt::DashLine));
        top = std::max(top, 1.0);
    } else {
        auto figureOf = [figure](const workbench::FormSpeed& f) {
            return figure == TokensPerSecond ? f.tokensPerSecond
                   : figure == MsPerStep     ? f.msPerStep
                                             : double(f.cacheBytes) / kMiB;
        };
        p->yAxis->setLabel(figure == TokensPerSecond ? tr("tokens/s (all sequences)")
                           : figure == MsPerStep     ? tr("ms per decoding step")
                                                     : tr("KV cache (MiB)"));
        bars(tr("GQA cache"), 0, -0.2, 0.38, [&](const auto& q) { return figureOf(q.gqa); });
        bars(tr("MLA latent cache"), 1, 0.2, 0.38, [&](const auto& q) { return figureOf(q.mla); });
        if (figure == CacheBytes && !points.empty()) { // the analytic budget at context x batch
            auto* g = new QCPGraph(p->xAxis, p->yAxis);
            g->setName(tr("analytic budget"));
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssCross, palette().color(QPalette::WindowText), 10));
            for (size_t i = 0; i < points.size(); ++i) {
                g->addData(double(i + 1) - 0.2, double(points[i].gqa.budgetBytes) / kMiB);
                g->addData(double(i + 1) + 0.2, double(points[i].mla.budgetBytes) / kMiB);
            }
        }
    }
    p->xAxis->setRange(0.4, double(std::max<size_t>(1, points.size())) + 0.6);
    p->yAxis->setRange(0, top > 0 ? top * 1.15 : 1);
    applyPalette(p);
    replotLater();
}

bool SpeedView::writeCsv(const QString& file) const {
    io::CsvWriter csv({"context", "batch", "steps", "device", "dtype", "kv_lora_rank", "qk_rope_head_dim",
                       "form", "prefill_seconds", "ms_per_step", "tokens_per_second", "cache_bytes",
                       "cache_bytes_per_token", "budget_bytes_per_token", "budget_bytes"});
    for (const auto& pt : model_->points())
        for (const auto* f : {&pt.gqa, &pt.mla})
            csv.row({std::to_string(pt.request.context), std::to_string(pt.request.batch),
                     std::to_string(pt.request.steps), pt.device, pt.dtype, std::to_string(pt.kvLoraRank),
                     std::to_string(pt.qkRopeHeadDim), f->form, io::csvNumber(f->prefillSeconds),
                     io::csvNumber(f->msPerStep), io::csvNumber(f->tokensPerSecond),
                     std::to_string(f->cacheBytes), std::to_string(f->cacheBytesPerToken),
                     std::to_string(f->budgetBytesPerToken), std::to_string(f->budgetBytes)});
    return saveCsv(csv, file);
}

} // namespace transmla::views
