#!/bin/sh
# The HTML gallery as a reader sees it, in headless Chromium (Debian's chromium).
#
#   tests/test_gallery_html.sh LOSSCAPE RECIPES OUTDIR
#
# Renders the gallery into OUTDIR, then loads OUTDIR/index.html at a desktop width and at a
# phone width with a copy of the page that reports, from the browser itself:
#   - every image loaded, with a natural size above zero;
#   - no figure's caption (its alt text; the caption is drawn inside the image) is printed
#     again as page text;
#   - nothing is wider than the window (no sideways scrolling on a narrow screen);
#   - one thumbnail per section in the contents grid, each linking to a section that exists.
# The screenshots stay beside the gallery (OUTDIR/screenshot.png, screenshot-narrow.png)
# for a reader to look at. Output is TAP (one line per width, one for the screenshots).
# Without chromium the test is skipped, unless LSC_REQUIRE_CHROMIUM=1 (CI), where its
# absence is a failure.
set -eu
lsc=$1
recipes=$2
out=$3

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    if [ "${LSC_REQUIRE_CHROMIUM:-0}" = 1 ]; then
        echo "1..1"
        echo "not ok 1 - chromium not found (LSC_REQUIRE_CHROMIUM=1)"
        exit 1
    fi
    echo "1..0 # SKIP chromium not found"
    exit 0
fi

rm -rf "$out"
mkdir -p "$out"
echo "1..3"
"$lsc" gallery --recipes "$recipes" --out "$out" >/dev/null 2>"$out/gallery.log" || {
    sed 's/^/# /' "$out/gallery.log"
    echo "Bail out! the gallery did not render"
    exit 1
}

check="$out/check-$$.html"
trap 'rm -f "$check"' EXIT INT TERM
cp "$out/index.html" "$check"
cat >>"$check" <<'JS'
<script>
window.addEventListener('load', function () {
  var imgs = document.images, broken = [], repeated = [], text = document.body.innerText;
  for (var i = 0; i < imgs.length; i++) {
    var im = imgs[i], alt = im.getAttribute('alt') || '';
    if (!im.complete || im.naturalWidth === 0 || im.naturalHeight === 0)
      broken.push(im.getAttribute('src'));
    if (alt.length > 20 && text.indexOf(alt) >= 0)
      repeated.push(im.getAttribute('src'));
  }
  var thumbs = document.querySelectorAll('nav a'), sections = document.querySelectorAll('section');
  var dangling = 0;
  for (var j = 0; j < thumbs.length; j++)
    if (!document.getElementById(thumbs[j].getAttribute('href').slice(1))) dangling++;
  var wide = document.documentElement.scrollWidth > window.innerWidth ? 1 : 0;
  var p = document.createElement('pre');
  p.textContent = 'RESULT images=' + imgs.length + ' broken=' + broken.length +
    ' repeated=' + repeated.length + ' thumbs=' + thumbs.length + ' sections=' +
    sections.length + ' dangling=' + dangling + ' wide=' + wide + ' END ' +
    broken.join(' ') + ' ' + repeated.join(' ');
  document.body.appendChild(p);
});
</script>
JS

run_browser() { # WIDTH HEIGHT ARGS...: chromium headless at that window size
    w=$1
    h=$2
    shift 2
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --window-size="$w,$h" --virtual-time-budget=20000 "$@" 2>/dev/null
}

status=0
k=0
n_img=$(grep -o '<img ' "$out/index.html" | wc -l)
n_rec=$(ls "$recipes"/*.ini | wc -l)
for size in "1280 2000" "400 1600"; do
    set -- $size
    k=$((k + 1))
    result=$(run_browser "$1" "$2" --dump-dom "file://$check" |
        grep -o 'RESULT images=[0-9][^<]*' || true)
    echo "# width $1: ${result:-no result (the page did not load)}"
    ok=1
    case "$result" in
    "RESULT images=$n_img broken=0 repeated=0 thumbs=$n_rec sections=$n_rec dangling=0 wide=0 END"*) ;;
    *) ok=0 ;;
    esac
    if [ $ok = 1 ]; then
        echo "ok $k - width $1: $n_img images load, $n_rec thumbnails and sections, no caption repeated, no overflow"
    else
        echo "not ok $k - width $1: want images=$n_img broken=0 repeated=0 thumbs=$n_rec sections=$n_rec dangling=0 wide=0"
        status=1
    fi
done

run_browser 1280 2000 --screenshot="$out/screenshot.png" "file://$out/index.html" >/dev/null
run_browser 400 1600 --screenshot="$out/screenshot-narrow.png" "file://$out/index.html" >/dev/null
shots=ok
for s in screenshot.png screenshot-narrow.png; do
    [ "$(head -c 8 "$out/$s" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        shots="not ok"
done
[ "$shots" = ok ] || status=1
echo "$shots 3 - screenshots: $out/screenshot.png $out/screenshot-narrow.png"
exit $status
