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

// A setting out of its range: what() = "<setting> <detail>" ("model": the model itself cannot be
// converted, what() = the detail).
// Core names settings by their keys (kv_lora_rank, device, ...), never by a front end's words: the CLI
// maps the key to its flag, the GUI shows what() beside the control.
class SettingError : public ArgumentError {
public:
    SettingError(const std::string& setting, const std::string& detail)
        : ArgumentError(setting == "model" ? detail : setting + " " + detail), setting_(setting),
          detail_(detail) {}
    const std::string& setting() const { return setting_; }
    const std::string& detail() const { return detail_; } // without the setting's name

private:
    std::string setting_, detail_;
};

// A file or folder that would be replaced, and the caller did not allow overwriting.
class AlreadyExists : public Error {
public:
    using Error::Error;
};

// Long work stopped because its CancelToken was set.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

} // namespace transmla
