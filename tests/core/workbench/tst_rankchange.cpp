// Interactive rank (issue 16): a rank change re-truncates the cached conversion (no recalibration)
// and must give the model a fresh conversion at that rank gives. The reference is that fresh
// conversion (its own calibration, eigendecomposition and assembly). Tolerances: per-layer energies
// 1e-12 (the same fp64 algebra on the same statistics), per-document GSM8K NLL 1e-6 relative and
// attention probabilities 1e-6 (f32 weights may round one ulp apart, nothing more). A cancelled
// change leaves the model in memory as it was; an out-of-range rank is refused.
#include <cmath>

#include "testutil.h"
#include "util/error.h"
#include "workbench/rank_sweep.h"
#include "workbench/workbench.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_rankchange {

using namespace transmla;

namespace {

std::filesystem::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}

workbench::JobOptions options() {
    workbench::JobOptions o;
    o.resourcesDir = test::resourcesDir();
    o.lossProblems = 12;
    o.spectra = false;
    o.attentionMaxTokens = 48;
    return o;
}

convert::ConvertSettings settingsAt(int64_t rank) {
    convert::ConvertSettings s;
    s.kvLoraRank = rank;
    s.latentNorm = convert::LatentNorm::Calibrated;
    s.calibration.samples = 16;
    s.calibration.seqLen = 64;
    return s;
}

void compareDocs(const eval::LossResult& a, const eval::LossResult& b, double tol) {
    QCOMPARE(a.perDoc.size(), b.perDoc.size());
    for (size_t i = 0; i < a.perDoc.size(); ++i) {
        QCOMPARE(a.perDoc[i].tokens, b.perDoc[i].tokens);
        const double x = a.perDoc[i].nllSum, y = b.perDoc[i].nllSum;
        if (std::abs(x - y) > tol * std::max(1.0, std::abs(y)))
            QFAIL(qPrintable(QStringLiteral("document %1: NLL %2 vs fresh %3")
                                 .arg(i)
                                 .arg(x, 0, 'g', 12)
                                 .arg(y, 0, 'g', 12)));
    }
}

} // namespace

class TestRankChange : public QObject {
    Q_OBJECT
    std::optional<workbench::ConversionResult> first_; // rank 32, shared by the tests (one calibration)

private slots:
    void initTestCase() { first_ = workbench::runConversion(demoDir(), settingsAt(32), options()); }

    void cachedRankEqualsFreshConversion() {
        const int64_t rank = 20;
        const auto changed = workbench::changeRank(*first_, rank, {});
        const auto fresh = workbench::runConversion(demoDir(), settingsAt(rank), options());
        QCOMPARE(changed.rank(), rank);
        QCOMPARE(changed.layers.size(), fresh.layers.size());
        for (size_t i = 0; i < fresh.layers.size(); ++i) {
            QCOMPARE(changed.layers[i].rank, fresh.layers[i].rank);
            QVERIFY(std::abs(changed.layers[i].retainedEnergy - fresh.layers[i].retainedEnergy) < 1e-12);
            QVERIFY(std::abs(changed.layers[i].attentionError - fresh.layers[i].attentionError) < 1e-6);
        }
        QCOMPARE(changed.kvBytesPerTokenAfter, fresh.kvBytesPerTokenAfter);
        compareDocs(*changed.lossAfter, *fresh.lossAfter, 1e-6);
        compareDocs(*changed.lossBefore, *first_->lossBefore, 0); // carried over, not re-measured
        QVERIFY(changed.attentionAfter && fresh.attentionAfter);
        const auto &x = changed.attentionAfter->probs, &y = fresh.attentionAfter->probs;
        QCOMPARE(x.size(), y.size());
        for (size_t i = 0; i < x.size(); ++i)
            QVERIFY(std::abs(x[i] - y[i]) < 1e-6);
        // And back: the first conversion's own numbers.
        const auto back = workbench::changeRank(*first_, 32, {});
        compareDocs(*back.lossAfter, *first_->lossAfter, 1e-6);
    }

