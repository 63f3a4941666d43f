// FreqFold's key statistics: the covariance each frequency block's PCA diagonalises is the one of
// the keys BEFORE RoPE (the k_proj outputs), as in the reference TransMLA. Hand-built in fp64 from
// the keys the forward pass itself produces (its onKv hook), compared with what the calibration
// streams. Tolerance 1e-10 relative (fp64 sums in a different order).
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/calibration.h"
#include "convert/rorope.h"
#include "model/forward.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_freqfold {

using namespace transmla;
namespace fs = std::filesystem;

namespace {
// Covariance of block b by hand: one row per (token, plane coordinate), one column per slot
// (frequency i of the block, kv head m), in blockSlots' order; mean over tokens of x x^T + y y^T.
at::Tensor handBuiltBlock(const at::Tensor& keys, const convert::ResolvedDims& dims, int64_t b) {
    const int64_t half = dims.d / 2;
    const at::Tensor k = keys.reshape({-1, dims.g, dims.d}).to(at::kDouble); // [N, g, d]
    std::vector<at::Tensor> xs, ys;
    for (int64_t i = b * dims.freqFold; i < (b + 1) * dims.freqFold; ++i)
        for (int64_t m = 0; m < dims.g; ++m) {
            xs.push_back(k.select(1, m).select(1, i));
            ys.push_back(k.select(1, m).select(1, i + half));
        }
    const at::Tensor z = at::cat({at::stack(xs, 1), at::stack(ys, 1)}, 0); // [2N, S]
    return at::matmul(z.t(), z) / double(k.size(0));
}

double relDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
}
} // namespace

class TestFreqFold : public QObject {
    Q_OBJECT
private slots:
    void blockCovarianceIsPreRopeKeyCovariance() {
        c10::InferenceMode guard;
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const model::Model m = model::Model::load(dir, {"cpu", "f64"});
        convert::CalibrationSettings cs;
        cs.samples = 4;
        cs.seqLen = 64;
        const at::Tensor ids =
            convert::calibrationTokens(cs, tok::Tokenizer::load(dir), test::resourcesDir());
        const int64_t layer = 1; // not the first: the streamed hidden states must have advanced
        at::Tensor gram;
        convert::streamLayerStats(m, ids, 2,
                                  [&](int64_t l, const convert::LayerStats& st) {
                                      if (l == layer) gram = st.keyGram.clone();
                                  },
                                  {});
        at::Tensor pre, post;
        model::ForwardHooks hooks;
        hooks.lastLayer = layer;
        hooks.onKv = [&](int64_t l, const at::Tensor& kPre, const at::Tensor& kPost, const at::Tensor&) {
            if (l == layer) {
                pre = kPre.clone();
                post = kPost.clone();
            }
        };
        model::forwardHidden(m, ids, &hooks);
        QVERIFY(gram.defined() && pre.defined());
        for (int64_t f : {1, 2, 4}) {
            convert::ConvertSettings s;
            s.qkRopeHeadDim = 32;
            s.freqFold = f;
            const convert::ResolvedDims dims = convert::resolve(s, m.config).dims;
            double worst = 0, postDiff = 0;
            for (int64_t b = 0; b < dims.blocks; ++b) {
                const at::Tensor c = convert::blockCovariance(gram, dims, b, 0);
                worst = std::max(worst, relDiff(c, handBuiltBlock(pre, dims, b)));
                postDiff =
                    std::max(postDiff, relDiff(handBuiltBlock(post, dims, b), handBuiltBlock(pre, dims, b)));
            }
            qInfo("FreqFold %lld: |C_b - pre-RoPE covariance| %.2g, post- vs pre-RoPE covariance %.2g",
                  (long long)f, worst, postDiff);
            QVERIFY2(worst <= 1e-10, qPrintable(QString::number(worst)));
            // Within one frequency RoPE cancels out of the covariance; across folded ones it does not,
            // so at f > 1 the check above tells pre- from post-RoPE statistics.
            // (1e-6 at f = 1: the RoPE tables are fp32, so the rotation is orthogonal to ~1e-7 only.)
            if (f == 1)
                QVERIFY2(postDiff <= 1e-6, qPrintable(QString::number(postDiff)));
            else
                QVERIFY2(postDiff > 1e-2, qPrintable(QString::number(postDiff)));
        }
    }
};

} // namespace tst_freqfold

TRANSMLA_TEST_MAIN(tst_freqfold, tst_freqfold::TestFreqFold)
#include "tst_freqfold.moc"
