// The held-out search over (r, r_R, FreqFold) and its Pareto front (convert/search.h).
// paretoFront is checked against the definition (brute-force dominance) on hand-made points; the
// real search on the demo model against the ordinary pipeline (convertModel with its own streamed
// calibration, then evaluateLoss on the same held-out rows): the once-collected statistics must give
// the same held-out loss (1e-5 absolute: the same fp32 arithmetic in the same order, up to how the
// fp64 statistics are summed).
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/calibration.h"
#include "convert/pipeline.h"
#include "convert/search.h"
#include "eval/loss.h"
#include "model/model.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_search {

using namespace transmla;
namespace fs = std::filesystem;

namespace {
// j dominates i: no worse in both, better in one (both minimised).
bool dominated(size_t i, const std::vector<double>& c, const std::vector<double>& l) {
    for (size_t j = 0; j < c.size(); ++j)
        if (j != i && c[j] <= c[i] && l[j] <= l[i] && (c[j] < c[i] || l[j] < l[i])) return true;
    return false;
}
} // namespace

class TestSearch : public QObject {
    Q_OBJECT
private slots:
    void frontIsTheNonDominatedSet_data() {
        QTest::addColumn<std::vector<double>>("cost");
        QTest::addColumn<std::vector<double>>("loss");
        QTest::addColumn<std::vector<size_t>>("expected"); // by hand, by increasing cost
        QTest::newRow("staircase") << std::vector<double>{4, 1, 3, 2} << std::vector<double>{1, 4, 2, 3}
                                   << std::vector<size_t>{1, 3, 2, 0};
        QTest::newRow("one dominates all")
            << std::vector<double>{2, 1, 3} << std::vector<double>{5, 1, 2} << std::vector<size_t>{1};
        QTest::newRow("interior dropped")
            << std::vector<double>{1, 2, 3, 2.5} << std::vector<double>{3, 2.5, 1, 2.8}
            << std::vector<size_t>{0, 1, 2};
        QTest::newRow("equal cost keeps the lower loss")
            << std::vector<double>{1, 1, 2} << std::vector<double>{3, 2, 1} << std::vector<size_t>{1, 2};
        QTest::newRow("duplicates keep the first")
            << std::vector<double>{1, 1} << std::vector<double>{2, 2} << std::vector<size_t>{0};
        QTest::newRow("single") << std::vector<double>{7} << std::vector<double>{0.5}
                                << std::vector<size_t>{0};
    }
    void frontIsTheNonDominatedSet() {
        QFETCH(std::vector<double>, cost);
        QFETCH(std::vector<double>, loss);
        QFETCH(std::vector<size_t>, expected);
        QCOMPARE(convert::paretoFront(cost, loss), expected);
    }

    // Random clouds: the front is exactly the non-dominated points (up to duplicates), sorted by
    // cost with falling loss, and it holds both extremes (cheapest with its best loss; lowest loss).
    void frontMatchesBruteForceOnRandomPoints() {
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> coord(0, 9); // small grid: ties and duplicates happen
        for (int trial = 0; trial < 200; ++trial) {
            const size_t n = 1 + size_t(rng() % 12);
            std::vector<double> c(n), l(n);
            for (size_t i = 0; i < n; ++i)
                c[i] = coord(rng), l[i] = coord(rng);
            const auto front = convert::paretoFront(c, l);
            for (size_t k = 0; k < front.size(); ++k) {
                QVERIFY(!dominated(front[k], c, l));
                if (k) QVERIFY(c[front[k]] > c[front[k - 1]] && l[front[k]] < l[front[k - 1]]);
            }
            for (size_t i = 0; i < n; ++i) {
                if (dominated(i, c, l)) continue;
                bool covered = false; // a non-dominated point is on the front or duplicates one that is
                for (size_t f : front)
                    covered = covered || (c[f] == c[i] && l[f] == l[i]);
                QVERIFY(covered);
            }
            const double minLoss = *std::min_element(l.begin(), l.end());
            QCOMPARE(l[front.back()], minLoss);
            const double minCost = *std::min_element(c.begin(), c.end());
            QCOMPARE(c[front.front()], minCost);
        }
    }

    // Settings are never chosen on the evaluation set.
    void gsm8kTestRefusedAsHeldOutSource() {
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        convert::CalibrationSettings cs;
        cs.source = (test::resourcesDir() / "data" / "gsm8k" / "test.jsonl").string();
        QVERIFY(fs::exists(cs.source));
        try {
            convert::splitCalibration(cs, 4, tok::Tokenizer::load(dir), test::resourcesDir());
            QFAIL("the GSM8K test file was accepted");
        } catch (const ArgumentError& e) {
            QVERIFY2(std::string(e.what()).find("test.jsonl") != std::string::npos, e.what());
        }
    }

    void mismatchedLengthsRejected() {
        QVERIFY_THROWS_EXCEPTION(ArgumentError, convert::paretoFront({1, 2}, {1}));
    }

