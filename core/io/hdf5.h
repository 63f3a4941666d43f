// Low-level HDF5 access for our files (sessions): typed attributes, datasets and string lists written
// in the checksummed format, and a Reader that treats every field as untrusted and names the file and
// the object in each error (FormatError). What the groups mean is results/session.h's business.
// Single strings are fixed-length NULLPAD strings of len + 1 bytes; a string list is a group with
// `bytes` (u8) and `offsets` {n+1} (i64). Either way any byte (NUL included) survives.
#pragma once
#include <H5Cpp.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "util/error.h"

namespace transmla::io::h5 {

// The serial HDF5 library is not thread-safe: a GUI worker and the CLI code must not overlap in it.
std::mutex& libraryMutex();

template <typename T> const H5::PredType& type() {
    if constexpr (std::is_same_v<T, double>)
        return H5::PredType::NATIVE_DOUBLE;
    else if constexpr (std::is_same_v<T, int64_t>)
        return H5::PredType::NATIVE_INT64;
    else if constexpr (std::is_same_v<T, int32_t>)
        return H5::PredType::NATIVE_INT32;
    else {
        static_assert(std::is_same_v<T, uint8_t>);
        return H5::PredType::NATIVE_UINT8;
    }
}

bool exists(const H5::Group& g, const std::string& name);
H5::StrType fixedString(size_t bytes);

// Files are written in the newest format (superblock v3): its superblock, object headers and link
// storage carry checksums, which libhdf5 verifies on read, so a damaged file is refused before its
// metadata is trusted (libhdf5 1.10 can loop on a corrupted old-format local heap: tests/fuzz/README.md).
H5::FileAccPropList checksummedFormat();

// Cheap checks before libhdf5 sees the file: the signature at offset 0 (no user block) and a
// superblock version libhdf5 1.10 knows (0..3). Returns what is wrong, or "".
std::string precheck(const std::filesystem::path& file);

// ---- writing ----
template <typename T> void writeAttr(H5::H5Object& o, const std::string& name, T value) {
    H5::Attribute a = o.createAttribute(name, type<T>(), H5::DataSpace(H5S_SCALAR));
    a.write(type<T>(), &value);
}
void writeAttr(H5::H5Object& o, const std::string& name, const std::string& value);
inline void writeAttr(H5::H5Object& o, const std::string& name, const char* value) {
    writeAttr(o, name, std::string(value));
}

template <typename T>
void writeArray(H5::Group& g, const std::string& name, const std::vector<T>& v,
                std::vector<hsize_t> dims = {}) {
    if (dims.empty()) dims = {hsize_t(v.size())};
    H5::DataSet ds = g.createDataSet(name, type<T>(), H5::DataSpace(int(dims.size()), dims.data()));
    if (!v.empty()) ds.write(v.data(), type<T>());
}
void writeStrings(H5::Group& parent, const std::string& name, const std::vector<std::string>& strings);

// ---- reading: every field is untrusted; errors name the file and the object ----
class Reader {
public:
    Reader(std::string file, uint64_t fileBytes) : file_(std::move(file)), fileBytes_(fileBytes) {}

    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw FormatError(file_, where, what);
    }
    const std::string& file() const { return file_; }
    // The object read last: names the field when libhdf5 itself throws (caught once by the caller).
    const std::string& lastObject() const { return at_; }

    H5::Group group(const H5::Group& parent, const std::string& name, const std::string& where) const;
    bool hasAttr(const H5::H5Object& o, const std::string& name) const { return o.attrExists(name); }

    template <typename T>
    T attr(const H5::H5Object& o, const std::string& name, const std::string& where) const {
        at_ = where + "@" + name;
        if (!o.attrExists(name)) fail(at_, "missing attribute");
        H5::Attribute a = o.openAttribute(name);
        if (a.getSpace().getSimpleExtentNpoints() != 1) fail(where + "@" + name, "not a scalar");
        if constexpr (std::is_same_v<T, std::string>) {
            return stringAttr(a, where + "@" + name);
        } else {
            if (a.getDataType().getClass() == H5T_STRING)
                fail(where + "@" + name, "a string, expected a number");
            T v{};
            a.read(type<T>(), &v);
            return v;
        }
    }
    // A dataset of rank dims.size(); dims entries < 0 are free and filled in.
    template <typename T>
    std::vector<T> array(const H5::Group& g, const std::string& name, const std::string& where,
                         std::vector<int64_t> dims = {-1}) const {
        const std::string path = where + "/" + name;
        at_ = path;
        if (!exists(g, name)) fail(path, "missing dataset");
        if (g.childObjType(name) != H5O_TYPE_DATASET) fail(path, "not a dataset");
        H5::DataSet ds = g.openDataSet(name);
        const uint64_t n = checkedExtent(ds, path, dims, sizeof(T));
        std::vector<T> v(static_cast<size_t>(n));
        if (n) ds.read(v.data(), type<T>());
        return v;
    }
    std::vector<std::string> strings(const H5::Group& parent, const std::string& name,
                                     const std::string& where, int64_t count = -1) const;
    // offsets {n+1} must run from 0 to `total` without decreasing; checked whole before any is used
    // (a bad middle entry would otherwise index outside the values).
    void checkOffsets(const std::vector<int64_t>& offsets, size_t total, const std::string& path) const;

private:
    std::string stringAttr(const H5::Attribute& a, const std::string& where) const;
    uint64_t checkedExtent(const H5::DataSet& ds, const std::string& path, std::vector<int64_t>& dims,
                           size_t elementBytes) const;
    std::string file_;
    uint64_t fileBytes_;
    mutable std::string at_;
};

} // namespace transmla::io::h5
