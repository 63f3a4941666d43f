// Base of every plot view: a QCustomPlot whose colours follow the palette, with PNG/SVG/CSV export.
// Subclasses fill the plot from plain value types in rebuild() and write their data in writeCsv().
#pragma once
#include <QString>
#include <QWidget>

class QCustomPlot;
class QVBoxLayout;
class QHBoxLayout;

namespace transmla::views {

class PlotView : public QWidget {
    Q_OBJECT
public:
    explicit PlotView(QWidget* parent = nullptr);

    QCustomPlot* plot() const { return plot_; }
    // Export by file suffix: .png, .svg or .csv. Returns false (and sets lastError) on failure.
    bool exportTo(const QString& file);
    QString lastError() const { return lastError_; }
    virtual bool hasData() const = 0;

public slots:
    void chooseExportFile();

protected:
    virtual void rebuild() = 0;                          // redraw from the data held
    virtual bool writeCsv(const QString& file) const = 0; // the plotted data as CSV
    void changeEvent(QEvent* event) override;
    void applyPalette(QCustomPlot* plot) const;          // axes, grid, text, background from palette()
    void replotLater();
    QHBoxLayout* controls() const { return controls_; }   // selectors above the plot
    QVBoxLayout* mainLayout() const { return layout_; }
    static QColor seriesColor(int i);                     // colour-blind-safe series colours
    mutable QString lastError_;

private:
    QCustomPlot* plot_;
    QVBoxLayout* layout_;
    QHBoxLayout* controls_;
};

} // namespace transmla::views
