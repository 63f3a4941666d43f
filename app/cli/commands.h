// The CLI's subcommands, one file each (cmd_<name>.cpp); main.cpp dispatches to them.
#pragma once

namespace transmla::cli {

// Each takes argv with argv[0] = the subcommand name; returns the process exit status.
int cmdInspect(int argc, char** argv);
int cmdEval(int argc, char** argv);
int cmdLogits(int argc, char** argv);
int cmdTokenize(int argc, char** argv);
int cmdDemo(int argc, char** argv);
int cmdAnalyze(int argc, char** argv);
int cmdAnalyzePareto(int argc, char** argv); // analyze pareto (cmd_pareto.cpp)
int cmdConvert(int argc, char** argv);

} // namespace transmla::cli
