#!/bin/sh
# test_install.sh BUILD_DIR SOURCE_DIR — the library as a user meets it once installed.
#
# Installs the build into a temporary DESTDIR, then, using only what was installed:
#   - the pkg-config file gives one include prefix (<losscape/losscape.h>): no header with
#     a generic name (param.h, run.h, ...) on the include path;
#   - the installed headers cite no document that is not installed;
#   - the installed liblosscape exports only lsc_ names, and every function and object the
#     installed headers declare (a top-level declaration: LSC_API, see param.h);
#   - examples/embed.c compiles with -Wall -Wextra -Wpedantic -Werror against the installed
#     headers and links against the installed liblosscape through
#     `pkg-config --cflags --libs losscape`, runs with LD_LIBRARY_PATH on the installed
#     library, reaches the minimum of its own function and writes its trajectory and figure
#     (only the gnuplot script and data when gnuplot is not installed);
#   - the man page is installed in man1 and renders without a warning, and the bash and
#     zsh completions are installed where bash-completion and zsh look;
#   - the installed `losscape gallery`, run in an empty folder, finds the installed recipes
#     (not the source tree's) and renders every one into ./plots/out of that folder, and
#     writes nothing into the source or build tree (without gnuplot: it finds the recipes,
#     then stops for gnuplot, exit 3).
# Environment: CC (default cc); SANITIZE, the b_sanitize option of the build (the
# installed library is instrumented then, so the example must be too).
set -eu
build=$1
src=$2
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsc-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
    echo "test_install: $*" >&2
    exit 1
}

meson install -C "$build" --destdir "$tmp/dest" --no-rebuild --quiet >"$tmp/install.log" 2>&1 ||
    fail "meson install failed: $(cat "$tmp/install.log")"
pc=$(find "$tmp/dest" -name losscape.pc | head -n 1)
[ -n "$pc" ] || fail "no losscape.pc was installed"
prefix=$(sed -n 's/^prefix=//p' "$pc")
root=$tmp/dest$prefix
# the .pc file names the real prefix; point it at the DESTDIR copy
pkg() { PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --define-variable=prefix="$root" "$@" losscape; }
cflags=$(pkg --cflags) || fail "pkg-config --cflags losscape failed"
libs=$(pkg --libs) || fail "pkg-config --libs losscape failed"

