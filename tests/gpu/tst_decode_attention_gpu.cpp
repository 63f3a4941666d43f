// The fused decode attention (kernels/decode_attention.h) against independent references, on a CUDA
// device (a plain executable: the GPU machine has no Qt; exit status 0 = pass).
//   1. kernel: for GQA and MLA shapes (ranks, r_R, heads per group), batches and per-sequence lengths
//      that are not multiples of the 64-position tile (rows past each length hold NaN), the kernel's bf16
//      output against attention computed in fp32 from the same bf16 inputs (matmul, softmax), and against the
//      project's ATen path (model::attend in bf16). Tolerance: max |error| <= 2e-2 * max |reference| (bf16
//      keeps 8 bits: the probabilities and the output are each rounded once, ~4e-3 relative each).
//   2. the fused step kernels (RoPE on a column slice, SiLU * up on contiguous and packed halves, RMSNorm of
//      a column slice, residual add + RMSNorm) against fp32; their 8-value and value-per-thread paths against
//      each other, and the prompt's RoPE + concatenation and the step's fused appends against the kernels
//      they replace (bit for bit).
//   3. model (optional MODEL_DIR[:RANK] ...): decoding steps after one prompt of MODEL_CTX (300) tokens,
//      the CUDA-graph step against the same step run eagerly with the kernels (the same kernels
//      replayed: within 1e-3 of the logits' magnitude; cuBLAS may pick other algorithms in a capture),
//      and against the full forward (no cache) no farther than twice the ATen path's distance.
//   4. a prompt's tuned products (kernels/tuned_linear.h): every call while cuBLASLt's candidates are timed
//      and after the fastest is chosen, against at::linear (<= 1e-2 of max |y|: the same bf16 products,
//      tiled otherwise) and fp32; the shapes it refuses; and on each model, a prompt of 2 x 4096 tokens
//      (TUNED_CTX) three times through the tuned path, its logits against the full forward no farther than
//      twice those of the same prompt through at::linear.
// Usage: tst_decode_attention_gpu [MODEL_DIR[:RANK] ...]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "../random_conversion.h"
#include "kernels/decode_attention.h"
#include "kernels/decode_attention_launch.h"
#include "kernels/step_ops.h"
#include "kernels/tuned_linear.h"
#include "model/decode_step.h"
#include "model/kv_cache.h"
#include "model/modules.h"

using namespace transmla;

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "PASS" : "FAIL", what.c_str());
    if (!ok) ++failures;
}

double relErr(const at::Tensor& a, const at::Tensor& ref) {
    return (a.to(at::kFloat) - ref.to(at::kFloat)).abs().max().item<double>() /
           std::max(1e-12, ref.to(at::kFloat).abs().max().item<double>());
}

// One sequence in fp32: q [H, Dk], keys [G, L, Dk], values [G, L, Dv] -> [H, Dv].
at::Tensor referenceFp32(const at::Tensor& q, const at::Tensor& keys, const at::Tensor& values,
                         double scale) {
    const int64_t H = q.size(0), G = keys.size(0);
    at::Tensor k = keys.to(at::kFloat).repeat_interleave(H / G, 0),
               v = values.to(at::kFloat).repeat_interleave(H / G, 0);
    at::Tensor s = at::bmm(q.to(at::kFloat).unsqueeze(1), k.transpose(1, 2)) * scale; // [H, 1, L]
    return at::bmm(at::softmax(s, -1), v).squeeze(1);                                 // [H, Dv]
}

// RoPE tables of `positions` positions (default one) for rows of `width` values, as the model builds them
// ([f | f] halves, fp32 on CUDA), at random angles in [0, 20).
model::RopeTables randomRopeTables(int64_t width, int64_t positions = 1) {
    const at::Tensor angle =
        at::rand({positions, width / 2}, at::TensorOptions().dtype(at::kFloat).device(at::kCUDA)) * 20.0;
    const at::Tensor emb = at::cat({angle, angle}, -1);
    return {emb.cos().contiguous(), emb.sin().contiguous()};
}

struct Case {
    const char* form;
    int64_t heads, groups, dk, dv; // MLA: groups 1, dk = r + r_R, dv = r
    int64_t batch, capacity;
    std::vector<int64_t> lengths; // per sequence (cycled)
};

void runCase(const Case& c) {
    const bool mla = std::string(c.form) == "MLA";
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    const double scale = 1.0 / std::sqrt(double(mla ? 192 : c.dk));
    at::Tensor q = at::randn({c.batch, c.heads, c.dk}, bf);
    at::Tensor keys, values;
    if (mla) {
        keys = at::randn({c.batch, c.capacity, c.dk}, bf).unsqueeze(1); // rows [c | k_rope]
    } else {
        keys = at::randn({c.batch, c.groups, c.capacity, c.dk}, bf);
        values = at::randn({c.batch, c.groups, c.capacity, c.dv}, bf);
    }
    std::vector<int32_t> lens;
    for (int64_t b = 0; b < c.batch; ++b)
        lens.push_back(int32_t(c.lengths[size_t(b) % c.lengths.size()]));
    // Rows past each length hold NaN: the kernel must not let them into the result (a zero probability
    // times NaN is NaN), whatever an unused part of a cache holds.
    for (int64_t b = 0; b < c.batch; ++b) {
        const int64_t L = lens[size_t(b)];
        keys[b].narrow(1, L, c.capacity - L).fill_(NAN);
        if (!mla) values[b].narrow(1, L, c.capacity - L).fill_(NAN);
    }
    const at::Tensor lengths = at::tensor(lens, at::kInt).to(at::kCUDA);
    const at::Tensor out = kernels::decodeAttention(q, keys, values, lengths, c.dv, scale);
    // The latent kernel reduces its own splits (decodeFusedReduction): against the separate reduction launch.
    const std::string kernel =
        kernels::decodeAttentionKernel(c.heads / c.groups, c.dk, c.dv, mla, c.capacity, c.batch * c.groups);
    double errFused = 0;
    if (kernel == "latent" && kernels::decodeFusedReduction()) {
        kernels::decodeFusedReduction() = false;
        errFused = relErr(out, kernels::decodeAttention(q, keys, values, lengths, c.dv, scale));
        kernels::decodeFusedReduction() = true;
    }
    double errRef = 0, errAten = 0, errAtenRef = 0;
    for (int64_t b = 0; b < c.batch; ++b) {
        const int64_t L = lens[size_t(b)];
        const at::Tensor kb = keys[b].narrow(1, 0, L);
        const at::Tensor vb = mla ? kb.narrow(-1, 0, c.dv) : values[b].narrow(1, 0, L);
        const at::Tensor ref = referenceFp32(q[b], kb, vb, scale);
        model::AttentionSpec spec;
        spec.scale = scale;
        spec.queryOffset = L - 1;
        spec.allowFused = false;
        const at::Tensor aten =
            model::attend(q[b].view({1, c.heads, 1, c.dk}), kb.unsqueeze(0), vb.unsqueeze(0), spec)
                .view({c.heads, c.dv});
        errRef = std::max(errRef, relErr(out[b], ref));
        errAten = std::max(errAten, relErr(out[b], aten));
        errAtenRef = std::max(errAtenRef, relErr(aten, ref));
    }
    char what[400];
    std::snprintf(
        what, sizeof what,
        "%s H %lld G %lld Dk %lld Dv %lld batch %lld capacity %lld lengths %d.. (%s kernel): kernel vs fp32 "
        "%.2e, vs ATen %.2e (ATen vs fp32 %.2e)%s%.2e",
        c.form, (long long)c.heads, (long long)c.groups, (long long)c.dk, (long long)c.dv, (long long)c.batch,
        (long long)c.capacity, lens[0], kernel.c_str(), errRef, errAten, errAtenRef,
        kernel == "latent" ? ", its own reduction vs the separate one " : "", errFused);
    // Against fp32 within 2e-2; against ATen's bf16 path within that plus ATen's own distance from fp32
    // (which reached 2.66e-2 on other random rows: 28 heads, batch 8, 8,999 positions).
    // The two reductions add the same fp32 terms in another order: within one bf16 rounding of the output.
    expect(errRef <= 2e-2 && errAten <= 2e-2 + errAtenRef && errFused <= 8e-3, what);
}

