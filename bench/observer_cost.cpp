// What observing a run costs (issue #4, item 4): times Session::run alone (no parsing,
// no printing) with no observer, with an observer that does nothing, and with the
// provenance Recorder, interleaved so that a shared machine's load hits all three alike.
//
//   observer_cost RULES FACTS [RUNS] [MODE]
//
// MODE (0 none, 1 do-nothing, 2 recorder) runs only that one, for
// `valgrind --tool=callgrind --toggle-collect='demarche::Session::run*'`. Prints, per
// mode, the firings and the median and fastest wall time in milliseconds.
#include <demarche/compile.hpp>
#include <demarche/explain.hpp>
#include <demarche/session.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

/// Receives every event and ignores it: the cost of the interface alone.
class Ignoring final : public demarche::Observer {};

constexpr std::array<const char*, 3> mode_names{"none", "do-nothing", "recorder"};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: observer_cost RULES FACTS [RUNS] [MODE]\n");
        return 2;
    }
    demarche::CompileResult compiled = demarche::compile_paths({argv[1]});
    if (!compiled.ok()) return 2;
    demarche::FactsResult facts = demarche::load_facts(compiled.program, {argv[2]});
    if (!facts.ok()) return 2;
    int runs = argc > 3 ? std::atoi(argv[3]) : 7;
    int only = argc > 4 ? std::atoi(argv[4]) : -1;

    std::array<std::vector<double>, 3> times;
    std::array<std::uint64_t, 3> fired{};
    for (int i = 0; i < runs; ++i) {
        for (int mode = 0; mode < 3; ++mode) {
            if (only >= 0 && mode != only) continue;
            demarche::Session session(compiled.program, facts.facts);
            Ignoring ignoring;
            demarche::explain::Recorder recorder(compiled.program, facts.facts);
            demarche::RunOptions options;
            if (mode == 1) options.observer = &ignoring;
            if (mode == 2) options.observer = &recorder;
            auto start = std::chrono::steady_clock::now();
            demarche::RunResult result = session.run(options);
            auto stop = std::chrono::steady_clock::now();
            fired[mode] = result.fired;
            times[mode].push_back(std::chrono::duration<double, std::milli>(stop - start).count());
        }
    }
    for (int mode = 0; mode < 3; ++mode) {
        std::vector<double>& t = times[mode];
        if (t.empty()) continue;
        std::sort(t.begin(), t.end());
        std::printf("%-10s fired=%llu median=%.1f ms min=%.1f ms\n", mode_names[mode],
                    static_cast<unsigned long long>(fired[mode]), t[t.size() / 2], t.front());
    }
    return 0;
}
