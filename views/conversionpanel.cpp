#include "conversionpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <climits>

#include "analysis/budget.h"
#include "devicechoice.h"
#include "io/datasets.h"
#include "stepspinbox.h"
#include "summarymodel.h"
#include "tablemodels.h"
#include "util/resources.h"
#include "workbench/workbench.h"

namespace transmla::views {

namespace {
void name(QObject* o, const char* n) {
    o->setObjectName(QLatin1String(n));
}
void setRange(QSpinBox* box, const convert::IntRange& r) {
    const QSignalBlocker b(box); // bounds follow the model; a clamped value is announced by the caller
    box->setRange(int(std::min<int64_t>(r.min, INT_MAX)), int(std::min<int64_t>(r.max, INT_MAX)));
    box->setSingleStep(int(r.step));
}
} // namespace

ConversionPanel::ConversionPanel(QWidget* parent)
    : QWidget(parent), mode_(new QComboBox), rankSlider_(new QSlider(Qt::Horizontal)),
      rankSpin_(new StepSpinBox), ropeDim_(new StepSpinBox), freqFold_(new QComboBox),
      calibSource_(new QComboBox), samples_(new StepSpinBox), seqLen_(new StepSpinBox),
      device_(new QComboBox), latentNorm_(new QComboBox), latentNote_(new QLabel), foldLabel_(new QLabel),
      foldQkNorm_(new QCheckBox), calibFile_(new QLineEdit), calibBrowse_(new QToolButton),
      calibFileRow_(new QWidget), evaluate_(new QCheckBox), problems_(new StepSpinBox), budget_(new QLabel),
      staleLabel_(new QLabel), run_(new QPushButton(tr("&Run"))), cancel_(new QPushButton(tr("Cancel"))),
      export_(new QPushButton(tr("E&xport..."))), progress_(new QProgressBar), status_(new QLabel),
      layerView_(new QTableView), layers_(new LayerReportModel(this)) {
    setObjectName(QStringLiteral("conversionPanel"));
    name(mode_, "modeCombo");
    name(rankSlider_, "rankSlider");
    name(rankSpin_, "rankSpin");
    name(ropeDim_, "ropeDimSpin");
    name(freqFold_, "freqFoldCombo");
    name(calibSource_, "calibSourceCombo");
    name(samples_, "samplesSpin");
    name(seqLen_, "seqLenSpin");
    name(device_, "deviceCombo");
    name(latentNorm_, "latentNormCombo");
    name(evaluate_, "evaluateCheck");
    name(foldQkNorm_, "foldQkNormCheck");
    name(problems_, "problemsSpin");
    name(staleLabel_, "staleLabel");
    name(run_, "runButton");
    name(cancel_, "cancelButton");
    name(export_, "exportButton");
    name(progress_, "progressBar");
    name(status_, "panelStatus");

    mode_->addItem(tr("Compressed MLA (RoRoPE + FreqFold + PCA)"));
    mode_->addItem(tr("Exact MLA (same cache, same logits)"));
    ropeDim_->setToolTip(tr("qk_rope_head_dim: key dimensions that keep RoPE (even, at most head_dim)"));
    // Long item texts (mode, latent norm) elide instead of widening the dock (classroom fonts are 18 pt).
    for (QComboBox* box : {mode_, freqFold_, calibSource_, device_, latentNorm_}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(8);
    }
    freqFold_->addItem(tr("auto"), 0);
    calibSource_->addItem(tr("GSM8K (train)"), QStringLiteral("gsm8k"));
    calibSource_->addItem(tr("WikiText-2 (validation)"), QStringLiteral("wikitext2"));
    calibSource_->addItem(tr("Text file..."), QStringLiteral("file"));
    calibSource_->setObjectName(QStringLiteral("calibrationSource"));
    calibFile_->setObjectName(QStringLiteral("calibrationFile"));
    calibFile_->setPlaceholderText(tr("a .txt (paragraphs) or .jsonl file"));
    calibBrowse_->setObjectName(QStringLiteral("calibrationBrowse"));
    calibBrowse_->setText(tr("Browse..."));
    samples_->setRange(1, 4096);
    samples_->setValue(64);
    seqLen_->setRange(16, 8192);
    seqLen_->setValue(128);
    DeviceChoice::fill(device_); // devicechoice.h: CPU, CUDA f32 / bf16, or why CUDA is absent
    latentNorm_->addItem(tr("none (exact algebra)"), QStringLiteral("none"));
    latentNorm_->addItem(tr("calibrated (DeepSeek kv_a_layernorm, needed for export)"),
                         QStringLiteral("calibrated"));
    // The default is the exportable model: the loss the user reviews is the loss of what gets exported.
    latentNorm_->setCurrentIndex(1);
    latentNorm_->setObjectName(QStringLiteral("latentNorm"));
    latentNote_->setObjectName(QStringLiteral("latentNormNote"));
    latentNote_->setWordWrap(true);
    // Shown for q/k-norm models only (setModelConfig); unticked is the exact form.
    foldLabel_->setText(tr("Q/K norm:"));
    foldQkNorm_->setText(tr("Fold (approximation, exportable)"));
    foldQkNorm_->setToolTip(
        tr("Qwen3 and Gemma-3 normalise every query and key head per token, which DeepSeek-V3 cannot "
           "express. Ticked: each head's norm is folded into the projections as a constant fitted on the "
           "calibration text, so the model can be exported, at the loss shown after the run. Unticked: "
           "the exact form, evaluated here only."));
    evaluate_->setText(tr("Evaluate GSM8K loss before and after"));
    evaluate_->setChecked(true);
    problems_->setRange(1, 1319);
    problems_->setValue(50);
    problems_->setSuffix(tr(" problems"));
    staleLabel_->setText(
        tr("Settings changed since the run: the results shown are stale. Run again to update them."));
    staleLabel_->setWordWrap(true);
    staleLabel_->setStyleSheet(QStringLiteral("QLabel { color: #b35900; font-weight: bold; }"));
    staleLabel_->hide();

    auto* rankRow = new QHBoxLayout;
    rankRow->addWidget(rankSlider_, 1);
    rankRow->addWidget(rankSpin_);
    auto* evalRow = new QHBoxLayout;
    evalRow->addWidget(evaluate_);
    evalRow->addWidget(problems_);
    auto* calibRow = new QHBoxLayout;
    calibRow->addWidget(calibSource_, 1);
    calibRow->addWidget(samples_);
    calibRow->addWidget(new QLabel(QStringLiteral("\u00d7")));
    calibRow->addWidget(seqLen_);
    auto* fileRow = new QHBoxLayout(calibFileRow_);
    fileRow->setContentsMargins(0, 0, 0, 0);
    fileRow->addWidget(calibFile_, 1);
    fileRow->addWidget(calibBrowse_);

    auto* form = new QFormLayout;
    form->addRow(tr("Mode:"), mode_);
    form->addRow(tr("kv_lora_rank:"), rankRow);
    form->addRow(tr("qk_rope_head_dim:"), ropeDim_);
    form->addRow(tr("FreqFold:"), freqFold_);
    form->addRow(tr("Calibration (samples \u00d7 tokens):"), calibRow);
    form->addRow(QString(), calibFileRow_);
    form->addRow(tr("Device:"), device_);
    form->addRow(tr("Latent norm:"), latentNorm_);
    form->addRow(foldLabel_, foldQkNorm_);
    form->addRow(QString(), latentNote_);
    form->addRow(evalRow);
    budget_->setWordWrap(true);
    // Two lines at least: beside a long export note (a q/k-norm model, in German) the form gave the
    // wrapped budget one line and clipped it.
    budget_->setMinimumHeight(2 * budget_->fontMetrics().lineSpacing());
    budget_->setObjectName(QStringLiteral("budgetLabel"));
    form->addRow(tr("KV cache:"), budget_);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_);
    buttons->addWidget(cancel_);
    buttons->addStretch(1);
    buttons->addWidget(export_);

