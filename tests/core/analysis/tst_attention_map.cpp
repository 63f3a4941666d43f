// Attention maps against transformers 5.17 (eager attention, fp32, CPU: output_attentions of every layer
// and head of tiny-llama-gqa on the first GSM8K test problem cut to 48 tokens, made by
// tests/gpu/make_attention_reference.py into data/): the tokens equal the reference's, every probability
// within 1e-5 (fp32 softmax), entropies within 1e-4 nats of the reference's; rows sum to 1, causal
// zeros, entropies against the formula evaluated in ATen (1e-12), KL against hand-worked values (1e-12).
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "analysis/attention_map.h"
#include "io/safetensors.h"
#include "model/model.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_attention_map {

using namespace transmla;
using namespace transmla::analysis;

namespace {
std::filesystem::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}
std::filesystem::path gsm8kTest() {
    return test::resourcesDir() / "data" / "gsm8k" / "test.jsonl";
}
std::filesystem::path transformersReference() {
    return test::resourcesDir().parent_path() /
           "tests/core/analysis/data/attention_tiny-llama-gqa.safetensors";
}
} // namespace

class TestAttentionMap : public QObject {
    Q_OBJECT
private slots:
    void matchesTransformers() {
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto tok = tok::Tokenizer::load(demoDir());
        const io::SafetensorsFile ref(transformersReference());
        const std::string prompt = defaultAttentionPrompt(gsm8kTest());
        QVERIFY(prompt.rfind("Question: ", 0) == 0);
        QCOMPARE(QString::fromStdString(prompt), QString::fromStdString(ref.metadata().at("prompt")));
        const at::Tensor refIds = ref.view("input_ids").view({-1});         // {T}
        const at::Tensor refProbs = ref.view("attentions").to(at::kDouble); // {layers, heads, T, T}
        const int64_t T = refIds.size(0);
        QCOMPARE(T, int64_t(48));
        QCOMPARE(refProbs.size(0), m.config.numLayers);
        QCOMPARE(refProbs.size(1), m.config.numHeads);

        double worst = 0, worstEntropy = 0;
        for (int64_t l = 0; l < m.config.numLayers; ++l) {
            const auto heads = computeAttentionHeads(m, tok, prompt, l, {48});
            for (const AttentionMap& map : heads) {
                QCOMPARE(map.tokens(), T);
                for (int64_t i = 0; i < T; ++i)
                    QCOMPARE(int64_t(map.tokenIds[size_t(i)]), refIds[i].item<int64_t>());
                const at::Tensor expected = refProbs[l][map.head].contiguous(); // {T, T}
                const at::Tensor ours = at::tensor(map.probs, at::kDouble).view({T, T});
                worst = std::max(worst, (ours - expected).abs().max().item<double>());
                // Entropy -sum p ln p of transformers' rows (0 ln 0 := 0).
                const at::Tensor plogp =
                    at::where(expected > 0, expected * at::log(expected), at::zeros_like(expected));
                const at::Tensor rowH = -plogp.sum(1);
                for (int64_t i = 0; i < T; ++i)
                    worstEntropy =
                        std::max(worstEntropy, std::abs(map.rowEntropy[size_t(i)] - rowH[i].item<double>()));
            }
        }
        qInfo("attention vs transformers, %lld layers x %lld heads x %lld^2: max |p - p_ref| = %.3g, "
              "max |row entropy - reference| = %.3g nats",
              (long long)m.config.numLayers, (long long)m.config.numHeads, (long long)T, worst, worstEntropy);
        QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));
        QVERIFY2(worstEntropy <= 1e-4, qPrintable(QString::number(worstEntropy)));
    }

    // The map's own arithmetic on one head: rows sum to 1, causal zeros, entropies as the formula
    // gives them (here through ATen on the map's probabilities), the head means.
    void rowsEntropiesAndMeans() {
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto tok = tok::Tokenizer::load(demoDir());
        const AttentionMap map = computeAttentionMap(m, tok, defaultAttentionPrompt(gsm8kTest()), 1, 5, {48});
        const int64_t T = map.tokens();
        QCOMPARE(T, int64_t(48));
        QCOMPARE(int64_t(map.tokenTexts.size()), T);
        for (int64_t i = 0; i < T; ++i)
            QCOMPARE(map.tokenTexts[size_t(i)], tok.tokenText(map.tokenIds[size_t(i)]));
        for (int64_t i = 0; i < T; ++i) {
            double sum = 0;
            for (int64_t j = 0; j < T; ++j)
                sum += map.at(i, j);
            QVERIFY(std::abs(sum - 1.0) <= 1e-5);
            for (int64_t j = i + 1; j < T; ++j)
                QCOMPARE(map.at(i, j), 0.0); // causal
        }
        const at::Tensor p = at::tensor(map.probs, at::kDouble).view({T, T});
        const at::Tensor rowH = -at::where(p > 0, p * at::log(p), at::zeros_like(p)).sum(1);
        for (int64_t i = 0; i < T; ++i)
            QVERIFY(std::abs(map.rowEntropy[size_t(i)] - rowH[i].item<double>()) <= 1e-12);
        QCOMPARE(map.rowEntropy[0], 0.0); // the first token sees only itself
        QCOMPARE(int64_t(map.headEntropy.size()), m.config.numHeads);
        QVERIFY(std::abs(map.headEntropy[5] - rowH.mean().item<double>()) <= 1e-12);
        QVERIFY(std::abs(map.meanEntropy() - map.headEntropy[5]) <= 1e-12);
    }

    void klOfAModelWithItselfIsZero() {
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto tok = tok::Tokenizer::load(demoDir());
        const AttentionMap a = computeAttentionMap(m, tok, "Question: what is 2+3?\nAnswer: 5", 3, 0);
        const AttentionComparison c = compareAttention(a, a);
        QCOMPARE(c.meanKl, 0.0);
        QCOMPARE(c.maxAbsDifference, 0.0);
        for (double kl : c.klPerRow)
            QCOMPARE(kl, 0.0);
    }

    void klByHand() {
        // Rows: a = [1 0; .5 .5], b = [1 0; .25 .75]. KL row 1 = .5 ln 2 + .5 ln(2/3) = 0.143841036225890.
        AttentionMap a, b;
        a.tokenIds = b.tokenIds = {1, 2};
        a.probs = {1, 0, 0.5, 0.5};
        b.probs = {1, 0, 0.25, 0.75};
        const AttentionComparison c = compareAttention(a, b);
        QCOMPARE(c.klPerRow[0], 0.0);
        QVERIFY(std::abs(c.klPerRow[1] - 0.143841036225890) <= 1e-12);
        QVERIFY(std::abs(c.meanKl - 0.143841036225890 / 2) <= 1e-12);
        QCOMPARE(c.difference[2], -0.25);
        QCOMPARE(c.maxAbsDifference, 0.25);
        b.head = 1;
        QVERIFY_THROWS_EXCEPTION(ArgumentError, compareAttention(a, b));
    }

    void klIsNeverNegativeFromRounding() {
        // Rows that sum to 1 only up to rounding (fp32 softmax): b = a + (2e-7, -1e-7). The textbook
        // sum a ln(a/b) is -1.0e-7 here; the generalised KL sum [a ln(a/b) - a + b] is
        // ~ sum (a-b)^2 / (2a) = 4e-14/0.6 + 1e-14/1.4 = 7.38e-14 (hand-worked), never below 0.
        AttentionMap a, b;
        a.tokenIds = b.tokenIds = {1, 2};
        a.probs = {1, 0, 0.3, 0.7};
        b.probs = {1, 0, 0.3 + 2e-7, 0.7 - 1e-7};
        const AttentionComparison c = compareAttention(a, b);
        QVERIFY2(c.klPerRow[1] >= 0, qPrintable(QString::number(c.klPerRow[1])));
        QVERIFY(std::abs(c.klPerRow[1] - (4e-14 / 0.6 + 1e-14 / 1.4)) <= 1e-15);
        QVERIFY(c.meanKl >= 0);
    }

    void everyHeadFromOneForward() {
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto tok = tok::Tokenizer::load(demoDir());
        const std::string prompt = defaultAttentionPrompt(gsm8kTest());
        const auto whole = tok.encode(prompt, true); // the tokenizer alone: how long the prompt is
        QVERIFY(whole.size() > 48);
        const auto heads = computeAttentionHeads(m, tok, prompt, 2, {48});
        QCOMPARE(int64_t(heads.size()), m.config.numHeads);
        for (int64_t h = 0; h < m.config.numHeads; ++h) {
            const AttentionMap one = computeAttentionMap(m, tok, prompt, 2, h, {48});
            QCOMPARE(heads[size_t(h)].head, h);
            QVERIFY(heads[size_t(h)].probs == one.probs);
            QCOMPARE(heads[size_t(h)].promptTokens, int64_t(whole.size())); // the cut is stated
            QCOMPARE(heads[size_t(h)].tokens(), int64_t(48));
        }
        // The default limit takes the whole first GSM8K problem.
        QCOMPARE(computeAttentionMap(m, tok, prompt, 0, 0).tokens(), int64_t(whole.size()));
    }

    void rejectsOutOfRange() {
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto tok = tok::Tokenizer::load(demoDir());
        QVERIFY_THROWS_EXCEPTION(ArgumentError, computeAttentionMap(m, tok, "hi", 4, 0));
        QVERIFY_THROWS_EXCEPTION(ArgumentError, computeAttentionMap(m, tok, "hi", 0, 8));
        QVERIFY_THROWS_EXCEPTION(ArgumentError, computeAttentionMap(m, tok, "", 0, 0));
    }
};

} // namespace tst_attention_map

TRANSMLA_TEST_MAIN(tst_attention_map, tst_attention_map::TestAttentionMap)
#include "tst_attention_map.moc"
