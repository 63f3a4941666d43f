// A model folder as it was when opened: size, modification time and content hash of every file that
// defines the model (*.json, *.safetensors). Weights are memory-mapped, so a file rewritten while the
// workbench holds the model would silently change it; verifyUnchanged() detects that by content.
// Torch-free.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace transmla::io {

struct FileState {
    std::string name; // file name inside the folder
    uint64_t bytes = 0;
    int64_t mtimeNs = 0;
    uint64_t contentHash = 0; // hashFileContent
};

class FolderSnapshot {
public:
    FolderSnapshot() = default;
    // Reads every file once (the page cache usually holds them right after a load).
    static FolderSnapshot take(const std::filesystem::path& dir);
    // Size and modification time only, no reading (for a one-shot command over a large checkpoint);
    // verifyUnchanged() then reports any changed time as a change, since there is no hash to compare.
    static FolderSnapshot takeStat(const std::filesystem::path& dir);

    // Throws FormatError naming the first file changed, added or removed since take(). Cheap when
    // nothing changed (one stat per file); a file whose size or time differ is re-hashed, and only a
    // different size or content is an error (a touched file is not).
    void verifyUnchanged() const;

    const std::filesystem::path& dir() const { return dir_; }
    const std::vector<FileState>& files() const { return files_; }
    bool empty() const { return files_.empty(); }

private:
    std::filesystem::path dir_;
    std::vector<FileState> files_; // sorted by name
    bool hashed_ = true;
};

} // namespace transmla::io
