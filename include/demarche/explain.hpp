// Explanations of a run: where every fact came from (`why`) and why a fact did not
// follow (`why-not`). A Recorder watches a run as an Observer; the functions below read
// what it recorded. docs/explanations.md describes the output.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/export.hpp>
#include <demarche/session.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace demarche::explain {

/// How an explanation is written out.
enum class Format {
    Text,  ///< an argument for people: a derivation tree down to the given facts
    Json,  ///< one JSON object for programs
    Dot,   ///< a Graphviz graph (`why` only)
};

/// "text", "json", "dot"; nothing for an unknown name.
DEMARCHE_API std::optional<Format> format_named(std::string_view name) noexcept;

/// What an explanation produced.
struct Report {
    std::string output;                   ///< the explanation in the format asked for
    std::vector<Diagnostic> diagnostics;  ///< problems with the target or pattern text
    /// 0 when the target was found (why) or analysed (why-not), 1 when no fact matches
    /// the target of `why`, 2 when the target text has errors (diagnostics say which).
    int status = 0;
};

struct RecordedRun;

/// Records the provenance of every fact of one run: the file and line of a given fact,
/// the firing (rule, matched facts, bindings) behind a derived one, and what removed a
/// retracted one. Pass it as `RunOptions::observer`; events are forwarded to `next`
/// (may be null) so a trace can be printed at the same time. Attach it only when an
/// explanation is wanted: a run without it records nothing and pays nothing.
class DEMARCHE_API Recorder final : public Observer {
public:
    /// `program` and `facts` (may be null) must be the ones the session runs.
    Recorder(ProgramPtr program, std::shared_ptr<const FactSet> facts, Observer* next = nullptr);
    ~Recorder() override;
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // It asks for assertions, retractions and firings, plus whatever `next` asks for.
    void on_assert(const FactView& fact) override;
    void on_retract(const FactView& fact) override;
    void on_activate(const ActivationView& activation) override;
    void on_deactivate(const ActivationView& activation) override;
    void on_fire(std::uint64_t number, const ActivationView& activation) override;
    void on_print(const std::string& line) override;

    /// What was recorded so far.
    const RecordedRun& recorded() const noexcept { return *run_; }

private:
    std::unique_ptr<RecordedRun> run_;
    Observer* next_;
};

/// Checks a `why` target against a program's templates before running, so bad input is
/// reported with nothing run: the diagnostics, empty when the target is usable.
DEMARCHE_API std::vector<Diagnostic> check_target(const ProgramPtr& program, std::string_view target);

/// Explains TARGET after the run: a fact id (`f-23` or `23`), a template name (all its
/// facts present at the end), or a pattern (`ceded_initiative(to: Beijing)`, any
/// condition pattern of the language) matched against the facts present at the end; when
/// none is present, against facts retracted during the run.
DEMARCHE_API Report why(const Recorder& run, std::string_view target, Format format);

/// Explains why no fact matching PATTERN is present: each rule that could assert one,
/// the longest partial match of its conditions over the final facts, and the first
/// condition that failed and why; missing facts that a rule could derive are examined
/// in turn, down to `depth` levels of rules. `format` is Text or Json.
DEMARCHE_API Report why_not(const Recorder& run, std::string_view pattern, Format format, unsigned depth = 2);

}  // namespace demarche::explain
