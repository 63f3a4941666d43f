// safetensors: hand-made hostile files are each rejected with an error naming the file and the
// tensor; a written file reads back bit-identical; sharded checkpoints resolve through the index.
#include <ATen/ATen.h>

#include "io/safetensors.h"
#include "testutil.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_safetensors {

using namespace transmla;
namespace fs = std::filesystem;

namespace {
// A file with the given header text and `dataBytes` zero bytes of data.
fs::path makeFile(const std::string& name, const std::string& header, size_t dataBytes,
                  int64_t claimedLen = -1) {
    const fs::path p = test::outputDir() / ("st_" + name + ".safetensors");
    std::ofstream out(p, std::ios::binary);
    uint64_t n = claimedLen < 0 ? header.size() : uint64_t(claimedLen);
    for (int i = 0; i < 8; ++i)
        out.put(char((n >> (8 * i)) & 0xff));
    out << header << std::string(dataBytes, '\0');
    return p;
}
} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private slots:
    void rejectsHostileHeaders_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<int>("dataBytes");
        QTest::addColumn<qlonglong>("claimedLen");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const char* h, int data, qlonglong claimed, const char* expected) {
            QTest::newRow(name) << QString::fromUtf8(h) << data << claimed << QString::fromUtf8(expected);
        };
        row("absurd header size", "{}", 0, qlonglong(1) << 40, "absurd header size");
        row("header past end", "{}", 0, 4096, "exceeds the file");
        row("invalid json", "{\"a\": ", 0, -1, "invalid JSON");
        row("not an object", "[1,2]", 0, -1, "not a JSON object");
        row("unknown dtype", R"({"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", 2, -1,
            "tensor 'w': unsupported dtype 'F8_E4M3'");
        row("offset past end", R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8, -1,
            "tensor 'w': data_offsets [0, 16] past the end");
        row("byte count mismatch", R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 16, -1,
            "tensor 'w': byte count 8 does not match");
        row("end before begin", R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 16, -1,
            "tensor 'w': data_offsets end before begin");
        row("negative dim", R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 16, -1,
            "tensor 'w' shape: expected a non-negative integer");
        row("overflowing shape",
            R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})", 16, -1,
            "tensor 'w': shape overflows");
        row("overlap",
            R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
            16, -1, "data overlaps");
        row("missing offsets", R"({"w":{"dtype":"F32","shape":[2]}})", 8, -1, "tensor 'w': data_offsets");
        row("bad metadata", R"({"__metadata__":{"k":1}})", 0, -1, "__metadata__.k: not a string");
    }
    void rejectsHostileHeaders() {
        QFETCH(QString, header);
        QFETCH(int, dataBytes);
        QFETCH(qlonglong, claimedLen);
        QFETCH(QString, expected);
        const fs::path p =
            makeFile(QTest::currentDataTag(), header.toStdString(), size_t(dataBytes), claimedLen);
        try {
            io::SafetensorsFile f(p);
            QFAIL("accepted a malformed file");
        } catch (const FormatError& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.startsWith(QString::fromStdString(p.string())), qPrintable(msg));
            QVERIFY2(msg.contains(expected), qPrintable(msg));
        }
    }

    void tooSmallFile() {
        const fs::path p = test::outputDir() / "st_tiny.safetensors";
        std::ofstream(p) << "abc";
        QVERIFY_THROWS_EXCEPTION(FormatError, io::SafetensorsFile{p});
    }

    void writeReadRoundTrip() {
        const fs::path p = test::outputDir() / "roundtrip.safetensors";
        const at::Tensor a = at::randn({3, 5}), b = at::randn({7}).to(at::kBFloat16),
                         c = at::arange(6, at::kLong).view({2, 3});
        const at::Tensor h = at::randn({4, 2}).to(at::kHalf), strided = at::randn({6, 4}).t();
        io::writeSafetensors(p, {{"a", a}, {"b", b}, {"c", c}, {"h", h}, {"strided", strided}});
        io::SafetensorsFile f(p);
        QCOMPARE(f.tensors().size(), size_t(5));
        QVERIFY(at::equal(f.view("a"), a));
        QVERIFY(at::equal(f.view("b"), b));
        QVERIFY(at::equal(f.view("c"), c));
        QVERIFY(at::equal(f.view("h"), h));
        QVERIFY(at::equal(f.view("strided"), strided));
        QCOMPARE(f.metadata().at("format"), std::string("pt"));
        QVERIFY_THROWS_EXCEPTION(Error, io::writeSafetensors(p, {{"x", a}, {"x", a}}));
        // The failed write left the earlier file intact and no temporary behind.
        QVERIFY(at::equal(io::SafetensorsFile(p).view("a"), a));
        for (const auto& e : fs::directory_iterator(test::outputDir()))
            QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos,
                     "temporary left behind");
    }

    void shardedCheckpoint() {
        const fs::path dir = test::outputDir() / "sharded";
        fs::remove_all(dir);
        fs::create_directories(dir);
        const at::Tensor a = at::randn({4, 4}), b = at::randn({2});
        io::writeSafetensors(dir / "model-00001-of-00002.safetensors", {{"a", a}});
        io::writeSafetensors(dir / "model-00002-of-00002.safetensors", {{"b", b}});
        std::ofstream(dir / "model.safetensors.index.json")
            << R"({"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}})";
        io::Checkpoint ck(dir);
        QCOMPARE(ck.names(), (std::vector<std::string>{"a", "b"}));
        QVERIFY(at::equal(ck.view("a"), a));
        QVERIFY(at::equal(ck.view("b"), b));
        QCOMPARE(ck.shards().size(), size_t(2));
        try {
            ck.view("missing");
            QFAIL("no error for a missing tensor");
        } catch (const FormatError& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(
                QStringLiteral("tensor 'missing': missing from the checkpoint")));
        }
        // An index naming a tensor its shard lacks, or a path outside the folder, is rejected.
        std::ofstream(dir / "model.safetensors.index.json")
            << R"({"weight_map":{"a":"model-00002-of-00002.safetensors"}})";
        QVERIFY_THROWS_EXCEPTION(FormatError, io::Checkpoint{dir});
        std::ofstream(dir / "model.safetensors.index.json") << R"({"weight_map":{"a":"../x.safetensors"}})";
        QVERIFY_THROWS_EXCEPTION(FormatError, io::Checkpoint{dir});
    }

    void realCheckpointIsZeroCopy() {
        const fs::path model = test::resourcesDir() / "models" / "tiny-llama-gqa";
        io::Checkpoint ck(model);
        QCOMPARE(ck.names().size(), size_t(4 * 9 + 3));
        const at::Tensor v1 = ck.view("model.embed_tokens.weight"), v2 = ck.view("model.embed_tokens.weight");
        QCOMPARE(v1.scalar_type(), at::kBFloat16);
        QCOMPARE(v1.data_ptr(), v2.data_ptr()); // both view the same mapped bytes
    }
};

} // namespace tst_safetensors

TRANSMLA_TEST_MAIN(tst_safetensors, tst_safetensors::TestSafetensors)
#include "tst_safetensors.moc"
