// A whole run: the input up to its first NUL byte is rule text, the rest a `.facts`
// file. What compiles and loads runs with small limits (fires, facts, time; libFuzzer's
// -timeout is far longer) under a Recorder, then the explanations run on the outcome:
// `why` on the first derived fact (else the first fact) and `why-not` on a pattern of
// the last template.
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

    demarche::explain::Recorder recorder(compiled.program, facts.facts);
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
