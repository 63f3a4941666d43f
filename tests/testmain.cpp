// main() of an executable holding several Qt Test suites (see testmain.h): runs the one that is named.
#include "testmain.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace transmla::test {

namespace {
std::map<std::string, TestRunner>& registry() {
    static std::map<std::string, TestRunner> tests; // function-local: filled during static initialization
    return tests;
}
} // namespace

bool registerTest(const char* name, TestRunner run) {
    registry().emplace(name, run);
    return true;
}

} // namespace transmla::test

int main(int argc, char** argv) {
    auto& tests = transmla::test::registry();
    // Called through a tst_name link: run that suite with the arguments as given.
    const char* slash = std::strrchr(argv[0], '/');
    if (auto it = tests.find(slash ? slash + 1 : argv[0]); it != tests.end()) return it->second(argc, argv);
    // `EXECUTABLE tst_name [args]`: the suite sees `EXECUTABLE [args]`, as it would as its own executable.
    if (argc >= 2) {
        if (auto it = tests.find(argv[1]); it != tests.end()) {
            std::vector<char*> args{argv[0]};
            args.insert(args.end(), argv + 2, argv + argc);
            args.push_back(nullptr);
            return it->second(argc - 1, args.data());
        }
    }
    std::fprintf(stderr, "usage: %s SUITE [QTest arguments]\nsuites:", argv[0]);
    for (const auto& [name, run] : tests)
        std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
}
