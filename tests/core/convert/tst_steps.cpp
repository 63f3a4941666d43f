// Each conversion step alone, for the property it promises, in fp64 on hand-made or random inputs
// (no model, no calibration). Expected values come from hand math written here, never from the step:
//   roRope       the rotation is orthogonal and acts alike on both coordinates of a RoPE plane (1e-12);
//                identity mixing is the hand-derived permutation; FreqFold's slot order and frequency
//                index map for f = 1, 2, 4 against hand tables; with a diagonal key Gram the rope rows
//                pick the strongest slot of each block and the rope energy is its hand-summed share
//   jointPca     energy -> rank at its boundaries (exactly at a cumulative share, just below/above,
//                0 = off, 1, zero eigenvalues), retained energy, the kept subspace (1e-12)
//   balanceAlpha a hand-worked value; scaling V by c scales alpha by 1/c, K by c scales it by c (1e-12)
//   assembleMla  at full rank the MLA scores (and values) equal the GQA ones on random fp64 weights:
//                with RoPE at all-RoPE r_R = g*d, f = 1, and without RoPE at r_R < g*d with balancing (1e-10)
#include <cmath>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/assemble.h"
#include "convert/balance_kv.h"
#include "convert/joint_pca.h"
#include "convert/rorope.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_steps {

using namespace transmla;
using convert::ResolvedDims;

