// Classroom mode's guided walkthrough of the demo: GQA -> exact MLA -> compressed MLA. Each step
// explains what to look at; "Next" asks the window to do the step (emits stepRequested).
#pragma once
#include <QWidget>

class QLabel;
class QPushButton;

namespace transmla::views {

class ClassroomGuide : public QWidget {
    Q_OBJECT
public:
    explicit ClassroomGuide(QWidget* parent = nullptr);
    int step() const { return step_; }
    static constexpr int kSteps = 3;

public slots:
    void restart();
    void next();
    void setBusy(bool busy);

signals:
    void stepRequested(int step); // 0: the GQA model, 1: exact MLA, 2: compressed MLA

private:
    void showStep();
    QLabel *title_, *text_;
    QPushButton* next_;
    int step_ = -1;
};

} // namespace transmla::views