// MLA at up to 4 sequences: the decode reduction with the absorbed output (decodeAttention with W_UV
// [H, 128, Dv], a view of a kv_b-like weight) against fp32 of the kernel's own bf16 latent (the same call
// without it), equal in two runs (the slices' sums meet in a fixed order), and within one rounding of the
// separate kernel's (fusedAbsorbOutput). Batches 1..4 give one, two and four column slices.
void runAbsorbedReduction() {
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    struct Shape {
        int64_t heads, dk, dv, batch, capacity, length;
    };
    // The last shape runs the latent kernel on Hopper (9 tiles per split); with the absorbed output its
    // splits go to the separate reduction (decodeFusedReduction is not taken then), without it (lat) to its
    // own.
    for (const Shape& c : {Shape{32, 576, 512, 1, 4160, 4097}, Shape{32, 576, 512, 2, 1000, 999},
                           Shape{32, 576, 512, 4, 700, 65}, Shape{8, 80, 64, 3, 300, 191},
                           Shape{32, 576, 512, 4, 17000, 16999}}) {
        const at::Tensor q = at::randn({c.batch, c.heads, c.dk}, bf);
        const at::Tensor keys = at::randn({c.batch, c.capacity, c.dk}, bf).unsqueeze(1);
        const at::Tensor lengths =
            at::full({c.batch}, c.length, at::TensorOptions().dtype(at::kInt).device(at::kCUDA));
        const double scale = 1.0 / std::sqrt(192.0);
        const at::Tensor wkv = at::randn({c.heads * (64 + 128), c.dv}, bf).view({c.heads, 64 + 128, c.dv});
        const at::Tensor wUV = wkv.narrow(1, 64, 128);
        const at::Tensor lat = kernels::decodeAttention(q, keys, {}, lengths, c.dv, scale);
        bool absorbed = false, again = false;
        const at::Tensor o1 = kernels::decodeAttention(q, keys, {}, lengths, c.dv, scale, wUV, &absorbed);
        const at::Tensor o2 = kernels::decodeAttention(q, keys, {}, lengths, c.dv, scale, wUV, &again);
        const at::Tensor ref = at::einsum("bhr,hvr->bhv", {lat.to(at::kFloat), wUV.to(at::kFloat)});
        const at::Tensor separate = kernels::fusedAbsorbOutput(lat, wUV);
        const double e = absorbed ? relErr(o1, ref) : 1.0;
        const double eSep = absorbed && separate.defined() ? relErr(o1, separate) : 1.0;
        // W_UV shared by groups of 4 heads (model.h): equal to the rows repeated per head, bit for bit.
        const at::Tensor wShared = wkv.narrow(0, 0, c.heads / 4).narrow(1, 64, 128);
        bool sharedAbsorbed = false, repeatedAbsorbed = false;
        const at::Tensor oShared =
            kernels::decodeAttention(q, keys, {}, lengths, c.dv, scale, wShared, &sharedAbsorbed);
        const at::Tensor oRepeated = kernels::decodeAttention(
            q, keys, {}, lengths, c.dv, scale, wShared.repeat_interleave(4, 0), &repeatedAbsorbed);
        const bool sharedSame = sharedAbsorbed && repeatedAbsorbed && at::equal(oShared, oRepeated);
        const std::string kernel =
            kernels::decodeAttentionKernel(c.heads, c.dk, c.dv, true, c.capacity, c.batch);
        char what[400];
        std::snprintf(
            what, sizeof what,
            "absorbed output in the decode reduction (H %lld r %lld batch %lld length %lld, %s kernel): vs "
            "fp32 %.2e, vs the separate kernel %.2e, two runs equal: %s, W_UV shared by 4 heads equal: %s",
            (long long)c.heads, (long long)c.dv, (long long)c.batch, (long long)c.length, kernel.c_str(), e,
            eSep, absorbed && again && at::equal(o1, o2) ? "yes" : "no", sharedSame ? "yes" : "no");
        expect(absorbed && again && at::equal(o1, o2) && e <= 2e-2 && eSep <= 2e-2 && sharedSame, what);
    }
}

