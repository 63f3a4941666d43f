#include "plotticks.h"

#include <QFontMetrics>
#include <QSet>
#include <cmath>

namespace transmla::views {

QVector<QString> LogTicker::createLabelVector(const QVector<double>& ticks, const QLocale& locale,
                                              QChar formatChar, int precision) {
    bool powers = true;
    for (double t : ticks) {
        const double e = std::log10(std::abs(t));
        powers = powers && t > 0 && std::abs(e - std::round(e)) < 1e-9;
    }
    // Powers of ten: C-locale mantissa/exponent ("1e-03"), which the axis draws as 10⁻³; other locales'
    // exponent sign ("E") would defeat that. The mantissa is 1, so no decimal separator is involved.
    if (powers) return QCPAxisTickerLog::createLabelVector(ticks, QLocale::c(), formatChar, precision);
    for (int digits = 2; digits <= 8; ++digits) {
        QVector<QString> labels;
        QSet<QString> seen;
        for (double t : ticks) {
            labels.append(locale.toString(t, 'g', digits));
            seen.insert(labels.back());
        }
        if (seen.size() == labels.size() || digits == 8) return labels;
    }
    return {};
}

double TokenTicker::getTickStep(const QCPRange& range) {
    // One label per ~1.3 lines of the axis font; the axis length is known after the first layout.
    const double pixels = std::max(40, axis_->orientation() == Qt::Horizontal ? axis_->axisRect()->width()
                                                                              : axis_->axisRect()->height());
    const double perLabel = QFontMetrics(axis_->tickLabelFont()).height() * 1.3;
    const double fit = std::max(1.0, pixels / perLabel);
    return std::max(1.0, std::ceil(range.size() / fit));
}

QVector<double> TokenTicker::createTickVector(double tickStep, const QCPRange& range) {
    QVector<double> ticks;
    const int step = std::max(1, int(tickStep));
    const int first = std::max(0, int(std::ceil(range.lower / step)) * step);
    for (int t = first; t <= range.upper && t < labels_.size(); t += step)
        ticks.append(t);
    return ticks;
}

QString TokenTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
    const int i = int(std::lround(tick));
    return i >= 0 && i < labels_.size() ? labels_[i] : QString();
}

QString tokenLabel(const QString& text) {
    QString label = text.simplified();
    if (label.isEmpty()) return QStringLiteral("\u2423"); // a visible space
    if (label.size() > 10) label = label.left(9) + QChar(0x2026);
    return label;
}

} // namespace transmla::views
