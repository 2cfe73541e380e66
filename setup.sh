#!/bin/sh
# setup.sh — install what losscape needs (Debian/Ubuntu), build it, then run one job.
#
#   ./setup.sh gallery   render the figure gallery into plots/out/ (the main job)
#   ./setup.sh test      run the whole test suite
#   ./setup.sh build     only install and build
#   ./setup.sh bench     the benchmark (installs python3-torch for the PyTorch reference)
#   ./setup.sh sanitize  the whole test suite built with clang, ASan and UBSan (build-san)
#   ./setup.sh fuzz      each fuzz target for FUZZ_SECONDS (default 60) (build-fuzz;
#                        tests/fuzz/README.md)
#
# Environment: BUILD_DIR (default build; build-san, build-fuzz for sanitize, fuzz),
# MESON_FLAGS (extra `meson setup` flags), FUZZ_SECONDS.
set -eu
cd "$(dirname "$0")"
job=${1:-build}
case "$job" in
sanitize) BUILD_DIR=${BUILD_DIR:-build-san} ;;
fuzz) BUILD_DIR=${BUILD_DIR:-build-fuzz} ;;
esac
BUILD_DIR=${BUILD_DIR:-build}

# libopenblas-dev: the models' matrix products (meson option blas; gslcblas without it)
packages="gcc g++ meson ninja-build pkg-config libgsl-dev libopenblas-dev libcriterion-dev
libmatheval-dev libdouble-conversion-dev libinih-dev gnuplot-nox fonts-dejavu-core"
[ "$job" = bench ] && packages="$packages python3-torch"
# the tests render the man page (groff) and try the bash and zsh completions
case "$job" in
test | sanitize) packages="$packages groff-base zsh" ;;
esac
# the HTML gallery test loads the page in headless Chromium
[ "$job" = test ] && packages="$packages chromium"
# the .tex figure tests compile every kind with pdflatex and read the text with pdftotext
[ "$job" = test ] && packages="$packages texlive-latex-base poppler-utils"
# clang with its sanitizer and libFuzzer runtimes, and llvm-symbolizer for the reports
case "$job" in
sanitize | fuzz) packages="$packages clang libclang-rt-14-dev llvm-14" ;;
esac

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    case "$job" in
    sanitize | fuzz)
        # clang: its UBSan also checks float-to-int overflow (gcc's does not). Any report
        # stops the program. The fuzz build instruments every library for libFuzzer and
        # builds the fuzz targets instead of the Criterion suites.
        cargs="-fno-sanitize-recover=all -fno-omit-frame-pointer"
        only="-Dtests=true"
        if [ "$job" = fuzz ]; then
            cargs="$cargs -fsanitize=fuzzer-no-link"
            only="-Dtests=false -Dfuzz=true"
        fi
        # shellcheck disable=SC2086
        CC=clang CXX=clang++ meson setup "$BUILD_DIR" -Db_sanitize=address,undefined \
            -Db_lundef=false -Ddebug=true -Dc_args="$cargs" -Dcpp_args="$cargs" $only \
            ${MESON_FLAGS:-} ;;
    *)
        # shellcheck disable=SC2086
        meson setup "$BUILD_DIR" ${MESON_FLAGS:-} ;;
    esac
fi
ninja -C "$BUILD_DIR"

case "$job" in
sanitize | fuzz)
    # every sanitizer report fails (exit 86); libmatheval's own leaks are suppressed
    export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:exitcode=86}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=86}"
    export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}"
    if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
        export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}"
    fi ;;
esac

case "$job" in
build) ;;
gallery)
    "$BUILD_DIR/src/cli/losscape" gallery ;;
test | sanitize)
    status=0
    meson test -C "$BUILD_DIR" --print-errorlogs || status=$?
    # Criterion reports each test case as a TAP line in the log: count them.
    log="$BUILD_DIR/meson-logs/testlog.txt"
    passed=$(grep -c '^ok ' "$log" || true)
    failed=$(grep -c '^not ok ' "$log" || true)
    echo "$passed passed, $failed failed"
    exit $status ;;
bench)
    "$BUILD_DIR/tests/bench" ;;
fuzz)
    tests/fuzz/run.sh "$BUILD_DIR" ;;
*)
    echo "usage: ./setup.sh gallery|test|build|bench|sanitize|fuzz" >&2
    exit 2 ;;
esac