// The fused step kernels (kernels/step_ops.h) against the same arithmetic in fp32 from the same bf16 inputs:
// they round where ATen's bf16 ops round (2-4 roundings of 2^-9 each), so within 2e-2 of the largest
// magnitude; a wrong index or stride would be off by O(1). RoPE runs on a column slice, as MLA's q_rope.
void runStepOps() {
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    const auto f32 = [](const at::Tensor& t) { return t.to(at::kFloat); };
    char what[300];
    const at::Tensor q = at::randn({3, 1, 32, 192}, bf);
    const at::Tensor x = q.narrow(-1, 128, 64); // strided: rows of 192
    const auto [cos, sin] = randomRopeTables(64);
    const at::Tensor rope = kernels::fusedRope(x, cos, sin);
    const at::Tensor rotated = at::cat({-f32(x.narrow(-1, 32, 32)), f32(x.narrow(-1, 0, 32))}, -1);
    const at::Tensor ropeRef = f32(x) * cos.view({1, 1, 1, 64}) + rotated * sin.view({1, 1, 1, 64});
    const double ropeErr = rope.defined() ? relErr(rope, ropeRef) : 1.0;
    std::snprintf(what, sizeof what, "fused RoPE on a column slice vs fp32: %.2e", ropeErr);
    expect(rope.defined() && rope.is_contiguous() && ropeErr <= 2e-2, what);

    const at::Tensor gate = at::randn({2, 1, 14336}, bf), up = at::randn({2, 1, 14336}, bf);
    const at::Tensor act = kernels::fusedSiluMul(gate, up);
    const double actErr = act.defined() ? relErr(act, f32(gate) * at::sigmoid(f32(gate)) * f32(up)) : 1.0;
    std::snprintf(what, sizeof what, "fused SiLU * up vs fp32: %.2e", actErr);
    expect(act.defined() && actErr <= 2e-2, what);

    // The halves of a packed gate | up product (model.h packProjections): rows 2 * 14336 apart.
    const at::Tensor gu = at::randn({2, 1, 2 * 14336}, bf);
    const at::Tensor g2 = gu.narrow(-1, 0, 14336), u2 = gu.narrow(-1, 14336, 14336);
    const at::Tensor act2 = kernels::fusedSiluMul(g2, u2);
    const double act2Err = act2.defined() ? relErr(act2, f32(g2) * at::sigmoid(f32(g2)) * f32(u2)) : 1.0;
    std::snprintf(what, sizeof what, "fused SiLU * up on the halves of one packed product vs fp32: %.2e",
                  act2Err);
    expect(act2.defined() && act2.is_contiguous() && act2Err <= 2e-2, what);
    // RoPE and SiLU * up: 8 values per thread where rows allow (aligned starts and strides), else a value per
    // thread; the same arithmetic, so equal bit for bit (a row one value off alignment takes the second).
    const at::Tensor q193 = at::randn({3, 5, 8, 193}, bf);
    const at::Tensor xOdd = q193.narrow(-1, 1, 64), xEven = xOdd.contiguous();
    const auto [cos5, sin5] = randomRopeTables(64, 5);
    const at::Tensor ropeOdd = kernels::fusedRope(xOdd, cos5, sin5),
                     ropeEven = kernels::fusedRope(xEven, cos5, sin5);
    const at::Tensor gOdd = at::randn({4, 3, 14337}, bf).narrow(-1, 1, 14336), gEven = gOdd.contiguous();
    const at::Tensor uEven = at::randn({4, 3, 14336}, bf);
    const at::Tensor siluOdd = kernels::fusedSiluMul(
                         gOdd, at::cat({uEven.narrow(-1, 0, 1), uEven}, -1).narrow(-1, 1, 14336)),
                     siluEven = kernels::fusedSiluMul(gEven, uEven);
    expect(ropeOdd.defined() && ropeEven.defined() && at::equal(ropeOdd, ropeEven) && siluOdd.defined() &&
               siluEven.defined() && at::equal(siluOdd, siluEven),
           "RoPE and SiLU * up: unaligned rows (a value per thread) equal to aligned ones (8 per thread)");

    // MLA's expanded prompt (fusedRopeConcat): [q_nope | RoPE(q_rope)] out of column slices of one product,
    // and [k_nope | k_rope] with k_rope one head shared by all (head stride 0), against ATen's concatenation
    // of the RoPE kernel's output: equal bit for bit. Unaligned rows are refused (the caller concatenates).
    const at::Tensor qp =
        at::randn({2, 5, 8, 192 + 8}, bf).narrow(-1, 0, 192); // rows of 200, as a packed product
    const at::Tensor qNope = qp.narrow(-1, 0, 128), qRope = qp.narrow(-1, 128, 64);
    const at::Tensor qFull = kernels::fusedRopeConcat(qNope, qRope, cos5, sin5);
    const at::Tensor qWant = at::cat({qNope, kernels::fusedRope(qRope, cos5, sin5)}, -1);
    const at::Tensor kvUp = at::randn({2, 5, 8, 256}, bf), kr = at::randn({2, 5, 1, 64}, bf);
    const at::Tensor kNope = kvUp.narrow(-1, 0, 128), kShared = kr.expand({2, 5, 8, 64});
    const at::Tensor kFull = kernels::fusedRopeConcat(kNope, kShared);
    const at::Tensor refused =
        kernels::fusedRopeConcat(q193.narrow(-1, 1, 128), q193.narrow(-1, 129, 64), cos5, sin5);
    expect(qFull.defined() && qFull.is_contiguous() && at::equal(qFull, qWant) && kFull.defined() &&
               at::equal(kFull, at::cat({kNope, kShared}, -1)) && !refused.defined(),
           "MLA prompt: [q_nope | RoPE(q_rope)] and [k_nope | shared k_rope] in one pass equal to RoPE + "
           "concatenation; unaligned rows refused");

    // RMSNorm of a column slice (MLA's latent out of a packed q | kv_a product).
    const at::Tensor qkv = at::randn({3, 1, 6144 + 576}, bf), wl = at::randn({512}, bf);
    const at::Tensor latent = qkv.narrow(-1, 6144, 512);
    const at::Tensor ln = kernels::fusedRmsNorm(latent, wl, 1e-6);
    const at::Tensor lf = f32(latent);
    const double lnErr =
        ln.defined() ? relErr(ln, f32(wl) * lf * at::rsqrt(lf.pow(2).mean(-1, true) + 1e-6)) : 1.0;
    std::snprintf(what, sizeof what, "fused RMSNorm of a column slice vs fp32: %.2e", lnErr);
    expect(ln.defined() && lnErr <= 2e-2, what);

    const at::Tensor h = at::randn({2, 1, 4096}, bf), a = at::randn({2, 1, 4096}, bf),
                     w = at::randn({4096}, bf);
    const auto [sum, normed] = kernels::fusedAddRmsNorm(h, a, w, 1e-5);
    const at::Tensor sumRef = f32(h) + f32(a);
    const double sumErr = sum.defined() ? relErr(sum, sumRef) : 1.0;
    const at::Tensor s = f32(sumRef.to(at::kBFloat16)); // the residual in bf16, as ATen's add rounds it
    const double normErr =
        normed.defined() ? relErr(normed, f32(w) * s * at::rsqrt(s.pow(2).mean(-1, true) + 1e-5)) : 1.0;
    std::snprintf(what, sizeof what, "fused residual add + RMSNorm vs fp32: sum %.2e, norm %.2e", sumErr,
                  normErr);
    expect(sum.defined() && normed.defined() && sumErr <= 2e-2 && normErr <= 2e-2, what);

    // The norms' two kernels (step_ops.cu): rows of 8-value loads where widths and starts allow, else a
    // value per load. A row one element off alignment takes the second: the same values but for the order of
    // the sum of squares (an ulp of bf16 at most, rarely).
    const at::Tensor wide = at::randn({2, 1, 4097}, bf), w4 = at::randn({4097}, bf);
    const at::Tensor odd = wide.narrow(-1, 1, 4096), even = odd.contiguous(), wEven = w4.narrow(0, 0, 4096);
    const at::Tensor nOdd = kernels::fusedRmsNorm(odd, wEven, 1e-5),
                     nEven = kernels::fusedRmsNorm(even, wEven, 1e-5);
    const at::Tensor narrowRow = at::randn({3, 1, 100}, bf), w100 = at::randn({100}, bf);
    const at::Tensor n100 = kernels::fusedRmsNorm(narrowRow, w100, 1e-5);
    const at::Tensor f100 = f32(narrowRow);
    const double pathErr = nOdd.defined() && nEven.defined() ? relErr(nOdd, nEven) : 1.0;
    const double err100 =
        n100.defined() ? relErr(n100, f32(w100) * f100 * at::rsqrt(f100.pow(2).mean(-1, true) + 1e-5)) : 1.0;
    std::snprintf(
        what, sizeof what,
        "RMSNorm: unaligned row (one value per load) vs aligned (8 per load) %.2e; width 100 vs fp32 %.2e",
        pathErr, err100);
    expect(pathErr <= 1e-2 && err100 <= 2e-2, what);

    // MLA's cache row of a step as one kernel (fusedLatentAppend) vs the kernels it replaces (the same
    // roundings: equal bit for bit) and vs fp32; written at the device-side position 5 of 9 rows, the other
    // rows untouched. kv is the kv_a columns of a packed q | kv_a product; then without a norm (a copy).
    // The same row written by the absorbed query's launch (fusedAbsorbQuery with `append`): the row and the
    // query equal bit for bit to the two kernels'.
    const at::Tensor lpos = at::full({1}, 5, bf.dtype(at::kLong));
    const at::Tensor kv = qkv.narrow(-1, 6144, 576);
    const at::Tensor aq = at::randn({3, 1, 32, 192}, bf), wUK = at::randn({32, 128, 512}, bf);
    const at::Tensor aqNope = aq.narrow(-1, 0, 128), aqRope = aq.narrow(-1, 128, 64);
    for (const bool norm : {true, false}) {
        at::Tensor rows = at::randn({3, 9, 576}, bf);
        const at::Tensor before = rows.clone();
        const at::Tensor wn = norm ? wl : at::Tensor();
        at::Tensor rowsWithQuery = rows.clone();
        const bool ran = kernels::fusedLatentAppend({kv, 512, wn, 1e-6, cos, sin, rows, lpos});
        const kernels::LatentRow withQuery{kv, 512, wn, 1e-6, cos, sin, rowsWithQuery, lpos};
        const at::Tensor qWith = kernels::fusedAbsorbQuery(aqNope, wUK, aqRope, cos, sin, &withQuery);
        const bool withSame = qWith.defined() && at::equal(rowsWithQuery, rows) &&
                              at::equal(qWith, kernels::fusedAbsorbQuery(aqNope, wUK, aqRope, cos, sin));
        const at::Tensor lat = kv.narrow(-1, 0, 512), kr = kv.narrow(-1, 512, 64).view({3, 1, 1, 64});
        const at::Tensor want = at::cat({norm ? kernels::fusedRmsNorm(lat, wl, 1e-6) : lat,
                                         kernels::fusedRope(kr, cos, sin).view({3, 1, 64})},
                                        -1);
        const at::Tensor lf2 = f32(lat), krf = f32(kr).view({3, 1, 64});
        const at::Tensor krRot = at::cat({-krf.narrow(-1, 32, 32), krf.narrow(-1, 0, 32)}, -1);
        const at::Tensor ref =
            at::cat({norm ? f32(wl) * lf2 * at::rsqrt(lf2.pow(2).mean(-1, true) + 1e-6) : lf2,
                     krf * cos.view({1, 1, 64}) + krRot * sin.view({1, 1, 64})},
                    -1);
        const at::Tensor row = rows.narrow(1, 5, 1);
        const bool same = ran && at::equal(row, want);
        const bool others = at::equal(rows.narrow(1, 0, 5), before.narrow(1, 0, 5)) &&
                            at::equal(rows.narrow(1, 6, 3), before.narrow(1, 6, 3));
        const double err = ran ? relErr(row, ref) : 1.0;
        std::snprintf(
            what, sizeof what,
            "fused latent append (%s): row at the device position equal to the separate kernels: %s, "
            "vs fp32 %.2e, other rows untouched: %s; in the absorbed query's launch, row and query equal: %s",
            norm ? "RMSNorm + RoPE" : "copy + RoPE", same ? "yes" : "no", err, others ? "yes" : "no",
            withSame ? "yes" : "no");
        expect(same && others && err <= 2e-2 && withSame, what);
    }

    // GQA's step after the packed q | k | v product (fusedRopeAppend) vs the kernels it replaces (equal bit
    // for bit): q rotated, k rotated and v written at the device-side position 3 of 7 rows, the others
    // untouched.
    const at::Tensor packed = at::randn({2, 1, 4096 + 2 * 1024}, bf);
    const at::Tensor gq = packed.narrow(-1, 0, 4096).view({2, 1, 32, 128}),
                     gk = packed.narrow(-1, 4096, 1024).view({2, 1, 8, 128}),
                     gv = packed.narrow(-1, 5120, 1024).view({2, 1, 8, 128});
    const auto [gCos, gSin] = randomRopeTables(128);
    at::Tensor cacheK = at::randn({2, 8, 7, 128}, bf), cacheV = at::randn({2, 8, 7, 128}, bf);
    const at::Tensor keptK = cacheK.clone(), keptV = cacheV.clone();
    const at::Tensor gpos = at::full({1}, 3, bf.dtype(at::kLong));
    const at::Tensor qStep = kernels::fusedRopeAppend(gq, gk, gv, gCos, gSin, cacheK, cacheV, gpos);
    const at::Tensor wantK = kernels::fusedRope(gk, gCos, gSin).view({2, 8, 128});
    const bool qSame =
        qStep.defined() && at::equal(qStep, kernels::fusedRope(gq, gCos, gSin).view({2, 32, 128}));
    const bool kvSame =
        at::equal(cacheK.select(2, 3), wantK) && at::equal(cacheV.select(2, 3), gv.view({2, 8, 128}));
    bool kvOthers = true;
    for (const int64_t t : {0, 1, 2, 4, 5, 6})
        kvOthers = kvOthers && at::equal(cacheK.select(2, t), keptK.select(2, t)) &&
                   at::equal(cacheV.select(2, t), keptV.select(2, t));
    std::snprintf(what, sizeof what,
                  "fused RoPE + cache append (GQA): q %s, k and v rows %s the separate kernels', other rows "
                  "untouched: %s",
                  qSame ? "equal to" : "DIFFERENT from", kvSame ? "equal to" : "DIFFERENT from",
                  kvOthers ? "yes" : "no");
    expect(qSame && kvSame && kvOthers, what);
}