    // Same KV bytes for every r_R when the rank is fixed; every FreqFold the r_R allows.
    void autoCandidatesKeepTheBudget() {
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const io::ModelConfig c = io::loadModelConfig(dir);
        convert::ConvertSettings base;
        base.kvLoraRank = 32; // at the default r_R = min(64, d) = 32 for d = 32: 64 per layer
        const auto cands = convert::autoCandidates(base, c, true, true);
        QVERIFY(!cands.empty());
        std::set<int64_t> ropeDims;
        for (const auto& s : cands) {
            QCOMPARE(s.kvLoraRank + s.qkRopeHeadDim, 64);
            ropeDims.insert(s.qkRopeHeadDim);
            const auto folds = convert::settingRanges(c, s.qkRopeHeadDim).freqFolds;
            QVERIFY(std::find(folds.begin(), folds.end(), s.freqFold) != folds.end());
        }
        QCOMPARE(ropeDims, (std::set<int64_t>{4, 8, 16, 32})); // d/8 .. d
    }

    void searchAgreesWithThePipeline() {
        c10::InferenceMode guard;
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const model::Model original = model::Model::load(dir, {"cpu", "f32"});
        const tok::Tokenizer tokenizer = tok::Tokenizer::load(dir);
        convert::ConvertSettings base;
        base.calibration.samples = 8;
        base.calibration.seqLen = 64;
        const auto split = convert::splitCalibration(base.calibration, 3, tokenizer, test::resourcesDir());
        // The calibration rows are those an ordinary conversion uses; the held-out rows are other text.
        QVERIFY(at::equal(split.calibration,
                          convert::calibrationTokens(base.calibration, tokenizer, test::resourcesDir())));
        QCOMPARE(split.heldOut.sizes(), (at::IntArrayRef{3, 64}));
        for (int64_t i = 0; i < 3; ++i)
            for (int64_t j = 0; j < 8; ++j)
                QVERIFY(!at::equal(split.heldOut[i], split.calibration[j]));

        // r_R 16 allows FreqFold 2 but not 1 (8 planes over 16 blocks): one candidate is skipped.
        const auto cands = convert::gridCandidates(base, {8, 48}, {16}, {1, 2});
        QCOMPARE(cands.size(), size_t(4));
        const convert::SearchResult r = convert::searchConversions(original, cands, split);
        QCOMPARE(r.candidates.size(), size_t(4));
        std::vector<eval::Document> docs;
        for (int64_t i = 0; i < 3; ++i) {
            const at::Tensor row = split.heldOut[i].contiguous();
            docs.push_back({std::vector<int64_t>(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + 64), 0});
        }
        eval::LossOptions lo;
        lo.maxTokens = 64;
        QCOMPARE(r.heldOutTokens, int64_t(3 * 63));
        QVERIFY(std::abs(r.originalLoss - eval::evaluateLoss(original, docs, lo).meanNll()) < 1e-6);
        int evaluated = 0;
        for (size_t i = 0; i < cands.size(); ++i) {
            const auto& c = r.candidates[i];
            if (cands[i].freqFold == 1) {
                QVERIFY2(c.skipped.find("freqfold") != std::string::npos, c.skipped.c_str());
                QVERIFY(!c.onFront);
                continue;
            }
            QVERIFY2(c.skipped.empty(), c.skipped.c_str());
            ++evaluated;
            model::Model m = model::Model::load(dir, {"cpu", "f32"});
            convert::convertModel(m, cands[i], split.calibration);
            const double pipeline = eval::evaluateLoss(m, docs, lo).meanNll();
            QVERIFY2(std::abs(c.heldOutLoss - pipeline) < 1e-5,
                     qPrintable(QStringLiteral("%1 vs %2").arg(c.heldOutLoss).arg(pipeline)));
            QCOMPARE(c.kvBytesPerToken, original.config.numLayers * (cands[i].kvLoraRank + 16) * 2); // 16-bit
            QCOMPARE(c.rank, cands[i].kvLoraRank);
        }
        QCOMPARE(evaluated, 2);
        // The original model must stay unconverted (the candidates work on copies).
        QVERIFY(!original.config.convertedToMla);
        QVERIFY(!original.layers[0].mla.has_value());
        QVERIFY(std::abs(eval::evaluateLoss(original, docs, lo).meanNll() - r.originalLoss) < 1e-9);
        // The front: non-dominated among the evaluated candidates, with the lowest loss on it.
        for (size_t i : r.front) {
            QVERIFY(r.candidates[i].onFront);
            for (const auto& o : r.candidates)
                if (o.skipped.empty())
                    QVERIFY(!(o.kvBytesPerToken <= r.candidates[i].kvBytesPerToken &&
                              o.heldOutLoss < r.candidates[i].heldOutLoss));
        }
        QCOMPARE(r.candidates[r.best()].heldOutLoss, r.candidates[r.front.back()].heldOutLoss);
        const auto j = r.toJson();
        QCOMPARE(j["candidates"].size(), size_t(4));
        QVERIFY(j.contains("chosen"));
    }
};

} // namespace tst_search

TRANSMLA_TEST_MAIN(tst_search, tst_search::TestSearch)
#include "tst_search.moc"
