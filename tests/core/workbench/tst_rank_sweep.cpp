// The one rank sweep (workbench/rank_sweep.h) of both front ends: each point is the conversion and
// evaluation done step by step (what `analyze loss-sweep` did before it shared the sweep), a cancelled
// sweep hands over its finished points and resumes without converting them again, and a session
// written by the CLI shows its sweep in the workbench's state and vice versa.
#include <QProcess>

#include <cstring>

#include "convert/calibration.h"
#include "convert/pipeline.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "model/model.h"
#include "results/session.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"
#include "util/resources.h"
#include "workbench/rank_sweep.h"
#include "workbench/session_state.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_rank_sweep {

using namespace transmla;
namespace fs = std::filesystem;

namespace {

fs::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}
bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// The demo model: 4 layers, 2 KV heads of head_dim 32, 16-bit caches; r_R = 32.
int64_t mlaBytes(int64_t rank) {
    return (rank + 32) * 2 * 4;
}
constexpr int64_t kGqaBytes = 2 * 2 * 32 * 2 * 4;

workbench::SweepRequest tinyRequest() {
    workbench::SweepRequest r;
    r.modelDir = demoDir();
    r.resourcesDir = test::resourcesDir();
    r.settings.qkRopeHeadDim = 32;
    r.settings.calibration.samples = 8;
    r.settings.calibration.seqLen = 32;
    r.ranks = {16, 48};
    r.problems = 3;
    return r;
}

// `transmla analyze loss-sweep` with `args`; returns its table rows: label -> (KV bytes, mean NLL).
std::map<std::string, std::pair<double, double>> runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(TRANSMLA_CLI_PATH),
            QStringList{QStringLiteral("analyze"), QStringLiteral("loss-sweep"),
                        QString::fromStdString(demoDir().string())} +
                args);
    std::map<std::string, std::pair<double, double>> rows;
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        qWarning("CLI failed: %s", p.readAllStandardError().constData());
        return rows;
    }
    const QStringList lines =
        QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (int i = 1; i < lines.size(); ++i) { // after the header
        const QString label = lines[i].left(24).trimmed();
        const QStringList rest = lines[i].mid(24).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        rows[label.toStdString()] = {rest.value(0).toDouble(), rest.value(1).toDouble()};
    }
    return rows;
}

bool closeTo5Digits(double a, double printed) {
    return std::abs(a - printed) <= 5e-5 * std::abs(printed);
}

} // namespace