// MLA's absorbed projections around the decode kernel (step_ops.h) against fp32 einsums of the same bf16
// inputs: q_nope and q_rope as column slices of one q product, W_UK and W_UV as views of kv_b's weight
// [H * (dn + dv), r] (Llama-3-8B's MLA shape, a small odd one, the demo model's); batch 1, 3 and 4 (the most
// they take: at 16 they decline, and the einsums run). One bf16 rounding of fp32 sums: within 2e-2 of the
// largest magnitude.
void runAbsorbed() {
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    const auto f32 = [](const at::Tensor& t) { return t.to(at::kFloat); };
    struct Shape {
        int64_t H, dn, dv, r, rR;
    };
    for (const Shape& c :
         {Shape{32, 128, 128, 512, 64}, Shape{12, 48, 40, 136, 16}, Shape{8, 32, 32, 64, 16}})
        for (const int64_t B : {1, 3, 4}) {
            const at::Tensor q = at::randn({B, 1, c.H, c.dn + c.rR}, bf);
            const at::Tensor qNope = q.narrow(-1, 0, c.dn), qRope = q.narrow(-1, c.dn, c.rR);
            const at::Tensor wkv = at::randn({c.H * (c.dn + c.dv), c.r}, bf).view({c.H, c.dn + c.dv, c.r});
            const at::Tensor wUK = wkv.narrow(1, 0, c.dn), wUV = wkv.narrow(1, c.dn, c.dv);
            const at::Tensor qCat = kernels::fusedAbsorbQuery(qNope, wUK, qRope);
            // With RoPE on the way (the step's q_rope before rotation): equal to rotating first.
            const auto [cos, sin] = randomRopeTables(c.rR);
            const at::Tensor qCatRope = kernels::fusedAbsorbQuery(qNope, wUK, qRope, cos, sin);
            const at::Tensor rotated = kernels::fusedRope(qRope, cos, sin);
            const bool ropeSame = qCatRope.defined() && rotated.defined() &&
                                  at::equal(qCatRope, kernels::fusedAbsorbQuery(qNope, wUK, rotated));
            // q_rope mapped from q_nope in the same launch (a split query, model.h): as ATen's einsum in bf16
            // rotated by fusedRope, the latent columns the same as with q_rope given.
            const at::Tensor ropeMap = (at::randn({c.H, c.dn, c.rR}, bf) * 0.1).contiguous();
            const at::Tensor qCatMap = kernels::fusedAbsorbQuery(qNope, wUK, {}, cos, sin, nullptr, ropeMap);
            const at::Tensor mappedRef =
                kernels::fusedRope(at::einsum("bthd,hde->bthe", {qNope, ropeMap}).contiguous(), cos, sin);
            const double mapErr = qCatMap.defined() && mappedRef.defined()
                                      ? relErr(qCatMap.narrow(-1, c.r, c.rR), mappedRef.view({B, c.H, c.rR}))
                                      : 1.0;
            const bool mapLatentSame =
                qCatMap.defined() && at::equal(qCatMap.narrow(-1, 0, c.r), qCatRope.narrow(-1, 0, c.r));
            // The same launch writing the step's cache rows too: its grid has a block per sequence past the
            // column blocks (the demo model's one block at batch 2+); the query equal bit for bit.
            const at::Tensor rowsKv = at::randn({B, 1, c.r + c.rR}, bf),
                             rowsCache = at::zeros({B, 5, c.r + c.rR}, bf);
            const kernels::LatentRow step{rowsKv,
                                          c.r,
                                          at::randn({c.r}, bf),
                                          1e-6,
                                          cos,
                                          sin,
                                          rowsCache,
                                          at::full({1}, 2, bf.dtype(at::kLong))};
            const at::Tensor qCatMapRow = kernels::fusedAbsorbQuery(qNope, wUK, {}, cos, sin, &step, ropeMap);
            const bool mapRowSame = qCatMapRow.defined() && qCatMap.defined() &&
                                    at::equal(qCatMapRow, qCatMap) &&
                                    rowsCache.narrow(1, 2, 1).abs().sum().item<double>() > 0;
            // kv_b's rows shared by groups of 4 heads (model.h): the kernels reading [H / 4, ...] equal them
            // reading the rows repeated per head, bit for bit.
            const at::Tensor wShared = at::randn({c.H / 4, c.dn + c.dv, c.r}, bf);
            const at::Tensor wRepeated = wShared.repeat_interleave(4, 0);
            const at::Tensor sharedQ =
                kernels::fusedAbsorbQuery(qNope, wShared.narrow(1, 0, c.dn), qRope, cos, sin);
            const at::Tensor sharedOut =
                kernels::fusedAbsorbOutput(at::randn({B, c.H, c.r}, bf), wShared.narrow(1, c.dn, c.dv));
            const bool sharedSame =
                sharedQ.defined() && sharedOut.defined() &&
                at::equal(sharedQ,
                          kernels::fusedAbsorbQuery(qNope, wRepeated.narrow(1, 0, c.dn), qRope, cos, sin));
            const at::Tensor qRef = at::cat(
                {at::einsum("bthd,hdr->bhr", {f32(qNope), f32(wUK)}), f32(qRope).view({B, c.H, c.rR})}, -1);
            const double qErr = qCat.defined() ? relErr(qCat, qRef) : 1.0;
            const at::Tensor lat = at::randn({B, c.H, c.r}, bf);
            const at::Tensor out = kernels::fusedAbsorbOutput(lat, wUV);
            const double oErr =
                out.defined() ? relErr(out, at::einsum("bhr,hvr->bhv", {f32(lat), f32(wUV)})) : 1.0;
            char what[400];
            std::snprintf(
                what, sizeof what,
                "absorbed query / output (H %lld dn %lld dv %lld r %lld rR %lld batch %lld) vs fp32: "
                "%.2e / %.2e; with RoPE on the way equal to rotating first: %s; q_rope mapped in the launch "
                "vs einsum + RoPE %.2e, its latent columns equal: %s, with the cache rows in the launch "
                "equal: %s; W_UK shared by 4 heads equal: %s",
                (long long)c.H, (long long)c.dn, (long long)c.dv, (long long)c.r, (long long)c.rR,
                (long long)B, qErr, oErr, ropeSame ? "yes" : "no", mapErr, mapLatentSame ? "yes" : "no",
                mapRowSame ? "yes" : "no", sharedSame ? "yes" : "no");
            expect(qCat.defined() && out.defined() && qCat.sizes() == qRef.sizes() && qErr <= 2e-2 &&
                       oErr <= 2e-2 && ropeSame && mapErr <= 1e-2 && mapLatentSame && mapRowSame &&
                       sharedSame,
                   what);
        }
    const at::Tensor q16 = at::randn({16, 1, 32, 192}, bf), w16 = at::randn({32, 256, 512}, bf);
    expect(!kernels::fusedAbsorbQuery(q16.narrow(-1, 0, 128), w16.narrow(1, 0, 128), q16.narrow(-1, 128, 64))
                   .defined() &&
               !kernels::fusedAbsorbOutput(at::randn({16, 32, 512}, bf), w16.narrow(1, 128, 128)).defined(),
           "absorbed query / output decline batch 16 (the einsums run)");
}

