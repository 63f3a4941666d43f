#include "results/session.h"

#include <algorithm>

#include "io/hash.h"
#include "results/session_h5.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla::results {

namespace {

// Numbered members /<group>/0, /1, ... in order; the `count` attribute guards against missing ones.
template <typename Fn>
void readNumbered(const io::h5::Reader& r, const H5::H5File& f, const std::string& name, Fn&& each) {
    if (!io::h5::exists(f, name)) return;
    const H5::Group g = r.group(f, name, "");
    const int64_t count = r.attr<int64_t>(g, "count", "/" + name);
    if (count < 0 || count > (int64_t(1) << 24)) r.fail("/" + name + "@count", "out of range");
    for (int64_t i = 0; i < count; ++i) {
        const std::string w = "/" + name + "/" + std::to_string(i);
        each(r.group(g, std::to_string(i), "/" + name), w);
    }
}

} // namespace

const SweepPoint* RankSweep::find(int64_t rank) const {
    for (const auto& p : points)
        if (p.rank == rank) return &p;
    return nullptr;
}

void RankSweep::put(SweepPoint point) {
    auto it = std::lower_bound(points.begin(), points.end(), point.rank,
                               [](const SweepPoint& p, int64_t r) { return p.rank < r; });
    if (it != points.end() && it->rank == point.rank)
        *it = std::move(point);
    else
        points.insert(it, std::move(point));
}

bool RankSweep::sameSetup(const convert::ConvertSettings& s, int64_t n) const {
    const convert::ConvertSettings a = sweepPointSettings(settings, 0), b = sweepPointSettings(s, 0);
    return n == problems && a.qkRopeHeadDim == b.qkRopeHeadDim && a.freqFold == b.freqFold &&
           a.rorope == b.rorope && a.preRopeKeyStats == b.preRopeKeyStats && a.balanceKv == b.balanceKv &&
           a.jointPca == b.jointPca && a.latentNorm == b.latentNorm && a.foldQkNorm == b.foldQkNorm &&
           a.pcaActivations == b.pcaActivations && a.damping == b.damping &&
           a.calibration.source == b.calibration.source && a.calibration.samples == b.calibration.samples &&
           a.calibration.seqLen == b.calibration.seqLen && a.calibration.seed == b.calibration.seed;
}

convert::ConvertSettings sweepPointSettings(convert::ConvertSettings s, int64_t rank) {
    s.exact = false;
    s.energy = 0;
    s.kvLoraRank = rank;
    return s;
}

