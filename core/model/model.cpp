#include "model/model.h"

#include <ATen/ATen.h>
#include <torch/version.h>

#include <unordered_set>

#include "io/family.h"
#include "io/safetensors.h"
#include "kernels/step_ops.h"
#include "model/modules.h"
#include "util/error.h"

namespace transmla::model {

namespace {

std::string shapeStr(at::IntArrayRef s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i)
        out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}

using K = io::TensorKind;

// Reads tensors by name, checks each against its expected shape, and moves it to device/dtype.
// Remembers what it read, so that a load can tell which tensors of the checkpoint it left alone.
class Loader {
public:
    Loader(const io::Checkpoint& ckpt, at::Device device, at::ScalarType dtype)
        : ckpt_(ckpt), device_(device), dtype_(dtype) {}

    // The mapped tensor itself (host, source dtype), shape-checked.
    at::Tensor hostView(const std::string& name, const std::vector<int64_t>& shape) const {
        const io::TensorInfo& info = ckpt_.info(name); // throws naming the tensor when missing
        read_.insert(name);
        if (info.shape != shape)
            throw FormatError(ckpt_.dir().string(), "tensor '" + name + "'",
                              "shape " + shapeStr(info.shape) + ", expected " + shapeStr(shape) +
                                  " from config.json");
        return ckpt_.view(name);
    }
    at::Tensor get(const std::string& name, std::vector<int64_t> shape) const {
        at::Tensor v = hostView(name, shape);
        // One conversion straight from the mapping; for a matching CPU dtype, copy once so the
        // weights do not depend on the file staying unchanged. Then the mapped pages are dropped:
        // the checkpoint is never resident twice.
        at::Tensor out = v.to(device_, dtype_, /*non_blocking=*/false, /*copy=*/true);
        ckpt_.release(name);
        return out;
    }
    at::Tensor optional(const std::string& name, std::vector<int64_t> shape) const {
        return ckpt_.has(name) ? get(name, std::move(shape)) : at::Tensor();
    }
    // The projection of kind k in layer i (expert e) of family f, with its bias when `bias`.
    Linear linear(const io::FamilySpec& f, K k, int64_t i, int64_t out, int64_t in, bool bias,
                  int64_t e = -1) const {
        Linear l;
        l.weight = get(f.tensorName(k, i, e), {out, in});
        if (bias) l.bias = get(f.biasName(k, i), {out});
        return l;
    }
    std::vector<std::string> unread() const {
        std::vector<std::string> left;
        for (const std::string& name : ckpt_.names())
            if (!read_.count(name)) left.push_back(name);
        return left;
    }

private:
    const io::Checkpoint& ckpt_;
    at::Device device_;
    at::ScalarType dtype_;
    mutable std::unordered_set<std::string> read_;
};

// rope_interleave: the rope dims come as GPT-J pairs (2j, 2j+1); the forward rotates half-split
// pairs (j, j + r_R/2). Reorders the rows [offset, offset + rR) of each `block` rows of w once, at load.
at::Tensor halfSplitRope(const at::Tensor& w, int64_t block, int64_t offset, int64_t rR) {
    std::vector<int64_t> order;
    for (int64_t k = 0; k < offset; ++k)
        order.push_back(k);
    for (int64_t k = 0; k < rR; k += 2)
        order.push_back(offset + k);
    for (int64_t k = 1; k < rR; k += 2)
        order.push_back(offset + k);
    for (int64_t k = offset + rR; k < block; ++k)
        order.push_back(k);
    const at::Tensor index = at::tensor(at::ArrayRef<int64_t>(order), at::kLong).to(w.device());
    std::vector<int64_t> shape = w.sizes().vec();
    std::vector<int64_t> blocks = {w.size(0) / block, block};
    blocks.insert(blocks.end(), shape.begin() + 1, shape.end());
    return w.reshape(blocks).index_select(1, index).reshape(shape).contiguous();
}

MlaAttention loadMla(const Loader& L, const io::ModelConfig& c, const io::FamilySpec& f, int64_t i) {
    MlaAttention m;
    m.ropeDim = c.qkRopeHeadDim;
    m.nopeDim = c.qkNopeHeadDim;
    m.vDim = c.vHeadDim;
    m.rank = c.kvLoraRank;
    const int64_t H = c.numHeads, D = c.hiddenSize, r = c.kvLoraRank, rR = c.qkRopeHeadDim;
    const int64_t qHead = c.qkNopeHeadDim + rR;
    if (c.qLoraRank > 0) {
        m.qA = L.linear(f, K::Qa, i, c.qLoraRank, D, c.qkvBias);
        m.qANorm = L.get(f.tensorName(K::QaNorm, i), {c.qLoraRank});
        m.qB = L.linear(f, K::Qb, i, H * qHead, c.qLoraRank, false);
    } else {
        m.q = L.linear(f, K::Q, i, H * qHead, D, false);
    }
    m.kvA = L.linear(f, K::KvA, i, r + rR, D, c.qkvBias);
    m.kvANorm = L.optional(f.tensorName(K::KvANorm, i), {r});
    m.kvB = L.linear(f, K::KvB, i, H * (c.qkNopeHeadDim + c.vHeadDim), r, false);
    m.o = L.linear(f, K::O, i, D, H * c.vHeadDim, c.oBias);
    if (c.ropeInterleave && rR > 0) {
        Linear& q = m.q.defined() ? m.q : m.qB;
        q.weight = halfSplitRope(q.weight, qHead, c.qkNopeHeadDim, rR);
        m.kvA.weight = halfSplitRope(m.kvA.weight, r + rR, r, rR);
        if (m.kvA.bias.defined()) m.kvA.bias = halfSplitRope(m.kvA.bias, r + rR, r, rR);
    }
    return m;
}

Layer loadLayer(const Loader& L, const io::ModelConfig& c, int64_t i) {
    const io::FamilySpec& f = io::familySpec(c.family);
    const int64_t D = c.hiddenSize, H = c.numHeads, g = c.numKvHeads, d = c.headDim, I = c.intermediateSize;
    Layer layer;
    layer.inputNorm = L.get(f.tensorName(K::InputNorm, i), {D});
    layer.postAttnNorm = L.get(f.tensorName(K::PostAttnNorm, i), {D});
    if (f.has(K::PreFfnNorm)) layer.preFfnNorm = L.get(f.tensorName(K::PreFfnNorm, i), {D});
    if (f.has(K::PostFfnNorm)) layer.postFfnNorm = L.get(f.tensorName(K::PostFfnNorm, i), {D});

    if (f.mla()) {
        layer.mla = loadMla(L, c, f, i);
    } else if (f.has(K::Qkv)) {
        at::Tensor qkv = L.get(f.tensorName(K::Qkv, i), {(H + 2 * g) * d, D});
        layer.gqa.q.weight = qkv.narrow(0, 0, H * d).contiguous();
        layer.gqa.k.weight = qkv.narrow(0, H * d, g * d).contiguous();
        layer.gqa.v.weight = qkv.narrow(0, (H + g) * d, g * d).contiguous();
        layer.gqa.o = L.linear(f, K::O, i, D, H * d, false);
    } else {
        layer.gqa.q = L.linear(f, K::Q, i, H * d, D, c.qkvBias);
        layer.gqa.k = L.linear(f, K::K, i, g * d, D, c.qkvBias);
        layer.gqa.v = L.linear(f, K::V, i, g * d, D, c.qkvBias);
        layer.gqa.o = L.linear(f, K::O, i, D, H * d, c.oBias);
        if (f.has(K::QNorm)) {
            layer.gqa.qNorm = L.get(f.tensorName(K::QNorm, i), {d});
            layer.gqa.kNorm = L.get(f.tensorName(K::KNorm, i), {d});
        }
    }

    if (f.moe()) {
        layer.router = L.linear(f, K::Router, i, c.numExperts, D, false);
        for (int64_t e = 0; e < c.numExperts; ++e) {
            Mlp x;
            x.gate = L.linear(f, K::ExpertGate, i, I, D, false, e);
            x.down = L.linear(f, K::ExpertDown, i, D, I, false, e);
            x.up = L.linear(f, K::ExpertUp, i, I, D, false, e);
            layer.experts.push_back(std::move(x));
        }
    } else if (f.has(K::GateUp)) {
        at::Tensor gu = L.get(f.tensorName(K::GateUp, i), {2 * I, D});
        layer.mlp.gate.weight = gu.narrow(0, 0, I).contiguous();
        layer.mlp.up.weight = gu.narrow(0, I, I).contiguous();
        layer.mlp.down = L.linear(f, K::Down, i, D, I, false);
    } else {
        layer.mlp.gate = L.linear(f, K::Gate, i, I, D, c.mlpBias);
        layer.mlp.up = L.linear(f, K::Up, i, I, D, c.mlpBias);
        layer.mlp.down = L.linear(f, K::Down, i, D, I, c.mlpBias);
    }
    packProjections(layer);
    return layer;
}

// One tensor for the weights (and biases) of ls, each Linear then a row block of it (see packProjections).
void packRows(std::initializer_list<Linear*> ls, bool onCpuToo) {
    const Linear& first = **ls.begin();
    if (!first.weight.defined() || (!first.weight.is_cuda() && !onCpuToo) || first.weight.dim() != 2) return;
    std::vector<at::Tensor> weights, biases;
    for (const Linear* l : ls) {
        if (!l->weight.defined() || l->weight.dim() != 2 || l->weight.size(1) != first.weight.size(1) ||
            l->weight.scalar_type() != first.weight.scalar_type() ||
            l->weight.device() != first.weight.device() || l->bias.defined() != first.bias.defined())
            return;
        weights.push_back(l->weight);
        if (l->bias.defined()) biases.push_back(l->bias);
    }
    if (packedLinears(std::vector<const Linear*>(ls.begin(), ls.end()))) return;
    const at::Tensor w = at::cat(weights, 0), b = biases.empty() ? at::Tensor() : at::cat(biases, 0);
    int64_t row = 0;
    for (Linear* l : ls) {
        const int64_t n = l->weight.size(0);
        l->weight = w.narrow(0, row, n);
        if (b.defined()) l->bias = b.narrow(0, row, n);
        row += n;
    }
}

// The map M [H, dn, rR] with q_rope_h = q_nope_h . M_h for a's query rows (weights, and the bias as one more
// column), or undefined where the rows are not such a map to bf16 rounding. Least squares in fp64 per head
// (normal equations: dn x dn, well conditioned for a projection's rows); the residual is measured with M
// rounded to bf16, as the decoding step uses it: accepted at <= 2^-6 (two bf16 epsilons) of the rope rows'
// norm per head. The rounding of the two row blocks and of M leaves ~3e-3 (tst_forward: 2.7e-3); rope rows
// that are not a map of the nope rows leave ~1.
at::Tensor fitQueryRopeMap(const MlaAttention& a, int64_t heads) {
    const int64_t dn = a.nopeDim, rR = a.ropeDim;
    const at::Tensor& w = a.q.weight;
    if (rR == 0 || heads == 0 || w.scalar_type() != at::kBFloat16 || w.dim() != 2 ||
        w.size(0) != heads * (dn + rR))
        return {};
    at::Tensor rows = w.to(at::kDouble);
    if (a.q.bias.defined()) rows = at::cat({rows, a.q.bias.to(at::kDouble).unsqueeze(1)}, 1);
    rows = rows.view({heads, dn + rR, rows.size(1)});
    const at::Tensor nope = rows.narrow(1, 0, dn), rope = rows.narrow(1, dn, rR);
    at::Tensor map;
    try {
        map =
            at::linalg_solve(at::matmul(nope, nope.transpose(1, 2)), at::matmul(nope, rope.transpose(1, 2)));
    } catch (const std::exception&) { // singular: nope rows that do not span (no map to fit)
        return {};
    }
    map = map.to(at::kBFloat16);
    auto norm = [](const at::Tensor& t) { return t.pow(2).sum({1, 2}).sqrt(); }; // per head
    const at::Tensor residual = norm(at::matmul(map.to(at::kDouble).transpose(1, 2), nope) - rope);
    const at::Tensor scale = norm(rope);
    if (!at::all(residual <= scale * std::ldexp(1.0, -6)).item<bool>()) return {};
    return map.contiguous();
}

// Splits an MLA layer's q into nope and rope rows packed as [q_nope | kv_a | q_rope] where fitQueryRopeMap
// finds the map (MlaAttention::qRope); false where it does not (nothing changed).
bool splitQuery(MlaAttention& a, bool onCpuToo) {
    const at::Tensor& w = a.q.weight;
    if (!w.defined() || (!w.is_cuda() && !onCpuToo) || !a.kvA.weight.defined() ||
        a.kvA.weight.scalar_type() != w.scalar_type() || a.kvA.weight.device() != w.device() ||
        a.kvA.weight.size(1) != w.size(1) || a.kvA.bias.defined() != a.q.bias.defined())
        return false;
    const int64_t dn = a.nopeDim, rR = a.ropeDim, H = rR + dn > 0 ? w.size(0) / (dn + rR) : 0;
    at::Tensor map = fitQueryRopeMap(a, H);
    if (!map.defined()) return false;
    auto blocks = [&](const at::Tensor& q, const at::Tensor& kv) { // [q_nope | kv | q_rope] rows (or biases)
        const at::Tensor heads = q.reshape({H, dn + rR, -1});      // {H, dn + rR, D or 1}
        const at::Tensor y =
            at::cat({heads.narrow(1, 0, dn).reshape({H * dn, -1}), kv.reshape({kv.size(0), -1}),
                     heads.narrow(1, dn, rR).reshape({H * rR, -1})},
                    0);
        return q.dim() == 1 ? y.squeeze(1) : y;
    };
    const at::Tensor pw = blocks(w, a.kvA.weight);
    const at::Tensor pb = a.q.bias.defined() ? blocks(a.q.bias, a.kvA.bias) : at::Tensor();
    const int64_t n[3] = {H * dn, a.kvA.weight.size(0), H * rR};
    Linear* parts[3] = {&a.q, &a.kvA, &a.qRope};
    int64_t row = 0;
    for (int i = 0; i < 3; ++i) {
        parts[i]->weight = pw.narrow(0, row, n[i]);
        parts[i]->bias = pb.defined() ? pb.narrow(0, row, n[i]) : at::Tensor();
        row += n[i];
    }
    a.qRopeMap = map;
    // The step's product: q_nope | kv_a, or up to the next multiple of 256, 512 or 1024 rows where faster.
    std::vector<int64_t> rows{n[0] + n[1]};
    for (const int64_t m : {256, 512, 1024}) {
        const int64_t c = (rows[0] + m - 1) / m * m;
        if (c <= pw.size(0) && c != rows.back()) rows.push_back(c);
    }
    a.qStepRows = kernels::fastestProductRows(pw, rows);
    return true;
}

// kv_b's rows once per group of consecutive heads that hold equal rows (MlaAttention::kvB): the largest such
// group size, bf16 weights (the decoding step's) on CUDA or with onCpuToo.
void shareKvBRows(MlaAttention& a, bool onCpuToo) {
    const at::Tensor& w = a.kvB.weight;
    const int64_t width = a.nopeDim + a.vDim;
    if (!w.defined() || a.kvB.bias.defined() || w.scalar_type() != at::kBFloat16 ||
        (!w.is_cuda() && !onCpuToo) || w.dim() != 2 || width == 0 || w.size(0) % width)
        return;
    const int64_t heads = w.size(0) / width;
    const at::Tensor perHead = w.view({heads, width, w.size(1)});
    for (int64_t rep = heads; rep > 1; --rep) {
        if (heads % rep) continue;
        const at::Tensor grouped = perHead.view({heads / rep, rep, width, w.size(1)});
        if (!at::equal(grouped, grouped.narrow(1, 0, 1).expand_as(grouped))) continue;
        a.kvB.weight = grouped.select(1, 0).reshape({heads / rep * width, w.size(1)}).clone();
        return;
    }
}

} // namespace

