#include "util/atomic_file.h"

#include <unistd.h>

#include <string>

#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla {

namespace {
// "<dir>/.<name><tag><pid>". Built by appends: GCC 12 warns (-Wrestrict, a known false positive) on
// the operator+ chain.
fs::path hiddenBeside(const fs::path& target, const char* tag) {
    std::string name = ".";
    name += target.filename().string();
    name += tag;
    name += std::to_string(::getpid());
    return target.parent_path() / name;
}
fs::path tempBeside(const fs::path& target) {
    return hiddenBeside(target, ".tmp-");
}
} // namespace

AtomicFile::AtomicFile(fs::path target) : target_(std::move(target)), temp_(tempBeside(target_)) {}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        if (out_.is_open()) out_.close();
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

std::ofstream& AtomicFile::stream() {
    if (!out_.is_open()) {
        out_.open(temp_, std::ios::binary | std::ios::trunc);
        if (!out_) throw Error(target_.string() + ": cannot write (" + temp_.string() + " not creatable)");
    }
    return out_;
}

void AtomicFile::write(const void* data, size_t bytes) {
    stream().write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
    if (!out_) throw Error(target_.string() + ": write failed (disk full or unwritable?)");
}

void AtomicFile::commit() {
    if (out_.is_open()) {
        out_.flush();
        if (!out_) throw Error(target_.string() + ": write failed (disk full or unwritable?)");
        out_.close();
        if (out_.fail()) throw Error(target_.string() + ": close failed (disk full?)");
    }
    std::error_code ec;
    fs::rename(temp_, target_, ec);
    if (ec) throw Error(target_.string() + ": cannot replace: " + ec.message());
    committed_ = true;
}

AtomicDir::AtomicDir(fs::path target, bool overwrite)
    : target_(std::move(target)), temp_(tempBeside(target_)), overwrite_(overwrite) {
    if (fs::exists(target_) && !overwrite_)
        throw AlreadyExists(target_.string() + ": already exists (refusing to overwrite)");
    std::error_code ec;
    fs::remove_all(temp_, ec);
    fs::create_directories(temp_, ec);
    if (ec) throw Error(target_.string() + ": cannot create " + temp_.string() + ": " + ec.message());
}

AtomicDir::~AtomicDir() {
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(temp_, ec);
    }
}

void AtomicDir::commit() {
    std::error_code ec;
    fs::path old;
    if (fs::exists(target_)) {
        // Keep the old folder until the new one is in place.
        old = hiddenBeside(target_, ".old-");
        fs::rename(target_, old, ec);
        if (ec) throw Error(target_.string() + ": cannot move the old folder aside: " + ec.message());
    }
    fs::rename(temp_, target_, ec);
    if (ec) {
        if (!old.empty()) fs::rename(old, target_, ec);
        throw Error(target_.string() + ": cannot rename the finished export into place");
    }
    committed_ = true;
    if (!old.empty()) fs::remove_all(old, ec);
}

} // namespace transmla
