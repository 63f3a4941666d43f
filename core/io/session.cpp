#include "io/session.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <mutex>
#include <type_traits>

#include "io/hash.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla::io {

namespace {

// The serial HDF5 library is not thread-safe: a GUI worker and the CLI code must not overlap in it.
std::mutex& hdf5Mutex() {
    static std::mutex m;
    return m;
}

template <typename T>
const H5::PredType& h5type() {
    if constexpr (std::is_same_v<T, double>) return H5::PredType::NATIVE_DOUBLE;
    else if constexpr (std::is_same_v<T, int64_t>) return H5::PredType::NATIVE_INT64;
    else if constexpr (std::is_same_v<T, int32_t>) return H5::PredType::NATIVE_INT32;
    else {
        static_assert(std::is_same_v<T, uint8_t>);
        return H5::PredType::NATIVE_UINT8;
    }
}

bool exists(const H5::Group& g, const std::string& name) { return H5Lexists(g.getId(), name.c_str(), H5P_DEFAULT) > 0; }

// Files are written in the newest format (superblock v3): its superblock, object headers and link
// storage carry checksums, which libhdf5 verifies on read, so a damaged file is refused before its
// metadata is trusted. (The old format's symbol tables have none, and libhdf5 1.10 can loop on a
// corrupted local heap: see tests/fuzz/README.md.)
H5::FileAccPropList checksummedFormat() {
    H5::FileAccPropList fapl;
    fapl.setLibverBounds(H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    return fapl;
}

// Cheap checks before libhdf5 sees the file: our sessions have the signature at offset 0 (no user
// block) and a superblock version libhdf5 1.10 knows (0..3). Returns what is wrong, or "".
std::string precheck(const fs::path& file) {
    static const char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    std::ifstream in(file, std::ios::binary);
    char head[9] = {};
    if (!in.read(head, sizeof head)) return "too short for an HDF5 file";
    if (std::memcmp(head, signature, sizeof signature) != 0) return "not an HDF5 file (no signature at offset 0)";
    if (static_cast<unsigned char>(head[8]) > 3) return "unknown HDF5 superblock version " + std::to_string(int(head[8]));
    return {};
}

// ---- writing ----

template <typename T>
void writeAttr(H5::H5Object& o, const std::string& name, T value) {
    H5::Attribute a = o.createAttribute(name, h5type<T>(), H5::DataSpace(H5S_SCALAR));
    a.write(h5type<T>(), &value);
}
// Strings as fixed-length NULLPAD strings of len + 1 bytes: h5dump shows them as text, and unlike
// C strings any byte (NUL included) survives; the one pad byte makes "" representable.
H5::StrType fixedString(size_t bytes) {
    H5::StrType t(H5::PredType::C_S1, bytes);
    t.setStrpad(H5T_STR_NULLPAD);
    return t;
}
void writeAttr(H5::H5Object& o, const std::string& name, const std::string& value) {
    const H5::StrType t = fixedString(value.size() + 1);
    H5::Attribute a = o.createAttribute(name, t, H5::DataSpace(H5S_SCALAR));
    const std::string padded = value + '\0';
    a.write(t, padded.data());
}

template <typename T>
void writeArray(H5::Group& g, const std::string& name, const std::vector<T>& v, std::vector<hsize_t> dims = {}) {
    if (dims.empty()) dims = {hsize_t(v.size())};
    H5::DataSet ds = g.createDataSet(name, h5type<T>(), H5::DataSpace(int(dims.size()), dims.data()));
    if (!v.empty()) ds.write(v.data(), h5type<T>());
}

void writeStrings(H5::Group& parent, const std::string& name, const std::vector<std::string>& strings) {
    H5::Group g = parent.createGroup(name);
    std::vector<uint8_t> bytes;
    std::vector<int64_t> offsets{0};
    for (const auto& s : strings) {
        bytes.insert(bytes.end(), s.begin(), s.end());
        offsets.push_back(int64_t(bytes.size()));
    }
    writeArray(g, "bytes", bytes);
    writeArray(g, "offsets", offsets);
}

// ---- reading: every field is untrusted; errors name the object ----

class Reader {
public:
    Reader(std::string file, uint64_t fileBytes) : file_(std::move(file)), fileBytes_(fileBytes) {}

    [[noreturn]] void fail(const std::string& where, const std::string& what) const { throw FormatError(file_, where, what); }

    H5::Group group(const H5::Group& parent, const std::string& name, const std::string& where) const {
        if (!exists(parent, name)) fail(where + "/" + name, "missing");
        return parent.openGroup(name);
    }
    template <typename T>
    T attr(const H5::H5Object& o, const std::string& name, const std::string& where) const {
        if (!o.attrExists(name)) fail(where + "@" + name, "missing attribute");
        H5::Attribute a = o.openAttribute(name);
        if (a.getSpace().getSimpleExtentNpoints() != 1) fail(where + "@" + name, "not a scalar");
        if constexpr (std::is_same_v<T, std::string>) {
            const H5::DataType type = a.getDataType();
            if (type.getClass() != H5T_STRING || a.getStrType().isVariableStr()) fail(where + "@" + name, "not a string");
            const size_t bytes = type.getSize();
            if (bytes < 1) fail(where + "@" + name, "empty string type");
            if (bytes > fileBytes_) fail(where + "@" + name, "string of " + std::to_string(bytes) + " bytes exceeds the file");
            std::string s(bytes, '\0');
            a.read(fixedString(bytes), s.data());
            s.pop_back(); // the pad byte
            return s;
        } else {
            T v{};
            a.read(h5type<T>(), &v);
            return v;
        }
    }
    // A dataset of rank dims.size(); dims entries < 0 are free and filled in.
    template <typename T>
    std::vector<T> array(const H5::Group& g, const std::string& name, const std::string& where,
                         std::vector<int64_t> dims = {-1}) const {
        const std::string path = where + "/" + name;
        if (!exists(g, name)) fail(path, "missing dataset");
        H5::DataSet ds = g.openDataSet(name);
        H5::DataSpace space = ds.getSpace();
        if (space.getSimpleExtentNdims() != int(dims.size())) fail(path, "unexpected rank");
        std::vector<hsize_t> got(dims.size());
        space.getSimpleExtentDims(got.data());
        // Untrusted extents: we write uncompressed data, so every element must lie in the file; the
        // bound is checked (without overflow) before anything is allocated.
        const uint64_t maxElements = fileBytes_ / sizeof(T);
        uint64_t n = 1;
        for (size_t i = 0; i < dims.size(); ++i) {
            if (dims[i] >= 0 && hsize_t(dims[i]) != got[i])
                fail(path, "dimension " + std::to_string(i) + " is " + std::to_string(got[i]) + ", expected " +
                               std::to_string(dims[i]));
            if (got[i] != 0 && n > maxElements / got[i])
                fail(path, "extent exceeds the file (" + std::to_string(fileBytes_) + " bytes)");
            n *= got[i];
        }
        if (n > maxElements) fail(path, "extent exceeds the file (" + std::to_string(fileBytes_) + " bytes)");
        std::vector<T> v(static_cast<size_t>(n));
        if (n) ds.read(v.data(), h5type<T>());
        return v;
    }
    std::vector<std::string> strings(const H5::Group& parent, const std::string& name, const std::string& where,
                                     int64_t count = -1) const {
        const std::string path = where + "/" + name;
        H5::Group g = group(parent, name, where);
        const auto bytes = array<uint8_t>(g, "bytes", path);
        const auto offsets = array<int64_t>(g, "offsets", path, {count < 0 ? -1 : count + 1});
        checkOffsets(offsets, bytes.size(), path + "/offsets");
        std::vector<std::string> out;
        for (size_t i = 0; i + 1 < offsets.size(); ++i)
            out.emplace_back(bytes.begin() + offsets[i], bytes.begin() + offsets[i + 1]);
        return out;
    }
    // offsets {n+1} must run from 0 to `total` without decreasing; checked whole before any is used
    // (a bad middle entry would otherwise index outside the values).
    void checkOffsets(const std::vector<int64_t>& offsets, size_t total, const std::string& path) const {
        if (offsets.empty() || offsets.front() != 0 || offsets.back() != int64_t(total))
            fail(path, "do not cover the " + std::to_string(total) + " values");
        for (size_t i = 0; i + 1 < offsets.size(); ++i)
            if (offsets[i + 1] < offsets[i]) fail(path, "decrease at entry " + std::to_string(i + 1));
    }
    int64_t size(const H5::Group& g, const std::string& name, const std::string& where) const {
        return int64_t(array<int64_t>(g, name, where).size());
    }

private:
    std::string file_;
    uint64_t fileBytes_;
};

// ---- one writer and one reader per result type ----

void writeModel(H5::H5File& f, const Session& s) {
    H5::Group g = f.createGroup("model");
    writeAttr(g, "path", s.model.path);
    writeAttr(g, "config_hash", s.model.configHash);
    writeAttr(g, "weights_hash", s.model.weightsHash);
    H5::Group st = f.createGroup("settings");
    std::vector<std::string> keys, values;
    for (const auto& [k, v] : s.settings) keys.push_back(k), values.push_back(v);
    writeStrings(st, "keys", keys);
    writeStrings(st, "values", values);
    H5::Group sn = f.createGroup("settings_numeric");
    std::vector<std::string> nkeys;
    std::vector<double> nvalues;
    for (const auto& [k, v] : s.numericSettings) nkeys.push_back(k), nvalues.push_back(v);
    writeStrings(sn, "keys", nkeys);
    writeArray(sn, "values", nvalues);
}

void readModel(const Reader& r, const H5::H5File& f, Session& s) {
    H5::Group g = r.group(f, "model", "");
    s.model.path = r.attr<std::string>(g, "path", "/model");
    s.model.configHash = r.attr<std::string>(g, "config_hash", "/model");
    s.model.weightsHash = r.attr<std::string>(g, "weights_hash", "/model");
    H5::Group st = r.group(f, "settings", "");
    const auto keys = r.strings(st, "keys", "/settings");
    const auto values = r.strings(st, "values", "/settings", int64_t(keys.size()));
    for (size_t i = 0; i < keys.size(); ++i) s.settings[keys[i]] = values[i];
    H5::Group sn = r.group(f, "settings_numeric", "");
    const auto nkeys = r.strings(sn, "keys", "/settings_numeric");
    const auto nvalues = r.array<double>(sn, "values", "/settings_numeric", {int64_t(nkeys.size())});
    for (size_t i = 0; i < nkeys.size(); ++i) s.numericSettings[nkeys[i]] = nvalues[i];
}

void writeSpectra(H5::H5File& f, const analysis::SpectraResult& sp) {
    H5::Group g = f.createGroup("spectra");
    writeAttr(g, "model", sp.model);
    writeAttr(g, "calibration_data", sp.calibrationData);
    writeAttr(g, "samples", sp.samples);
    writeAttr(g, "seq_len", sp.seqLen);
    std::vector<std::string> sources;
    std::vector<int64_t> layers, heads, offsets{0};
    std::vector<double> values;
    for (const auto& s : sp.spectra) {
        sources.push_back(analysis::sourceName(s.source));
        layers.push_back(s.layer);
        heads.push_back(s.head);
        values.insert(values.end(), s.singularValues.begin(), s.singularValues.end());
        offsets.push_back(int64_t(values.size()));
    }
    writeStrings(g, "source", sources);
    writeArray(g, "layer", layers);
    writeArray(g, "head", heads);
    writeArray(g, "offsets", offsets);
    writeArray(g, "values", values);
}

analysis::SpectraResult readSpectra(const Reader& r, const H5::Group& g) {
    const std::string w = "/spectra";
    analysis::SpectraResult sp;
    sp.model = r.attr<std::string>(g, "model", w);
    sp.calibrationData = r.attr<std::string>(g, "calibration_data", w);
    sp.samples = r.attr<int64_t>(g, "samples", w);
    sp.seqLen = r.attr<int64_t>(g, "seq_len", w);
    const auto sources = r.strings(g, "source", w);
    const int64_t n = int64_t(sources.size());
    const auto layers = r.array<int64_t>(g, "layer", w, {n});
    const auto heads = r.array<int64_t>(g, "head", w, {n});
    const auto offsets = r.array<int64_t>(g, "offsets", w, {n + 1});
    const auto values = r.array<double>(g, "values", w);
    r.checkOffsets(offsets, values.size(), w + "/offsets");
    for (int64_t i = 0; i < n; ++i) {
        analysis::Spectrum s;
        try {
            s.source = analysis::parseSource(sources[size_t(i)]);
        } catch (const ArgumentError& e) {
            r.fail(w + "/source", e.what());
        }
        s.layer = layers[size_t(i)];
        s.head = heads[size_t(i)];
        s.singularValues.assign(values.begin() + offsets[size_t(i)], values.begin() + offsets[size_t(i + 1)]);
        sp.spectra.push_back(std::move(s));
    }
    return sp;
}

#define TRANSMLA_BUDGET_INT_FIELDS(X)                                                                               \
    X(num_layers, numLayers)                                                                                        \
    X(num_kv_heads, numKvHeads)                                                                                     \
    X(head_dim, headDim) X(kv_lora_rank, kvLoraRank) X(qk_rope_head_dim, qkRopeHeadDim)                            \
        X(elements_per_token_per_layer, elementsPerTokenPerLayer) X(bytes_per_element, bytesPerElement)             \
            X(weights_bytes, weightsBytes)

void writeBudgets(H5::H5File& f, const std::vector<analysis::KvBudget>& budgets) {
    H5::Group g = f.createGroup("budgets");
    std::vector<std::string> labels, kinds;
    for (const auto& b : budgets) labels.push_back(b.label), kinds.push_back(analysis::cacheKindName(b.kind));
    writeStrings(g, "label", labels);
    writeStrings(g, "kind", kinds);
#define X(name, field)                                                                                              \
    {                                                                                                               \
        std::vector<int64_t> v;                                                                                     \
        for (const auto& b : budgets) v.push_back(b.field);                                                         \
        writeArray(g, #name, v);                                                                                    \
    }
    TRANSMLA_BUDGET_INT_FIELDS(X)
#undef X
}

std::vector<analysis::KvBudget> readBudgets(const Reader& r, const H5::Group& g) {
    const std::string w = "/budgets";
    const auto labels = r.strings(g, "label", w);
    const int64_t n = int64_t(labels.size());
    const auto kinds = r.strings(g, "kind", w, n);
    std::vector<analysis::KvBudget> out(labels.size());
    for (size_t i = 0; i < out.size(); ++i) {
        out[i].label = labels[i];
        try {
            out[i].kind = analysis::parseCacheKind(kinds[i]);
        } catch (const ArgumentError& e) {
            r.fail(w + "/kind", e.what());
        }
    }
#define X(name, field)                                                                                              \
    {                                                                                                               \
        const auto v = r.array<int64_t>(g, #name, w, {n});                                                          \
        for (size_t i = 0; i < out.size(); ++i) out[i].field = v[i];                                                \
    }
    TRANSMLA_BUDGET_INT_FIELDS(X)
#undef X
    return out;
}

void writeAttention(H5::Group& parent, const std::string& name, const analysis::AttentionMap& m) {
    const hsize_t T = hsize_t(m.tokens());
    if (m.probs.size() != T * T || m.rowEntropy.size() != T || m.tokenTexts.size() != T)
        throw ArgumentError("attention map layer " + std::to_string(m.layer) + " head " + std::to_string(m.head) +
                            ": probabilities, entropies or token texts do not match its " + std::to_string(T) + " tokens");
    H5::Group g = parent.createGroup(name);
    writeAttr(g, "model", m.model);
    writeAttr(g, "prompt", m.prompt);
    writeAttr(g, "layer", m.layer);
    writeAttr(g, "head", m.head);
    writeArray(g, "token_ids", m.tokenIds);
    writeStrings(g, "token_texts", m.tokenTexts);
    writeArray(g, "probs", m.probs, {T, T});
    writeArray(g, "row_entropy", m.rowEntropy);
    writeArray(g, "head_entropy", m.headEntropy);
}

analysis::AttentionMap readAttention(const Reader& r, const H5::Group& g, const std::string& w) {
    analysis::AttentionMap m;
    m.model = r.attr<std::string>(g, "model", w);
    m.prompt = r.attr<std::string>(g, "prompt", w);
    m.layer = r.attr<int64_t>(g, "layer", w);
    m.head = r.attr<int64_t>(g, "head", w);
    m.tokenIds = r.array<int32_t>(g, "token_ids", w);
    const int64_t T = m.tokens();
    m.tokenTexts = r.strings(g, "token_texts", w, T);
    m.probs = r.array<double>(g, "probs", w, {T, T});
    m.rowEntropy = r.array<double>(g, "row_entropy", w, {T});
    m.headEntropy = r.array<double>(g, "head_entropy", w);
    return m;
}

void writeLoss(H5::Group& parent, const std::string& name, const NamedLoss& l) {
    H5::Group g = parent.createGroup(name);
    const eval::LossResult& r = l.result;
    writeAttr(g, "label", l.label);
    writeAttr(g, "documents", r.documents);
    writeAttr(g, "tokens", r.tokens);
    writeAttr(g, "answer_tokens", r.answerTokens);
    writeAttr(g, "nll_sum", r.nllSum);
    writeAttr(g, "answer_nll_sum", r.answerNllSum);
    writeAttr(g, "seconds", r.seconds);
    std::vector<double> nll, ansNll;
    std::vector<int64_t> tokens, ansTokens;
    for (const auto& d : r.perDoc)
        nll.push_back(d.nllSum), tokens.push_back(d.tokens), ansNll.push_back(d.answerNllSum),
            ansTokens.push_back(d.answerTokens);
    writeArray(g, "per_doc_nll_sum", nll);
    writeArray(g, "per_doc_tokens", tokens);
    writeArray(g, "per_doc_answer_nll_sum", ansNll);
    writeArray(g, "per_doc_answer_tokens", ansTokens);
}

NamedLoss readLoss(const Reader& rd, const H5::Group& g, const std::string& w) {
    NamedLoss l;
    eval::LossResult& r = l.result;
    l.label = rd.attr<std::string>(g, "label", w);
    r.documents = rd.attr<int64_t>(g, "documents", w);
    r.tokens = rd.attr<int64_t>(g, "tokens", w);
    r.answerTokens = rd.attr<int64_t>(g, "answer_tokens", w);
    r.nllSum = rd.attr<double>(g, "nll_sum", w);
    r.answerNllSum = rd.attr<double>(g, "answer_nll_sum", w);
    r.seconds = rd.attr<double>(g, "seconds", w);
    const auto nll = rd.array<double>(g, "per_doc_nll_sum", w);
    const int64_t n = int64_t(nll.size());
    const auto tokens = rd.array<int64_t>(g, "per_doc_tokens", w, {n});
    const auto ansNll = rd.array<double>(g, "per_doc_answer_nll_sum", w, {n});
    const auto ansTokens = rd.array<int64_t>(g, "per_doc_answer_tokens", w, {n});
    for (size_t i = 0; i < size_t(n); ++i) r.perDoc.push_back({nll[i], tokens[i], ansNll[i], ansTokens[i]});
    return l;
}

// Numbered members /<group>/0, /1, ... in order; `count` attribute guards against missing ones.
template <typename Fn>
void readNumbered(const Reader& r, const H5::H5File& f, const std::string& name, Fn&& each) {
    if (!exists(f, name)) return;
    H5::Group g = f.openGroup(name);
    const int64_t count = r.attr<int64_t>(g, "count", "/" + name);
    if (count < 0 || count > (int64_t(1) << 24)) r.fail("/" + name + "@count", "out of range");
    for (int64_t i = 0; i < count; ++i) {
        const std::string w = "/" + name + "/" + std::to_string(i);
        each(r.group(g, std::to_string(i), "/" + name), w);
    }
}

} // namespace

void Session::putAttentionMap(analysis::AttentionMap map) {
    for (auto& m : attentionMaps)
        if (m.model == map.model && m.prompt == map.prompt && m.layer == map.layer && m.head == map.head) {
            m = std::move(map);
            return;
        }
    attentionMaps.push_back(std::move(map));
}

void Session::putLoss(const std::string& label, eval::LossResult result) {
    for (auto& l : losses)
        if (l.label == label) {
            l.result = std::move(result);
            return;
        }
    losses.push_back({label, std::move(result)});
}

ModelReference referenceModel(const fs::path& dir) {
    ModelReference ref;
    ref.path = fs::absolute(dir).lexically_normal().string();
    ref.configHash = hashHex(hashFile(dir / "config.json"));
    // Sorted so that the hash does not depend on the directory's listing order.
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".safetensors") files.push_back(e.path());
    if (ec) throw FormatError(dir.string(), "", "cannot list the folder: " + ec.message());
    if (files.empty()) throw FormatError(dir.string(), "", "no .safetensors file to fingerprint");
    std::sort(files.begin(), files.end());
    uint64_t h = kFnv1aOffset;
    if (fs::exists(dir / "model.safetensors.index.json")) h = hashFile(dir / "model.safetensors.index.json", h);
    for (const auto& f : files) {
        const std::string name = f.filename().string();
        h = fnv1a64(name.data(), name.size(), h);
        h = hashSafetensorsHeader(f, h);
    }
    ref.weightsHash = hashHex(h);
    return ref;
}

void saveSession(const fs::path& file, const Session& s) {
    std::lock_guard lock(hdf5Mutex());
    H5::Exception::dontPrint();
    AtomicFile out(file);
    try {
        H5::H5File f(out.tempPath().string(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, checksummedFormat());
        writeAttr(f, "schema_version", int32_t(kSessionSchemaVersion));
        writeAttr(f, "writer", std::string("transmla-workbench"));
        writeModel(f, s);
        if (s.spectra) writeSpectra(f, *s.spectra);
        writeBudgets(f, s.budgets);
        H5::Group att = f.createGroup("attention");
        writeAttr(att, "count", int64_t(s.attentionMaps.size()));
        for (size_t i = 0; i < s.attentionMaps.size(); ++i) writeAttention(att, std::to_string(i), s.attentionMaps[i]);
        H5::Group losses = f.createGroup("losses");
        writeAttr(losses, "count", int64_t(s.losses.size()));
        for (size_t i = 0; i < s.losses.size(); ++i) writeLoss(losses, std::to_string(i), s.losses[i]);
        f.close(); // flushes; errors here (disk full) must stop the rename
    } catch (const H5::Exception& e) {
        throw Error(file.string() + ": cannot write session (" + e.getDetailMsg() + ")");
    }
    out.commit();
}

Session loadSession(const fs::path& file) {
    std::lock_guard lock(hdf5Mutex());
    H5::Exception::dontPrint();
    const std::string name = file.string();
    if (!fs::is_regular_file(file)) throw FormatError(name, "", "no such session file");
    std::error_code ec;
    const uint64_t fileBytes = fs::file_size(file, ec);
    if (ec) throw FormatError(name, "", "cannot read the size: " + ec.message());
    const Reader r(name, fileBytes);
    if (const std::string bad = precheck(file); !bad.empty()) r.fail("", bad);
    try {
        if (H5::H5File::isHdf5(name) <= 0) r.fail("", "not an HDF5 file (truncated or not a session)");
        H5::H5File f(name, H5F_ACC_RDONLY);
        if (!f.attrExists("schema_version")) r.fail("schema_version", "missing: not a transmla session");
        const int32_t version = r.attr<int32_t>(f, "schema_version", "");
        if (version > kSessionSchemaVersion)
            r.fail("schema_version", "written by a newer transmla (schema " + std::to_string(version) +
                                         ", this build reads up to " + std::to_string(kSessionSchemaVersion) + ")");
        if (version < 1) r.fail("schema_version", "invalid value " + std::to_string(version));
        Session s;
        readModel(r, f, s);
        if (exists(f, "spectra")) s.spectra = readSpectra(r, f.openGroup("spectra"));
        s.budgets = readBudgets(r, r.group(f, "budgets", ""));
        readNumbered(r, f, "attention", [&](const H5::Group& g, const std::string& w) {
            s.attentionMaps.push_back(readAttention(r, g, w));
        });
        readNumbered(r, f, "losses", [&](const H5::Group& g, const std::string& w) { s.losses.push_back(readLoss(r, g, w)); });
        return s;
    } catch (const H5::Exception& e) {
        throw FormatError(name, "", "corrupt or truncated session (" + e.getDetailMsg() + ")");
    }
}

} // namespace transmla::io
