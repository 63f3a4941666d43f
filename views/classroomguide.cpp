#include "classroomguide.h"

#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace transmla::views {

ClassroomGuide::ClassroomGuide(QWidget* parent)
    : QWidget(parent), text_(new QTextBrowser), next_(new QPushButton) {
    setObjectName(QStringLiteral("classroomGuide"));
    auto* layout = new QVBoxLayout(this);
    text_->setObjectName(QStringLiteral("classroomText"));
    text_->setFrameShape(QFrame::NoFrame);
    text_->setOpenLinks(false);
    // A text browser wraps to any width and scrolls: a QLabel in a dock kept its first height and
    // clipped the text until a splitter was dragged.
    text_->setMinimumHeight(120);
    layout->addWidget(text_, 1);
    layout->addWidget(next_);
    next_->setObjectName(QStringLiteral("classroomNext"));
    connect(next_, &QPushButton::clicked, this, &ClassroomGuide::next);
    showStep();
}

QString ClassroomGuide::text() const {
    return text_->toPlainText();
}

void ClassroomGuide::restart() {
    step_ = -1;
    changes_.clear();
    showStep();
}

void ClassroomGuide::next() {
    if (step_ + 1 >= kSteps) return restart();
    ++step_;
    changes_.clear();
    showStep();
    emit stepRequested(step_);
}

void ClassroomGuide::setBusy(bool busy) {
    next_->setEnabled(!busy);
}

void ClassroomGuide::setChanges(const QStringList& changes) {
    changes_ = changes;
    showStep();
}

QStringList ClassroomGuide::describeChanges(const convert::ConvertSettings& a, int problemsA,
                                            const convert::ConvertSettings& b, int problemsB) {
    QStringList out;
    auto yesNo = [](bool on) { return on ? tr("on") : tr("off"); };
    auto add = [&out](const QString& name, const QString& from, const QString& to) {
        if (from != to) out << tr("%1: %2 -> %3").arg(name, from, to);
    };
    const QLocale l;
    add(tr("exact merge"), yesNo(a.exact), yesNo(b.exact));
    if (!b.exact)
        add(tr("kv_lora_rank"), l.toString(qlonglong(a.kvLoraRank)), l.toString(qlonglong(b.kvLoraRank)));
    add(tr("calibration samples"), l.toString(qlonglong(a.calibration.samples)),
        l.toString(qlonglong(b.calibration.samples)));
    add(tr("calibration length (tokens)"), l.toString(qlonglong(a.calibration.seqLen)),
        l.toString(qlonglong(b.calibration.seqLen)));
    add(tr("GSM8K problems"), l.toString(problemsA), l.toString(problemsB));
    return out;
}

void ClassroomGuide::showStep() {
    QString title, body, sets;
    switch (step_) {
    case -1:
        title = tr("From GQA to MLA in three steps");
        body = tr("The bundled demo model has 8 query heads sharing 2 key/value heads (GQA). "
                  "We will turn its attention into Multi-head Latent Attention, first exactly, then "
                  "compressed, and watch the KV cache and the loss. Everything runs on the CPU.");
        sets = tr("Next opens the demo model; it changes no setting.");
        next_->setText(tr("Start: open the demo model"));
        break;
    case 0:
        title = tr("1. The GQA model");
        body = tr("The <b>KV budget</b> tab shows what every token costs in the cache: K and V for each "
                  "KV head in every layer. The <b>Model</b> tab lists the tensors.");
        sets =
            tr("Next sets <b>Exact merge</b> on and <b>GSM8K problems</b> to 20, then runs the conversion.");
        next_->setText(tr("Next: exact MLA"));
        break;
    case 1:
        title = tr("2. Exact MLA");
        body = tr("All KV heads are merged into one latent with RoPE kept on every key dimension: the same "
                  "cache and the same logits. The <b>Attention</b> tab shows before, after and their "
                  "difference: its largest value (in the line above the maps) is float rounding, around "
                  "10<sup>-7</sup>, not a change of the model; the colours of the difference map only "
                  "show that noise, on its own tiny scale.");
        sets = tr("Next sets <b>Exact merge</b> off, <b>kv_lora_rank</b> to a quarter of the maximum and the "
                  "calibration to 32 samples of 128 tokens, then runs the conversion.");
        next_->setText(tr("Next: compress"));
        break;
    default:
        title = tr("3. Compressed MLA");
        body = tr("RoRoPE concentrates the position information in a few dimensions, PCA keeps the "
                  "strongest latent directions. The <b>Spectrum</b> tab shows what the rank keeps, "
                  "<b>Loss</b> what it costs. Move the kv_lora_rank slider and run again.");
        sets = tr("Start over changes no setting.");
        next_->setText(tr("Start over"));
        break;
    }
    QString html = QStringLiteral("<h2>%1</h2><p>%2</p>").arg(title, body);
    if (!changes_.isEmpty())
        html += QStringLiteral("<p><b>%1</b><br>%2</p>")
                    .arg(tr("This step changed:"), changes_.join(QStringLiteral("<br>")));
    html += QStringLiteral("<p><i>%1</i></p>").arg(sets);
    text_->setHtml(html);
}

} // namespace transmla::views