// The prompt's causal attention (model::attend's fused GPU path: cuDNN on Hopper, else flash with k and v
// repeated and MLA's v padded) against fp32 from the same bf16 inputs: GQA's 32 query heads over 8 kv heads,
// and MLA's expanded heads (q, k of 192, v of 128); 300 positions, not a multiple of any block.
void runPromptAttention() {
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    struct Shape {
        const char* form;
        int64_t H, G, dk, dv;
    };
    for (const Shape& c : {Shape{"GQA", 32, 8, 128, 128}, Shape{"MLA", 32, 32, 192, 128},
                           Shape{"MLA, kv_b per group", 32, 8, 192, 128}}) {
        const int64_t B = 2, T = 300;
        const at::Tensor q = at::randn({B, c.H, T, c.dk}, bf), k = at::randn({B, c.G, T, c.dk}, bf),
                         v = at::randn({B, c.G, T, c.dv}, bf);
        model::AttentionSpec spec;
        spec.scale = 1.0 / std::sqrt(double(c.dk));
        const at::Tensor out = model::attend(q, k, v, spec);
        const int64_t rep = c.H / c.G;
        const at::Tensor kf = k.to(at::kFloat).repeat_interleave(rep, 1),
                         vf = v.to(at::kFloat).repeat_interleave(rep, 1);
        at::Tensor scores = at::matmul(q.to(at::kFloat), kf.transpose(-1, -2)) * spec.scale;
        scores = scores.masked_fill(at::ones({T, T}, bf.dtype(at::kBool)).triu(1), -INFINITY);
        const at::Tensor ref = at::matmul(at::softmax(scores, -1), vf);
        const double err = relErr(out, ref);
        char what[200];
        std::snprintf(what, sizeof what,
                      "%s prompt attention (H %lld, kv heads %lld, dk %lld, dv %lld) vs fp32: %.2e", c.form,
                      (long long)c.H, (long long)c.G, (long long)c.dk, (long long)c.dv, err);
        expect(out.sizes() == ref.sizes() && err <= 2e-2, what);
    }
}

