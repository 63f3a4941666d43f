#include "io/folder_snapshot.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <vector>

#include "io/hash.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla::io {

namespace {

bool definesModel(const fs::path& p) {
    return p.extension() == ".json" || p.extension() == ".safetensors";
}

std::vector<std::string> modelFiles(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (definesModel(e.path()) && e.is_regular_file()) names.push_back(e.path().filename().string());
    if (ec) throw FormatError(dir.string(), "", "cannot list the folder: " + ec.message());
    std::sort(names.begin(), names.end());
    return names;
}

// Size and modification time (ns) through stat: follows symlinks, as the loader does.
bool statFile(const fs::path& p, uint64_t& bytes, int64_t& mtimeNs) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return false;
    bytes = uint64_t(st.st_size);
    mtimeNs = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return true;
}

} // namespace

FolderSnapshot FolderSnapshot::takeStat(const fs::path& dir) {
    FolderSnapshot s;
    s.dir_ = dir;
    s.hashed_ = false;
    for (const auto& name : modelFiles(dir)) {
        FileState f;
        f.name = name;
        if (!statFile(dir / name, f.bytes, f.mtimeNs))
            throw FormatError((dir / name).string(), "", std::string("cannot stat: ") + std::strerror(errno));
        s.files_.push_back(std::move(f));
    }
    return s;
}

FolderSnapshot FolderSnapshot::take(const fs::path& dir) {
    FolderSnapshot s = takeStat(dir);
    s.hashed_ = true;
    // One thread per file: the hash is a serial chain (~2.5 GB/s on one core), so a sharded 16 GB
    // checkpoint hashes in the time of its largest shard. Errors surface in file order, as before.
    std::vector<std::future<uint64_t>> hashes;
    for (const auto& f : s.files_)
        hashes.push_back(
            std::async(std::launch::async, [file = dir / f.name] { return hashFileContent(file); }));
    for (size_t i = 0; i < s.files_.size(); ++i)
        s.files_[i].contentHash = hashes[i].get();
    return s;
}

void FolderSnapshot::verifyUnchanged() const {
    const auto changed = [&](const std::string& name, const std::string& what) {
        throw FormatError((dir_ / name).string(), "",
                          what + " since the model was opened (reopen it to use the new files)");
    };
    const std::vector<std::string> now = modelFiles(dir_);
    for (const auto& f : files_) {
        if (!std::binary_search(now.begin(), now.end(), f.name)) changed(f.name, "removed");
        uint64_t bytes = 0;
        int64_t mtimeNs = 0;
        if (!statFile(dir_ / f.name, bytes, mtimeNs)) changed(f.name, "no longer readable");
        if (bytes != f.bytes)
            changed(f.name, "size changed from " + std::to_string(f.bytes) + " to " + std::to_string(bytes) +
                                " bytes");
        if (mtimeNs == f.mtimeNs) continue;
        if (!hashed_) changed(f.name, "modified");
        const uint64_t h = hashFileContent(dir_ / f.name);
        if (h != f.contentHash)
            changed(f.name, "content changed (hash " + hashHex(f.contentHash) + ", now " + hashHex(h) + ")");
    }
    for (const auto& name : now)
        if (std::none_of(files_.begin(), files_.end(), [&](const FileState& f) { return f.name == name; }))
            changed(name, "appeared");
}

} // namespace transmla::io
