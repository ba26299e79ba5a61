#!/bin/sh
# install_and_embed.sh BUILD_DIR SOURCE_DIR WORK_DIR
# Installs BUILD_DIR into WORK_DIR/prefix, then configures, builds and runs
# examples/embed_cpp and examples/embed_c against the installed package (the C example
# also runs a second time and explains a fact, compared with `demarche why`), checks the
# pkg-config file and builds the C example once more through it, runs the Python ctypes
# example (a live session: run, retract, run again, why), and checks that the shared
# library exports only the public API.
set -eu
build=$1
src=$2
work=$3
prefix=$work/prefix
rules=$src/rules/korea
facts=$src/examples/korea/binding_treaty.facts

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
lib=$(ls "$prefix"/lib*/libdemarche.so "$prefix"/lib/*/libdemarche.so 2>/dev/null | head -n 1)
[ -n "$lib" ] || { echo "libdemarche.so was not installed"; exit 1; }
libdir=$(dirname "$lib")
for f in "$libdir/libdemarche.a" "$prefix/bin/demarche" "$prefix/include/demarche/demarche.h" \
         "$prefix/include/demarche/demarche.hpp" "$libdir/cmake/demarche/demarche-config.cmake" \
         "$libdir/pkgconfig/demarche.pc"; do
    [ -e "$f" ] || { echo "not installed: $f"; exit 1; }
done

# Only the public API leaves the shared library: no symbol of the internal namespaces.
# (Mangled names: a function *of* those namespaces, not one taking their types.)
if nm -D --defined-only "$lib" | grep -E ' _Z(N|NK|TV|TI|TS)8demarche(3dsl|6engine)' >"$work/leaked.txt"; then
    echo "internal symbols exported from $lib:"; head -n 20 "$work/leaked.txt"; exit 1
fi
nm -D --defined-only "$lib" | grep -q ' T demarche_session_run$' || { echo "C API not exported"; exit 1; }

for example in embed_cpp embed_c; do
    cmake -S "$src/examples/$example" -B "$work/$example" -DCMAKE_PREFIX_PATH="$prefix" \
          -DCMAKE_BUILD_TYPE=Release >"$work/$example.configure.log" 2>&1 \
        || { cat "$work/$example.configure.log"; exit 1; }
    cmake --build "$work/$example" >"$work/$example.build.log" 2>&1 \
        || { cat "$work/$example.build.log"; exit 1; }
done

LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
# The examples must agree with the installed CLI on the same input.
"$prefix/bin/demarche" run "$rules" --facts "$facts" >"$work/cli.out"
sed -n 's/^    \(f-[0-9]* .*\)$/\1/p' "$work/cli.out" | sort >"$work/expected.facts"
fired=$(sed -n 's/^Fired \([0-9]*\) activations*\..*$/\1/p' "$work/cli.out")
[ -s "$work/expected.facts" ] && [ -n "$fired" ] || { echo "unexpected CLI output"; cat "$work/cli.out"; exit 1; }

"$work/embed_cpp/embed_cpp" "$rules" "$facts" >"$work/cpp.out"
grep '^f-' "$work/cpp.out" | sort | diff "$work/expected.facts" - \
    || { echo "embed_cpp: derived facts differ from the CLI's"; exit 1; }
grep -q "^fired $fired\$" "$work/cpp.out" || { echo "embed_cpp: not fired $fired"; cat "$work/cpp.out"; exit 1; }

"$work/embed_c/embed_c" "$rules" "$facts" ceded_initiative >"$work/c.out"
grep -q "^fired $fired, complete 1\$" "$work/c.out" || { echo "embed_c: unexpected output"; cat "$work/c.out"; exit 1; }
grep -q "^second run fired 0\$" "$work/c.out" || { echo "embed_c: the second run fired"; cat "$work/c.out"; exit 1; }
# The explanation through the C API is the CLI's, word for word.
"$prefix/bin/demarche" why ceded_initiative "$rules" --facts "$facts" >"$work/cli.why"
sed -n '/^why ceded_initiative:$/,$p' "$work/c.out" | tail -n +2 | diff "$work/cli.why" - \
    || { echo "embed_c: why differs from the CLI's"; exit 1; }
derived=$(grep -o '"derived":true' "$work/c.out" | wc -l)
[ "$derived" -eq "$(wc -l <"$work/expected.facts")" ] \
    || { echo "embed_c: $derived derived facts, the CLI has $(wc -l <"$work/expected.facts")"; exit 1; }

# The pkg-config file, read for real (pkg-config is among the packages `make deps`
# installs): it must point into the prefix it was installed to, and build the C example
# as a Makefile-based project would.
command -v pkg-config >/dev/null 2>&1 || { echo "pkg-config not found (make deps installs it)"; exit 1; }
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
[ "$(pkg-config --modversion demarche)" = "$("$prefix/bin/demarche" --version | sed -n 's/.* \([0-9][0-9.]*\)$/\1/p')" ] \
    || { echo "demarche.pc: version $(pkg-config --modversion demarche) differs from the CLI's"; exit 1; }
pc_cflags=$(pkg-config --cflags demarche)
pc_libs=$(pkg-config --libs demarche)
# The folders named by -I or -L (relative to the .pc file), resolved to real paths.
pc_dirs() { for word in $2; do case $word in "$1"*) (cd "${word#"$1"}" 2>/dev/null && pwd -P) ;; esac; done; }
pc_dirs -I "$pc_cflags" | grep -qx "$(cd "$prefix/include" && pwd -P)" \
    || { echo "demarche.pc: cflags '$pc_cflags' do not name $prefix/include"; exit 1; }
pc_dirs -L "$pc_libs" | grep -qx "$(cd "$libdir" && pwd -P)" \
    || { echo "demarche.pc: libs '$pc_libs' do not name $libdir"; exit 1; }
case " $pc_libs " in *" -ldemarche "*) ;; *) echo "demarche.pc: libs '$pc_libs' miss -ldemarche"; exit 1 ;; esac
cc -std=c99 -Wall -Werror -o "$work/embed_c_pc" "$src/examples/embed_c/main.c" $pc_cflags $pc_libs
"$work/embed_c_pc" "$rules" "$facts" | grep -q "^fired $fired, complete 1\$" \
    || { echo "embed_c (pkg-config): unexpected output"; exit 1; }

# The bad path: a missing rule file is a compile status with a message, not a crash.
if "$work/embed_c/embed_c" "$work/missing.rules" "$facts" 2>"$work/c.err"; then
    echo "embed_c: a missing rules file did not fail"; exit 1
fi
grep -q 'compile error' "$work/c.err" || { echo "embed_c: no status message"; cat "$work/c.err"; exit 1; }

DEMARCHE_LIBRARY=$lib python3 "$src/examples/embed_python/demarche_ctypes.py" "$rules" "$facts" >"$work/py.out"
# (the first lines starting f-: the explanation at the end starts with one too)
grep '^f-' "$work/py.out" | sed -n "1,$(wc -l <"$work/expected.facts")p" | sort \
    | diff "$work/expected.facts" - || { echo "embed_python: derived facts differ from the CLI's"; exit 1; }
grep -q "^after retracting f-1: fired 0, $(wc -l <"$work/expected.facts") derived facts\$" "$work/py.out" \
    || { echo "embed_python: the live session part failed"; cat "$work/py.out"; exit 1; }
echo "install test passed"
