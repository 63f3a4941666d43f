#include "windowfit.h"

#include <algorithm>

#include <QEvent>
#include <QMainWindow>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>

namespace transmla::views {

QRect fitToScreen(const QRect& frame, const QRect& available, const QSize& minimum) {
    if (!available.isValid()) return frame;
    QRect r = frame;
    r.setWidth(std::max(minimum.width(), std::min(r.width(), available.width())));
    r.setHeight(std::max(minimum.height(), std::min(r.height(), available.height())));
    if (r.right() > available.right()) r.moveRight(available.right());
    if (r.bottom() > available.bottom()) r.moveBottom(available.bottom());
    if (r.left() < available.left()) r.moveLeft(available.left());
    if (r.top() < available.top()) r.moveTop(available.top());
    return r;
}

namespace {
void clampFrame(QMainWindow* window) {
    QScreen* screen = window->screen();
    if (!screen || window->isMaximized() || window->isFullScreen()) return;
    // The frame (title bar, borders) must fit too; setGeometry takes the client area inside it.
    const QRect frame = window->frameGeometry(), client = window->geometry();
    const QMargins margins(client.left() - frame.left(), client.top() - frame.top(),
                           frame.right() - client.right(), frame.bottom() - client.bottom());
    const QSize minimum = window->minimumSizeHint().grownBy(margins);
    const QRect fitted = fitToScreen(frame, screen->availableGeometry(), minimum);
    if (fitted != frame) window->setGeometry(fitted.marginsRemoved(margins));
}

// The window manager's frame is known only once the window is shown: clamp again then, once.
class ClampOnShow : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Show) {
            auto* window = static_cast<QMainWindow*>(watched);
            QTimer::singleShot(0, window, [window] { clampFrame(window); });
            deleteLater();
            watched->removeEventFilter(this);
        }
        return false;
    }
};
} // namespace

void restoreFittedGeometry(QMainWindow* window, const QByteArray& geometry) {
    if (!geometry.isEmpty()) window->restoreGeometry(geometry);
    clampFrame(window);
    window->installEventFilter(new ClampOnShow(window));
}

QString wrappablePath(const QString& text) {
    QString out = text;
    out.replace(QLatin1Char('/'), QStringLiteral("/\u200b"));
    return out;
}

namespace {
// Asks for the inner widget's full minimum width (plus a scroll bar) where the window has room, and
// for little where it has not: the scroll bars then take over instead of a wider window.
class FittingScrollArea : public QScrollArea {
public:
    QSize sizeHint() const override {
        QSize s = QScrollArea::sizeHint();
        if (widget())
            s.setWidth(widget()->minimumSizeHint().width() + verticalScrollBar()->sizeHint().width() + 2);
        return s;
    }
};
} // namespace

QScrollArea* scrollable(QWidget* inner) {
    auto* area = new FittingScrollArea;
    area->setWidget(inner);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    return area;
}

} // namespace transmla::views