int64_t mlaKvBHeads(const MlaAttention& a) {
    return a.kvB.weight.size(0) / (a.nopeDim + a.vDim);
}

at::Tensor mlaKvBRows(const MlaAttention& a, int64_t heads) {
    const int64_t held = mlaKvBHeads(a);
    if (held == heads) return a.kvB.weight;
    const at::Tensor& w = a.kvB.weight;
    return w.view({held, a.nopeDim + a.vDim, w.size(1)})
        .repeat_interleave(heads / held, 0)
        .reshape({heads * (a.nopeDim + a.vDim), w.size(1)});
}

Linear mlaQueryRows(const MlaAttention& a) {
    if (!a.qRope.defined()) return a.q;
    const int64_t H = a.qRopeMap.size(0), dn = a.nopeDim, rR = a.ropeDim;
    auto join = [&](const at::Tensor& nope, const at::Tensor& rope) { // weights, or biases
        if (!nope.defined()) return at::Tensor();
        const at::Tensor y =
            at::cat({nope.reshape({H, dn, -1}), rope.reshape({H, rR, -1})}, 1).reshape({H * (dn + rR), -1});
        return nope.dim() == 1 ? y.squeeze(1) : y;
    };
    return {join(a.q.weight, a.qRope.weight), join(a.q.bias, a.qRope.bias)};
}

