// Singular value spectra. Ground truth never comes from the code under test: a matrix built from a
// chosen spectrum (U diag(s) V^T with random orthonormal U, V), hand-worked energies, the Frobenius
// norm, and LAPACK's SVD of the stacked activations the forward pass hands to a hook.
// Tolerances: 1e-10 relative for fp64 SVD of synthetic matrices, 1e-5 relative for reconstructions,
// 1e-7 of the largest value for Gram-based singular values (the Gram squares the condition number).
#include <array>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "analysis/spectra.h"
#include "io/datasets.h"
#include "model/forward.h"
#include "model/model.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_spectra {

using namespace transmla;
using namespace transmla::analysis;

namespace {
std::filesystem::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}

std::vector<std::string> trainTexts(int64_t n) {
    std::vector<std::string> texts;
    for (const auto& p : io::loadGsm8k(test::resourcesDir() / "data" / "gsm8k" / "train.jsonl", n))
        texts.push_back(p.text());
    return texts;
}
} // namespace

class TestSpectra : public QObject {
    Q_OBJECT
private slots:
    void recoversAChosenSpectrum() {
        at::manual_seed(1);
        const std::vector<double> chosen = {9.0, 4.5, 2.0, 1.0, 0.25, 1e-3};
        const int64_t k = int64_t(chosen.size());
        at::Tensor U = std::get<0>(at::linalg_qr(at::randn({20, k}, at::kDouble)));
        at::Tensor V = std::get<0>(at::linalg_qr(at::randn({50, k}, at::kDouble)));
        at::Tensor A = U.matmul(at::diag(at::tensor(chosen, at::kDouble))).matmul(V.t()); // {20, 50}, rank 6
        const auto s = singularValues(A);
        QCOMPARE(int64_t(s.size()), int64_t(20));
        for (int64_t i = 0; i < k; ++i)
            QVERIFY(std::abs(s[size_t(i)] - chosen[size_t(i)]) <= 1e-10 * chosen[0]);
        for (size_t i = size_t(k); i < s.size(); ++i)
            QVERIFY(s[i] <= 1e-10 * chosen[0]);
    }

    void weightSpectraReconstructTheWeights() {
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto spectra = weightSpectra(m);
        // 4 layers x {k, v} x (2 heads + all heads together)
        QCOMPARE(int64_t(spectra.size()), int64_t(4 * 2 * 3));
        SpectraResult r;
        r.spectra = spectra;
        const Spectrum* sp = r.find(SpectrumSource::WeightK, 2, 1);
        QVERIFY(sp);
        at::Tensor W = m.layers[2].gqa.k.weight.narrow(0, 32, 32).to(at::kDouble); // head 1 rows: {d, D}
        QCOMPARE(int64_t(sp->singularValues.size()), int64_t(32));
        auto [U, S, Vh] = at::linalg_svd(W, /*full_matrices=*/false);
        at::Tensor rebuilt = U.matmul(at::diag(at::tensor(sp->singularValues, at::kDouble))).matmul(Vh);
        const double rel = (rebuilt - W).norm().item<double>() / W.norm().item<double>();
        QVERIFY2(rel <= 1e-5, qPrintable(QString::number(rel)));
        // Energy = squared Frobenius norm; at full rank all of it is kept.
        const double fro2 = W.pow(2).sum().item<double>();
        QVERIFY(std::abs(sp->totalEnergy() - fro2) <= 1e-10 * fro2);
        QCOMPARE(sp->retainedEnergy(32), 1.0);
        QCOMPARE(sp->retainedEnergy(1000), 1.0);
        // The joint spectrum covers both heads: {64, D}, same total energy as the two heads together.
        const Spectrum* all = r.find(SpectrumSource::WeightV, 0, kAllHeads);
        QVERIFY(all);
        QCOMPARE(int64_t(all->singularValues.size()), int64_t(64));
        const double heads = r.find(SpectrumSource::WeightV, 0, 0)->totalEnergy() +
                             r.find(SpectrumSource::WeightV, 0, 1)->totalEnergy();
        QVERIFY(std::abs(all->totalEnergy() - heads) <= 1e-10 * heads);
    }

    void energyCurvesByHand() {
        // Energies 9, 4, 1 of 14.
        Spectrum s;
        s.singularValues = {3, 2, 1};
        QCOMPARE(s.totalEnergy(), 14.0);
        QCOMPARE(s.retainedEnergy(1), 9.0 / 14.0);
        QCOMPARE(s.retainedEnergy(0), 0.0);
        QCOMPARE(s.rankForEnergy(0.5), int64_t(1));  // 0.643
        QCOMPARE(s.rankForEnergy(0.9), int64_t(2));  // 0.929
        QCOMPARE(s.rankForEnergy(0.95), int64_t(3)); // 1
        QCOMPARE(s.rankForEnergy(1.0), int64_t(3));
        QVERIFY_THROWS_EXCEPTION(ArgumentError, s.rankForEnergy(0.0));
    }