    // Issue 18: with fold_qk_norm (Qwen3) the workbench converts the folded model, which exports, and a
    // rank change equals a fresh folded conversion at that rank (it re-assembles from the folded
    // projections, not from the original's normalised ones); the loss before stays the original's (the
    // same as an unfolded run's).
    void foldedQkNormRankChangeEqualsFresh() {
        const auto dir = test::referenceModel("tiny-qwen3-gqa");
        auto folded = [](int64_t rank) {
            auto s = settingsAt(rank);
            s.foldQkNorm = true;
            return s;
        };
        auto o = options();
        o.attention = false;
        const auto first = workbench::runConversion(dir, folded(48), o);
        QVERIFY2(first.exportProblem.empty(), first.exportProblem.c_str());
        const auto changed = workbench::changeRank(first, 24, {});
        const auto fresh = workbench::runConversion(dir, folded(24), o);
        QCOMPARE(changed.layers.size(), fresh.layers.size());
        for (size_t i = 0; i < fresh.layers.size(); ++i) {
            QCOMPARE(changed.layers[i].rank, int64_t(24));
            QVERIFY(std::abs(changed.layers[i].retainedEnergy - fresh.layers[i].retainedEnergy) < 1e-12);
        }
        compareDocs(*changed.lossAfter, *fresh.lossAfter, 1e-6);
        const auto exact = workbench::runConversion(dir, settingsAt(24), o); // the exact q/k-norm form
        QVERIFY(!exact.exportProblem.empty());
        compareDocs(*first.lossBefore, *exact.lossBefore, 1e-6);
        QVERIFY(fresh.lossAfter->meanNll() > exact.lossAfter->meanNll()); // the fold's price
    }

    void cancelledChangeLeavesTheModel() {
        CancelToken token;
        const Progress cancelDuringLoss{[&](int64_t, int64_t, const std::string& stage) {
                                            if (stage == "loss after") token.cancel();
                                        },
                                        &token};
        QVERIFY_THROWS_EXCEPTION(Cancelled, workbench::changeRank(*first_, 16, cancelDuringLoss));
        // The model in memory is still the rank-32 one: its attention maps after are the first's.
        const auto& m = *first_->models;
        const auto pair =
            workbench::attentionPair(m, workbench::defaultPrompt(test::resourcesDir()), 0, 0, 48);
        const auto& y = first_->attentionAfter->probs;
        QCOMPARE(pair.after.probs.size(), y.size());
        for (size_t i = 0; i < y.size(); ++i)
            QVERIFY(std::abs(pair.after.probs[i] - y[i]) < 1e-12);
    }

    void refusedWithoutACacheOrOutOfRange() {
        QVERIFY_THROWS_EXCEPTION(convert::SettingError, workbench::changeRank(*first_, 100000, {}));
        auto other = settingsAt(16);
        other.calibration.samples = 8; // another calibration: a new Run, not a rank change
        QVERIFY(!workbench::canChangeRank(*first_, other));
        QVERIFY(workbench::canChangeRank(*first_, settingsAt(16)));
        auto o = options();
        o.lossProblems = 0;
        o.attention = false;
        convert::ConvertSettings exact;
        exact.exact = true;
        const auto merged = workbench::runConversion(demoDir(), exact, o);
        QVERIFY_THROWS_EXCEPTION(ArgumentError, workbench::changeRank(merged, 16, {}));
    }

