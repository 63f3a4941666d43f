// The model tab's tensor table, sorted as a user sorts it: a click on the Elements header orders the
// rows by element count as numbers (not as text, where "65,536" < "8,192"), a second click reverses.
// The counts are recomputed from the Shape column's text, independently of the sort key.
#include <QHeaderView>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>

#include "mainwindow.h"
#include "tablemodels.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_tensortable {

using namespace transmla;

namespace {

QTableView* tensorView(views::MainWindow& w) {
    for (QTableView* v : w.findChildren<QTableView*>())
        if (auto* proxy = qobject_cast<QSortFilterProxyModel*>(v->model()))
            if (proxy->sourceModel() == w.tensorModel()) return v;
    return nullptr;
}

// Elements of each row in view order, from the displayed shape "[a, b]".
std::vector<qlonglong> elementsFromShapes(const QTableView* v) {
    std::vector<qlonglong> n;
    for (int r = 0; r < v->model()->rowCount(); ++r) {
        QString shape = v->model()->index(r, views::TensorModel::Shape).data().toString();
        shape.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
        qlonglong product = 1;
        for (const QString& dim : shape.split(QStringLiteral(", ")))
            product *= dim.toLongLong();
        n.push_back(product);
    }
    return n;
}

void clickHeader(QTableView* v, int column) {
    QHeaderView* h = v->horizontalHeader();
    const QPoint at(h->sectionViewportPosition(column) + h->sectionSize(column) / 2, h->height() / 2);
    QTest::mouseClick(h->viewport(), Qt::LeftButton, Qt::NoModifier, at);
}

} // namespace

class TestTensorTable : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void elementsSortAsNumbers() {
        views::MainWindow w;
        QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
        w.openModel(QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTableView* v = tensorView(w);
        QVERIFY(v);
        QVERIFY(v->isVisible());
        const int column = views::TensorModel::Elements;

        clickHeader(v, column);
        QCOMPARE(v->horizontalHeader()->sortIndicatorSection(), column);
        const Qt::SortOrder first = v->horizontalHeader()->sortIndicatorOrder();
        std::vector<qlonglong> n = elementsFromShapes(v);
        QCOMPARE(int(n.size()), w.tensorModel()->rowCount());
        // The demo holds norms (256), k/v (64 x 256) and embeddings (2048 x 256): text order would mix them.
        QVERIFY(n.front() != n.back());
        for (size_t i = 1; i < n.size(); ++i)
            QVERIFY2(first == Qt::AscendingOrder ? n[i - 1] <= n[i] : n[i - 1] >= n[i],
                     qPrintable(QStringLiteral("row %1: %2 then %3").arg(i).arg(n[i - 1]).arg(n[i])));

        clickHeader(v, column);
        QVERIFY(v->horizontalHeader()->sortIndicatorOrder() != first);
        std::vector<qlonglong> reversed = elementsFromShapes(v);
        for (size_t i = 1; i < reversed.size(); ++i)
            QVERIFY2(first == Qt::AscendingOrder ? reversed[i - 1] >= reversed[i]
                                                 : reversed[i - 1] <= reversed[i],
                     qPrintable(
                         QStringLiteral("row %1: %2 then %3").arg(i).arg(reversed[i - 1]).arg(reversed[i])));
        QCOMPARE(reversed.front(), n.back());
    }
};

} // namespace tst_tensortable

TRANSMLA_TEST_MAIN_APP(tst_tensortable, tst_tensortable::TestTensorTable, QApplication)
#include "tst_tensortable.moc"