namespace {

const auto f64 = at::TensorOptions().dtype(at::kDouble);

// The dimensions a conversion of g kv heads of size d into H query heads at r_R, FreqFold f has
// (the formulas of the header comments in rorope.h: P = r_R/2 planes over d/(2f) blocks).
ResolvedDims dimsFor(int64_t g, int64_t d, int64_t H, int64_t ropeDim, int64_t f) {
    ResolvedDims r{};
    r.g = g;
    r.d = d;
    r.H = H;
    r.ropeDim = ropeDim;
    r.planes = ropeDim / 2;
    r.freqFold = f;
    r.blocks = d / 2 / f;
    r.keptPerBlock = r.planes / r.blocks;
    r.maxRank = 2 * g * d - ropeDim;
    return r;
}

at::Tensor randomSpd(int64_t n) {
    const at::Tensor a = at::randn({n, n + 3}, f64);
    return at::matmul(a, a.t()) / double(n + 3);
}

at::Tensor randomOrthogonal(int64_t n) {
    return std::get<0>(at::linalg_qr(at::randn({n, n}, f64)));
}

double maxAbs(const at::Tensor& t) {
    return t.numel() ? t.abs().max().item<double>() : 0.0;
}

// RoPE by hand, HF "halves" layout: plane i = (x_i, x_{i+n}) turned by the angle pos * freq[i].
at::Tensor ropeByHand(const at::Tensor& x, const std::vector<double>& freq, double pos) {
    const int64_t n = int64_t(freq.size());
    at::Tensor y = x.clone();
    for (int64_t i = 0; i < n; ++i) {
        const double c = std::cos(pos * freq[size_t(i)]), s = std::sin(pos * freq[size_t(i)]);
        y[i] = c * x[i] - s * x[i + n];
        y[i + n] = s * x[i] + c * x[i + n];
    }
    return y;
}

struct Scores {
    at::Tensor scores; // {H, T, T}: query token, key token
    at::Tensor values; // {H, T, dv}
};

// GQA: s_h(t, u) = scale * RoPE_t(W_q^h x_t) . RoPE_u(W_k^j x_u), j = h / (H/g); values W_v^j x_u.
Scores gqaByHand(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const ResolvedDims& dims,
                 const at::Tensor& x, const std::vector<double>& pos, const std::vector<double>& freq,
                 double scale) {
    const int64_t T = x.size(0), d = dims.d, rep = dims.H / dims.g;
    at::Tensor s = at::zeros({dims.H, T, T}, f64), vals = at::zeros({dims.H, T, d}, f64);
    for (int64_t h = 0; h < dims.H; ++h) {
        const int64_t j = h / rep;
        for (int64_t t = 0; t < T; ++t) {
            const at::Tensor qt = ropeByHand(at::mv(q.narrow(0, h * d, d), x[t]), freq, pos[size_t(t)]);
            for (int64_t u = 0; u < T; ++u) {
                const at::Tensor ku = ropeByHand(at::mv(k.narrow(0, j * d, d), x[u]), freq, pos[size_t(u)]);
                s[h][t][u] = scale * at::dot(qt, ku).item<double>();
            }
            vals[h][t] = at::mv(v.narrow(0, j * d, d), x[t]);
        }
    }
    return {s, vals};
}

// MLA (DeepSeek): s_h(t, u) = (q_nope^h . W_UK^h c_u + RoPE_t(q_rope^h) . RoPE_u(k_rope_u)) / sqrt(d_n +
// r_R), q = W_q x, [c | k_rope] = W_kvA x, values W_UV^h c_u; RoPE at the layer's plane frequencies.
Scores mlaByHand(const model::MlaAttention& a, int64_t H, const at::Tensor& x,
                 const std::vector<double>& pos) {
    const int64_t T = x.size(0), dn = a.nopeDim, rR = a.ropeDim, dv = a.vDim, r = a.rank;
    const at::Tensor wq = at::cat({a.q.weight, a.q.bias.unsqueeze(1)}, 1),
                     wkv = at::cat({a.kvA.weight, a.kvA.bias.unsqueeze(1)}, 1);
    const at::Tensor invFreq = a.ropeInvFreq.to(at::kDouble);
    std::vector<double> freq(invFreq.data_ptr<double>(), invFreq.data_ptr<double>() + invFreq.numel());
    at::Tensor s = at::zeros({H, T, T}, f64), vals = at::zeros({H, T, dv}, f64);
    for (int64_t h = 0; h < H; ++h) {
        const at::Tensor wUK = a.kvB.weight.narrow(0, h * (dn + dv), dn),
                         wUV = a.kvB.weight.narrow(0, h * (dn + dv) + dn, dv);
        const at::Tensor wqh = wq.narrow(0, h * (dn + rR), dn + rR);
        for (int64_t t = 0; t < T; ++t) {
            const at::Tensor qt = at::mv(wqh, x[t]);
            const at::Tensor qRope = ropeByHand(qt.narrow(0, dn, rR), freq, pos[size_t(t)]);
            for (int64_t u = 0; u < T; ++u) {
                const at::Tensor kv = at::mv(wkv, x[u]);
                const at::Tensor c = kv.narrow(0, 0, r),
                                 kRope = ropeByHand(kv.narrow(0, r, rR), freq, pos[size_t(u)]);
                const double nope = at::dot(qt.narrow(0, 0, dn), at::mv(wUK, c)).item<double>();
                s[h][t][u] = (nope + at::dot(qRope, kRope).item<double>()) / std::sqrt(double(dn + rR));
            }
            vals[h][t] = at::mv(wUV, at::mv(wkv, x[t]).narrow(0, 0, r));
        }
    }
    return {s, vals};
}

// A random layer (with biases), converted at full rank by the steps themselves; returns both forms'
// scores and values on random tokens x (last column 1) at positions `pos`.
std::pair<Scores, Scores> convertRandomLayer(const ResolvedDims& dims, const std::vector<double>& pos,
                                             bool balance) {
    const int64_t D = 12, T = int64_t(pos.size()), g = dims.g, d = dims.d, rR = dims.ropeDim, n = g * d - rR;
    convert::MlaParts p;
    p.q = at::randn({dims.H * d, D + 1}, f64);
    p.k = at::randn({g * d, D + 1}, f64);
    p.v = at::randn({g * d, D + 1}, f64) * 3; // unbalanced on purpose
    const at::Tensor xGram = randomSpd(D + 1);
    p.rotation = convert::roRope(randomSpd(g * d / 2), dims, true, 0);
    const at::Tensor rotK = at::matmul(p.rotation.rotation, p.k);
    p.alpha = balance ? convert::balanceAlpha(rotK.narrow(0, rR, n), p.v, xGram) : 1.0;
    p.latent = convert::jointPca(at::cat({rotK.narrow(0, rR, n) / p.alpha, p.v}, 0), xGram, -1, 0, true);
    const double gqaScale = 1.0 / std::sqrt(double(d)); // the original softmax scale
    p.queryScale = gqaScale * std::sqrt(double(d + rR));
    std::vector<double> freq;
    // fp32 values, as a model's RoPE frequencies are (the MLA layer keeps them in fp32).
    for (int64_t i = 0; i < d / 2; ++i)
        freq.push_back(double(float(std::pow(10000.0, -2.0 * double(i) / double(d)))));
    p.originalInvFreq = at::tensor(freq, f64);
    model::Linear o;
    o.weight = at::randn({D, dims.H * d}, f64);
    const model::MlaAttention mla = convert::assembleMla(p, dims, o, true, at::kDouble);
    const at::Tensor x = at::cat({at::randn({T, D}, f64), at::ones({T, 1}, f64)}, 1);
    return {gqaByHand(p.q, p.k, p.v, dims, x, pos, freq, gqaScale), mlaByHand(mla, dims.H, x, pos)};
}

double relErr(const at::Tensor& a, const at::Tensor& b) {
    return maxAbs(a - b) / maxAbs(b);
}

} // namespace

