// The CLI's subcommands, one file each (cmd_<name>.cpp), and the one table that lists them: main.cpp
// dispatches by it and prints `transmla --help` from it; commands with subcommands (analyze) check
// theirs against it. A new command or subcommand is one row in commands.cpp.
#pragma once
#include <string>
#include <vector>

namespace transmla::cli {

// Each takes argv with argv[0] = the subcommand name; returns the process exit status.
int cmdInspect(int argc, char** argv);
int cmdEval(int argc, char** argv);
int cmdLogits(int argc, char** argv);
int cmdTokenize(int argc, char** argv);
int cmdDemo(int argc, char** argv);
int cmdAnalyze(int argc, char** argv);
int cmdAnalyzePareto(int argc, char** argv); // analyze pareto (cmd_pareto.cpp)
int cmdAnalyzeSpeed(int argc, char** argv);  // analyze speed (cmd_speed.cpp)
int cmdConvert(int argc, char** argv);

struct Command {
    std::string name;     // the first word: "analyze"
    std::string sub;      // the second word for commands that have them ("loss-sweep"), else empty
    std::string synopsis; // the arguments after the name (and sub)
    std::string summary;  // what it does, one line
    int (*run)(int, char**);
};

const std::vector<Command>& commands();
// The subcommands of `name` in table order (empty: it takes none).
std::vector<std::string> subcommands(const std::string& name);
// `transmla --help`: every row of the table.
std::string helpText();

} // namespace transmla::cli
