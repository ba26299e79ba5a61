// The public formatting entry points over dsl/format.hpp.
#include <demarche/format.hpp>

#include "format.hpp"
#include "loader.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace demarche {

namespace {

FormatResult format_loaded(const dsl::SourceFile* src, dsl::Diagnostics& diags) {
    FormatResult result;
    if (src != nullptr) result.text = dsl::format_source(*src, diags);
    result.diagnostics = diags.take();
    return result;
}

}  // namespace

FormatResult format_rules_text(std::string_view text, std::string name) {
    dsl::SourceSet sources;
    dsl::Diagnostics diags(sources);
    const dsl::FileId id = sources.add(std::move(name), std::string(text));
    return format_loaded(&sources.file(id), diags);
}

FormatResult format_rules_file(const std::string& path) {
    dsl::SourceSet sources;
    dsl::Diagnostics diags(sources);
    return format_loaded(dsl::read_source(path, sources, diags), diags);
}

std::vector<std::string> list_rule_files(const std::vector<std::string>& paths,
                                         std::vector<Diagnostic>& diagnostics) {
    dsl::SourceSet sources;
    dsl::Diagnostics diags(sources);
    std::vector<std::string> files;
    std::set<std::string> seen;
    auto take = [&](std::string f) {
        if (seen.insert(f).second) files.push_back(std::move(f));
    };
    for (const std::string& path : paths) {
        std::error_code ec;
        const fs::file_status st = fs::status(path, ec);
        if (ec || !fs::exists(st)) {
            diags.error_in_file(path, "no such file or folder");
            continue;
        }
        if (!fs::is_directory(st)) {
            take(path);
            continue;
        }
        std::vector<fs::path> found;
        for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec) && it->path().extension() == ".rules") found.push_back(it->path());
        if (ec) {
            diags.error_in_file(path, "cannot read folder: " + ec.message());
            continue;
        }
        if (found.empty()) diags.error_in_file(path, "no .rules files in this folder");
        std::sort(found.begin(), found.end());
        for (const fs::path& f : found) take(f.string());
    }
    std::vector<Diagnostic> found_diags = diags.take();
    diagnostics.insert(diagnostics.end(), found_diags.begin(), found_diags.end());
    return files;
}

}  // namespace demarche
