// Driving the real widgets as a user does, for the GUI suites: clicks on a spin box's arrow
// sub-controls, typing character by character, menu actions found by their text, and answering
// modal boxes (found with QApplication::activeModalWidget from a timer) by clicking their buttons.
#pragma once
#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QStyleOptionSpinBox>
#include <QTimer>
#include <QtTest/QtTest>
#include <functional>
#include <memory>

namespace transmla::test::gui {

// The widget `name` under `parent` (nullptr, with a warning naming it, when absent).
template <class T> T* child(QObject* parent, const char* name) {
    T* c = parent->findChild<T*>(QString::fromLatin1(name));
    if (!c) qWarning("no widget named %s", name);
    return c;
}

inline QLineEdit* editOf(QAbstractSpinBox* box) {
    return box->findChild<QLineEdit*>();
}

// One click on the spin box's up (or down) arrow, at the centre of the style's sub-control rect.
inline void clickArrow(QAbstractSpinBox* box, bool up) {
    QStyleOptionSpinBox opt;
    opt.initFrom(box);
    opt.subControls =
        QStyle::SC_SpinBoxUp | QStyle::SC_SpinBoxDown | QStyle::SC_SpinBoxFrame | QStyle::SC_SpinBoxEditField;
    opt.buttonSymbols = box->buttonSymbols();
    opt.stepEnabled = QAbstractSpinBox::StepUpEnabled | QAbstractSpinBox::StepDownEnabled;
    opt.frame = box->hasFrame();
    const QRect r = box->style()->subControlRect(QStyle::CC_SpinBox, &opt,
                                                 up ? QStyle::SC_SpinBoxUp : QStyle::SC_SpinBoxDown, box);
    QTest::mouseClick(box, Qt::LeftButton, Qt::NoModifier, r.center());
}

// Clicks into the box, selects its text and types `text` one character at a time (no Enter).
inline void typeInto(QAbstractSpinBox* box, const QString& text) {
    QLineEdit* edit = editOf(box);
    QTest::mouseClick(edit, Qt::LeftButton, Qt::NoModifier, edit->rect().center());
    box->setFocus();
    QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(box, Qt::Key_Backspace);
    for (const QChar c : text)
        QTest::keyClicks(box, QString(c));
}
inline void commit(QAbstractSpinBox* box) {
    QTest::keyClick(box, Qt::Key_Return);
}

// Moves a combo box to `index` with the keyboard (Up/Down, as a user without the mouse does).
inline void chooseItem(QComboBox* box, int index) {
    box->setFocus();
    while (box->isEnabled() && box->currentIndex() < index) {
        const int before = box->currentIndex();
        QTest::keyClick(box, Qt::Key_Down);
        if (box->currentIndex() == before) break;
    }
    while (box->isEnabled() && box->currentIndex() > index) {
        const int before = box->currentIndex();
        QTest::keyClick(box, Qt::Key_Up);
        if (box->currentIndex() == before) break;
    }
}

inline void click(QAbstractButton* b) {
    QTest::mouseClick(b, Qt::LeftButton, Qt::NoModifier, b->rect().center());
}

// The menu action whose text (without '&') is `text`, searched through every menu of the window.
inline QAction* menuAction(QMainWindow* w, const QString& text) {
    std::function<QAction*(QMenu*)> find = [&](QMenu* m) -> QAction* {
        for (QAction* a : m->actions()) {
            if (QString(a->text()).remove(QLatin1Char('&')) == text) return a;
            if (a->menu())
                if (QAction* s = find(a->menu())) return s;
        }
        return nullptr;
    };
    for (QAction* top : w->menuBar()->actions())
        if (top->menu())
            if (QAction* a = find(top->menu())) return a;
    return nullptr;
}

// Types `path` into a file dialog's name field and clicks its accept (Save/Open) button; the
// completer's popup, which would take the Enter key, is closed first.
inline void typeFileName(QFileDialog* dialog, QLineEdit* name, const QString& path) {
    // The text is set, not typed: the dialog's completer would take keys (and Enter) while it lists folders.
    name->setText(path);
    if (qEnvironmentVariableIsSet("GUITEST_DEBUG")) qInfo("file name: %s", qPrintable(name->text()));
    if (auto* buttons = dialog->findChild<QDialogButtonBox*>())
        for (QAbstractButton* b : buttons->buttons())
            if (buttons->buttonRole(b) == QDialogButtonBox::AcceptRole) {
                QTest::mouseClick(b, Qt::LeftButton, Qt::NoModifier, b->rect().center());
                return;
            }
    QMetaObject::invokeMethod(dialog, "accept");
}

// Answers the next file dialog with `path`, however late it comes: a timer owned by `owner` (the
// window under test, so it ends with the test) polls every 50 ms for a visible QFileDialog, sets its
// file name and clicks its accept button. A dialog still open 500 ms after an answer (a click that
// came before the dialog's event loop ran, or a completer popup that took it) is answered again; the
// timer stops once the answered dialog has closed. (A deadline or a single typed answer could leave
// the dialog open under load, and an open modal dialog blocks the test for good.)
inline void answerFileDialog(QObject* owner, const QString& path) {
    auto* timer = new QTimer(owner);
    timer->setInterval(50);
    auto answered = std::make_shared<QPointer<QFileDialog>>();
    auto since = std::make_shared<QElapsedTimer>();
    QObject::connect(timer, &QTimer::timeout, timer, [timer, path, answered, since] {
        if (*answered) {
            if (!(*answered)->isVisible()) { // closed: done
                timer->stop();
                timer->deleteLater();
                return;
            }
            if (since->elapsed() < 500) return;
            // A box the dialog itself opened (e.g. "replace it?") is answered by its own test, not here.
            if (QApplication::activeModalWidget() != answered->data()) return;
        } else if (since->isValid()) { // answered, and the dialog is deleted: done
            timer->stop();
            timer->deleteLater();
            return;
        }
        QFileDialog* dialog = *answered;
        if (!dialog)
            for (QWidget* top : QApplication::topLevelWidgets())
                if (auto* d = qobject_cast<QFileDialog*>(top); d && d->isVisible()) dialog = d;
        if (!dialog) return;
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        if (!name) return;
        if (name->completer() && name->completer()->popup()) name->completer()->popup()->hide();
        *answered = dialog;
        since->start();
        typeFileName(dialog, name, path);
    });
    timer->start();
}

// Answers the next modal box that comes within `ms`: a QMessageBox by clicking the `button` (e.g.
// QMessageBox::Discard), a QFileDialog as answerFileDialog does. `seen` (if given) counts the boxes answered.
struct Answerer {
    QMessageBox::StandardButton button = QMessageBox::Ok;
    QString path;
    int seen = 0;
    QString lastText;
};
inline std::shared_ptr<Answerer> answerModal(QMessageBox::StandardButton button, const QString& path = {},
                                             int ms = 60000) {
    auto a = std::make_shared<Answerer>();
    a->button = button;
    a->path = path;
    auto* timer = new QTimer;
    auto start = std::make_shared<QElapsedTimer>();
    start->start();
    QObject::connect(timer, &QTimer::timeout, [a, timer, start, ms] {
        QWidget* modal = QApplication::activeModalWidget();
        if (qEnvironmentVariableIsSet("GUITEST_DEBUG"))
            qInfo("modal: %s", modal ? modal->metaObject()->className() : "none");
        if (auto* box = qobject_cast<QMessageBox*>(modal)) {
            a->lastText = box->text();
            if (QAbstractButton* b = box->button(a->button)) {
                ++a->seen;
                timer->deleteLater();
                timer->stop();
                QTest::mouseClick(b, Qt::LeftButton, Qt::NoModifier, b->rect().center());
                return;
            }
        } else if (auto* dialog = qobject_cast<QFileDialog*>(modal)) {
            if (dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"))) {
                ++a->seen;
                timer->deleteLater();
                timer->stop();
                answerFileDialog(qApp, a->path); // answered again until it has closed
                return;
            }
        }
        if (start->elapsed() > ms) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start(20);
    return a;
}

// Closes every open (non-modal or window-modal) message box, e.g. the error box of a failed job.
inline int closeMessageBoxes() {
    int n = 0;
    for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
            if (QAbstractButton* b = box->button(QMessageBox::Ok))
                click(b);
            else
                box->close();
            ++n;
        }
    return n;
}

} // namespace transmla::test::gui
