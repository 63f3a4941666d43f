// Axis tickers the plots share.
//  LogTicker: QCPAxisTickerLog whose labels never repeat: over less than ~1.6 decades QCustomPlot falls
//    back to linear ticks (2.5, 3, 3.5), which a power format with precision 0 prints as "3·10⁰" twice;
//    such ticks get plain numbers with just enough digits to tell them apart.
//  TokenTicker: integer ticks labelled with token texts, as many as fit the axis at the current zoom
//    (each label needs about one line of the font), so zooming in shows every token.
#pragma once
#include <QFont>
#include <QStringList>

#include "qcp.h"

namespace transmla::views {

class LogTicker : public QCPAxisTickerLog {
protected:
    QVector<QString> createLabelVector(const QVector<double>& ticks, const QLocale& locale, QChar formatChar,
                                       int precision) override;
};

class TokenTicker : public QCPAxisTicker {
public:
    TokenTicker(QStringList labels, QCPAxis* axis) : labels_(std::move(labels)), axis_(axis) {}

protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double) override { return 0; }
    QString getTickLabel(double tick, const QLocale&, QChar, int) override;
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;

private:
    QStringList labels_;
    QCPAxis* axis_;
};

// Short axis label for a token: whitespace made visible, long tokens cut with an ellipsis.
QString tokenLabel(const QString& text);

} // namespace transmla::views
