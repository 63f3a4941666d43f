// Atomic file and folder writes: write beside the target under a temporary name, then rename.
// If anything throws before commit(), the temporary is removed and the old target survives intact.
#pragma once
#include <filesystem>
#include <fstream>

namespace transmla {

class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile(); // removes the temporary unless committed
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::filesystem::path& tempPath() const { return temp_; }
    std::ofstream& stream();                    // binary stream on the temporary (opened on first use)
    void write(const void* data, size_t bytes); // throws on a failed write (disk full)
    void commit();                              // flush, check, rename over the target

private:
    std::filesystem::path target_, temp_;
    std::ofstream out_;
    bool committed_ = false;
};

// The same for a whole folder (exports): build in `<target>.tmp-<pid>`, then rename.
class AtomicDir {
public:
    explicit AtomicDir(std::filesystem::path target, bool overwrite);
    ~AtomicDir();
    AtomicDir(const AtomicDir&) = delete;
    AtomicDir& operator=(const AtomicDir&) = delete;
    const std::filesystem::path& path() const { return temp_; }
    void commit();

private:
    std::filesystem::path target_, temp_;
    bool overwrite_;
    bool committed_ = false;
};

} // namespace transmla