void Session::putAttentionMap(analysis::AttentionMap map) {
    for (auto& m : attentionMaps)
        if (m.model == map.model && m.form == map.form && m.prompt == map.prompt && m.layer == map.layer &&
            m.head == map.head) {
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

const eval::LossResult* Session::findLoss(const std::string& label) const {
    for (const auto& l : losses)
        if (l.label == label) return &l.result;
    return nullptr;
}

ModelReference referenceModel(const fs::path& dir) {
    ModelReference ref;
    ref.path = fs::absolute(dir).lexically_normal().string();
    ref.configHash = io::hashHex(io::hashFile(dir / "config.json"));
    // Sorted so that the hash does not depend on the directory's listing order.
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".safetensors") files.push_back(e.path());
    if (ec) throw FormatError(dir.string(), "", "cannot list the folder: " + ec.message());
    if (files.empty()) throw FormatError(dir.string(), "", "no .safetensors file to fingerprint");
    std::sort(files.begin(), files.end());
    uint64_t h = io::kFnv1aOffset;
    if (fs::exists(dir / "model.safetensors.index.json"))
        h = io::hashFile(dir / "model.safetensors.index.json", h);
    for (const auto& f : files) {
        const std::string name = f.filename().string();
        h = io::fnv1a64(name.data(), name.size(), h);
        h = io::hashSafetensorsHeader(f, h);
    }
    ref.weightsHash = io::hashHex(h);
    return ref;
}

void saveSession(const fs::path& file, const Session& s) {
    std::lock_guard lock(io::h5::libraryMutex());
    H5::Exception::dontPrint();
    AtomicFile out(file);
    try {
        H5::H5File f(out.tempPath().string(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT,
                     io::h5::checksummedFormat());
        io::h5::writeAttr(f, "schema_version", int32_t(kSessionSchemaVersion));
        io::h5::writeAttr(f, "writer", std::string("transmla-workbench"));
        detail::writeModel(f, s);
        if (s.convertSettings) {
            H5::Group g = f.createGroup("convert_settings");
            detail::writeSettings(g, *s.convertSettings);
            io::h5::writeAttr(g, "loss_problems", s.lossProblems);
        }
        if (s.conversion) detail::writeConversion(f, *s.conversion);
        if (s.spectra) detail::writeSpectra(f, *s.spectra);
        detail::writeBudgets(f, s.budgets);
        H5::Group att = f.createGroup("attention");
        io::h5::writeAttr(att, "count", int64_t(s.attentionMaps.size()));
        for (size_t i = 0; i < s.attentionMaps.size(); ++i)
            detail::writeAttention(att, std::to_string(i), s.attentionMaps[i]);
        H5::Group losses = f.createGroup("losses");
        io::h5::writeAttr(losses, "count", int64_t(s.losses.size()));
        for (size_t i = 0; i < s.losses.size(); ++i)
            detail::writeLoss(losses, std::to_string(i), s.losses[i].label, s.losses[i].result);
        if (s.sweep) detail::writeSweep(f, *s.sweep);
        f.close(); // flushes; errors here (disk full) must stop the rename
    } catch (const H5::Exception& e) {
        throw Error(file.string() + ": cannot write session (" + e.getDetailMsg() + ")");
    }
    out.commit();
}

Session loadSession(const fs::path& file) {
    std::lock_guard lock(io::h5::libraryMutex());
    H5::Exception::dontPrint();
    const std::string name = file.string();
    if (!fs::is_regular_file(file)) throw FormatError(name, "", "no such session file");
    std::error_code ec;
    const uint64_t fileBytes = fs::file_size(file, ec);
    if (ec) throw FormatError(name, "", "cannot read the size: " + ec.message());
    const io::h5::Reader r(name, fileBytes);
    if (const std::string bad = io::h5::precheck(file); !bad.empty()) r.fail("", bad);
    try {
        if (H5::H5File::isHdf5(name) <= 0) r.fail("", "not an HDF5 file (truncated or not a session)");
        H5::H5File f(name, H5F_ACC_RDONLY);
        if (!f.attrExists("schema_version")) r.fail("schema_version", "missing: not a transmla session");
        const int32_t version = r.attr<int32_t>(f, "schema_version", "");
        if (version > kSessionSchemaVersion)
            r.fail("schema_version", "written by a newer transmla (schema " + std::to_string(version) +
                                         ", this build reads up to " + std::to_string(kSessionSchemaVersion) +
                                         ")");
        if (version < 1) r.fail("schema_version", "invalid value " + std::to_string(version));
        Session s;
        detail::readModel(r, f, s);
        if (version >= 2 && io::h5::exists(f, "convert_settings")) {
            const H5::Group g = r.group(f, "convert_settings", "");
            s.convertSettings = detail::readSettings(r, g, "/convert_settings");
            s.lossProblems = r.attr<int64_t>(g, "loss_problems", "/convert_settings");
        }
        if (version >= 2 && io::h5::exists(f, "conversion"))
            s.conversion = detail::readConversion(r, r.group(f, "conversion", ""));
        if (io::h5::exists(f, "spectra")) s.spectra = detail::readSpectra(r, r.group(f, "spectra", ""));
        s.budgets = detail::readBudgets(r, r.group(f, "budgets", ""));
        readNumbered(r, f, "attention", [&](const H5::Group& g, const std::string& w) {
            s.attentionMaps.push_back(detail::readAttention(r, g, w, version));
        });
        readNumbered(r, f, "losses", [&](const H5::Group& g, const std::string& w) {
            s.losses.push_back(detail::readLoss(r, g, w));
        });
        if (version >= 2 && io::h5::exists(f, "sweep"))
            s.sweep = detail::readSweep(r, r.group(f, "sweep", ""));
        if (version == 1) detail::upgradeSchema1(r, s);
        return s;
    } catch (const H5::Exception& e) {
        r.fail(r.lastObject(), "corrupt or truncated session (" + e.getDetailMsg() + ")");
    }
}

} // namespace transmla::results
