#include <iostream>
#include <string>
#include <vector>

#include "cli_util.h"
#include "commands.h"

namespace transmla::cli {

// The headless demo: the README's first command falls back to it when there is no display.
int cmdDemo(int argc, char** argv) {
    (void)argc;
    (void)argv;
    const std::string model = demoModelDir(resources()).string();
    std::cout << "== transmla demo on the bundled model " << model << "\n\n";
    std::vector<std::string> inspect = {"inspect", model};
    std::vector<char*> a1;
    for (auto& s : inspect) a1.push_back(s.data());
    int rc = cmdInspect(int(a1.size()), a1.data());
    if (rc) return rc;
    std::cout << "\n== GSM8K test loss (first 200 problems, CPU, fp32)\n";
    std::vector<std::string> eval = {"eval", model, "--data", "gsm8k", "--limit", "200"};
    std::vector<char*> a2;
    for (auto& s : eval) a2.push_back(s.data());
    return cmdEval(int(a2.size()), a2.data());
}

} // namespace transmla::cli
