// Helpers shared by the Qt Test suites: where the reference data lives, and skipping when absent.
#pragma once
#include <QtTest/QtTest>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "testmain.h"
#include "util/threads.h"

namespace transmla::test {

// Every test binary runs with the allocator settings of the CLI and GUI (see tuneAllocator).
inline const bool allocatorTuned = (transmla::tuneAllocator(), true);

inline std::filesystem::path sharedDir() {
    if (const char* env = std::getenv("TRANSMLA_SHARED_DIR")) return env;
    return TRANSMLA_SHARED_DIR;
}
inline std::filesystem::path resourcesDir() {
    return TRANSMLA_RESOURCES_DIR;
}
// Models the project ships with its tests (tests/data/models: made by ../shared/tools, see its README).
inline std::filesystem::path testModelsDir() {
    return std::filesystem::path(TRANSMLA_TEST_DATA_DIR) / "models";
}
// A reference model by name: shipped under tests/data/models, else in ../shared/models.
inline std::filesystem::path referenceModel(const std::string& name) {
    const auto shipped = testModelsDir() / name;
    return std::filesystem::exists(shipped) ? shipped : sharedDir() / "models" / name;
}
inline std::filesystem::path outputDir() {
    const char* env = std::getenv("TRANSMLA_TEST_OUTPUT");
    std::filesystem::path p = env ? env : std::filesystem::temp_directory_path() / "transmla-test-output";
    std::filesystem::create_directories(p);
    return p;
}
inline std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace transmla::test

// Skips the test (never passes it silently) when ../shared or a file in it is missing.
#define TRANSMLA_REQUIRE_SHARED(requiredPath)                                                                \
    do {                                                                                                     \
        if (!std::filesystem::exists(requiredPath))                                                          \
            QSKIP(                                                                                           \
                qPrintable(QStringLiteral("reference data not found: %1 (set TRANSMLA_SHARED_DIR)")          \
                               .arg(QString::fromStdString(std::filesystem::path(requiredPath).string())))); \
    } while (0)
