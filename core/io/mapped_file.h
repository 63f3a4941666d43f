// The read-only memory mapping behind SafetensorsFile (private to core/io).
#pragma once
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "util/error.h"

namespace transmla::io {

class MappedFile {
public:
    explicit MappedFile(const std::filesystem::path& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw FormatError(path.string(), "", std::string("cannot open: ") + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            throw FormatError(path.string(), "", "not a regular file");
        }
        size_ = static_cast<uint64_t>(st.st_size);
        if (size_ > 0) {
            void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                ::close(fd);
                throw FormatError(path.string(), "", std::string("mmap failed: ") + std::strerror(errno));
            }
            data_ = static_cast<const uint8_t*>(p);
        }
        ::close(fd);
    }
    ~MappedFile() {
        if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }
    void release(uint64_t offset, uint64_t bytes) const {
        const uint64_t page = uint64_t(::sysconf(_SC_PAGESIZE));
        const uint64_t begin = (offset + page - 1) / page * page, end = (offset + bytes) / page * page;
        if (data_ && end > begin) ::madvise(const_cast<uint8_t*>(data_) + begin, end - begin, MADV_DONTNEED);
    }

private:
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

} // namespace transmla::io