void packProjections(Layer& layer, bool onCpuToo) {
    if (layer.mla) {
        MlaAttention& a = *layer.mla;
        if (a.qRope.defined()) { // split before: joined again (and kv_a its own tensor), then refitted
            a.q = mlaQueryRows(a);
            a.kvA = {a.kvA.weight.clone(), a.kvA.bias.defined() ? a.kvA.bias.clone() : at::Tensor()};
            a.qRope = {};
            a.qRopeMap = at::Tensor();
            a.qStepRows = 0;
        }
        if (!a.normedInput() && a.q.defined() && !splitQuery(a, onCpuToo)) packRows({&a.q, &a.kvA}, onCpuToo);
        shareKvBRows(a, onCpuToo);
    } else if (layer.gqa.q.defined()) {
        packRows({&layer.gqa.q, &layer.gqa.k, &layer.gqa.v}, onCpuToo);
    }
    if (layer.experts.empty() && layer.mlp.gate.defined())
        packRows({&layer.mlp.gate, &layer.mlp.up}, onCpuToo);
}

at::ScalarType toTorch(ComputeDtype t) {
    switch (t) {
    case ComputeDtype::F32:
        return at::kFloat;
    case ComputeDtype::BF16:
        return at::kBFloat16;
    case ComputeDtype::F16:
        return at::kHalf;
    case ComputeDtype::F64:
        return at::kDouble; // for exactness checks
    }
    return at::kFloat;
}

