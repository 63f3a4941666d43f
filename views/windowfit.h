// Keeping windows on real screens: a restored geometry is clamped to the screen's available area
// (a window saved on a larger monitor, or before the minimum size shrank, must not come back larger
// than the screen), and docked panels scroll instead of widening the window.
#pragma once
#include <QByteArray>
#include <QRect>
#include <QString>

class QMainWindow;
class QWidget;
class QScrollArea;

namespace transmla::views {

// `frame` moved and shrunk to lie inside `available` (never below `minimum`).
QRect fitToScreen(const QRect& frame, const QRect& available, const QSize& minimum = {});

// restoreGeometry, then the result clamped to the available area of the window's screen.
void restoreFittedGeometry(QMainWindow* window, const QByteArray& geometry);

// A zero-width space after every '/', so that a label can wrap a long path instead of growing a
// message box wider than the screen.
QString wrappablePath(const QString& text);

// `inner` in a frameless, resizable scroll area: the dock's minimum width is no longer the panel's.
QScrollArea* scrollable(QWidget* inner);

} // namespace transmla::views