    layerView_->setModel(layers_);
    layerView_->verticalHeader()->hide();
    layerView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layerView_->setAlternatingRowColors(true);
    layerView_->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(staleLabel_);
    status_->setWordWrap(true);
    layout->addWidget(new QLabel(tr("<b>Per layer</b>")));
    layout->addWidget(layerView_, 1);

    connect(rankSlider_, &QSlider::valueChanged, rankSpin_, &QSpinBox::setValue);
    connect(rankSpin_, &QSpinBox::valueChanged, rankSlider_, &QSlider::setValue);
    connect(rankSpin_, &QSpinBox::valueChanged, this, [this](int r) {
        if (updating_) return;
        updateBudget();
        emit rankChanged(r);
        onChanged();
    });
    for (QSpinBox* box : {ropeDim_, samples_, seqLen_, problems_})
        connect(box, &QSpinBox::valueChanged, this, [this] { updateBounds(), onChanged(); });
    for (QComboBox* box : {mode_, freqFold_, calibSource_, latentNorm_})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { updateBounds(), onChanged(); });
    connect(evaluate_, &QCheckBox::toggled, this, [this] { updateBounds(), onChanged(); });
    connect(foldQkNorm_, &QCheckBox::toggled, this,
            [this] { updateBounds(), onChanged(), updateExportNote(); });
    connect(calibSource_, &QComboBox::currentIndexChanged, this, &ConversionPanel::updateCalibrationFile);
    connect(calibBrowse_, &QToolButton::clicked, this, &ConversionPanel::chooseCalibrationFile);
    connect(calibFile_, &QLineEdit::textChanged, this, &ConversionPanel::onChanged);
    connect(latentNorm_, &QComboBox::currentIndexChanged, this, &ConversionPanel::updateExportNote);
    connect(mode_, &QComboBox::currentIndexChanged, this, &ConversionPanel::updateExportNote);
    updateCalibrationFile();
    connect(run_, &QPushButton::clicked, this, &ConversionPanel::runRequested);
    connect(cancel_, &QPushButton::clicked, this, &ConversionPanel::cancelRequested);
    connect(export_, &QPushButton::clicked, this, &ConversionPanel::exportRequested);
    setModelConfig(std::nullopt);
    setRunning(false);
}