class TestRankSweep : public QObject {
    Q_OBJECT
    std::optional<results::RankSweep> swept_; // by initTestCase, resumed after a cancel

private slots:
    // Cancel after the first point: the sink has it; resuming converts only the missing rank.
    void initTestCase() {
        const workbench::SweepRequest request = tinyRequest();
        int conversions = 0;
        const workbench::ConvertStep step = workbench::reloadAndConvert(request);
        const workbench::ConvertStep counting = [&](const convert::ConvertSettings& s, const Progress& p) {
            ++conversions;
            return step(s, p);
        };
        CancelToken cancel;
        std::optional<results::RankSweep> kept;
        const auto sink = [&](const results::RankSweep& s) {
            kept = s;
            if (!s.points.empty()) cancel.cancel(); // as the user's Cancel while the next rank starts
        };
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, workbench::rankSweep(request, std::nullopt, sink, Progress{{}, &cancel}, counting));
        QVERIFY(kept && kept->baseline);
        QCOMPARE(kept->points.size(), size_t(1));
        QCOMPARE(conversions, 1);
        conversions = 0;
        int sunk = 0;
        swept_ = workbench::rankSweep(
            request, kept, [&](const results::RankSweep&) { ++sunk; }, {}, counting);
        QCOMPARE(conversions, 1);
        QCOMPARE(sunk, 1);
        QCOMPARE(swept_->points.size(), size_t(2));
        // Another setup is refused before any work.
        workbench::SweepRequest other = request;
        other.settings.calibration.samples = 16;
        QVERIFY_THROWS_EXCEPTION(ArgumentError, workbench::rankSweep(other, swept_, {}, {}, counting));
        QCOMPARE(conversions, 1);
    }

    // Each point against the steps run by hand: load, calibrate, convert, evaluate (bit for bit: the same
    // arithmetic in the same order), and the KV bytes against the formula (r + r_R) * 2 bytes * layers.
    void pointsAreTheStepsByHand() {
        QVERIFY(swept_);
        const tok::Tokenizer tokenizer = tok::Tokenizer::load(demoDir());
        const auto docs =
            eval::tokenizeGsm8k(tokenizer, io::loadGsm8k(gsm8kFile(test::resourcesDir(), "test"), 3), 512);
        QCOMPARE(swept_->problems, int64_t(3));
        const model::Model original = model::Model::load(demoDir());
        QVERIFY(sameBits(swept_->baseline->nllSum, eval::evaluateLoss(original, docs).nllSum));
        QCOMPARE(swept_->baselineKvBytesPerToken, kGqaBytes);
        for (const auto& p : swept_->points) {
            model::Model m = model::Model::load(demoDir());
            convert::ConvertSettings s;
            s.qkRopeHeadDim = 32;
            s.calibration.samples = 8;
            s.calibration.seqLen = 32;
            s.kvLoraRank = p.rank;
            convert::convertModel(m, s,
                                  convert::calibrationTokens(s.calibration, tokenizer, test::resourcesDir()));
            const eval::LossResult loss = eval::evaluateLoss(m, docs);
            QVERIFY2(sameBits(p.meanNll, loss.meanNll()), qPrintable(QString::number(p.rank)));
            QVERIFY(p.loss && sameBits(p.loss->nllSum, loss.nllSum) && p.loss->tokens == loss.tokens);
            QCOMPARE(p.kvBytesPerToken, mlaBytes(p.rank));
        }
    }

    // A session written by `transmla analyze loss-sweep` gives the workbench's state the same points.
    void cliSessionShowsInWorkbench() {
        QVERIFY(swept_);
        const fs::path file = test::outputDir() / "rank_sweep" / "cli.h5";
        fs::create_directories(file.parent_path());
        fs::remove(file);
        const auto table =
            runCli({QStringLiteral("--ranks"), QStringLiteral("16,48"), QStringLiteral("--limit"),
                    QStringLiteral("3"), QStringLiteral("--samples"), QStringLiteral("8"),
                    QStringLiteral("--seqlen"), QStringLiteral("32"), QStringLiteral("--session"),
                    QString::fromStdString(file.string()), QStringLiteral("--quiet")});
        QCOMPARE(table.size(), size_t(3));
        const workbench::WorkbenchState st = workbench::fromSession(results::loadSession(file));
        QVERIFY(st.sweep);
        QCOMPARE(st.sweep->points.size(), size_t(2));
        for (size_t i = 0; i < 2; ++i) {
            const auto &p = st.sweep->points[i], &q = swept_->points[i];
            QCOMPARE(p.rank, q.rank);
            QCOMPARE(p.kvBytesPerToken, mlaBytes(p.rank));
            // The same computation in another process, whose thread count may differ: fp32 sums in another
            // order (1e-5 relative).
            qInfo("rank %lld: CLI %.17g, in process %.17g", static_cast<long long>(p.rank), p.meanNll,
                  q.meanNll);
            QVERIFY(std::abs(p.meanNll - q.meanNll) <= 1e-5 * std::abs(q.meanNll));
            const auto row = table.at("mla r=" + std::to_string(p.rank) + " rope=32");
            QCOMPARE(row.first, double(mlaBytes(p.rank)));
            QVERIFY(closeTo5Digits(p.meanNll, row.second));
        }
        QVERIFY(closeTo5Digits(st.sweep->baseline->meanNll(), table.at("gqa").second));
    }

    // A session the workbench saved: the CLI continues its sweep with its settings (no flags), has
    // nothing left to compute at those ranks, and prints the workbench's points.
    void workbenchSessionShowsInCli() {
        QVERIFY(swept_);
        workbench::WorkbenchState st;
        st.modelDir = demoDir().string();
        st.settings = tinyRequest().settings;
        st.sweep = swept_;
        const fs::path file = test::outputDir() / "rank_sweep" / "workbench.h5";
        fs::create_directories(file.parent_path());
        results::saveSession(file, workbench::toSession(st));
        const auto table =
            runCli({QStringLiteral("--ranks"), QStringLiteral("16,48"), QStringLiteral("--session"),
                    QString::fromStdString(file.string()), QStringLiteral("--quiet")});
        QCOMPARE(table.size(), size_t(3));
        for (const auto& p : swept_->points)
            QVERIFY(
                closeTo5Digits(p.meanNll, table.at("mla r=" + std::to_string(p.rank) + " rope=32").second));
        // Not computed again: the losses' timings are the workbench's own.
        const results::Session after = results::loadSession(file);
        QVERIFY(after.sweep);
        for (size_t i = 0; i < 2; ++i)
            QVERIFY(sameBits(after.sweep->points[i].loss->seconds, swept_->points[i].loss->seconds));
    }
};

} // namespace tst_rank_sweep

TRANSMLA_TEST_MAIN(tst_rank_sweep, tst_rank_sweep::TestRankSweep)
#include "tst_rank_sweep.moc"
