// GSM8K test loss against transformers (gsm8k_test_loss.json): text formatted and tokenized with
// our tokenizer, truncated to 512 tokens. Tolerances: mean NLL 1e-4 (full set), per problem 1e-3.
#include <fstream>

#include <nlohmann/json.hpp>

#include "eval/loss.h"
#include "io/datasets.h"
#include "model/model.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_loss {

using namespace transmla;

class TestLoss : public QObject {
    Q_OBJECT
private slots:
    void gsm8kMatchesReference_data() {
        QTest::addColumn<QString>("model");
        for (const char* m :
             {"stories260K", "tiny-llama-gqa", "tiny-qwen2-gqa", "tiny-qwen3-gqa", "tiny-gemma3-gqa"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }
    void gsm8kMatchesReference() {
        QFETCH(QString, model);
        const auto dir = test::referenceModel(model.toStdString());
        const auto refFile = dir / "reference" / "gsm8k_test_loss.json";
        const auto data = test::sharedDir() / "data" / "gsm8k" / "test.jsonl";
        TRANSMLA_REQUIRE_SHARED(refFile);
        TRANSMLA_REQUIRE_SHARED(data);
        const auto ref = nlohmann::json::parse(std::ifstream(refFile));

        const auto problems = io::loadGsm8k(data);
        const auto tokenizer = tok::Tokenizer::load(dir);
        const model::Model m = model::Model::load(dir, {"cpu", "f32"});
        const auto docs = eval::tokenizeGsm8k(tokenizer, problems, 512);
        const eval::LossResult r = eval::evaluateLoss(m, docs);

        QCOMPARE(r.documents, int64_t(ref["per_doc"].size()));
        QCOMPARE(r.tokens, ref["gsm8k_test_tokens"].get<int64_t>());
        double worst = 0;
        for (size_t i = 0; i < r.perDoc.size(); ++i) {
            QCOMPARE(r.perDoc[i].tokens, ref["per_doc"][i]["tokens"].get<int64_t>());
            worst =
                std::max(worst, std::abs(r.perDoc[i].nllSum - ref["per_doc"][i]["nll_sum"].get<double>()));
        }
        const double meanErr = std::abs(r.meanNll() - ref["gsm8k_test_mean_nll"].get<double>());
        qInfo("%s: mean NLL %.7f (ref %.7f, |diff| %.2g), worst per-problem |diff| %.2g, answer-only NLL "
              "%.4f, %.0f tok/s",
              qPrintable(model), r.meanNll(), ref["gsm8k_test_mean_nll"].get<double>(), meanErr, worst,
              r.answerMeanNll(), r.tokensPerSecond());
        QVERIFY2(meanErr <= 1e-4, "mean NLL differs from transformers by more than 1e-4");
        QVERIFY2(worst <= 1e-3, "a per-problem NLL differs from transformers by more than 1e-3");
        // The answer-only loss covers a strict subset of the predicted tokens.
        QVERIFY(r.answerTokens > 0 && r.answerTokens < r.tokens);
    }

    void cancelStopsEvaluation() {
        const auto dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const auto problems = io::loadGsm8k(test::resourcesDir() / "data" / "gsm8k" / "test.jsonl", 64);
        const auto tokenizer = tok::Tokenizer::load(dir);
        const model::Model m = model::Model::load(dir, {"cpu", "f32"});
        CancelToken cancel;
        int calls = 0;
        Progress progress{[&](int64_t, int64_t, const std::string&) {
                              if (++calls == 2) cancel.cancel();
                          },
                          &cancel};
        eval::LossOptions opts;
        opts.batchTokens = 1024;
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, eval::evaluateLoss(m, eval::tokenizeGsm8k(tokenizer, problems, 512), opts, progress));
    }
};

} // namespace tst_loss

TRANSMLA_TEST_MAIN(tst_loss, tst_loss::TestLoss)
#include "tst_loss.moc"
