// 64-bit sizes end to end: a sparse safetensors file over 4 GiB holding a tensor of more than 2^31
// elements, followed by a small tensor at an offset above 4 GiB. The reader must report the shapes,
// offsets and element counts exactly and read the values that were written at the far end.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <cstring>

#include "io/safetensors.h"
#include "testutil.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_limits {

using namespace transmla;
namespace fs = std::filesystem;

namespace {
constexpr uint64_t kBigElements = (uint64_t(1) << 31) + 64; // F16: 4 GiB + 128 bytes
constexpr uint64_t kBigBytes = kBigElements * 2;
const float kSmall[4] = {1.5f, -2.25f, 3.0e38f, 1.0e-40f}; // max-ish and denormal, bit-exact
constexpr uint16_t kLastHalf = 0x4248;                     // 3.140625 in IEEE half
} // namespace

class TestLimits : public QObject {
    Q_OBJECT
    fs::path file_;
    uint64_t dataStart_ = 0;

private slots:
    void initTestCase() {
        file_ = test::outputDir() / "limits-4g.safetensors";
        nlohmann::json h;
        h["big"] = {{"dtype", "F16"}, {"shape", {kBigElements}}, {"data_offsets", {uint64_t(0), kBigBytes}}};
        h["small"] = {{"dtype", "F32"}, {"shape", {2, 2}}, {"data_offsets", {kBigBytes, kBigBytes + 16}}};
        std::string header = h.dump();
        header.append((8 - header.size() % 8) % 8, ' ');
        dataStart_ = 8 + header.size();
        const uint64_t total = dataStart_ + kBigBytes + 16;

        const int fd = ::open(file_.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
        QVERIFY2(fd >= 0, std::strerror(errno));
        uint8_t len[8];
        for (int i = 0; i < 8; ++i)
            len[i] = uint8_t(uint64_t(header.size()) >> (8 * i));
        bool ok = ::pwrite(fd, len, 8, 0) == 8 &&
                  ::pwrite(fd, header.data(), header.size(), 8) == ssize_t(header.size());
        const bool sparse = ok && ::ftruncate(fd, off_t(total)) == 0;
        if (sparse) {
            ok = ::pwrite(fd, &kLastHalf, 2, off_t(dataStart_ + kBigBytes - 2)) == 2 &&
                 ::pwrite(fd, kSmall, 16, off_t(dataStart_ + kBigBytes)) == 16;
        }
        struct stat st {};
        ::fstat(fd, &st);
        ::close(fd);
        if (!sparse || uint64_t(st.st_size) != total) {
            fs::remove(file_);
            QSKIP("the test output filesystem refuses a 4 GiB sparse file (ftruncate failed)");
        }
        QVERIFY(ok);
        // Sparse: the holes take no blocks. Should a filesystem allocate them anyway, say so and go on.
        if (uint64_t(st.st_blocks) * 512 > (uint64_t(64) << 20))
            qWarning("%s: not sparse here (%llu bytes allocated)", file_.c_str(),
                     (unsigned long long)(st.st_blocks * 512));
    }

    void cleanupTestCase() {
        std::error_code ec;
        fs::remove(file_, ec);
    }

    void headerFieldsAre64Bit() {
        const io::SafetensorsFile f(file_);
        const io::TensorInfo* big = f.find("big");
        const io::TensorInfo* small = f.find("small");
        QVERIFY(big && small);
        QCOMPARE(big->numel(), int64_t(kBigElements));
        QVERIFY(big->numel() > std::numeric_limits<int32_t>::max());
        QCOMPARE(big->nbytes, kBigBytes);
        QCOMPARE(big->offset, dataStart_);
        QCOMPARE(small->shape, (std::vector<int64_t>{2, 2}));
        QCOMPARE(small->offset, dataStart_ + kBigBytes);
        QVERIFY(small->offset > (uint64_t(1) << 32));
        QCOMPARE(small->nbytes, uint64_t(16));
    }

    void valuesBeyond4GiB() {
        const io::SafetensorsFile f(file_);
        const at::Tensor small = f.view("small");
        QCOMPARE(small.sizes().vec(), (std::vector<int64_t>{2, 2}));
        QVERIFY(std::memcmp(small.data_ptr(), kSmall, sizeof kSmall) == 0);
        const at::Tensor big = f.view("big");
        QCOMPARE(big.numel(), int64_t(kBigElements));
        const uint16_t* p = static_cast<const uint16_t*>(big.data_ptr());
        QCOMPARE(p[kBigElements - 1], kLastHalf);   // the last element, 4 GiB into the data
        QCOMPARE(p[kBigElements - 2], uint16_t(0)); // a hole reads as zero
        QCOMPARE(big[int64_t(kBigElements) - 1].item<float>(), 3.140625f);
    }

    // The same file through the folder-level reader (the sum of sizes is 64-bit as well).
    void checkpointTotal() {
        const fs::path dir = test::outputDir() / "limits-4g-model";
        fs::remove_all(dir);
        fs::create_directories(dir);
        fs::create_symlink(file_, dir / "model.safetensors");
        const io::Checkpoint c(dir);
        QCOMPARE(c.totalBytes(), kBigBytes + 16);
        QCOMPARE(c.info("small").offset, dataStart_ + kBigBytes);
        fs::remove_all(dir);
    }
};

} // namespace tst_limits

TRANSMLA_TEST_MAIN(tst_limits, tst_limits::TestLimits)
#include "tst_limits.moc"
