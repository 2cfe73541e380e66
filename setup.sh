#!/bin/sh
# setup.sh — install what losscape needs (Debian/Ubuntu), build it, then run one job.
#
#   ./setup.sh gallery   render the figure gallery into plots/out/ (the main job)
#   ./setup.sh test      run the whole test suite
#   ./setup.sh build     only install and build
#   ./setup.sh bench     the benchmark (installs python3-torch for the PyTorch reference)
#
# Environment: BUILD_DIR (default build), MESON_FLAGS (extra `meson setup` flags).
set -eu
cd "$(dirname "$0")"
job=${1:-build}
BUILD_DIR=${BUILD_DIR:-build}

packages="gcc meson ninja-build pkg-config libgsl-dev libcriterion-dev libmatheval-dev
libinih-dev gnuplot-nox fonts-dejavu-core"
[ "$job" = bench ] && packages="$packages python3-torch"

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
    # shellcheck disable=SC2086
    meson setup "$BUILD_DIR" ${MESON_FLAGS:-}
fi
ninja -C "$BUILD_DIR"

case "$job" in
build) ;;
gallery)
    "$BUILD_DIR/src/cli/losscape" gallery ;;
test)
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
*)
    echo "usage: ./setup.sh gallery|test|build|bench" >&2
    exit 2 ;;
esac