void ConversionPanel::onChanged() {
    if (updating_) return;
    updateStale();
    emit settingsChanged();
}

void ConversionPanel::setModelConfig(const std::optional<io::ModelConfig>& config) {
    config_ = config;
    ranges_ = config_ ? convert::settingRanges(*config_) : convert::SettingRanges{};
    if (config_ && ranges_.unsupported.empty()) {
        const QSignalBlocker b(ropeDim_);
        setRange(ropeDim_, ranges_.qkRopeHeadDim);
        ropeDim_->setValue(int(ranges_.defaultQkRopeHeadDim));
    }
    updateBounds();
    const int full = maxRank();
    if (full > 0) setRank(std::max(1, full / 4));
    const bool qkNorm = config_ && config_->qkNorm();
    foldLabel_->setVisible(qkNorm);
    foldQkNorm_->setVisible(qkNorm);
    setResultSettings(std::nullopt, 0);
    updateExportNote();
}

void ConversionPanel::updateCalibrationFile() {
    const bool file = calibSource_->currentData().toString() == QLatin1String("file");
    calibFileRow_->setVisible(file);
}

void ConversionPanel::chooseCalibrationFile() {
    const QString f = QFileDialog::getOpenFileName(this, tr("Calibration text"), calibFile_->text(),
                                                   tr("Text (*.txt *.jsonl);;All files (*)"));
    if (!f.isEmpty()) calibFile_->setText(f);
}

QString ConversionPanel::calibrationProblem() const {
    if (isExact() && !foldsQkNorm()) return {}; // the exact merge needs no calibration (the fold does)
    const QString source = calibSource_->currentData().toString();
    QString file = calibFile_->text().trimmed();
    if (source != QLatin1String("file"))
        file = QString::fromStdString(
            io::calibrationFile(source.toStdString(),
                                findResources(executableDir(), TRANSMLA_SOURCE_RESOURCES))
                .string());
    else if (file.isEmpty())
        return tr("Choose a calibration text file (Calibration: Text file...).");
    try {
        io::checkTextFile(file.toStdString());
        return {};
    } catch (const std::exception&) {
        const QFileInfo info(file);
        if (!info.exists()) return tr("The calibration text %1 does not exist.").arg(file);
        if (!info.isFile()) return tr("The calibration text %1 is not a file.").arg(file);
        if (!info.isReadable()) return tr("The calibration text %1 cannot be read.").arg(file);
        return tr("The calibration text %1 is empty.").arg(file);
    }
}

