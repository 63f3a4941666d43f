// The audit record's statistics against hand computations: the bootstrap interval against the exact
// bootstrap distribution (all n^n resamples of a small vector) and against the normal closed form
// for a large one; the paired difference of a constant shift; the answer-only NLL against
// transformers' per-problem NLL minus the prompt's; the calibration-file checks; the content hash.
#include <cmath>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "convert/calibration.h"
#include "convert/pipeline.h"
#include "eval/bootstrap.h"
#include "eval/layer_error.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "io/folder_snapshot.h"
#include "model/model.h"
#include "results/audit.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_audit {

using namespace transmla;

namespace {
eval::DocLoss doc(double nll, int64_t tokens, double answerNll = 0, int64_t answerTokens = 0) {
    return {nll, tokens, answerNll, answerTokens};
}
// Every ordered resample of n documents (n^n, equally likely): the exact bootstrap distribution.
std::vector<double> exactBootstrap(const std::vector<eval::DocLoss>& d) {
    const size_t n = d.size();
    std::vector<double> stats;
    std::vector<size_t> pick(n, 0);
    while (true) {
        double nll = 0, tok = 0;
        for (size_t i : pick)
            nll += d[i].nllSum, tok += double(d[i].tokens);
        stats.push_back(nll / tok);
        size_t k = 0;
        while (k < n && ++pick[k] == n)
            pick[k++] = 0;
        if (k == n) break;
    }
    return stats;
}
double fractionBelow(const std::vector<double>& v, double x, bool orEqual) {
    double c = 0;
    for (double s : v)
        c += orEqual ? (s <= x + 1e-12) : (s < x - 1e-12);
    return c / double(v.size());
}
} // namespace

class TestAudit : public QObject {
    Q_OBJECT
private slots:
    // n = 6: 46,656 resamples enumerated. The Monte-Carlo interval's ends must sit at the exact
    // distribution's 2.5% and 97.5% points: P(stat < low) <= 2.5% + 1% and P(stat <= low) >= 2.5% - 1%
    // (1%: 2000 resamples give a quantile's probability a standard error of 0.35%).
    void bootstrapMatchesExactDistribution() {
        const std::vector<eval::DocLoss> d = {doc(10.0, 5),  doc(31.0, 9), doc(4.5, 3),
                                              doc(60.0, 12), doc(7.0, 2),  doc(22.0, 8)};
        const std::vector<double> exact = exactBootstrap(d);
        const eval::Interval ci = eval::bootstrapMeanNll(d, false);
        qInfo("interval [%.5f, %.5f]", ci.low, ci.high);
        QVERIFY(fractionBelow(exact, ci.low, false) <= 0.035);
        QVERIFY(fractionBelow(exact, ci.low, true) >= 0.015);
        QVERIFY(1 - fractionBelow(exact, ci.high, true) <= 0.035);
        QVERIFY(1 - fractionBelow(exact, ci.high, false) >= 0.015);
        // The same seed gives the same interval; another seed a slightly different one.
        const eval::Interval again = eval::bootstrapMeanNll(d, false);
        QCOMPARE(again.low, ci.low);
        QCOMPARE(again.high, ci.high);
    }

    // n = 400 documents of one token each: the bootstrap distribution of the mean is close to normal
    // with sd = s/sqrt(n) (s: the plug-in standard deviation), so the 95% interval is mean +- 1.96 sd.
    // Tolerance 10% of the half-width (Monte-Carlo error ~3%, skewness of the values below 2%).
    void bootstrapMatchesNormalClosedForm() {
        std::vector<eval::DocLoss> d;
        double sum = 0, sq = 0;
        for (int i = 0; i < 400; ++i) {
            const double v = 2.0 + std::sin(0.37 * i) + 0.25 * std::cos(1.91 * i);
            d.push_back(doc(v, 1));
            sum += v, sq += v * v;
        }
        const double mean = sum / 400, sd = std::sqrt(sq / 400 - mean * mean) / std::sqrt(400.0);
        const eval::Interval ci = eval::bootstrapMeanNll(d, false);
        const double half = 1.959964 * sd;
        qInfo("bootstrap [%.5f, %.5f], closed form [%.5f, %.5f]", ci.low, ci.high, mean - half, mean + half);
        QVERIFY(std::abs(ci.low - (mean - half)) <= 0.10 * half);
        QVERIFY(std::abs(ci.high - (mean + half)) <= 0.10 * half);
    }

