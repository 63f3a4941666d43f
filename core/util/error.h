// Errors thrown at core's boundaries. Each names the file, tensor or field involved so that a
// user can act on it; callers (CLI, GUI) catch them once and print what().
#pragma once
#include <stdexcept>
#include <string>

namespace transmla {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A malformed or unsupported input file: "<file>: <field>: <what>".
class FormatError : public Error {
public:
    FormatError(const std::string& file, const std::string& field, const std::string& what)
        : Error(file + ": " + (field.empty() ? std::string() : field + ": ") + what), file_(file),
          field_(field) {}
    const std::string& file() const { return file_; }
    const std::string& field() const { return field_; }

private:
    std::string file_;
    std::string field_;
};

// The user asked for something out of range (a rank, a dimension, a device).
class ArgumentError : public Error {
public:
    using Error::Error;
};

// Long work stopped because its CancelToken was set.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

} // namespace transmla
