// A spin box whose valid values are min + k*step (e.g. an even qk_rope_head_dim). While the user
// types, an off-step number is only "intermediate" (never committed, never an error state); on
// Enter or focus-out it is rounded to the nearest valid value. Keyboard tracking is off, so the
// value changes once per commit, not per keystroke ("3" on the way to "32" is never a value).
#pragma once
#include <QSpinBox>

namespace transmla::views {

class StepSpinBox : public QSpinBox {
public:
    explicit StepSpinBox(QWidget* parent = nullptr) : QSpinBox(parent) { setKeyboardTracking(false); }

protected:
    QValidator::State validate(QString& text, int& pos) const override {
        const QValidator::State s = QSpinBox::validate(text, pos);
        if (s != QValidator::Acceptable) return s;
        const int v = valueFromText(text);
        return (v - minimum()) % singleStep() == 0 ? QValidator::Acceptable : QValidator::Intermediate;
    }
    void fixup(QString& text) const override {
        bool ok = false;
        const int typed = locale().toInt(cleanText(text), &ok);
        if (!ok) return QSpinBox::fixup(text);
        text = textFromValue(nearest(typed));
    }

private:
    QString cleanText(QString t) const {
        if (!prefix().isEmpty() && t.startsWith(prefix())) t.remove(0, int(prefix().size()));
        if (!suffix().isEmpty() && t.endsWith(suffix())) t.chop(int(suffix().size()));
        return t.trimmed();
    }
    int nearest(int v) const {
        v = std::clamp(v, minimum(), maximum());
        const int step = std::max(1, singleStep()), off = (v - minimum()) % step;
        if (off == 0) return v;
        const int up = v - off + step;
        return (off * 2 >= step && up <= maximum()) ? up : v - off;
    }
};

} // namespace transmla::views
