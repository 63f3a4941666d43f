#include "windowfit.h"

#include <algorithm>

#include <QMainWindow>
#include <QScreen>
#include <QScrollArea>

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

void restoreFittedGeometry(QMainWindow* window, const QByteArray& geometry) {
    if (!geometry.isEmpty()) window->restoreGeometry(geometry);
    QScreen* screen = window->screen();
    if (!screen) return;
    const QRect available = screen->availableGeometry();
    if (window->isMaximized() || window->isFullScreen()) return;
    const QRect fitted = fitToScreen(window->geometry(), available, window->minimumSizeHint());
    if (fitted != window->geometry()) window->setGeometry(fitted);
}

QScrollArea* scrollable(QWidget* inner) {
    auto* area = new QScrollArea;
    area->setWidget(inner);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    return area;
}

} // namespace transmla::views
