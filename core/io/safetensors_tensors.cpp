// The tensor side of safetensors (ATen): zero-copy views over the mapping, and the writer.
// Kept apart from the header parsing (safetensors.cpp) so the parser builds without ATen/ATen.h.
#include <set>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "io/mapped_file.h"
#include "io/safetensors.h"
#include "util/atomic_file.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace transmla::io {

at::Tensor SafetensorsFile::view(const std::string& name) const {
    const TensorInfo* t = find(name);
    if (!t) throw FormatError(path_.string(), "tensor '" + name + "'", "not in this file");
    auto opts = at::TensorOptions().dtype(toScalarType(t->dtype)).device(at::kCPU);
    if (t->nbytes == 0) return at::empty(t->shape, opts);
    auto keep = file_;
    void* ptr = const_cast<uint8_t*>(file_->data() + t->offset);
    // The mapping is read-only (MAP_PRIVATE, PROT_READ): callers convert or copy before writing.
    return at::from_blob(
        ptr, t->shape, [keep](void*) {}, opts);
}

at::Tensor Checkpoint::view(const std::string& name) const {
    auto it = where_.find(name);
    if (it == where_.end())
        throw FormatError(dir_.string(), "tensor '" + name + "'", "missing from the checkpoint");
    return shards_[it->second]->view(name);
}

void writeSafetensors(const fs::path& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    json h = json::object();
    if (!metadata.empty()) h["__metadata__"] = metadata;
    std::set<std::string> seen;
    uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        if (!seen.insert(name).second) throw Error(path.string() + ": duplicate tensor name '" + name + "'");
        const uint64_t bytes = static_cast<uint64_t>(t.numel()) * t.element_size();
        h[name] = {{"dtype", dtypeName(fromScalarType(t.scalar_type()))},
                   {"shape", t.sizes().vec()},
                   {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string header = h.dump();
    header.append((8 - header.size() % 8) % 8, ' '); // data starts 8-byte aligned
    uint8_t len[8];
    uint64_t n = header.size();
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<uint8_t>(n >> (8 * i));

    AtomicFile out(path);
    out.write(len, 8);
    out.write(header.data(), header.size());
    for (const auto& [name, t] : tensors) {
        const at::Tensor c = t.detach().to(at::kCPU).contiguous();
        out.write(c.data_ptr(), static_cast<size_t>(c.numel()) * c.element_size());
    }
    out.commit();
}

} // namespace transmla::io
