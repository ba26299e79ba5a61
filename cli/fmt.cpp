// `demarche fmt PATH... [--check | --stdout]`: rewrite rule files in the canonical layout.
#include "commands.hpp"
#include "output.hpp"

#include <demarche/format.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace demarche::cli {

namespace {

struct FmtOptions {
    std::vector<std::string> paths;
    bool check = false;
    bool to_stdout = false;
    ColorMode color = ColorMode::Auto;
};

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// First line (from 1) where the two texts differ.
std::size_t first_difference(const std::string& a, const std::string& b) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i)
        if (a[i] == '\n') ++line;
    return line;
}

// Writes next to the file, then renames over it: a reader (or a crash) never sees half a file.
bool replace_file(const std::string& path, const std::string& text, std::string& error) {
    std::error_code ec;
    fs::path target = fs::is_symlink(path, ec) ? fs::canonical(path, ec) : fs::path(path);
    if (ec) {
        error = ec.message();
        return false;
    }
    fs::path temp = target;
    temp += ".demarche-fmt-" + std::to_string(::getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            error = "cannot write '" + temp.string() + "'";
            fs::remove(temp, ec);
            return false;
        }
    }
    fs::permissions(temp, fs::status(target, ec).permissions(), ec);
    fs::rename(temp, target, ec);
    if (ec) {
        error = ec.message();
        fs::remove(temp, ec);
        return false;
    }
    return true;
}

int run_fmt(const FmtOptions& opt) {
    std::vector<Diagnostic> diags;
    const std::vector<std::string> files = list_rule_files(opt.paths, diags);
    bool input_errors = !diags.empty();
    bool write_errors = false;
    std::size_t changed = 0;
    for (const std::string& path : files) {
        FormatResult result = format_rules_file(path);
        diags.insert(diags.end(), result.diagnostics.begin(), result.diagnostics.end());
        if (!result.ok()) {
            input_errors = true;
            continue;
        }
        if (opt.to_stdout) {
            std::cout << *result.text;
            continue;
        }
        const std::string old = read_whole(path);
        if (old == *result.text) continue;
        ++changed;
        if (opt.check) {
            std::cout << path << ": not formatted (first difference at line "
                      << first_difference(old, *result.text) << ")\n";
            continue;
        }
        std::string error;
        if (replace_file(path, *result.text, error)) {
            std::cout << "formatted " << path << "\n";
        } else {
            std::cerr << "demarche: cannot rewrite '" << path << "': " << error << "\n";
            write_errors = true;
        }
    }
    print_diagnostics(diags, use_color(opt.color));
    if (input_errors) return exit_input;
    if (write_errors) return exit_runtime;
    if (opt.check && changed > 0) {
        std::cout << changed << " of " << plural(files.size(), "file") << " not formatted; run 'demarche fmt' on "
                  << (changed == 1 ? "it" : "them") << "\n";
        return exit_runtime;
    }
    return exit_ok;
}

}  // namespace

CommandRunner add_fmt_command(CLI::App& root) {
    auto opt = std::make_shared<FmtOptions>();
    CLI::App* cmd = root.add_subcommand("fmt", "Rewrite rule files in the canonical layout, keeping every comment");
    cmd->footer(
        "Rewrites each file in place (through a temporary file) when its layout differs;\n"
        "what the rules mean never changes, and formatting twice changes nothing.\n"
        "A file with syntax errors is left untouched and its errors are reported.\n"
        "Exit status: 0 when done (with --check: when every file is formatted), 1 with --check\n"
        "when a file is not formatted (or when a file cannot be written), 2 on syntax errors.");
    cmd->add_option("PATH", opt->paths, "Rule files, or folders holding .rules files")->required();
    auto* check = cmd->add_flag("--check", opt->check,
                                "Change nothing; list the files that are not formatted and exit 1 if any");
    cmd->add_flag("--stdout", opt->to_stdout, "Change nothing; print the formatted text instead")->excludes(check);
    add_color_option(*cmd, opt->color);
    return [opt] { return run_fmt(*opt); };
}

}  // namespace demarche::cli