QString ConversionPanel::exportBlockText() const {
    if (!config_) return {};
    switch (workbench::exportBlock(*config_, settings())) {
    case workbench::ExportBlock::Family:
        return tr("This model family has no DeepSeek-V3 equivalent (Gemma-2 sandwich norms and soft-capping, "
                  "Mixtral experts): the converted model can be evaluated here but not exported.");
    case workbench::ExportBlock::QueryBias:
        return tr(
            "The model's query projection has a bias, which DeepSeek-V3 cannot hold: the converted model "
            "can be evaluated here but not exported.");
    case workbench::ExportBlock::QkNormExact:
        return tr("Not exportable: the exact form keeps the per-head query/key norms, which DeepSeek-V3 "
                  "cannot express. Tick \"Fold\" (Q/K norm) to convert and export the approximation.");
    case workbench::ExportBlock::NoLatentNorm:
        return tr(
            "Not exportable: DeepSeek-V3 always normalises the latent (kv_a_layernorm). With \"none\" the "
            "losses shown are those of a model that exists only in this workbench; choose \"calibrated\" "
            "to evaluate what gets exported.");
    case workbench::ExportBlock::None:
        break;
    }
    return {};
}

void ConversionPanel::updateExportNote() {
    const QString block = exportBlockText();
    if (!block.isEmpty())
        latentNote_->setText(block);
    else if (foldsQkNorm())
        latentNote_->setText(tr("Exportable as DeepSeek-V3, as an approximation (q/k norms folded): the "
                                "losses shown are those of the exported approximation."));
    else
        latentNote_->setText(
            tr("Exportable as DeepSeek-V3: the losses shown are those of the exported model."));
}

int ConversionPanel::maxRank() const {
    return config_ && ranges_.unsupported.empty() ? int(ranges_.kvLoraRank.max) : 0;
}

// Bounds of every control from core's ranges at the current qk_rope_head_dim. Values never disable
// a control: only the mode, a running job, or a model that cannot be converted do.
void ConversionPanel::updateBounds() {
    if (updating_) return;
    updating_ = true;
    const bool convertible = config_ && ranges_.unsupported.empty();
    if (convertible) {
        ranges_ = convert::settingRanges(*config_, ropeDim_->value());
        const int rank = rankSpin_->value();
        setRange(rankSpin_, ranges_.kvLoraRank);
        rankSlider_->setRange(int(ranges_.kvLoraRank.min), int(ranges_.kvLoraRank.max));
        rankSlider_->setValue(rankSpin_->value());
        if (rankSpin_->value() != rank) emit rankChanged(rankSpin_->value());
        // FreqFold: auto plus the f that fit this r_R; a choice that no longer fits falls back to auto.
        const int chosen = freqFold_->currentData().toInt();
        const QSignalBlocker b(freqFold_);
        while (freqFold_->count() > 1)
            freqFold_->removeItem(1);
        for (int64_t f : ranges_.freqFolds)
            freqFold_->addItem(QString::number(f), int(f));
        freqFold_->setCurrentIndex(std::max(0, freqFold_->findData(chosen)));
        setRange(samples_, ranges_.samples);
        setRange(seqLen_,
                 convert::IntRange{ranges_.seqLen.min, std::min<int64_t>(ranges_.seqLen.max, 8192), 1});
    }
    rankSpin_->setToolTip(tr("1 .. %1 = 2*g*d - qk_rope_head_dim").arg(maxRank()));
    const bool compressedEditable = convertible && !isExact() && !running_;
    for (QWidget* w : {static_cast<QWidget*>(ropeDim_), static_cast<QWidget*>(freqFold_)})
        w->setEnabled(compressedEditable);
    // During a rank change the rank stays movable: a newer rank cancels the running one.
    for (QWidget* w : {static_cast<QWidget*>(rankSlider_), static_cast<QWidget*>(rankSpin_)})
        w->setEnabled(convertible && !isExact() && (!running_ || rankLive_));
    for (QWidget* w : std::initializer_list<QWidget*>{calibSource_, samples_, seqLen_})
        w->setEnabled(convertible && (!isExact() || foldsQkNorm()) && !running_);
    problems_->setEnabled(evaluate_->isChecked() && !running_);
    run_->setEnabled(convertible && !running_);
    updating_ = false;
    updateBudget();
}

