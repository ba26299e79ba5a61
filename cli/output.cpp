// Diagnostics, inputs, run limits, Ctrl-C and `--output FILE` for every subcommand.
#include "output.hpp"

#include "commands.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace demarche::cli {

void add_color_option(CLI::App& cmd, ColorMode& mode) {
    cmd.add_option_function<std::string>(
           "--color",
           [&mode](const std::string& v) {
               mode = v == "always" ? ColorMode::Always : v == "never" ? ColorMode::Never : ColorMode::Auto;
           },
           "Colour diagnostics: auto (only on a terminal), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->default_str("auto");
}

bool use_color(ColorMode mode) {
    if (mode != ColorMode::Auto) return mode == ColorMode::Always;
    const char* term = std::getenv("TERM");
    return isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr && term != nullptr &&
           std::strcmp(term, "dumb") != 0;
}

Inputs load_inputs(const std::vector<std::string>& paths, const std::vector<std::string>& fact_files) {
    CompileResult compiled = compile_paths(paths);
    Inputs in{compiled.program, nullptr, std::move(compiled.diagnostics)};
    if (compiled.ok() && !fact_files.empty()) {
        FactsResult loaded = load_facts(compiled.program, fact_files);
        in.diagnostics.insert(in.diagnostics.end(), loaded.diagnostics.begin(), loaded.diagnostics.end());
        in.facts = loaded.facts;
    }
    return in;
}

std::string plural(std::uint64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::size_t count_errors(const std::vector<Diagnostic>& diags) {
    std::size_t n = 0;
    for (const auto& d : diags) n += d.severity == Severity::Error;
    return n;
}

void print_diagnostics(const std::vector<Diagnostic>& diags, bool color) {
    for (const auto& d : diags) std::cerr << render_diagnostic(d, color);
    std::size_t errors = count_errors(diags);
    if (errors > 0) std::cerr << errors << (errors == 1 ? " error" : " errors") << " found\n";
}

std::string diagnostics_json(const std::vector<Diagnostic>& diags) {
    std::string out = "[";
    for (std::size_t i = 0; i < diags.size(); ++i) {
        if (i) out += ',';
        out += diagnostic_to_json(diags[i]);
    }
    return out + "]";
}

namespace {

// A signal handler may only touch lock-free atomics.
static_assert(std::atomic<bool>::is_always_lock_free);
std::atomic<bool> interrupted{false};
struct sigaction previous_sigint;

extern "C" void on_sigint(int) { interrupted.store(true, std::memory_order_relaxed); }

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", seconds);
    return text;
}

}  // namespace

void add_limit_options(CLI::App& cmd, RunLimits& limits) {
    cmd.add_option("--max-fires", limits.max_fires, "Stop after this many rule firings");
    cmd.add_option("--timeout", limits.timeout, "Stop the run after this many seconds (decimals allowed)")
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
                char* end = nullptr;
                double seconds = std::strtod(text.c_str(), &end);
                if (end == text.c_str() || *end != '\0' || !std::isfinite(seconds) || seconds < 0)
                    return "expected a finite number of seconds, 0 or more: " + text;
                return "";
            },
            "SECONDS"));
    cmd.add_option("--max-facts", limits.max_facts, "Stop once more than N facts are present in working memory");
}

void apply_limits(const RunLimits& limits, RunOptions& options) {
    options.max_fires = limits.max_fires;
    options.max_facts = limits.max_facts;
    options.cancel = &interrupted;
    if (limits.timeout) {
        // Beyond what nanoseconds can count (292 years) there is no limit in practice.
        double ns = *limits.timeout * 1e9;
        options.timeout = ns >= 9.2e18 ? std::chrono::nanoseconds::max()
                                       : std::chrono::nanoseconds(std::llround(ns));
    }
}

InterruptScope::InterruptScope() {
    interrupted.store(false, std::memory_order_relaxed);
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    // The handler gives way to the default after one signal: a second Ctrl-C kills.
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &previous_sigint);
}

InterruptScope::~InterruptScope() { sigaction(SIGINT, &previous_sigint, nullptr); }

std::string stop_description(const RunResult& result, const RunLimits& limits) {
    switch (result.stop_reason) {
    case StopReason::Completed:
    case StopReason::Halted: return "";
    case StopReason::FireLimit: return "stopped at the fire limit of " + std::to_string(limits.max_fires.value_or(0));
    case StopReason::Timeout: return "stopped by the timeout of " + seconds_text(limits.timeout.value_or(0)) + " s";
    case StopReason::FactLimit: return "stopped at the fact limit of " + std::to_string(limits.max_facts.value_or(0));
    case StopReason::Interrupted: return "stopped by an interrupt (Ctrl-C)";
    case StopReason::RuntimeError: return "stopped by a runtime error";
    }
    return "";
}

void add_output_option(CLI::App& cmd, std::optional<std::string>& file) {
    cmd.add_option("-o,--output", file,
                   "Write the results to FILE instead of stdout, atomically; FILE is left as it was "
                   "when the input has errors");
}

void keep_until_exit(std::shared_ptr<const void> what) {
    // A pointer, not a static vector: static objects are destroyed at exit.
    static auto* kept = new std::vector<std::shared_ptr<const void>>;
    kept->push_back(std::move(what));
}

int with_output(const std::optional<std::string>& file, const std::function<int()>& command) {
    if (!file) return command();
    namespace fs = std::filesystem;
    const fs::path target(*file);
    std::error_code ec;
    if (target.filename().empty() || fs::is_directory(target, ec)) {
        std::cerr << "demarche: cannot write '" << *file << "': it is a folder\n";
        return exit_input;
    }
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // The same folder, so the final rename cannot cross file systems.
    std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    int fd = mkstemp(temporary.data());
    if (fd < 0) {
        std::cerr << "demarche: cannot write '" << *file << "': " << std::strerror(errno) << "\n";
        return exit_input;
    }
    // Redirect the descriptor, not std::cout: a program the command starts (Graphviz) writes there too.
    std::cout.flush();
    std::fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    int status;
    try {
        status = command();
    } catch (...) {
        std::cout.flush();
        std::fflush(stdout);
        dup2(saved, STDOUT_FILENO);
        close(saved);
        close(fd);
        unlink(temporary.c_str());
        throw;
    }
    std::cout.flush();
    std::fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    if (status == exit_input) {
        close(fd);
        unlink(temporary.c_str());
        return status;
    }
    // mkstemp makes the file private; give it the mode a new file (or the old one) would have.
    struct stat old {};
    mode_t mode;
    if (stat(file->c_str(), &old) == 0) {
        mode = old.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    bool ok = fchmod(fd, mode) == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || std::rename(temporary.c_str(), file->c_str()) != 0) {
        std::cerr << "demarche: cannot write '" << *file << "': " << std::strerror(errno) << "\n";
        unlink(temporary.c_str());
        return exit_runtime;
    }
    return status;
}

}  // namespace demarche::cli