# ---- headers: one prefix, nothing that points outside the installation
[ -f "$root/include/losscape/losscape.h" ] || fail "no include/losscape/losscape.h"
case " $cflags " in
*"/include/losscape "*) fail "pkg-config puts include/losscape itself on the include path: $cflags" ;;
esac
if grep -nE 'shared/|REFERENCE\.md|DESIGN\.md' "$root"/include/losscape/*.h >"$tmp/refs"; then
    fail "installed headers cite documents that are not installed: $(cat "$tmp/refs")"
fi

# ---- exports: lsc_ names only, and all that the headers declare
lib=$(find "$root" -name liblosscape.so | head -n 1)
[ -n "$lib" ] || fail "no liblosscape.so was installed"
nm -D --defined-only "$lib" | awk '{print $3}' | sort -u >"$tmp/exported"
bad=$(grep -v '^lsc_' "$tmp/exported" | tr '\n' ' ')
[ -z "$bad" ] || fail "liblosscape exports names without the lsc_ prefix: $bad"
# a declaration starts in column 0 (not a typedef, a static inline function, a comment or
# a directive); its name is the first lsc_ identifier followed by '(' or '[' or ';'
sed -n '/^[A-Za-z]/p' "$root"/include/losscape/*.h |
    grep -vE '^(typedef|static|extern "C"|struct|enum|union)' |
    grep -oE '\blsc_[a-z0-9_]+ *[[(;]' | sed 's/ *[[(;]$//' | sort -u >"$tmp/declared"
missing=$(comm -23 "$tmp/declared" "$tmp/exported" | tr '\n' ' ')
[ -z "$missing" ] || fail "declared in the installed headers but not exported (LSC_API?): $missing"

# ---- the example against the installed library
san=""
if [ -n "${SANITIZE:-}" ] && [ "$SANITIZE" != none ]; then
    san="-fsanitize=$SANITIZE"
fi
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Wpedantic -Werror $san "$src/examples/embed.c" $cflags $libs -lm \
    -o "$tmp/embed" 2>"$tmp/cc.log" ||
    fail "examples/embed.c does not build against the installed library: $(cat "$tmp/cc.log")"
mkdir "$tmp/run"
render=""
command -v gnuplot >/dev/null 2>&1 || render=--no-render
# shellcheck disable=SC2086
(cd "$tmp/run" && LD_LIBRARY_PATH=$(dirname "$lib") "$tmp/embed" . $render) >"$tmp/embed.log" 2>&1 ||
    fail "examples/embed did not reach the minimum: $(cat "$tmp/embed.log")"
grep -qx '# landscape: user:valley' "$tmp/run/valley.tsv" ||
    fail "valley.tsv does not name its landscape user:valley"
if [ -z "$render" ]; then
    [ -s "$tmp/run/valley.png" ] || fail "no valley.png"
else
    [ -s "$tmp/run/valley.png.gp" ] || fail "no valley.png.gp"
fi
cat "$tmp/embed.log"

# ---- the installed command line: `losscape gallery` away from any source tree
exe=$root/bin/losscape
[ -x "$exe" ] || fail "no bin/losscape was installed"
recipes=$(find "$root/share/losscape/gallery" -name '*.ini' | wc -l)
[ "$recipes" -gt 0 ] || fail "no gallery recipes were installed"
[ -f "$root/share/losscape/style.gp" ] || fail "plots/style.gp was not installed"
# the man page and the completions, where man, bash-completion and zsh find them
man1=$root/share/man/man1/losscape.1
[ -s "$man1" ] || fail "no share/man/man1/losscape.1 was installed"
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -k -ww -z "$man1" 2>&1) || fail "groff cannot render losscape.1"
    [ -z "$warn" ] || fail "groff warns about the installed losscape.1: $warn"
fi
[ -s "$root/share/bash-completion/completions/losscape" ] ||
    fail "no share/bash-completion/completions/losscape was installed"
[ -s "$root/share/zsh/site-functions/_losscape" ] ||
    fail "no share/zsh/site-functions/_losscape was installed"
snapshot() { ls -la --full-time "$src/plots" "$src/plots/out" "$build/plots" 2>&1 || true; }
before=$(snapshot)
mkdir "$tmp/empty"
status=0
(cd "$tmp/empty" && "$exe" gallery) >"$tmp/gallery.log" 2>&1 || status=$?
if [ -z "$render" ]; then
    [ "$status" -eq 0 ] || fail "the installed gallery failed ($status): $(cat "$tmp/gallery.log")"
    index=$tmp/empty/plots/out/index.md
    [ -s "$index" ] || fail "no plots/out/index.md in the current folder"
    for ini in "$root/share/losscape/gallery"/*.ini; do
        name=$(basename "$ini" .ini)
        grep -q "$name" "$index" || fail "the gallery index lacks $name"
    done
    figures=$(grep -o '](' "$index" | wc -l)
    [ "$figures" -ge "$recipes" ] || fail "$figures figures for $recipes recipes"
    grep -o '](\([^)]*\))' "$index" | sed 's/^](//; s/)$//' | while read -r fig; do
        [ -s "$tmp/empty/plots/out/$fig" ] || fail "the index names $fig, which is missing"
    done
else
    [ "$status" -eq 3 ] || fail "without gnuplot the gallery should stop with 3, not $status"
    grep -q gnuplot "$tmp/gallery.log" || fail "no word of gnuplot: $(cat "$tmp/gallery.log")"
fi
[ "$(snapshot)" = "$before" ] || fail "the installed gallery wrote into the source or build tree"
echo "test_install: gallery ($recipes recipes) from the installation into ./plots/out"
echo "test_install: ok"
