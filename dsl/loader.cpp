// Reading rule files: folders, UTF-8 validation, imports in load order.
#include "loader.hpp"

#include "parser.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace demarche::dsl {

namespace {

// Returns the offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            // Fact files are mostly ASCII: skip eight such bytes at a time.
            while (i + 8 <= s.size()) {
                std::uint64_t word;
                std::memcpy(&word, s.data() + i, 8);
                if (word & 0x8080808080808080ULL) break;
                i += 8;
            }
            if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return i;
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return i;
            auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (d & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr std::uint32_t min_for_length[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += n + 1;
    }
    return std::string_view::npos;
}

bool is_rules_file(const fs::path& p) { return p.extension() == ".rules"; }

// Paths are compared after resolving `..` and symlinks, so one file is one file.
fs::path identity(const fs::path& p) {
    std::error_code ec;
    // weakly_canonical leaves a relative path relative when none of it exists yet.
    fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return ec ? fs::absolute(p).lexically_normal() : c;
}

// The folder an import must stay in, as the user would name it in a message.
struct Root {
    fs::path identity;
    std::string shown;
};

bool is_inside(const fs::path& child, const fs::path& root) {
    auto r = root.begin(), c = child.begin();
    for (; r != root.end(); ++r, ++c) {
        if (r->empty()) continue;  // a trailing separator
        if (c == child.end() || *r != *c) return false;
    }
    return true;
}

class Loader {
public:
    Loader(SourceSet& sources, Diagnostics& diags) : sources_(sources), diags_(diags) {}

    void load_user_path(const std::string& path) {
        std::error_code ec;
        fs::file_status st = fs::status(path, ec);
        if (ec || !fs::exists(st)) {
            diags_.error_in_file(path, "no such file or folder");
            return;
        }
        if (fs::is_directory(st)) {
            std::vector<fs::path> files;
            for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (it->is_regular_file(ec) && is_rules_file(it->path())) files.push_back(it->path());
            }
            if (ec) {
                diags_.error_in_file(path, "cannot read folder: " + ec.message());
                return;
            }
            if (files.empty()) {
                diags_.error_in_file(path, "no .rules files in this folder");
                return;
            }
            std::sort(files.begin(), files.end());
            Root root{identity(path), path};
            for (const auto& f : files) load_file(f.string(), root);
        } else {
            std::string folder = fs::path(path).parent_path().string();
            load_file(path, Root{identity(fs::path(path)).parent_path(), folder.empty() ? "." : folder});
        }
    }

    std::vector<ast::File> take() { return std::move(result_); }

private:
    void load_file(const std::string& path, const Root& root) {
        if (!seen_.insert(identity(path)).second) return;  // imported or named before
        const SourceFile* src = read_source(path, sources_, diags_);
        if (!src) return;
        std::size_t errors_before = diags_.error_count();
        ast::File file = parse_rules(*src, diags_);
        // An empty rule file is almost always a wrong path or a lost edit; say so.
        if (file.declarations.empty() && diags_.error_count() == errors_before)
            diags_.error(SourceRange{src->id, 0, 0}, "this file holds no declarations");
        for (const auto& decl : file.declarations)
            if (auto* imp = boost::variant2::get_if<ast::Import>(&decl)) load_import(*imp, path, root);
        result_.push_back(std::move(file));
    }

    void load_import(const ast::Import& imp, const std::string& importer, const Root& root) {
        fs::path rel(imp.path);
        if (imp.path.empty() || rel.is_absolute()) {
            diags_.error(imp.range, "import paths must be relative to the importing file");
            return;
        }
        fs::path target = fs::path(importer).parent_path() / rel;
        fs::path id = identity(target);
        if (!is_inside(id, root.identity)) {
            diags_.error(imp.range, "cannot import '" + imp.path + "': it lies outside the folder '" +
                                        root.shown + "' named on the command line");
            return;
        }
        std::error_code ec;
        if (!fs::is_regular_file(target, ec)) {
            diags_.error(imp.range, "cannot import '" + imp.path + "': no such file '" +
                                        target.lexically_normal().string() + "'");
            return;
        }
        load_file(target.lexically_normal().string(), root);
    }

    SourceSet& sources_;
    Diagnostics& diags_;
    std::set<fs::path> seen_;
    std::vector<ast::File> result_;
};

}  // namespace

const SourceFile* read_source(const std::string& path, SourceSet& sources, Diagnostics& diags) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        diags.error_in_file(path, "is a folder, not a file");
        return nullptr;
    }
    // Opening without blocking: a FIFO nobody writes to reads as empty instead of
    // waiting forever; reads block again afterwards, so a pipe with a writer works.
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        diags.error_in_file(path, std::string("cannot open file: ") + std::strerror(errno));
        return nullptr;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::string text;
    // Sized up front for a regular file, so a large fact file is not copied as it grows.
    if (struct stat st{}; ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        text.reserve(static_cast<std::size_t>(st.st_size));
    char chunk[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n > 0) {
            text.append(chunk, static_cast<std::size_t>(n));
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            diags.error_in_file(path, std::string("cannot read file: ") + std::strerror(errno));
            ::close(fd);
            return nullptr;
        }
    }
    ::close(fd);
    // Source ranges hold 32-bit offsets.
    if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
        diags.error_in_file(path, "file is too large (4 GiB or more)");
        return nullptr;
    }
    // A byte-order mark is allowed; blanking it keeps every offset where it was.
    if (text.starts_with("\xEF\xBB\xBF")) text.replace(0, 3, "   ");
    std::size_t bad = invalid_utf8_at(text);
    FileId id = sources.add(path, std::move(text));
    if (bad != std::string_view::npos) {
        auto at = static_cast<std::uint32_t>(bad);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(sources.file(id).text[bad]));
        Diagnostic& d = diags.error(SourceRange{id, at, at + 1},
                                    std::string("invalid UTF-8 (byte ") + hex + "); files must be UTF-8");
        // Show the line as ASCII: one '?' per character the column count saw.
        std::string shown;
        for (char c : d.location.line_text) {
            auto u = static_cast<unsigned char>(c);
            if (u < 0x80) shown += c;
            else if ((u & 0xC0) != 0x80) shown += '?';
        }
        d.location.line_text = std::move(shown);
        return nullptr;
    }
    return &sources.file(id);
}

std::vector<ast::File> load_rules(const std::vector<std::string>& paths, SourceSet& sources,
                                  Diagnostics& diags) {
    Loader loader(sources, diags);
    for (const auto& p : paths) loader.load_user_path(p);
    return loader.take();
}

}  // namespace demarche::dsl
