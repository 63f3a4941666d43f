#include "util/resources.h"

#include <cstdlib>
#include <vector>

#include "util/error.h"

namespace fs = std::filesystem;

namespace transmla {

fs::path executableDir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::current_path() : exe.parent_path();
}

fs::path findResources(const fs::path& exeDir, const fs::path& sourceResources) {
    std::vector<fs::path> candidates;
    // Set, it is the only place looked at: a wrong setting is reported, not silently bypassed.
    if (const char* env = std::getenv("TRANSMLA_RESOURCES"); env && *env) {
        candidates.emplace_back(env);
    } else {
        candidates.push_back(exeDir / ".." / "share" / "transmla-workbench" / "resources");
        candidates.push_back(sourceResources);
    }
    for (const auto& c : candidates)
        if (fs::exists(demoModelDir(c) / "config.json")) return fs::weakly_canonical(c);
    std::string tried;
    for (const auto& c : candidates)
        tried += "\n  " + c.string();
    throw Error("bundled resources not found; looked in:" + tried + "\n(set TRANSMLA_RESOURCES)");
}

} // namespace transmla