class TestSteps : public QObject {
    Q_OBJECT
private slots:
    void init() { at::manual_seed(7); }

    void roRopeRotationIsOrthogonalPerPlane_data() {
        QTest::addColumn<int>("f");
        QTest::addColumn<int>("ropeDim");
        QTest::newRow("f1 rR=d") << 1 << 16;
        QTest::newRow("f2 rR=8") << 2 << 8;
        QTest::newRow("f4 rR=8") << 4 << 8;
        QTest::newRow("all rope") << 1 << 32;
    }
    void roRopeRotationIsOrthogonalPerPlane() {
        QFETCH(int, f);
        QFETCH(int, ropeDim);
        c10::InferenceMode guard;
        const ResolvedDims dims = dimsFor(2, 16, 4, ropeDim, f);
        const int64_t gd = 32, half = 8, P = dims.planes;
        const at::Tensor R = convert::roRope(randomSpd(gd / 2), dims, true, 1e-8).rotation;
        QCOMPARE(R.sizes().vec(), (std::vector<int64_t>{gd, gd}));
        const double orth = std::max(maxAbs(at::matmul(R, R.t()) - at::eye(gd, f64)),
                                     maxAbs(at::matmul(R.t(), R) - at::eye(gd, f64)));
        QVERIFY2(orth <= 1e-12, qPrintable(QString::number(orth)));
        // Rows come in pairs (x, y) = (rope k, rope P + k), then (NoPE 2i, 2i + 1): the x row reads only
        // first-half coordinates (m*d + i, i < d/2) and the y row the same weights on m*d + i + d/2.
        auto checkPair = [&](int64_t rx, int64_t ry) {
            for (int64_t m = 0; m < 2; ++m) {
                const at::Tensor x = R[rx].narrow(0, m * 16, 16), y = R[ry].narrow(0, m * 16, 16);
                QCOMPARE(maxAbs(x.narrow(0, half, half)), 0.0);
                QCOMPARE(maxAbs(y.narrow(0, 0, half)), 0.0);
                QCOMPARE(maxAbs(x.narrow(0, 0, half) - y.narrow(0, half, half)), 0.0);
            }
        };
        for (int64_t k = 0; k < P; ++k)
            checkPair(k, P + k);
        for (int64_t row = ropeDim; row < gd; row += 2)
            checkPair(row, row + 1);
    }

    // Identity mixing, g = 1, d = 8, r_R = 4, f = 2 by hand: blocks {freq 0, 1}, {2, 3}, one rope plane
    // each (its first slot, frequency 0 and 2); rows [x(f0) x(f2) | y(f0) y(f2) | NoPE (1, 5), (3, 7)].
    void roRopeIdentityIsTheHandPermutation() {
        const ResolvedDims dims = dimsFor(1, 8, 1, 4, 2);
        const convert::KeyRotation rot = convert::roRope(randomSpd(4), dims, false, 0);
        const std::vector<int64_t> source{0, 2, 4, 6, 1, 5, 3, 7}; // row -> the key dim it reads
        at::Tensor expected = at::zeros({8, 8}, f64);
        for (int64_t row = 0; row < 8; ++row)
            expected[row][source[size_t(row)]] = 1.0;
        QCOMPARE(maxAbs(rot.rotation - expected), 0.0);
        QCOMPARE(rot.freqIndex, (std::vector<int64_t>{0, 2}));
    }