void ConversionPanel::updateBudget() {
    if (!config_ || !ranges_.unsupported.empty()) {
        budget_->setText(config_ ? QString::fromStdString(ranges_.unsupported) : tr("Open a model first"));
        return;
    }
    try {
        const auto gqa = analysis::gqaBudget(*config_, analysis::CacheDtype::BF16);
        int64_t after = gqa.bytesPerToken();
        if (!isExact())
            after = analysis::mlaBudget(*config_, rank(), ropeDim_->value(), analysis::CacheDtype::BF16)
                        .bytesPerToken();
        budget_->setText(
            tr("%1 -> %2 per token (%3% of GQA, bf16)")
                .arg(formatBytes(double(gqa.bytesPerToken())), formatBytes(double(after)))
                .arg(QLocale().toString(
                    100.0 * double(after) / double(std::max<int64_t>(1, gqa.bytesPerToken())), 'f', 1)));
    } catch (const std::exception& e) { // a slot must not let an exception reach the event loop
        budget_->setText(QString::fromStdString(e.what()));
    }
}

convert::ConvertSettings ConversionPanel::settings() const {
    convert::ConvertSettings s;
    s.exact = isExact();
    s.kvLoraRank = s.exact ? -1 : rank();
    s.qkRopeHeadDim = s.exact ? 0 : ropeDim_->value();
    s.freqFold = s.exact ? 0 : freqFold_->currentData().toInt();
    s.latentNorm = convert::parseLatentNorm(latentNorm_->currentData().toString().toStdString());
    s.foldQkNorm = foldsQkNorm();
    const QString source = calibSource_->currentData().toString();
    s.calibration.source =
        (source == QLatin1String("file") ? calibFile_->text().trimmed() : source).toStdString();
    s.calibration.samples = samples_->value();
    s.calibration.seqLen = seqLen_->value();
    return s;
}

QString ConversionPanel::settingLabel(const QString& key) {
    if (key == QLatin1String(convert::setting::kFreqFold)) return tr("FreqFold");
    if (key == QLatin1String(convert::setting::kLatentNorm)) return tr("Latent norm");
    if (key == QLatin1String(convert::setting::kFoldQkNorm)) return tr("Q/K norm fold");
    if (key == QLatin1String(convert::setting::kSamples)) return tr("Calibration samples");
    if (key == QLatin1String(convert::setting::kSeqLen)) return tr("Calibration tokens per sample");
    if (key == QLatin1String(convert::setting::kModel)) return tr("Model");
    return key; // kv_lora_rank, qk_rope_head_dim: the panel's labels are the paper's names
}

QString ConversionPanel::settingsProblem() const {
    if (!config_) return tr("Open a model first");
    try {
        convert::validate(settings(), *config_);
        return {};
    } catch (const convert::SettingError& e) {
        return tr("%1: %2").arg(settingLabel(QString::fromStdString(e.setting())),
                                QString::fromStdString(e.detail()));
    }
}

void ConversionPanel::applySettings(const convert::ConvertSettings& s) {
    setExact(s.exact);
    if (s.qkRopeHeadDim > 0 && !s.exact) ropeDim_->setValue(int(s.qkRopeHeadDim));
    if (s.kvLoraRank > 0) setRank(int(s.kvLoraRank));
    const int ff = freqFold_->findData(int(s.freqFold));
    freqFold_->setCurrentIndex(ff >= 0 ? ff : 0);
    setLatentNormCalibrated(s.latentNorm == convert::LatentNorm::Calibrated);
    foldQkNorm_->setChecked(s.foldQkNorm);
    const QString source = QString::fromStdString(s.calibration.source);
    const int src = calibSource_->findData(source);
    if (src >= 0 && source != QLatin1String("file")) {
        calibSource_->setCurrentIndex(src);
    } else {
        calibFile_->setText(source);
        calibSource_->setCurrentIndex(calibSource_->findData(QStringLiteral("file")));
    }
    setCalibration(int(s.calibration.samples), int(s.calibration.seqLen));
}