    void rankForEnergyFollowsTheCurve() {
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        for (const auto& s : weightSpectra(m)) {
            const auto cum = s.cumulativeEnergy();
            QCOMPARE(cum.back(), 1.0);
            for (size_t i = 1; i < cum.size(); ++i)
                QVERIFY(cum[i] >= cum[i - 1]);
            for (double f : {0.9, 0.99, 0.999}) {
                const int64_t k = s.rankForEnergy(f);
                QVERIFY(k >= 1 && k <= int64_t(cum.size()));
                QVERIFY(cum[size_t(k - 1)] >= f);
                if (k > 1) QVERIFY(cum[size_t(k - 2)] < f);
            }
        }
    }

    void calibrationSequencesArePackedTokens() {
        const auto tok = tok::Tokenizer::load(demoDir());
        const auto texts = trainTexts(8);
        const auto seqs = calibrationSequences(tok, texts, 3, 40);
        QCOMPARE(int64_t(seqs.size()), int64_t(3));
        std::vector<int64_t> stream;
        for (const auto& t : texts)
            for (int32_t id : tok.encode(t, true))
                stream.push_back(id);
        for (size_t i = 0; i < seqs.size(); ++i) {
            QCOMPARE(int64_t(seqs[i].size()), int64_t(40));
            QVERIFY(std::equal(seqs[i].begin(), seqs[i].end(), stream.begin() + int64_t(i) * 40));
        }
        QVERIFY_THROWS_EXCEPTION(ArgumentError, calibrationSequences(tok, texts, 1000, 40));
    }

    // The Gram route equals the SVD of the stacked activation matrix {N, d}.
    void gramMatchesStackedActivations() {
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto tok = tok::Tokenizer::load(demoDir());
        const auto seqs = calibrationSequences(tok, trainTexts(8), 2, 48); // N = 96 tokens > g*d = 64
        const auto spectra =
            activationSpectra(m, seqs, /*batchTokens=*/48); // one sequence per batch: streaming
        QCOMPARE(int64_t(spectra.size()), int64_t(4 * 3 * 3));
        SpectraResult r;
        r.spectra = spectra;
        // Independent path: one forward of both sequences, K/V stacked in full, LAPACK SVD.
        std::vector<int64_t> ids;
        for (const auto& s : seqs)
            ids.insert(ids.end(), s.begin(), s.end());
        std::vector<std::array<at::Tensor, 3>> stacked(4);
        model::ForwardHooks hooks;
        hooks.onKv = [&](int64_t l, const at::Tensor& kPre, const at::Tensor& kPost, const at::Tensor& v) {
            stacked[size_t(l)] = {kPre.reshape({-1, 64}).to(at::kDouble),
                                  kPost.reshape({-1, 64}).to(at::kDouble),
                                  v.reshape({-1, 64}).to(at::kDouble)};
        };
        model::forwardHidden(m, at::tensor(ids, at::kLong).view({2, 48}), &hooks);
        const SpectrumSource sources[3] = {SpectrumSource::KPreRope, SpectrumSource::KPostRope,
                                           SpectrumSource::V};
        double worst = 0;
        for (int64_t l = 0; l < 4; ++l)
            for (int i = 0; i < 3; ++i)
                for (int64_t head : {int64_t(0), int64_t(1), kAllHeads}) {
                    at::Tensor X = stacked[size_t(l)][size_t(i)];
                    if (head != kAllHeads) X = X.narrow(1, head * 32, 32);
                    at::Tensor ref = at::linalg_svdvals(X);
                    const Spectrum* s = r.find(sources[i], l, head);
                    QVERIFY(s);
                    QCOMPARE(int64_t(s->singularValues.size()), ref.size(0));
                    const double top = ref[0].item<double>();
                    for (int64_t j = 0; j < ref.size(0); ++j)
                        worst = std::max(
                            worst, std::abs(s->singularValues[size_t(j)] - ref[j].item<double>()) / top);
                }
        qInfo("worst |s_gram - s_svd| / s_max = %.2g", worst);
        QVERIFY(worst <= 1e-7);
        // RoPE rotates pairs of dimensions per token: it changes the spectrum but keeps the energy.
        const double pre = r.find(SpectrumSource::KPreRope, 1, 0)->totalEnergy();
        const double post = r.find(SpectrumSource::KPostRope, 1, 0)->totalEnergy();
        QVERIFY(std::abs(pre - post) <= 1e-6 * pre);
    }

    void cancelStopsActivations() {
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const auto tok = tok::Tokenizer::load(demoDir());
        const auto seqs = calibrationSequences(tok, trainTexts(16), 4, 32);
        CancelToken cancel;
        cancel.cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, activationSpectra(m, seqs, 32, Progress{{}, &cancel}));
    }
};

} // namespace tst_spectra

TRANSMLA_TEST_MAIN(tst_spectra, tst_spectra::TestSpectra)
#include "tst_spectra.moc"