at::Device toTorch(const Device& d) {
    if (!d.isCuda()) return at::Device(at::kCPU);
    if (!at::hasCUDA())
        throw SettingError(setting::kDevice, deviceName(d) + ": this build or machine has no CUDA; use cpu");
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    // cuDNN attention builds a plan per new shape (~20 ms): evaluation batches of many lengths
    // ran 8x slower in bf16 with it. Flash / memory-efficient kernels need no plan.
    at::globalContext().setSDPUseCuDNN(false);
#endif
    return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(d.index));
}

at::ScalarType Model::computeDtype() const {
    return toTorch(options.dtype);
}
at::Device Model::device() const {
    return toTorch(options.device);
}

int64_t Model::parameterCount() const {
    int64_t n = embed.numel() + finalNorm.numel();
    if (lmHead.defined() && !config.tieWordEmbeddings) n += lmHead.numel();
    auto lin = [](const Linear& l) {
        return (l.weight.defined() ? l.weight.numel() : 0) + (l.bias.defined() ? l.bias.numel() : 0);
    };
    auto t = [](const at::Tensor& x) { return x.defined() ? x.numel() : 0; };
    for (const auto& L : layers) {
        n += t(L.inputNorm) + t(L.postAttnNorm) + t(L.preFfnNorm) + t(L.postFfnNorm);
        if (L.mla) {
            const auto& m = *L.mla;
            // kv_b per head, as the checkpoint holds it, also where groups of heads share one copy (model.h).
            const int64_t kvB = m.kvB.weight.defined() ? lin(m.kvB) * config.numHeads / mlaKvBHeads(m) : 0;
            n += lin(m.q) + lin(m.qRope) + lin(m.qA) + lin(m.qB) + t(m.qANorm) + lin(m.kvA) + t(m.kvANorm) +
                 kvB + lin(m.o);
            n += lin(m.qPre) + lin(m.kPre) + lin(m.vPre) + t(m.qNorm) + t(m.kNorm) + t(m.qUp);
        } else {
            n += lin(L.gqa.q) + lin(L.gqa.k) + lin(L.gqa.v) + lin(L.gqa.o) + t(L.gqa.qNorm) + t(L.gqa.kNorm);
        }
        n += lin(L.mlp.gate) + lin(L.mlp.up) + lin(L.mlp.down) + lin(L.router);
        for (const auto& e : L.experts)
            n += lin(e.gate) + lin(e.up) + lin(e.down);
    }
    return n;
}

