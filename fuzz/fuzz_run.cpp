// A whole run: the input up to its first NUL byte is rule text, the rest a `.facts`
// file. What compiles and loads runs with small limits (fires, facts, time; libFuzzer's
// -timeout is far longer) under a Recorder, then the explanations run on the outcome:
// `why` on the first derived fact (else the first fact) and `why-not` on a pattern of
// the last template. The same run is made again under an observer of activations, which
// turns off what the engine does only unwatched (activations made during a firing wait
// for its end; its assertions reach the network after its retractions): both runs must
// fire the same activations and end with the same facts and output, or the input traps.
#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/explain.hpp>
#include <demarche/json.hpp>
#include <demarche/session.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

void render_all(const std::vector<demarche::Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics) {
        (void)demarche::render_diagnostic(d);
        (void)demarche::diagnostic_to_json(d);
    }
}

struct Firings final : demarche::Observer {
    explicit Firings(demarche::EventMask events) : Observer(events) {}
    void on_fire(std::uint64_t, const demarche::ActivationView& a) override {
        lines.push_back(demarche::format_activation(a));
    }
    std::vector<std::string> lines;
};

std::vector<std::string> fact_lines(const std::vector<demarche::FactInfo>& facts) {
    std::vector<std::string> out;
    for (const auto& f : facts) out.push_back(std::to_string(f.id) + " " + demarche::format_fact(f));
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t split = std::min(input.find('\0'), input.size());
    std::string_view rules = input.substr(0, split);
    std::string_view facts_text = split < input.size() ? input.substr(split + 1) : std::string_view();

    demarche::CompileResult compiled = demarche::compile_string(rules, "fuzz.rules");
    render_all(compiled.diagnostics);
    if (!compiled.ok()) return 0;
    demarche::FactsResult facts = demarche::parse_facts(compiled.program, facts_text, "fuzz.facts");
    render_all(facts.diagnostics);
    if (!facts.ok()) return 0;

    Firings unwatched(demarche::EventKind::Fire);
    demarche::explain::Recorder recorder(compiled.program, facts.facts, &unwatched);
    demarche::Session session(compiled.program, facts.facts);
    demarche::RunOptions options;
    options.max_fires = 1000;
    options.max_facts = 5000;
    options.timeout = std::chrono::seconds(2);
    options.observer = &recorder;
    demarche::RunResult result = session.run(options);
    if (result.error) render_all({*result.error});
    std::vector<demarche::FactInfo> present = session.facts();
    (void)demarche::run_to_json(result, present);

    Firings watched(demarche::EventKind::Fire | demarche::EventKind::Activate);
    demarche::Session again(compiled.program, facts.facts);
    options.observer = &watched;
    demarche::RunResult second = again.run(options);
    const auto timed_out = [](const demarche::RunResult& r) { return r.stop_reason == demarche::StopReason::Timeout; };
    if (!timed_out(result) && !timed_out(second) &&
        (unwatched.lines != watched.lines || result.fired != second.fired || result.stop_reason != second.stop_reason ||
         result.output != second.output || fact_lines(present) != fact_lines(again.facts())))
        __builtin_trap();
    if (present.empty()) return 0;

    auto derived = std::find_if(present.begin(), present.end(), [](const auto& f) { return f.derived; });
    const demarche::FactInfo& target = derived != present.end() ? *derived : present.front();
    std::string id = "f-" + std::to_string(target.id);
    for (auto format : {demarche::explain::Format::Text, demarche::explain::Format::Json,
                        demarche::explain::Format::Dot})
        (void)demarche::explain::why(recorder, id, format);
    std::string pattern = present.back().template_name + "()";
    (void)demarche::explain::why_not(recorder, pattern, demarche::explain::Format::Text);
    (void)demarche::explain::why_not(recorder, pattern, demarche::explain::Format::Json);
    return 0;
}
