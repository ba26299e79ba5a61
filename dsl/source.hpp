// Source text of every loaded file, and byte ranges into it that resolve to lines and columns.
#pragma once

#include <demarche/diagnostic.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace demarche::dsl {

using FileId = std::uint32_t;

/// A span of bytes [begin, end) in one loaded file. Cheap to copy; every AST node has one.
struct SourceRange {
    FileId file = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

/// One loaded file: its name as the user gave it, its bytes, and where each line starts.
struct SourceFile {
    FileId id = 0;
    std::string path;
    std::string text;
    std::vector<std::uint32_t> line_starts;  ///< byte offset of each line's first byte
};

/// Holds the text of every file read during one compilation. Files never move once
/// added, so string_views into their text stay valid for the set's lifetime. Copies
/// share the files: fact files are added to a copy of the program's set, so one set
/// resolves ranges in both the rules and the facts.
class SourceSet {
public:
    /// Adds a file's text and returns its id.
    FileId add(std::string path, std::string text);
    const SourceFile& file(FileId id) const { return *files_.at(id); }
    std::size_t size() const noexcept { return files_.size(); }

    /// Resolves a byte range into path, line, column (in code points) and the line text.
    SourceLocation locate(SourceRange r) const;

private:
    std::vector<std::shared_ptr<const SourceFile>> files_;
};

/// Collects diagnostics in the order found; the CLI sorts nothing, so the order a
/// reader sees follows the files and declarations.
class Diagnostics {
public:
    explicit Diagnostics(const SourceSet& sources) : sources_(&sources) {}

    /// Records an error at `r` and returns it so notes can be attached.
    Diagnostic& error(SourceRange r, std::string message);
    /// Records an error with no position (a missing file named on the command line).
    Diagnostic& error_in_file(std::string path, std::string message);
    Diagnostic& warning(SourceRange r, std::string message);
    /// Adds a note at `r` to diagnostic `d`.
    void note(Diagnostic& d, SourceRange r, std::string message) const;

    /// Orders the diagnostics from index `first` on by line and column (stable).
    void sort_by_position(std::size_t first);

    bool has_errors() const noexcept { return errors_ > 0; }
    std::size_t error_count() const noexcept { return errors_; }
    const std::deque<Diagnostic>& all() const noexcept { return list_; }
    std::vector<Diagnostic> take();
    const SourceSet& sources() const noexcept { return *sources_; }

private:
    const SourceSet* sources_;
    std::deque<Diagnostic> list_;  // a deque keeps returned references valid
    std::size_t errors_ = 0;
};

}  // namespace demarche::dsl