void runTunedLinear() {
    auto bf = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    kernels::resetTunedLinear();
    struct Shape {
        int64_t rows, n, k;
    };
    for (const Shape& c : {Shape{8192, 4672, 4096}, Shape{16384, 2048, 512}, Shape{12288, 1024, 1024}}) {
        const at::Tensor x = at::randn({2, c.rows / 2, c.k}, bf);
        const at::Tensor wAll = at::randn({c.n + 64, c.k}, bf) * (1.0 / std::sqrt(double(c.k)));
        const at::Tensor w = wAll.narrow(0, 64, c.n); // a row block, as of a packed weight
        const at::Tensor ref = at::linear(x, w), ref32 = at::linear(x.to(at::kFloat), w.to(at::kFloat));
        const int calls = kernels::kTunedCandidates + 3;
        int ran = 0;
        double vsLinear = 0, vsFp32 = 0;
        for (int call = 0; call < calls; ++call) {
            const at::Tensor y = kernels::tunedLinear(x, w);
            if (!y.defined() || y.sizes() != ref.sizes()) break;
            ++ran;
            vsLinear = std::max(vsLinear, relErr(y, ref));
            vsFp32 = std::max(vsFp32, relErr(y, ref32));
        }
        const kernels::TunedLinearStats st = kernels::tunedLinearStats();
        char what[300];
        std::snprintf(
            what, sizeof what,
            "tuned product %lld x %lld -> %lld: %d of %d calls ran, vs at::linear %.2e, vs fp32 %.2e; "
            "chosen candidate %d (%.3f ms vs the first choice's %.3f)",
            (long long)c.rows, (long long)c.k, (long long)c.n, ran, calls, vsLinear, vsFp32, st.lastChosen,
            st.lastChosenMs, st.lastFirstMs);
        expect(ran == calls && vsLinear <= 1e-2 && vsFp32 <= 1e-2, what);
    }
    const kernels::TunedLinearStats st = kernels::tunedLinearStats();
    expect(st.shapes == 3 && st.timedCalls >= 3 && st.chosenCalls >= 3,
           "tuned products: 3 shapes, " + std::to_string(st.timedCalls) + " calls timed, " +
               std::to_string(st.chosenCalls) + " ran the chosen candidate");
    const at::Tensor w = at::randn({1024, 1024}, bf);
    const bool refused = !kernels::tunedLinear(at::randn({100, 1024}, bf), w).defined() && // few rows
                         !kernels::tunedLinear(at::randn({8192, 1024}, bf).to(at::kFloat), w.to(at::kFloat))
                              .defined() &&                                                     // fp32
                         !kernels::tunedLinear(at::randn({8192, 1024}, bf), w.t()).defined() && // W^T
                         !kernels::tunedLinear(at::randn({8192, 1004}, bf), at::randn({1024, 1004}, bf))
                              .defined(); // K not a multiple of 8
    expect(refused,
           "tuned products: few rows, fp32, a transposed weight and K = 1004 are left to at::linear");
}

