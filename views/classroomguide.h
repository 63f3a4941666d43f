// Classroom mode's guided walkthrough of the demo: GQA -> exact MLA -> compressed MLA. Each step
// explains what to look at and names the settings it changes before the user presses Next; "Next" asks
// the window to do the step (emits stepRequested), and the window reports what it changed
// (setChanges), so the guide never alters the conversion panel silently. The text scrolls instead of
// being clipped in a narrow or short dock.
#pragma once
#include <QStringList>
#include <QWidget>

#include "convert/settings.h"

class QTextBrowser;
class QPushButton;

namespace transmla::views {

class ClassroomGuide : public QWidget {
    Q_OBJECT
public:
    explicit ClassroomGuide(QWidget* parent = nullptr);
    int step() const { return step_; }
    static constexpr int kSteps = 3;
    QString text() const; // the step's text as plain text
    QTextBrowser* textView() const { return text_; }
    QPushButton* nextButton() const { return next_; }

    // "name: old -> new" for every conversion setting a step changed (empty: none).
    static QStringList describeChanges(const convert::ConvertSettings& before, int problemsBefore,
                                       const convert::ConvertSettings& after, int problemsAfter);

public slots:
    void restart();
    void next();
    void setBusy(bool busy);
    void setChanges(const QStringList& changes); // shown under the step's text

signals:
    void stepRequested(int step); // 0: the GQA model, 1: exact MLA, 2: compressed MLA

private:
    void showStep();
    QTextBrowser* text_;
    QPushButton* next_;
    QStringList changes_;
    int step_ = -1;
};

} // namespace transmla::views
