// Base of every plot view: a QCustomPlot whose colours and fonts follow the widget, with PNG/SVG/CSV
// export, zoom (wheel) and pan (drag) on every axis rect, a reset (double-click or the context menu)
// and a hover readout of the value under the cursor. Subclasses fill the plot from plain value types in
// rebuild() (which also sets the "home" ranges) and write their data in writeCsv().
#pragma once
#include <QString>
#include <QWidget>
#include <functional>

class QCustomPlot;
class QCPAxis;
class QCPRange;
class QLabel;
class QMouseEvent;
class QVBoxLayout;
class QHBoxLayout;

namespace transmla::io {
class CsvWriter;
}

namespace transmla::views {

class PlotView : public QWidget {
    Q_OBJECT
public:
    explicit PlotView(QWidget* parent = nullptr);

    QCustomPlot* plot() const { return plot_; }
    // Export by file suffix: .png, .svg or .csv. Returns false (and sets lastError) on failure.
    bool exportTo(const QString& file);
    QString lastError() const { return lastError_; }
    // The audit record (JSON) of the results a plot shows; a successful export writes it beside the file
    // as FILE.audit.json (model hash, settings, losses), so a figure can be traced to what made it.
    void setProvenance(std::function<QString()> provenance) { provenance_ = std::move(provenance); }
    virtual bool hasData() const = 0;
    QString readout() const; // what the hover readout shows now

    // A range for data in [lo, hi] with a margin; a flat or near-flat range (hi - lo below 1e-6 of the
    // magnitude, e.g. exact MLA's loss equal to the original's) widens to +-1% so ticks stay distinct.
    static QCPRange paddedRange(double lo, double hi, double margin = 0.05);

public slots:
    void chooseExportFile();
    void resetView(); // back to the ranges rebuild() chose

protected:
    virtual void rebuild() = 0;                           // redraw from the data held
    virtual bool writeCsv(const QString& file) const = 0; // the plotted data as CSV
    // Saves through core's CSV writer (atomic: a failed write leaves an old file as it was); false with
    // lastError set on failure.
    bool saveCsv(const io::CsvWriter& csv, const QString& file) const;
    // The readout text for the point under the cursor (pixel position in the plot); the default names
    // the nearest graph point or the colour-map cell of the axis rect under the cursor.
    virtual QString hoverText(const QPointF& pos) const;
    void changeEvent(QEvent* event) override;
    void applyPalette(QCustomPlot* plot) const; // colours and fonts of every axis, legend, title
    void replotLater();
    QHBoxLayout* controls() const { return controls_; } // selectors above the plot
    QVBoxLayout* mainLayout() const { return layout_; }
    static QColor seriesColor(int i);                     // colour-blind-safe series colours
    static QString number(double v, int significant = 4); // locale-aware, for readouts and labels
    mutable QString lastError_;

private:
    void onMouseMove(QMouseEvent* event);
    void configureInteractions() const;

    QCustomPlot* plot_;
    std::function<QString()> provenance_;
    QVBoxLayout* layout_;
    QHBoxLayout* controls_;
    QLabel* readout_;
};

} // namespace transmla::views