    // after = before + c per token on every document: every resample's difference is exactly c, so
    // the paired interval is [c, c], while each model's own interval is wide.
    void pairedDifferenceOfAShift() {
        std::vector<eval::DocLoss> before, after;
        const double c = 0.125;
        for (int i = 0; i < 50; ++i) {
            const int64_t t = 3 + i % 7, a = 1 + i % 3;
            const double nll = 1.0 + 0.5 * ((i * 7919) % 13), ans = 0.3 * (1 + i % 5);
            before.push_back(doc(nll, t, ans, a));
            after.push_back(doc(nll + c * double(t), t, ans + 2 * c * double(a), a));
        }
        const eval::Interval diff = eval::bootstrapMeanNllDifference(before, after, false);
        QVERIFY(std::abs(diff.low - c) < 1e-12 && std::abs(diff.high - c) < 1e-12);
        const eval::Interval answerDiff = eval::bootstrapMeanNllDifference(before, after, true);
        QVERIFY(std::abs(answerDiff.low - 2 * c) < 1e-12 && std::abs(answerDiff.high - 2 * c) < 1e-12);
        const eval::Interval own = eval::bootstrapMeanNll(before, false);
        QVERIFY(own.high - own.low > 0.1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, eval::bootstrapMeanNllDifference(before, {}, false));
    }

    // Answer-only NLL = transformers' NLL of the whole problem minus the NLL of predicting the
    // prompt's own tokens ("Question: q\nAnswer:" evaluated alone: a causal model predicts them from
    // the same prefixes). Tolerance 2e-3 per problem (tst_loss: 1e-3 per forward, two forwards).
    void answerOnlyNllMatchesTransformersMinusPrompt() {
        const auto dir = test::sharedDir() / "models" / "tiny-llama-gqa";
        const auto refFile = dir / "reference" / "gsm8k_test_loss.json";
        TRANSMLA_REQUIRE_SHARED(refFile);
        const auto ref = nlohmann::json::parse(std::ifstream(refFile));
        const auto problems = io::loadGsm8k(test::resourcesDir() / "data" / "gsm8k" / "test.jsonl", 20);
        const auto tokenizer = tok::Tokenizer::load(dir);
        const model::Model m = model::Model::load(dir, {"cpu", "f32"});
        const auto docs = eval::tokenizeGsm8k(tokenizer, problems, 512);
        const eval::LossResult full = eval::evaluateLoss(m, docs);
        std::vector<eval::Document> prompts;
        for (const auto& p : problems) {
            eval::Document d;
            for (int32_t id : tokenizer.encode(p.prompt(), true))
                d.ids.push_back(id);
            prompts.push_back(d);
        }
        const eval::LossResult promptLoss = eval::evaluateLoss(m, prompts);
        double worst = 0;
        for (size_t i = 0; i < docs.size(); ++i) {
            const double expected = ref["per_doc"][i]["nll_sum"].get<double>() - promptLoss.perDoc[i].nllSum;
            QCOMPARE(full.perDoc[i].answerTokens,
                     ref["per_doc"][i]["tokens"].get<int64_t>() - promptLoss.perDoc[i].tokens);
            worst = std::max(worst, std::abs(full.perDoc[i].answerNllSum - expected));
        }
        qInfo("answer-only NLL: worst per-problem |diff| %.2g over 20 problems", worst);
        QVERIFY(worst <= 2e-3);
        // The audit's answer-only figure is that sum over that count.
        const auto cmp = results::compareLosses("gsm8k", full, full, true);
        double s = 0, t = 0;
        for (const auto& d : full.perDoc)
            s += d.answerNllSum, t += double(d.answerTokens);
        QVERIFY(std::abs(cmp.before - s / t) < 1e-12);
    }

    // The per-layer attention-output error: zero for the exact merge (same attention by construction,
    // fp32: below 1e-5), and for every layer larger at kv_lora_rank 8 than at 64 (less of the latent kept).
    void attentionErrorPerLayer() {
        const auto dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const auto tokenizer = tok::Tokenizer::load(dir);
        const model::Model original = model::Model::load(dir, {"cpu", "f32"});
        convert::CalibrationSettings cs;
        cs.samples = 8;
        cs.seqLen = 64;
        const at::Tensor ids = convert::calibrationTokens(cs, tokenizer, test::resourcesDir());
        auto errorsAt = [&](bool exact, int64_t rank) {
            model::Model m = model::Model::load(dir, {"cpu", "f32"});
            convert::ConvertSettings s;
            s.exact = exact;
            s.kvLoraRank = rank;
            s.calibration = cs;
            convert::convertModel(m, s, exact ? at::Tensor() : ids);
            return eval::attentionOutputErrors(original, m, ids.narrow(0, 0, 4));
        };
        const auto exact = errorsAt(true, -1), r8 = errorsAt(false, 8), r64 = errorsAt(false, 64);
        QCOMPARE(int64_t(exact.size()), original.config.numLayers);
        for (size_t l = 0; l < exact.size(); ++l) {
            qInfo("layer %zu: exact %.2g, rank 64 %.4f, rank 8 %.4f", l, exact[l], r64[l], r8[l]);
            QVERIFY(exact[l] < 1e-5);
            QVERIFY(r8[l] > r64[l] && r64[l] > 0 && r8[l] < 2);
        }
    }

