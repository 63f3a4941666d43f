#include "io/hdf5.h"

#include <cstring>
#include <fstream>

namespace transmla::io::h5 {

std::mutex& libraryMutex() {
    static std::mutex m;
    return m;
}

bool exists(const H5::Group& g, const std::string& name) {
    return H5Lexists(g.getId(), name.c_str(), H5P_DEFAULT) > 0;
}

H5::StrType fixedString(size_t bytes) {
    H5::StrType t(H5::PredType::C_S1, bytes);
    t.setStrpad(H5T_STR_NULLPAD);
    return t;
}

H5::FileAccPropList checksummedFormat() {
    H5::FileAccPropList fapl;
    fapl.setLibverBounds(H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    return fapl;
}

std::string precheck(const std::filesystem::path& file) {
    static const char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    std::ifstream in(file, std::ios::binary);
    char head[9] = {};
    if (!in.read(head, sizeof head)) return "too short for an HDF5 file";
    if (std::memcmp(head, signature, sizeof signature) != 0)
        return "not an HDF5 file (no signature at offset 0)";
    if (static_cast<unsigned char>(head[8]) > 3)
        return "unknown HDF5 superblock version " + std::to_string(int(head[8]));
    return {};
}

// Strings as fixed-length NULLPAD strings of len + 1 bytes: h5dump shows them as text, and unlike
// C strings any byte (NUL included) survives; the one pad byte makes "" representable.
void writeAttr(H5::H5Object& o, const std::string& name, const std::string& value) {
    const H5::StrType t = fixedString(value.size() + 1);
    H5::Attribute a = o.createAttribute(name, t, H5::DataSpace(H5S_SCALAR));
    const std::string padded = value + '\0';
    a.write(t, padded.data());
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

H5::Group Reader::group(const H5::Group& parent, const std::string& name, const std::string& where) const {
    at_ = where + "/" + name;
    if (!exists(parent, name)) fail(at_, "missing");
    if (parent.childObjType(name) != H5O_TYPE_GROUP) fail(at_, "not a group");
    return parent.openGroup(name);
}

std::string Reader::stringAttr(const H5::Attribute& a, const std::string& where) const {
    const H5::DataType type = a.getDataType();
    if (type.getClass() != H5T_STRING || a.getStrType().isVariableStr()) fail(where, "not a string");
    const size_t bytes = type.getSize();
    if (bytes < 1) fail(where, "empty string type");
    if (bytes > fileBytes_) fail(where, "string of " + std::to_string(bytes) + " bytes exceeds the file");
    std::string s(bytes, '\0');
    a.read(fixedString(bytes), s.data());
    s.pop_back(); // the pad byte
    return s;
}

uint64_t Reader::checkedExtent(const H5::DataSet& ds, const std::string& path, std::vector<int64_t>& dims,
                               size_t elementBytes) const {
    H5::DataSpace space = ds.getSpace();
    if (space.getSimpleExtentNdims() != int(dims.size())) fail(path, "unexpected rank");
    std::vector<hsize_t> got(dims.size());
    space.getSimpleExtentDims(got.data());
    // Untrusted extents: we write uncompressed data, so every element must lie in the file; the
    // bound is checked (without overflow) before anything is allocated.
    const uint64_t maxElements = fileBytes_ / elementBytes;
    uint64_t n = 1;
    for (size_t i = 0; i < dims.size(); ++i) {
        if (dims[i] >= 0 && hsize_t(dims[i]) != got[i])
            fail(path, "dimension " + std::to_string(i) + " is " + std::to_string(got[i]) + ", expected " +
                           std::to_string(dims[i]));
        if (got[i] != 0 && n > maxElements / got[i])
            fail(path, "extent exceeds the file (" + std::to_string(fileBytes_) + " bytes)");
        n *= got[i];
        dims[i] = int64_t(got[i]);
    }
    if (n > maxElements) fail(path, "extent exceeds the file (" + std::to_string(fileBytes_) + " bytes)");
    return n;
}

std::vector<std::string> Reader::strings(const H5::Group& parent, const std::string& name,
                                         const std::string& where, int64_t count) const {
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

void Reader::checkOffsets(const std::vector<int64_t>& offsets, size_t total, const std::string& path) const {
    if (offsets.empty() || offsets.front() != 0 || offsets.back() != int64_t(total))
        fail(path, "do not cover the " + std::to_string(total) + " values");
    for (size_t i = 0; i + 1 < offsets.size(); ++i)
        if (offsets[i + 1] < offsets[i]) fail(path, "decrease at entry " + std::to_string(i + 1));
}

} // namespace transmla::io::h5