    // blockSlots (slot m*d/2 + i, by frequency then head) and the plane -> frequency map
    // freqIndex[b*p + c] = b*f + floor(c*f/p), by hand for g = 2.
    void freqFoldIndexMapMatchesHandTables_data() {
        QTest::addColumn<int>("d");
        QTest::addColumn<int>("ropeDim");
        QTest::addColumn<int>("f");
        QTest::addColumn<std::vector<int64_t>>("block0");
        QTest::addColumn<std::vector<int64_t>>("block1");
        QTest::addColumn<std::vector<int64_t>>("freqIndex");
        // d = 8 (4 frequencies), r_R = 8: P = 4 planes, 4 blocks of one frequency, p = 1.
        QTest::newRow("f=1") << 8 << 8 << 1 << std::vector<int64_t>{0, 4} << std::vector<int64_t>{1, 5}
                             << std::vector<int64_t>{0, 1, 2, 3};
        // d = 16 (8 frequencies), r_R = 8: P = 4, 4 blocks of 2 frequencies, p = 1: frequencies 0, 2, 4, 6.
        QTest::newRow("f=2") << 16 << 8 << 2 << std::vector<int64_t>{0, 8, 1, 9}
                             << std::vector<int64_t>{2, 10, 3, 11} << std::vector<int64_t>{0, 2, 4, 6};
        // d = 32 (16 frequencies), r_R = 16: P = 8, 4 blocks of 4 frequencies, p = 2:
        // plane b*2 + c -> 4b + floor(4c/2) = 4b + 2c.
        QTest::newRow("f=4") << 32 << 16 << 4 << std::vector<int64_t>{0, 16, 1, 17, 2, 18, 3, 19}
                             << std::vector<int64_t>{4, 20, 5, 21, 6, 22, 7, 23}
                             << std::vector<int64_t>{0, 2, 4, 6, 8, 10, 12, 14};
    }
    void freqFoldIndexMapMatchesHandTables() {
        QFETCH(int, d);
        QFETCH(int, ropeDim);
        QFETCH(int, f);
        QFETCH(std::vector<int64_t>, block0);
        QFETCH(std::vector<int64_t>, block1);
        QFETCH(std::vector<int64_t>, freqIndex);
        const ResolvedDims dims = dimsFor(2, d, 2, ropeDim, f);
        QCOMPARE(convert::blockSlots(dims, 0), block0);
        QCOMPARE(convert::blockSlots(dims, 1), block1);
        for (bool pca : {false, true})
            QCOMPARE(convert::roRope(randomSpd(d), dims, pca, 1e-8).freqIndex, freqIndex);
    }

    // Diagonal key Gram (g = 1, d = 8, r_R = 4, f = 2): slot energies [1, 4 | 9, 2]; each block keeps its
    // strongest slot (slot 1 = dims 1, 5; slot 2 = dims 2, 6); rope energy (4 + 9) / 16.
    void roRopeKeepsTheStrongestSlots() {
        const ResolvedDims dims = dimsFor(1, 8, 1, 4, 2);
        const at::Tensor gram = at::diag(at::tensor(std::vector<double>{1, 4, 9, 2}, f64));
        const convert::KeyRotation rot = convert::roRope(gram, dims, true, 0);
        const at::Tensor R = rot.rotation.abs();
        QCOMPARE(R[0][1].item<double>(), 1.0); // plane 0 x
        QCOMPARE(R[2][5].item<double>(), 1.0); // plane 0 y
        QCOMPARE(R[1][2].item<double>(), 1.0); // plane 1 x
        QCOMPARE(R[3][6].item<double>(), 1.0); // plane 1 y
        QVERIFY(std::abs(rot.ropeEnergyFraction - 13.0 / 16.0) <= 1e-12);
    }

    // Spectrum [4, 3, 2, 1, 0, 0] (total 10; cumulative shares .4, .7, .9, 1, 1, 1) in a random basis Q.
    void energyToRankAtItsBoundaries_data() {
        QTest::addColumn<double>("energy");
        QTest::addColumn<int>("rank");
        QTest::newRow("0 = off: full") << 0.0 << 6;
        QTest::newRow("tiny") << 1e-9 << 1;
        QTest::newRow("exactly .4") << 0.4 << 1;
        QTest::newRow("just above .4") << 0.4 + 1e-9 << 2;
        QTest::newRow("just below .7") << 0.7 - 1e-9 << 2;
        QTest::newRow("exactly .7") << 0.7 << 2;
        QTest::newRow("just above .7") << 0.7 + 1e-9 << 3;
        QTest::newRow("exactly .9") << 0.9 << 3;
        QTest::newRow("1: the non-zero spectrum") << 1.0 << 4;
    }
    void energyToRankAtItsBoundaries() {
        QFETCH(double, energy);
        QFETCH(int, rank);
        const std::vector<double> lambda{4, 3, 2, 1, 0, 0};
        const at::Tensor Q = randomOrthogonal(6);
        // C_z = M G M^T with G = I and M = Q diag(sqrt(lambda)): C_z = Q diag(lambda) Q^T.
        const at::Tensor mz = at::matmul(Q, at::diag(at::tensor(lambda, f64).sqrt()));
        const convert::LatentBasis b = convert::jointPca(mz, at::eye(6, f64), -1, energy, true);
        QCOMPARE(b.rank, int64_t(rank));
        double kept = 0;
        for (int i = 0; i < rank; ++i)
            kept += lambda[size_t(i)];
        QVERIFY(std::abs(b.retainedEnergy - kept / 10.0) <= 1e-12);
        QVERIFY(maxAbs(b.eigenvalues - at::tensor(lambda, f64)) <= 1e-12);
        // The kept subspace is the span of Q's first `rank` columns (rank <= 4: distinct eigenvalues).
        if (rank <= 4) {
            const at::Tensor Qr = Q.narrow(1, 0, rank);
            QVERIFY(maxAbs(at::matmul(b.basis, b.basis.t()) - at::matmul(Qr, Qr.t())) <= 1e-12);
        }
        // An explicit rank wins when no energy is asked for.
        QCOMPARE(convert::jointPca(mz, at::eye(6, f64), 3, 0, true).rank, int64_t(3));
    }