    // Deferred details (issue 16: the first result first): runConversion with deferDetails returns the
    // losses before/after alone; completeDetails then gives the spectra, the full-rank loss, the
    // WikiText-2 perplexity and the attention maps an undeferred run gives (the reference: that run,
    // which computes them in the old order). Tolerances as above; spectra 1e-12 relative (same
    // CPU LAPACK calls on the same weights). A cancelled completion leaves the first result as it was.
    void deferredDetailsEqualAnUndeferredRun() {
        auto o = options();
        o.spectra = true;
        o.spectraSamples = 4;
        o.spectraSeqLen = 32;
        o.wikitextChunks = 2;
        const auto eager = workbench::runConversion(demoDir(), settingsAt(32), o);
        QVERIFY(!eager.detailsPending);
        o.deferDetails = true;
        const auto first = workbench::runConversion(demoDir(), settingsAt(32), o);
        QVERIFY(first.detailsPending);
        QVERIFY(first.lossBefore && first.lossAfter);
        QVERIFY(!first.spectra && !first.lossFullRank && !first.wikitextBefore && !first.attentionBefore);
        compareDocs(*first.lossBefore, *eager.lossBefore, 1e-6);
        compareDocs(*first.lossAfter, *eager.lossAfter, 1e-6);

        CancelToken token;
        const Progress cancelInSpectra{[&](int64_t, int64_t, const std::string& stage) {
                                           if (stage == "activation spectra") token.cancel();
                                       },
                                       &token};
        QVERIFY_THROWS_EXCEPTION(Cancelled, workbench::completeDetails(first, cancelInSpectra));
        QVERIFY(first.detailsPending && !first.spectra);

        const auto full = workbench::completeDetails(first, {});
        QVERIFY(!full.detailsPending);
        QVERIFY(full.lossFullRank && eager.lossFullRank);
        QVERIFY(std::abs(*full.lossFullRank - *eager.lossFullRank) < 1e-6 * std::abs(*eager.lossFullRank));
        compareDocs(*full.wikitextBefore, *eager.wikitextBefore, 1e-6);
        compareDocs(*full.wikitextAfter, *eager.wikitextAfter, 1e-6);
        QVERIFY(full.spectra && eager.spectra);
        QCOMPARE(full.spectra->spectra.size(), eager.spectra->spectra.size());
        for (size_t i = 0; i < eager.spectra->spectra.size(); ++i) {
            const auto &x = full.spectra->spectra[i].singularValues,
                       &y = eager.spectra->spectra[i].singularValues;
            QCOMPARE(x.size(), y.size());
            for (size_t j = 0; j < y.size(); ++j)
                QVERIFY(std::abs(x[j] - y[j]) <= 1e-12 * std::max(1.0, std::abs(y[j])));
        }
        QVERIFY(full.attentionAfter && eager.attentionAfter);
        const auto &x = full.attentionAfter->probs, &y = eager.attentionAfter->probs;
        QCOMPARE(x.size(), y.size());
        for (size_t i = 0; i < x.size(); ++i)
            QVERIFY(std::abs(x[i] - y[i]) < 1e-6);
    }

    // The Rank sweep reuses the cache: a sweep point made by re-truncating the conversion in memory
    // equals the point the reloading step makes (load, calibrate, convert) at the same rank.
    void sweepStepReusesTheCache() {
        workbench::SweepRequest request;
        request.modelDir = demoDir();
        request.resourcesDir = test::resourcesDir();
        request.settings = settingsAt(32);
        request.ranks = {16};
        request.problems = 12;
        request.baseline = false;
        const workbench::ConvertStep cached = workbench::cachedConvertStep(*first_, request.settings);
        QVERIFY(cached);
        auto other = request.settings;
        other.calibration.samples = 8; // another calibration: not served by the cache
        QVERIFY(!workbench::cachedConvertStep(*first_, other));
        const results::RankSweep viaCache = workbench::rankSweep(request, std::nullopt, {}, {}, cached);
        const results::RankSweep viaReload = workbench::rankSweep(request, std::nullopt, {}, {});
        QCOMPARE(viaCache.points.size(), size_t(1));
        QCOMPARE(viaReload.points.size(), size_t(1));
        QCOMPARE(viaCache.points[0].kvBytesPerToken, viaReload.points[0].kvBytesPerToken);
        QVERIFY(viaCache.points[0].loss && viaReload.points[0].loss);
        compareDocs(*viaCache.points[0].loss, *viaReload.points[0].loss, 1e-6);
    }
};

} // namespace tst_rankchange

TRANSMLA_TEST_MAIN(tst_rankchange, tst_rankchange::TestRankChange)
#include "tst_rankchange.moc"
