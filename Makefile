# The two set-up commands of the README, plus helpers for development.
#   make demo  - install what is missing, build an optimised binary, run the main job
#   make test  - install what is missing, build, run every test through ctest
# Both work as root on a fresh Debian 12 machine (they call apt-get when a package is missing).

PACKAGES := g++ cmake make python3 tao-pegtl-dev libboost-dev libspdlog-dev libfmt-dev \
            catch2 libcli11-dev nlohmann-json3-dev clips
JOBS ?= 2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test sanitize deps release debug clean

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

clean:
	rm -rf build
