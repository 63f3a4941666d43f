// Unsaved results (a conversion, a rank sweep) are never discarded without a question: before
// quitting, closing, opening a model or session, or starting work that replaces them, the window
// asks Save / Discard / Cancel. Save runs the window's save (a file chooser) and goes on only if
// the session was written.
#pragma once
#include <QCoreApplication>
#include <QString>
#include <functional>

class QWidget;

namespace transmla::views {

class UnsavedGuard {
    Q_DECLARE_TR_FUNCTIONS(UnsavedGuard)
public:
    void setUnsaved(bool on) { unsaved_ = on; }
    bool hasUnsaved() const { return unsaved_; }
    // True when `action` may go on (nothing unsaved, saved, or discarded); false for Cancel.
    // `action` says what would replace them ("Opening a model").
    bool confirmDiscard(QWidget* parent, const QString& action, const std::function<bool()>& save);

private:
    bool unsaved_ = false;
};

} // namespace transmla::views