// A prompt long enough for the tuned products, through them and through at::linear, against the full forward.
void runTunedPrompt(const model::Model& m, const std::string& dir) {
    const char* env = std::getenv("TUNED_CTX");
    const int64_t B = 2, ctx = env ? std::stoll(env) : 4096;
    const at::Tensor prompt = at::randint(0, m.config.vocabSize, {B, ctx}, at::kLong).to(m.device());
    model::DecodeFastPath& fast = model::decodeFastPath();
    const model::DecodeFastPath saved = fast;
    kernels::resetTunedLinear();
    auto prefill = [&](bool tuned) {
        fast.promptOps = true;
        fast.promptGemm = tuned;
        model::KvCache cache = model::allocateCache(m, B, ctx + 1);
        at::Tensor logits = model::prefillCached(m, prompt, cache);
        fast = saved;
        return logits;
    };
    const at::Tensor full = model::forwardLogits(m, prompt).narrow(1, ctx - 1, 1);
    const double plain = relErr(prefill(false), full);
    double tuned = 0;
    for (int i = 0; i < 3; ++i) // the first prompts time the candidates, the last runs the chosen ones
        tuned = std::max(tuned, relErr(prefill(true), full));
    const kernels::TunedLinearStats st = kernels::tunedLinearStats();
    char what[400];
    std::snprintf(what, sizeof what,
                  "%s %s, prompt 2 x %lld: through the tuned products (%lld shapes, %lld calls timed, %lld "
                  "chosen) vs the full forward %.2e, through at::linear %.2e",
                  m.config.hasMlaCache() ? "MLA" : "GQA", dir.c_str(), (long long)ctx, (long long)st.shapes,
                  (long long)st.timedCalls, (long long)st.chosenCalls, tuned, plain);
    expect(st.timedCalls > 0 && st.chosenCalls > 0 && tuned <= 2 * plain + 1e-3, what);
}

