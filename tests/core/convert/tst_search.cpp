// The held-out search over (r, r_R, FreqFold) and its Pareto front (convert/search.h).
// paretoFront is checked against the definition (brute-force dominance) on hand-made points; the
// real search on the demo model against the ordinary pipeline (convertModel with its own streamed
// calibration, then evaluateLoss on the same held-out rows): the once-collected statistics must give
// the same held-out loss (1e-5 absolute: the same fp32 arithmetic in the same order, up to how the
// fp64 statistics are summed).
#include <set>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/calibration.h"
#include "convert/pca_activations.h"
#include "convert/pipeline.h"
#include "convert/search.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "model/forward.h"
#include "model/model.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

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

// Mean of [x; 1][x; 1]^T over the tokens of each layer's attention input x, built from the forward's
// own hook on `m` (fp64): what the joint PCA of a model with these activations is calibrated on.
std::vector<at::Tensor> handBuiltInputGrams(const model::Model& m, const at::Tensor& ids) {
    std::vector<at::Tensor> grams(size_t(m.config.numLayers));
    model::ForwardHooks hooks;
    hooks.onAttentionInput = [&](int64_t layer, const at::Tensor& x) {
        const at::Tensor x64 = x.reshape({-1, x.size(-1)}).to(at::kDouble);
        const at::Tensor xa = at::cat({x64, at::ones({x64.size(0), 1}, x64.options())}, 1);
        grams[size_t(layer)] = at::matmul(xa.t(), xa) / double(x64.size(0));
    };
    model::forwardHidden(m, ids, &hooks);
    return grams;
}

double relDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
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

    // Calibration rows look like what the model is used on: the tokenizer's leading special tokens (the
    // demo's adds none), then the start of a whole problem, never the middle of one; problems are
    // separated by a blank line. Rows cut from the concatenation of shuffled problems failed the first.
    void calibrationRowsStartLikePrompts() {
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const tok::Tokenizer t = tok::Tokenizer::load(dir);
        const std::vector<int32_t> with = t.encode("Question", true);
        const size_t lead = with.size() - t.encode("Question", false).size();
        convert::CalibrationSettings cs;
        cs.samples = 6;
        cs.seqLen = 256;
        const at::Tensor ids = convert::calibrationTokens(cs, t, test::resourcesDir());
        const auto texts = io::loadTexts(io::calibrationFile(cs.source, test::resourcesDir()));
        std::set<std::vector<int64_t>> starts; // the first 6 tokens of every problem
        for (const auto& text : texts) {
            const std::vector<int32_t> e = t.encode(text, false);
            starts.insert(std::vector<int64_t>(e.begin(), e.begin() + std::min<size_t>(6, e.size())));
        }
        const std::vector<int32_t> blank = t.encode(texts[0] + "\n\n" + texts[1], false),
                                   first = t.encode(texts[0], false);
        QVERIFY(blank.size() > first.size() + 1); // the separator is a token of its own here
        const int64_t separator = blank[first.size()];
        int64_t separators = 0;
        for (int64_t r = 0; r < cs.samples; ++r) {
            const at::Tensor row = ids[r].contiguous();
            const int64_t* p = row.data_ptr<int64_t>();
            for (size_t i = 0; i < lead; ++i)
                QCOMPARE(p[i], int64_t(with[i]));
            QVERIFY2(starts.count(std::vector<int64_t>(p + lead, p + lead + 6)),
                     qPrintable(QStringLiteral("row %1 does not start with a problem").arg(r)));
            separators += row.eq(separator).sum().item<int64_t>();
        }
        QVERIFY(separators >= cs.samples); // 256 tokens hold more than one problem
    }

    // partial_rope: every layer's xGram is the Gram of the full-rank model's attention inputs;
    // sequential: layer 1's is that of the model whose layer 0 is converted at the target rank (layer 0
    // sees the original inputs in both). RoRoPE's key Grams stay the original model's.
    void pcaActivationGramsAreTheOtherModelsInputs() {
        c10::InferenceMode guard;
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const model::Model original = model::Model::load(dir, {"cpu", "f32"});
        convert::ConvertSettings s;
        s.kvLoraRank = 16;
        s.freqFold = 2;
        s.calibration.samples = 4;
        s.calibration.seqLen = 32;
        s.calibration.microBatch = 3; // two uneven micro-batches
        const at::Tensor ids =
            convert::calibrationTokens(s.calibration, tok::Tokenizer::load(dir), test::resourcesDir());
        const auto stats = convert::collectLayerStats(original, ids, s);

        model::Model full = original;
        convert::convertModel(full, convert::fullRankSettings(s), ids);
        const auto fullGrams = handBuiltInputGrams(full, ids);
        s.pcaActivations = convert::PcaActivations::PartialRope;
        const auto partial = convert::pcaActivationStats(original, ids, s, stats);
        for (int64_t l = 0; l < original.config.numLayers; ++l) {
            // fp32 activations from two forwards batched differently (BLAS blocking): equal to fp32
            // rounding, not bit for bit (8e-8 seen on 2 threads); the sources differ by > 1e-4 (below).
            const double err = relDiff(partial[size_t(l)].xGram, fullGrams[size_t(l)]);
            QVERIFY2(err < 1e-6, qPrintable(QStringLiteral("layer %1: %2").arg(l).arg(err)));
            QVERIFY(at::equal(partial[size_t(l)].keyGram, stats[size_t(l)].keyGram));
        }
        // Not vacuous: the full-rank model's inputs differ from the original's after layer 0.
        QVERIFY(relDiff(stats[1].xGram, fullGrams[1]) > 1e-4);

        model::Model firstConverted = original;
        convert::convertModel(
            firstConverted,
            [&] {
                convert::ConvertSettings o = s;
                o.pcaActivations = convert::PcaActivations::Original;
                return o;
            }(),
            ids);
        const auto seqGrams = handBuiltInputGrams(firstConverted, ids);
        s.pcaActivations = convert::PcaActivations::Sequential;
        const auto sequential = convert::pcaActivationStats(original, ids, s, stats);
        QVERIFY(relDiff(sequential[0].xGram, stats[0].xGram) < 1e-12);
        const double err = relDiff(sequential[1].xGram, seqGrams[1]);
        QVERIFY2(err < 1e-6, qPrintable(QString::number(err)));
        QVERIFY(relDiff(sequential[1].xGram, fullGrams[1]) > 1e-4);
    }

    // best: one candidate per source, each with the held-out loss of an ordinary conversion with that
    // source, and the chosen one is the lowest.
    void bestPcaActivationsIsTheLowestHeldOutLoss() {
        c10::InferenceMode guard;
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const model::Model original = model::Model::load(dir, {"cpu", "f32"});
        convert::ConvertSettings base;
        base.kvLoraRank = 16;
        base.freqFold = 2;
        base.pcaActivations = convert::PcaActivations::Best;
        base.calibration.samples = 8;
        base.calibration.seqLen = 64;
        const auto split =
            convert::splitCalibration(base.calibration, 3, tok::Tokenizer::load(dir), test::resourcesDir());
        const auto cands = convert::autoCandidates(base, original.config, false, false);
        QCOMPARE(cands.size(), size_t(3));
        { // best is a choice made before converting: a conversion asked for it refuses, naming it
            model::Model m = original;
            try {
                convert::convertModel(m, base, split.calibration);
                QFAIL("a conversion with pca_activations best ran");
            } catch (const ArgumentError& e) {
                QVERIFY2(std::string(e.what()).find("best") != std::string::npos, e.what());
            }
        }
        const convert::SearchResult r = convert::searchConversions(original, cands, split);
        std::vector<eval::Document> docs;
        for (int64_t i = 0; i < 3; ++i) {
            const at::Tensor row = split.heldOut[i].contiguous();
            docs.push_back({std::vector<int64_t>(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + 64), 0});
        }
        eval::LossOptions lo;
        lo.maxTokens = 64;
        std::set<std::string> names;
        size_t lowest = 0;
        std::vector<double> losses;
        for (size_t i = 0; i < cands.size(); ++i) {
            names.insert(r.candidates[i].pcaActivations);
            QCOMPARE(r.candidates[i].pcaActivations, convert::pcaActivationsName(cands[i].pcaActivations));
            model::Model m = original;
            convert::convertModel(m, cands[i], split.calibration);
            losses.push_back(eval::evaluateLoss(m, docs, lo).meanNll());
            QVERIFY2(std::abs(r.candidates[i].heldOutLoss - losses[i]) < 1e-5,
                     qPrintable(QStringLiteral("%1 vs %2").arg(r.candidates[i].heldOutLoss).arg(losses[i])));
            if (losses[i] < losses[lowest]) lowest = i;
        }
        QCOMPARE(names, (std::set<std::string>{"original", "partial_rope", "sequential"}));
        QCOMPARE(r.best(), lowest);
        // The sources really differ (else "best" would choose among equals).
        QVERIFY(std::abs(losses[0] - losses[1]) > 1e-6 && std::abs(losses[0] - losses[2]) > 1e-6);
        QCOMPARE(r.toJson()["candidates"][lowest]["pca_activations"].get<std::string>(),
                 r.candidates[lowest].pcaActivations);
    }
};

} // namespace tst_search

TRANSMLA_TEST_MAIN(tst_search, tst_search::TestSearch)
#include "tst_search.moc"
