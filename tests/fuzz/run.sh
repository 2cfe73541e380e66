#!/bin/sh
# tests/fuzz/run.sh — run every libFuzzer target of a -Dfuzz=true build for a bounded time
#
#   tests/fuzz/run.sh BUILD_DIR        (./setup.sh fuzz configures, builds and calls it)
#
# Environment: FUZZ_SECONDS per target (default 60); ASAN_OPTIONS, UBSAN_OPTIONS and
# LSAN_OPTIONS as setup.sh sets them (defaults below).
#
# Each target starts from its seed corpus and its regression inputs (both read only: new
# inputs go to BUILD_DIR/fuzz/corpus/NAME, which the next run reuses), with a memory limit
# of 2 GB and a maximum input length that suits its parser. A finding (crash, sanitizer
# report, leak, time-out of 10 s on one input, out of memory) is saved under
# BUILD_DIR/fuzz/findings/NAME/ and fails the run; replay it with
#   BUILD_DIR/tests/fuzz/fuzz_NAME FILE
# and, once understood, copy it to tests/fuzz/regressions/NAME/. One line per target
# reports its executions.
set -eu
build=${1:?usage: tests/fuzz/run.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)

export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=86}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/lsan.supp:print_suppressions=0}"

status=0
ran=0
for exe in "$build"/tests/fuzz/fuzz_*; do
    if [ ! -f "$exe" ] || [ ! -x "$exe" ]; then continue; fi
    name=${exe##*/fuzz_}
    case "$name" in
    replay_*) continue ;; # the replay tests of a build with tests
    spec) max_len=2048 ;;        # one spec; values are at most 1023 characters
    recipe) max_len=8192 ;;      # the gallery's recipes are under 2 KB
    trajectory) max_len=16384 ;; # a few runs of a few rows
    *) max_len=8192 ;;
    esac
    work="$build/fuzz/corpus/$name"
    findings="$build/fuzz/findings/$name"
    log="$build/fuzz/$name.log"
    mkdir -p "$work" "$findings"
    # the corpus directories: libFuzzer refuses a missing one (git keeps no empty one)
    set -- "$work"
    for d in "$here/corpus/$name" "$here/regressions/$name"; do
        if [ -d "$d" ]; then set -- "$@" "$d"; fi
    done
    rc=0
    "$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$max_len" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$@" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    ran=$((ran + 1))
    if [ "$rc" -eq 0 ]; then
        echo "fuzz $name: ${execs:-?} executions in $seconds s, no findings"
    else
        status=1
        echo "fuzz $name: FINDING after ${execs:-?} executions (exit $rc; log $log):"
        # the report's first lines (what, where, the top frames) and the saved input
        grep -a -m 1 -A 24 -e '^==[0-9]*==ERROR' -e 'runtime error' -e '^fuzz: ' "$log" || true
        grep -a -e '^SUMMARY' -e 'Test unit written' "$log" || true
    fi
done
if [ "$ran" -eq 0 ]; then
    echo "fuzz: no fuzz targets in $build/tests/fuzz (configure with -Dfuzz=true)" >&2
    exit 2
fi
exit $status
