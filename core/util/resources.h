// Where the bundled demo model and datasets are (see resources/README.md).
#pragma once
#include <filesystem>

namespace transmla {

// exeDir: the folder of the running binary; sourceResources: the source tree's resources/.
std::filesystem::path findResources(const std::filesystem::path& exeDir,
                                    const std::filesystem::path& sourceResources);
std::filesystem::path executableDir(); // from /proc/self/exe
inline std::filesystem::path demoModelDir(const std::filesystem::path& resources) {
    return resources / "models" / "tiny-llama-gqa";
}
inline std::filesystem::path gsm8kFile(const std::filesystem::path& resources, const char* split) {
    return resources / "data" / "gsm8k" / (std::string(split) + ".jsonl");
}

} // namespace transmla