    void calibrationFileIsCheckedAndNamed_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("content"); // "<dir>": a folder; "<none>": not created
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << "missing.txt"
                                 << "<none>"
                                 << "not found";
        QTest::newRow("folder") << "folder.txt"
                                << "<dir>"
                                << "not a regular file";
        QTest::newRow("empty") << "empty.txt"
                               << ""
                               << "is empty";
        QTest::newRow("whitespace") << "blank.txt"
                                    << " \n\t\n "
                                    << "is empty";
        QTest::newRow("text") << "ok.txt"
                              << "Some text.\n"
                              << "";
    }
    void calibrationFileIsCheckedAndNamed() {
        QFETCH(QString, name);
        QFETCH(QString, content);
        QFETCH(QString, expected);
        const auto dir = test::outputDir() / "calib-check";
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        const auto file = dir / name.toStdString();
        if (content == QLatin1String("<dir>"))
            std::filesystem::create_directories(file);
        else if (content != QLatin1String("<none>"))
            std::ofstream(file) << content.toStdString();
        if (expected.isEmpty()) {
            io::checkTextFile(file);
            return;
        }
        try {
            io::checkTextFile(file);
            QFAIL("no error");
        } catch (const FormatError& e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.contains(QString::fromStdString(file.string())) && what.contains(expected),
                     qPrintable(what));
        }
    }

    void bundledCalibrationSourcesExist() {
        for (const char* source : {"gsm8k", "wikitext2"})
            io::checkTextFile(io::calibrationFile(source, test::resourcesDir()));
        io::checkTextFile(io::wikitext2File(test::resourcesDir(), "test"));
        QCOMPARE(io::calibrationFile("/some/file.txt", test::resourcesDir()),
                 std::filesystem::path("/some/file.txt"));
    }

    // Chunks are consecutive slices of the texts' tokens in order.
    void perplexityChunksSliceTheText() {
        const auto dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const auto tokenizer = tok::Tokenizer::load(dir);
        const std::vector<std::string> texts = {"The first paragraph .\n",
                                                "A second one , longer than the first .\n", "Third .\n"};
        std::vector<int64_t> all;
        for (const auto& t : texts)
            for (int32_t id : tokenizer.encode(t, true))
                all.push_back(id);
        const auto chunks = eval::tokenizeChunks(tokenizer, texts, 4, 100);
        QCOMPARE(int64_t(chunks.size()), int64_t(all.size()) / 4);
        for (size_t c = 0; c < chunks.size(); ++c) {
            QCOMPARE(chunks[c].ids,
                     std::vector<int64_t>(all.begin() + int64_t(4 * c), all.begin() + int64_t(4 * c + 4)));
            QCOMPARE(chunks[c].answerStart, int64_t(4));
        }
        QCOMPARE(eval::tokenizeChunks(tokenizer, texts, 4, 2).size(), size_t(2));
    }

    // The content hash follows every byte of the folder, not only headers and times.
    void contentHashFollowsWeights() {
        const auto src = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const auto dir = test::outputDir() / "hash-model";
        std::filesystem::remove_all(dir);
        std::filesystem::copy(src, dir);
        const std::string h1 = results::contentHash(io::FolderSnapshot::take(dir));
        QCOMPARE(results::contentHash(io::FolderSnapshot::take(dir)), h1);
        QCOMPARE(results::contentHash(io::FolderSnapshot::take(src)), h1); // same content, another path
        {
            std::fstream f(dir / "model.safetensors", std::ios::in | std::ios::out | std::ios::binary);
            f.seekg(-1, std::ios::end);
            const char last = char(f.get());
            f.seekp(-1, std::ios::end);
            f.put(char(last ^ 1)); // the last byte of the last tensor: the header is unchanged
        }
        QVERIFY(results::contentHash(io::FolderSnapshot::take(dir)) != h1);
        QCOMPARE(int(h1.size()), 16);
    }
};

} // namespace tst_audit

TRANSMLA_TEST_MAIN(tst_audit, tst_audit::TestAudit)
#include "tst_audit.moc"
