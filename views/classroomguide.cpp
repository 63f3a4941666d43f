#include "classroomguide.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace transmla::views {

ClassroomGuide::ClassroomGuide(QWidget* parent)
    : QWidget(parent), title_(new QLabel), text_(new QLabel), next_(new QPushButton) {
    setObjectName(QStringLiteral("classroomGuide"));
    auto* layout = new QVBoxLayout(this);
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::RichText);
    layout->addWidget(title_);
    layout->addWidget(text_, 1);
    layout->addWidget(next_);
    connect(next_, &QPushButton::clicked, this, &ClassroomGuide::next);
    showStep();
}

void ClassroomGuide::restart() {
    step_ = -1;
    showStep();
}

void ClassroomGuide::next() {
    if (step_ + 1 >= kSteps) return restart();
    ++step_;
    showStep();
    emit stepRequested(step_);
}

void ClassroomGuide::setBusy(bool busy) { next_->setEnabled(!busy); }

void ClassroomGuide::showStep() {
    switch (step_) {
    case -1:
        title_->setText(tr("<h2>From GQA to MLA in three steps</h2>"));
        text_->setText(tr("The bundled demo model has 8 query heads sharing 2 key/value heads (GQA). "
                          "We will turn its attention into Multi-head Latent Attention, first exactly, then "
                          "compressed, and watch the KV cache and the loss. Everything runs on the CPU."));
        next_->setText(tr("Start: open the demo model"));
        break;
    case 0:
        title_->setText(tr("<h2>1. The GQA model</h2>"));
        text_->setText(tr("The <b>KV budget</b> tab shows what every token costs in the cache: K and V for each "
                          "KV head in every layer. The <b>Model</b> tab lists the tensors."));
        next_->setText(tr("Next: exact MLA"));
        break;
    case 1:
        title_->setText(tr("<h2>2. Exact MLA</h2>"));
        text_->setText(tr("All KV heads are merged into one latent with RoPE kept on every key dimension: the same "
                          "cache and the same logits. The <b>Attention</b> tab shows a difference of zero."));
        next_->setText(tr("Next: compress"));
        break;
    default:
        title_->setText(tr("<h2>3. Compressed MLA</h2>"));
        text_->setText(tr("RoRoPE concentrates the position information in a few dimensions, PCA keeps the "
                          "strongest latent directions. The <b>Spectrum</b> tab shows what the rank keeps, "
                          "<b>Loss</b> what it costs. Move the kv_lora_rank slider and run again."));
        next_->setText(tr("Start over"));
        break;
    }
}

} // namespace transmla::views
