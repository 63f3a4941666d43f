#include "io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "io/mapped_file.h"
#include "util/error.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace transmla::io {

// Headers above this are not real checkpoints (the largest real ones are a few MB).
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;

int64_t TensorInfo::numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

namespace {

uint64_t readU64LE(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

uint64_t jsonU64(const json& v, const std::string& file, const std::string& field) {
    if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0))
        throw FormatError(file, field, "expected a non-negative integer");
    return v.get<uint64_t>();
}

TensorInfo parseEntry(const std::string& file, const std::string& name, const json& e, uint64_t dataBytes) {
    const std::string field = "tensor '" + name + "'";
    if (!e.is_object()) throw FormatError(file, field, "entry is not an object");
    TensorInfo t;
    t.name = name;
    if (!e.contains("dtype") || !e["dtype"].is_string()) throw FormatError(file, field, "missing dtype");
    if (!parseDType(e["dtype"].get<std::string>(), t.dtype))
        throw FormatError(file, field, "unsupported dtype '" + e["dtype"].get<std::string>() + "'");
    if (!e.contains("shape") || !e["shape"].is_array()) throw FormatError(file, field, "missing shape");
    if (e["shape"].size() > 16) throw FormatError(file, field, "too many dimensions");
    // Element count with overflow checks: every dimension and the product must fit in int64.
    uint64_t numel = 1;
    for (const auto& d : e["shape"]) {
        uint64_t dim = jsonU64(d, file, field + " shape");
        if (dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            throw FormatError(file, field, "dimension too large");
        if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / dim)
            throw FormatError(file, field, "shape overflows");
        numel *= dim;
        t.shape.push_back(static_cast<int64_t>(dim));
    }
    const uint64_t elem = static_cast<uint64_t>(dtypeSize(t.dtype));
    if (numel > std::numeric_limits<uint64_t>::max() / elem)
        throw FormatError(file, field, "byte size overflows");
    if (!e.contains("data_offsets") || !e["data_offsets"].is_array() || e["data_offsets"].size() != 2)
        throw FormatError(file, field, "data_offsets must be [begin, end]");
    uint64_t begin = jsonU64(e["data_offsets"][0], file, field + " data_offsets");
    uint64_t end = jsonU64(e["data_offsets"][1], file, field + " data_offsets");
    if (end < begin) throw FormatError(file, field, "data_offsets end before begin");
    if (end > dataBytes)
        throw FormatError(file, field,
                          "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                              "] past the end of the data (" + std::to_string(dataBytes) + " bytes)");
    if (end - begin != numel * elem)
        throw FormatError(file, field,
                          "byte count " + std::to_string(end - begin) + " does not match shape x dtype (" +
                              std::to_string(numel * elem) + ")");
    t.offset = begin; // made absolute by the caller
    t.nbytes = end - begin;
    return t;
}

} // namespace

