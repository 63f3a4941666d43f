// safetensors reader (memory-mapped, zero-copy views) and writer (atomic).
// Format: u64 little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}},
// then the data block. Every header field is untrusted: offsets, sizes and overlaps are checked
// against the file size before any tensor is touched, with errors naming the file and the tensor.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "io/dtype.h"

namespace transmla::io {

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t offset = 0; // absolute byte offset in the file
    uint64_t nbytes = 0;
    int64_t numel() const;
};

class MappedFile; // RAII mmap, shared by the views it hands out

class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::filesystem::path& path);
    const std::filesystem::path& path() const { return path_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    const TensorInfo* find(const std::string& name) const;
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    // A CPU tensor of the stored dtype over the mapped bytes; it keeps the mapping alive.
    at::Tensor view(const std::string& name) const;
    // Drops the tensor's pages from this process's resident set (MADV_DONTNEED) once its data has
    // been copied elsewhere (e.g. to the GPU), so host RSS stays near one tensor while loading.
    void release(const std::string& name) const;

private:
    std::filesystem::path path_;
    std::shared_ptr<MappedFile> file_;
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string, size_t> index_;
    std::map<std::string, std::string> metadata_;
};

// All tensors of a checkpoint folder: model.safetensors, or the shards that
// model.safetensors.index.json names (its weight_map is validated against the shards).
class Checkpoint {
public:
    explicit Checkpoint(const std::filesystem::path& dir);
    const std::filesystem::path& dir() const { return dir_; }
    bool has(const std::string& name) const { return where_.count(name) > 0; }
    const TensorInfo& info(const std::string& name) const; // throws naming the tensor
    at::Tensor view(const std::string& name) const;
    void release(const std::string& name) const;
    std::vector<std::string> names() const;
    const std::vector<std::shared_ptr<SafetensorsFile>>& shards() const { return shards_; }
    uint64_t totalBytes() const;

private:
    std::filesystem::path dir_;
    std::vector<std::shared_ptr<SafetensorsFile>> shards_;
    std::unordered_map<std::string, size_t> where_; // tensor -> shard
};

// Writes tensors (any device, any layout) to `path` atomically. Names must be unique. Tensors are
// copied to the host one at a time while writing, so host memory stays near the largest tensor.
void writeSafetensors(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

} // namespace transmla::io
