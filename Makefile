# The two set-up commands of the README, plus helpers for development.
#   make demo  - install what is missing, build an optimised binary, run the main job
#   make test  - install what is missing, build, run every test through ctest
# Both work as root on a fresh Debian 12 machine (they call apt-get when a package is missing).

PACKAGES := g++ cmake make pkg-config python3 tao-pegtl-dev libboost-dev libspdlog-dev libfmt-dev \
            catch2 libcli11-dev nlohmann-json3-dev clips
JOBS ?= 2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test sanitize tsan deps release debug clean fuzz

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

release: deps
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DDEMARCHE_BUILD_TESTS=OFF
	cmake --build build/release -j$(JOBS)

# The main job: check every shipped rule base, run the flagship one on the scenario of a
# unilateral, legally binding treaty, and explain how it concludes that the initiative
# passes to Pyongyang and Beijing.
demo: release
	./build/release/demarche check rules/
	./build/release/demarche run rules/korea --facts examples/korea/binding_treaty.facts --explain ceded_initiative

debug: deps
	cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDEMARCHE_BUILD_TESTS=ON
	cmake --build build/test -j$(JOBS)

test: debug
	cd build/test && ctest --output-on-failure -j$(JOBS)

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (leaks fail too).
sanitize: deps
	cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DDEMARCHE_SANITIZE=ON -DDEMARCHE_BUILD_TESTS=ON
	cmake --build build/asan -j$(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (docs/fuzzing.md; not part of CI): builds build/fuzz with clang, seeds
# the corpora from the repository's inputs, then runs each target for FUZZ_SECONDS, one
# at a time. Corpora grow in build/fuzz/corpus/<target>; crashes, timeouts and leaks land
# in build/fuzz/artifacts/ and stop the run.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := rules facts json run
# A smaller quarantine and shorter allocation stacks: about 25% more executions per second.
FUZZ_ASAN_OPTIONS := quarantine_size_mb=16:malloc_context_size=5:detect_leaks=1
fuzz:
	CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DDEMARCHE_FUZZ=ON -DDEMARCHE_BUILD_TESTS=OFF
	cmake --build build/fuzz --target fuzz_all -j$(JOBS)
	python3 fuzz/seed.py build/fuzz/corpus
	mkdir -p build/fuzz/artifacts
	@for t in $(FUZZ_TARGETS); do \
	    case $$t in run) d=rules;; *) d=$$t;; esac; \
	    log=build/fuzz/fuzz_$$t.log; rc=0; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s (log: $$log)"; \
	    ASAN_OPTIONS=$(FUZZ_ASAN_OPTIONS) build/fuzz/fuzz/fuzz_$$t build/fuzz/corpus/fuzz_$$t \
	        -dict=fuzz/$$d.dict -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
	        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/fuzz_$$t- \
	        >$$log 2>&1 || rc=$$?; \
	    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::' $$log; \
	    if [ $$rc != 0 ]; then tail -n 40 $$log; exit $$rc; fi; \
	done

# The thread test (N sessions on N threads over one program, calling a user function and
# changing facts between runs) under ThreadSanitizer; only the unit tests are built.
tsan: deps
	cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DDEMARCHE_TSAN=ON -DDEMARCHE_BUILD_TESTS=ON
	cmake --build build/tsan -j$(JOBS) --target unit_tests
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ./build/tsan/tests/unit_tests "[threads]"

clean:
	rm -rf build