SafetensorsFile::SafetensorsFile(const fs::path& path)
    : path_(path), file_(std::make_shared<MappedFile>(path)) {
    const std::string f = path.string();
    const uint64_t size = file_->size();
    if (size < 8)
        throw FormatError(f, "header",
                          "file too small to be safetensors (" + std::to_string(size) + " bytes)");
    const uint64_t n = readU64LE(file_->data());
    if (n > kMaxHeaderBytes) throw FormatError(f, "header", "absurd header size " + std::to_string(n));
    if (n > size - 8)
        throw FormatError(f, "header", "header size " + std::to_string(n) + " exceeds the file");
    json h;
    try {
        h = json::parse(file_->data() + 8, file_->data() + 8 + n);
    } catch (const json::exception& e) {
        throw FormatError(f, "header", std::string("invalid JSON: ") + e.what());
    }
    if (!h.is_object()) throw FormatError(f, "header", "not a JSON object");
    const uint64_t dataStart = 8 + n;
    const uint64_t dataBytes = size - dataStart;
    for (auto it = h.begin(); it != h.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it->is_object()) throw FormatError(f, "__metadata__", "not an object");
            for (auto m = it->begin(); m != it->end(); ++m) {
                if (!m->is_string()) throw FormatError(f, "__metadata__." + m.key(), "not a string");
                metadata_[m.key()] = m->get<std::string>();
            }
            continue;
        }
        TensorInfo t = parseEntry(f, it.key(), *it, dataBytes);
        t.offset += dataStart;
        tensors_.push_back(std::move(t));
    }
    // Overlapping byte ranges would alias tensors: reject them.
    std::vector<const TensorInfo*> byOffset;
    for (const auto& t : tensors_)
        byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(),
              [](const TensorInfo* a, const TensorInfo* b) { return a->offset < b->offset; });
    for (size_t i = 1; i < byOffset.size(); ++i) {
        const TensorInfo* prev = byOffset[i - 1];
        if (byOffset[i]->nbytes > 0 && prev->offset + prev->nbytes > byOffset[i]->offset)
            throw FormatError(f, "tensor '" + byOffset[i]->name + "'",
                              "data overlaps tensor '" + prev->name + "'");
    }
    for (size_t i = 0; i < tensors_.size(); ++i)
        index_[tensors_[i].name] = i;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

void SafetensorsFile::release(const std::string& name) const {
    if (const TensorInfo* t = find(name)) file_->release(t->offset, t->nbytes);
}

Checkpoint::Checkpoint(const fs::path& dir) : dir_(dir) {
    const fs::path index = dir / "model.safetensors.index.json";
    const fs::path single = dir / "model.safetensors";
    if (fs::exists(index)) {
        json j;
        try {
            j = json::parse(std::ifstream(index));
        } catch (const json::exception& e) {
            throw FormatError(index.string(), "", std::string("invalid JSON: ") + e.what());
        }
        if (!j.contains("weight_map") || !j["weight_map"].is_object())
            throw FormatError(index.string(), "weight_map", "missing or not an object");
        std::map<std::string, size_t> shardIndex;
        for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
            if (!it->is_string())
                throw FormatError(index.string(), "weight_map." + it.key(), "not a file name");
            const std::string shard = it->get<std::string>();
            if (shard.find('/') != std::string::npos || shard.find("..") != std::string::npos)
                throw FormatError(index.string(), "weight_map." + it.key(),
                                  "shard name must be a plain file name");
            if (!shardIndex.count(shard)) {
                shardIndex[shard] = shards_.size();
                shards_.push_back(std::make_shared<SafetensorsFile>(dir / shard));
            }
            size_t s = shardIndex[shard];
            if (!shards_[s]->find(it.key()))
                throw FormatError((dir / shard).string(), "tensor '" + it.key() + "'",
                                  "listed in model.safetensors.index.json but not in the shard");
            where_[it.key()] = s;
        }
    } else if (fs::exists(single)) {
        shards_.push_back(std::make_shared<SafetensorsFile>(single));
        for (const auto& t : shards_[0]->tensors())
            where_[t.name] = 0;
    } else {
        throw FormatError(dir.string(), "", "no model.safetensors or model.safetensors.index.json");
    }
}

const TensorInfo& Checkpoint::info(const std::string& name) const {
    auto it = where_.find(name);
    if (it == where_.end())
        throw FormatError(dir_.string(), "tensor '" + name + "'", "missing from the checkpoint");
    return *shards_[it->second]->find(name);
}

void Checkpoint::release(const std::string& name) const {
    auto it = where_.find(name);
    if (it != where_.end()) shards_[it->second]->release(name);
}

std::vector<std::string> Checkpoint::names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : where_)
        out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
}

uint64_t Checkpoint::totalBytes() const {
    uint64_t total = 0;
    for (const auto& [k, s] : where_)
        total += shards_[s]->find(k)->nbytes;
    return total;
}

} // namespace transmla::io