    // alpha = mean RMS of the K_nope dims / mean RMS of the V dims, the RMS of output dim w being
    // sqrt(w G w^T). By hand with G = I: K rows [3, 4], [0, 1] -> 5, 1 (mean 3); V rows [1, 0], [0, 2]
    // -> 1, 2 (mean 1.5): alpha = 2.
    void balanceAlphaByHandAndScaling() {
        const at::Tensor k = at::tensor(std::vector<double>{3, 4, 0, 1}, f64).view({2, 2});
        const at::Tensor v = at::tensor(std::vector<double>{1, 0, 0, 2}, f64).view({2, 2});
        QVERIFY(std::abs(convert::balanceAlpha(k, v, at::eye(2, f64)) - 2.0) <= 1e-12);
        const at::Tensor K = at::randn({12, 9}, f64), V = at::randn({16, 9}, f64), G = randomSpd(9);
        const double alpha = convert::balanceAlpha(K, V, G);
        for (double c : {2.5, 1e-3, 40.0}) {
            QVERIFY(std::abs(convert::balanceAlpha(K, V * c, G) * c / alpha - 1) <= 1e-12);
            QVERIFY(std::abs(convert::balanceAlpha(K * c, V, G) / (c * alpha) - 1) <= 1e-12);
        }
        QCOMPARE(convert::balanceAlpha(at::zeros({0, 9}, f64), V, G),
                 1.0); // no NoPE dims: nothing to balance
    }

    // All-RoPE (r_R = g*d, f = 1): heads mixed within each frequency commute with RoPE, so the MLA
    // scores equal the GQA scores at any positions.
    void fullRankAssemblyReproducesGqaScoresWithRope() {
        c10::InferenceMode guard;
        const ResolvedDims dims = dimsFor(2, 8, 4, 16, 1);
        const auto [gqa, mla] = convertRandomLayer(dims, {0, 3, 7, 20, 101}, false);
        const double s = relErr(mla.scores, gqa.scores), v = relErr(mla.values, gqa.values);
        qInfo("all-RoPE full rank: scores rel. error %.3g, values %.3g", s, v);
        QVERIFY2(s <= 1e-10, qPrintable(QString::number(s)));
        QVERIFY2(v <= 1e-10, qPrintable(QString::number(v)));
    }

    // r_R < g*d with FreqFold 2 and balanced K/V: without RoPE (every token at position 0) the NoPE keys,
    // alpha and the latent basis must cancel exactly at full rank.
    void fullRankAssemblyReproducesGqaScoresWithoutRope() {
        c10::InferenceMode guard;
        const ResolvedDims dims = dimsFor(2, 8, 4, 4, 2);
        const auto [gqa, mla] = convertRandomLayer(dims, {0, 0, 0, 0, 0}, true);
        const double s = relErr(mla.scores, gqa.scores), v = relErr(mla.values, gqa.values);
        qInfo("r_R 4 of 16, full rank, no RoPE: scores rel. error %.3g, values %.3g", s, v);
        QVERIFY2(s <= 1e-10, qPrintable(QString::number(s)));
        QVERIFY2(v <= 1e-10, qPrintable(QString::number(v)));
    }
};

} // namespace tst_steps

TRANSMLA_TEST_MAIN(tst_steps, tst_steps::TestSteps)
#include "tst_steps.moc"