Model Model::load(const std::filesystem::path& dir, const LoadOptions& options, const Progress& progress) {
    Model m;
    m.dir = dir;
    m.options = options;
    m.config = io::loadModelConfig(dir);
    const io::ModelConfig& c = m.config;
    const io::FamilySpec& f = io::familySpec(c.family);
    auto ckpt = std::make_shared<const io::Checkpoint>(dir);
    const Loader L(*ckpt, m.device(), m.computeDtype());
    const int64_t D = c.hiddenSize;
    const std::string embed = f.tensorName(K::Embed), finalNorm = f.tensorName(K::FinalNorm),
                      lmHead = f.tensorName(K::LmHead);

    if (options.streamLayers) {
        // Host views straight on the mapping (shape-checked); only the rows used are ever read.
        m.embed = L.hostView(embed, {c.vocabSize, D});
        m.finalNorm = L.get(finalNorm, {D});
        if (c.tieWordEmbeddings && !ckpt->has(lmHead))
            m.lmHead = m.embed;
        else
            m.lmHead = L.hostView(lmHead, {c.vocabSize, D});
    } else {
        m.embed = L.get(embed, {c.vocabSize, D});
        m.finalNorm = L.get(finalNorm, {D});
        if (c.tieWordEmbeddings && !ckpt->has(lmHead))
            m.lmHead = m.embed;
        else
            m.lmHead = L.get(lmHead, {c.vocabSize, D});
    }

    if (options.streamLayers) {
        m.layers.resize(size_t(c.numLayers));
        m.resident_.assign(size_t(c.numLayers), false);
        m.source_ = std::move(ckpt);
        progress(c.numLayers, c.numLayers, "load");
        return m;
    }
    for (int64_t i = 0; i < c.numLayers; ++i) {
        progress(i, c.numLayers, "load");
        m.layers.push_back(loadLayer(L, c, i));
    }
    m.unreadTensors = L.unread();
    progress(c.numLayers, c.numLayers, "load");
    return m;
}

void Model::materializeLayer(int64_t i) {
    if (!source_ || resident_.at(size_t(i))) return;
    const Loader L(*source_, device(), computeDtype());
    layers[size_t(i)] = loadLayer(L, config, i);
    resident_[size_t(i)] = true;
}

void Model::releaseHostPages() const {
    if (!source_) return;
    const io::FamilySpec& f = io::familySpec(config.family);
    for (K k : {K::Embed, K::LmHead})
        if (source_->has(f.tensorName(k))) source_->release(f.tensorName(k));
}

void Model::releaseLayer(int64_t i) {
    if (!source_) return;
    layers.at(size_t(i)) = Layer{};
    resident_[size_t(i)] = false;
}

} // namespace transmla::model