QString ConversionPanel::device() const {
    return DeviceChoice::deviceOf(device_->currentData().toString());
}
QString ConversionPanel::dtype() const {
    return DeviceChoice::dtypeOf(device_->currentData().toString());
}
int ConversionPanel::lossProblems() const {
    return evaluate_->isChecked() ? problems_->value() : 0;
}
void ConversionPanel::setLossProblems(int n) {
    evaluate_->setChecked(n > 0);
    if (n > 0) problems_->setValue(n);
}
int ConversionPanel::rank() const {
    return rankSpin_->value();
}
void ConversionPanel::setRank(int rank) {
    rankSpin_->setValue(rank);
}
bool ConversionPanel::foldsQkNorm() const {
    return config_ && config_->qkNorm() && foldQkNorm_->isChecked();
}
bool ConversionPanel::isExact() const {
    return mode_->currentIndex() == 1;
}
void ConversionPanel::setExact(bool exact) {
    mode_->setCurrentIndex(exact ? 1 : 0);
}
void ConversionPanel::setLatentNormCalibrated(bool on) {
    latentNorm_->setCurrentIndex(on ? 1 : 0);
}
void ConversionPanel::setCalibration(int samples, int seqLen) {
    samples_->setValue(samples);
    seqLen_->setValue(seqLen);
}
QString ConversionPanel::budgetText() const {
    return budget_->text();
}

void ConversionPanel::setResultSettings(const std::optional<convert::ConvertSettings>& s, int lossProblems) {
    resultSettings_ = s;
    resultProblems_ = lossProblems;
    updateStale();
}

void ConversionPanel::updateStale() {
    bool stale = false;
    if (resultSettings_ && config_)
        stale = !convert::sameConversion(settings(), *resultSettings_, *config_) ||
                lossProblems() != resultProblems_;
    staleLabel_->setVisible(stale);
    if (stale != stale_) {
        stale_ = stale;
        emit staleChanged(stale);
    }
}

void ConversionPanel::setRankLive(bool on) {
    rankLive_ = on;
    updateBounds();
}

void ConversionPanel::setRunning(bool running) {
    running_ = running;
    cancel_->setEnabled(running);
    export_->setEnabled(exportable_ && !running);
    for (QWidget* w : std::initializer_list<QWidget*>{mode_, calibSource_, calibFileRow_, device_,
                                                      latentNorm_, foldQkNorm_, evaluate_})
        w->setEnabled(!running);
    if (running) {
        clock_.reset();
        progress_->setRange(0, 1);
        progress_->setValue(0);
        progress_->setFormat(tr("starting..."));
    }
    updateBounds();
}

void ConversionPanel::setCancelling() {
    cancel_->setEnabled(false);
    progress_->setFormat(tr("Cancelling..."));
    status_->setText(tr("Cancelling..."));
}

void ConversionPanel::setProgress(qint64 done, qint64 total, const QString& stage) {
    if (!running_ || !cancel_->isEnabled()) return; // finished, or "Cancelling..." stays until the end
    progress_->setRange(0, int(std::max<qint64>(1, total)));
    progress_->setValue(int(std::min(done, total)));
    QString text = tr("%1: %2 of %3").arg(ProgressText::stage(stage)).arg(done).arg(total);
    const double left = clock_.update(done, total, stage);
    if (left >= 0) text += QStringLiteral(" (") + ProgressText::remaining(left) + QStringLiteral(")");
    progress_->setFormat(text);
}

void ConversionPanel::setFinished(bool ok, const QString& message) {
    progress_->setRange(0, 1);
    progress_->setValue(ok ? 1 : 0);
    progress_->setFormat(ok ? tr("Finished") : message);
}

void ConversionPanel::setStatus(const QString& text) {
    status_->setText(text);
}

void ConversionPanel::setExportable(bool on) {
    exportable_ = on;
    export_->setEnabled(on && !running_);
}

} // namespace transmla::views