// Decoding steps on a checkpoint (main converts it in process first where RANK is given): graph vs eager
// kernels vs the ATen path, each step against the full forward over the whole prefix (no cache: SDPA, and
// MLA's expanded form), the reference that none of the cached paths shares.
void runModel(const model::Model& m, const std::string& dir, int64_t ctx) {
    const std::string name =
        std::string(m.config.hasMlaCache() ? "MLA" : "GQA") + " " + dir + " ctx " + std::to_string(ctx);
    const int64_t B = 2, steps = 6;
    const at::Tensor prompt = at::randint(0, m.config.vocabSize, {B, ctx}, at::kLong).to(m.device());
    // The same tokens for every run (a greedy choice could differ on near-ties).
    const at::Tensor tokens = at::randint(0, m.config.vocabSize, {B, steps}, at::kLong).to(m.device());
    model::DecodeFastPath& fast = model::decodeFastPath();
    const model::DecodeFastPath saved = fast;
    auto run = [&](bool kernels, bool graphs, bool promptOps = false) {
        fast.kernels = kernels;
        fast.graphs = graphs;
        fast.promptOps = promptOps;
        model::KvCache cache = model::allocateCache(m, B, ctx + steps + 1);
        model::prefillCached(m, prompt, cache);
        std::vector<at::Tensor> out;
        for (int64_t s = 0; s < steps; ++s)
            out.push_back(model::forwardCached(m, tokens.narrow(1, s, 1), cache));
        return std::make_pair(out, cache.graph != nullptr);
    };
    const auto [graph, captured] = run(true, true);
    const auto eager = run(true, false).first;
    const auto aten = run(false, false).first;
    const auto promptFused = run(true, true, true).first; // the prompt's element-wise work fused too
    // A split query (model.h MlaAttention::qRope): the steps with q_rope from its rope rows instead of the
    // map.
    const model::MlaAttention* split =
        m.layers[0].mla && m.layers[0].mla->qRope.defined() ? &*m.layers[0].mla : nullptr;
    fast.ropeMap = false;
    const auto rows = split ? run(true, true).first : std::vector<at::Tensor>();
    fast = saved;
    expect(captured, name + ": a graph was captured");
    double graphVsEager = 0, graphVsFull = 0, atenVsFull = 0, promptVsFull = 0, rowsVsFull = 0, mapVsRows = 0;
    for (int64_t s = 0; s < steps; ++s) {
        const at::Tensor full =
            model::forwardLogits(m, at::cat({prompt, tokens.narrow(1, 0, s + 1)}, 1)).narrow(1, ctx + s, 1);
        graphVsEager = std::max(graphVsEager, relErr(graph[size_t(s)], eager[size_t(s)]));
        graphVsFull = std::max(graphVsFull, relErr(graph[size_t(s)], full));
        atenVsFull = std::max(atenVsFull, relErr(aten[size_t(s)], full));
        promptVsFull = std::max(promptVsFull, relErr(promptFused[size_t(s)], full));
        if (split) { // against the full forward that reads the rope rows too
            fast.ropeMap = false;
            const at::Tensor fullRows =
                model::forwardLogits(m, at::cat({prompt, tokens.narrow(1, 0, s + 1)}, 1))
                    .narrow(1, ctx + s, 1);
            fast = saved;
            rowsVsFull = std::max(rowsVsFull, relErr(rows[size_t(s)], fullRows));
            mapVsRows = std::max(mapVsRows, relErr(full, fullRows));
        }
    }
    char what[600];
    if (split) { // the map's fit on the first layer, and the steps without it
        const int64_t H = split->qRopeMap.size(0), dn = split->nopeDim, rR = split->ropeDim;
        const at::Tensor mapped = at::matmul(split->qRopeMap.to(at::kDouble).transpose(1, 2),
                                             split->q.weight.to(at::kDouble).view({H, dn, -1}));
        const at::Tensor stored = split->qRope.weight.to(at::kDouble).view({H, rR, -1});
        const double fit = ((mapped - stored).norm() / stored.norm()).item<double>();
        std::snprintf(
            what, sizeof what,
            "%s: query rows split (kv_b heads held %lld, the step's product %lld rows), layer 0's map vs "
            "its rope rows %.2e; with q_rope from the rope rows graph steps vs the full forward %.2e (with "
            "the "
            "map: below); full forward with the map vs with the rows %.2e",
            name.c_str(), (long long)model::mlaKvBHeads(*split), (long long)split->qStepRows, fit, rowsVsFull,
            mapVsRows);
        expect(fit <= std::ldexp(1.0, -6) && rowsVsFull <= 2 * atenVsFull + 1e-3, what);
    } else if (m.config.hasMlaCache()) {
        std::printf("note: %s: query rows not split (no fitted map)\n", name.c_str());
    }
    std::snprintf(what, sizeof what, "%s: 6 graph steps vs the same steps eager, logits rel. error %.2e",
                  name.c_str(), graphVsEager);
    expect(graphVsEager <= 1e-3, what);
    // bf16 steps differ from the full forward by rounding (amplified by a random-weight model's layers):
    // the fast path may be no farther from it than twice the ATen path's distance.
    std::snprintf(what, sizeof what, "%s: vs the full forward, graph steps %.2e, ATen steps %.2e",
                  name.c_str(), graphVsFull, atenVsFull);
    expect(graphVsFull <= 2 * atenVsFull + 1e-3, what);
    std::snprintf(what, sizeof what,
                  "%s: prompt through the fused element-wise kernels, steps vs the full forward %.2e",
                  name.c_str(), promptVsFull);
    expect(promptVsFull <= 2 * atenVsFull + 1e-3, what);
}

} // namespace

int main(int argc, char** argv) {
    if (!at::hasCUDA() || !kernels::decodeKernelsBuilt()) {
        std::printf("SKIP: no CUDA device or no kernels in this build\n");
        return 0;
    }
    c10::InferenceMode guard;
    at::manual_seed(17);
    const std::vector<Case> cases = {
        {"MLA", 32, 1, 576, 512, 1, 4160, {4097}},           // Llama-3-8B at r = 512, r_R = 64
        {"MLA", 32, 1, 576, 512, 3, 1000, {1, 63, 999}},     // shorter than a tile, one short of it
        {"MLA", 28, 1, 320, 256, 2, 700, {65, 700}},         // Qwen2.5-7B's 28 heads (padded to 32)
        {"MLA", 16, 1, 160, 128, 4, 300, {64, 129, 2, 300}}, // r = 128, r_R = 32
        {"MLA", 32, 1, 512, 448, 2, 16400, {16385, 5000}},   // r = 448, r_R = 64
        {"GQA", 32, 8, 128, 128, 1, 4160, {4097}},           // Llama-3-8B
        {"GQA", 28, 4, 128, 128, 3, 900, {1, 129, 777}},     // Qwen2.5-7B (7 queries per group)
        {"GQA", 32, 32, 64, 64, 2, 200, {64, 199}},          // MHA, d = 64
        {"GQA", 32, 8, 128, 128, 16, 2100, {2049}},
        {"MLA", 32, 1, 80, 64, 2, 300, {1, 130}},     // small rank, 32 heads: the wide kernel
        {"GQA", 16, 2, 256, 256, 2, 600, {577, 64}},  // heads of 256 (8 per group): the wide kernel
        {"MLA", 8, 1, 80, 64, 3, 300, {300, 2, 191}}, // the demo model at r = 64, r_R = 16
        // Long enough per block for the latent kernel on Hopper (>= kLatentMinTiles tiles per split: 33, 9).
        {"MLA", 32, 1, 576, 512, 16, 16400, {16385, 9000, 64, 1}},
        {"MLA", 28, 1, 576, 512, 8, 9000, {8999, 4097, 577}},
    };
    for (const Case& c : cases)
        runCase(c);
    runStepOps();
    runAbsorbed();
    runAbsorbedReduction();
    runPromptAttention();
    runTunedLinear();
    std::string why;
    expect(!kernels::decodeAttentionSupports(64, 576, 512, true, &why) && !why.empty(),
           "64 heads per group is refused with a reason: " + why);
    for (int i = 1; i < argc; ++i) { // MODEL_DIR[:RANK] ... (RANK: convert in process first)
        const std::string arg = argv[i];
        const size_t colon = arg.rfind(':');
        const std::string dir = arg.substr(0, colon);
        model::Model m = model::Model::load(dir, {"cuda", "bf16"}); // (one load for both checks)
        const int64_t rank = colon == std::string::npos ? 0 : std::stoll(arg.substr(colon + 1));
        if (rank > 0) test::convertOnRandomIds(m, rank, 16, 8, 128);
        runModel(m, dir, std::stoll(std::getenv("MODEL_CTX") ? std::getenv("MODEL_CTX") : "300"));
        runTunedPrompt(m, dir);
    }
    std::printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
