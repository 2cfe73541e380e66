# a file of the losscape figure "fig.gif"
# losscape 0.1.0: animation, 6 frames over 60 steps (log spacing), 40x40 grid
#
# Re-render: gnuplot fig.gif.gp
#   (from any directory: the data files are read next to this script)
# Another file: gnuplot -e "OUT='other.png'" FIG.gp (same terminal; edit 'set terminal' for another format)
# The landscape was evaluated by losscape on a grid (a data file); gnuplot only draws.
#
# landscape: himmelblau
# dim: 2
# trajectory written by losscape 0.1.0
# schedule: constant
# clip_norm: 0
# clip_value: 0
# noise: 0
# seed: 7
# steps: 60
# stop_grad: 0
# every: 1
# run 0 optimizer: adam:lr=0.05
# run 0 label: adam
# run 0 start: -1,0.5
# run 0 status: max-steps (budget), 61 rows
# run 1 optimizer: sgd:lr=0.01,momentum=0.9
# run 1 label: heavy ball
# run 1 start: -1,0.5
# run 1 status: max-steps (budget), 61 rows
# run 2 optimizer: sgd:lr=0.5
# run 2 label: sgd
# run 2 start: -1,0.5
# run 2 status: diverged (x is not finite), 20 rows

# --- style: plots/style.gp (built in) ---
# losscape figure style: colours, markers, lines, fonts. One source for every figure.
# Each generated FIG.gp inlines this text (it is built into liblosscape; the figure option
# style=FILE inlines another file instead, so a copy of this one can restyle everything).
# Run colours: Okabe & Ito (2008), "Color Universal Design", colour-blind safe, ordered
# for contrast on viridis under a white outline: vermillion, sky blue, black and reddish
# purple stand out on every part of the map; orange fades into its yellow top, blue into
# its purple bottom, bluish green into its middle, yellow into its top.
# Colour map: viridis (van der Walt & Smith, matplotlib 2015), 10 evenly spaced stops,
# perceptually uniform and readable in grey scale.

# --- runs: line types 1-8 ---
# A run takes the colour of its optimizer, the same in every figure (losscape picks the
# line type): gd, sgd 1 · momentum 2 · adam 3 · nesterov, sfn 4 · rmsprop 5 ·
# adamw, radam, pgd 6 · adagrad, nadam, newton 7. A second run of a type already drawn
# (another learning rate, ...) takes the first line type no other run of the figure uses.
set linetype 1 lc rgb '#D55E00' lw 2 dt solid   # vermillion
set linetype 2 lc rgb '#56B4E9' lw 2 dt solid   # sky blue
set linetype 3 lc rgb '#000000' lw 2 dt solid   # black
set linetype 4 lc rgb '#CC79A7' lw 2 dt solid   # reddish purple
set linetype 5 lc rgb '#E69F00' lw 2 dt solid   # orange
set linetype 6 lc rgb '#0072B2' lw 2 dt solid   # blue
set linetype 7 lc rgb '#009E73' lw 2 dt solid   # bluish green
set linetype 8 lc rgb '#F0E442' lw 2 dt solid   # yellow
# the same colours, faint (raw curves under a smoothed one): line types 11-18
set linetype 11 lc rgb '#A8D55E00' lw 1 dt solid
set linetype 12 lc rgb '#A856B4E9' lw 1 dt solid
set linetype 13 lc rgb '#A8000000' lw 1 dt solid
set linetype 14 lc rgb '#A8CC79A7' lw 1 dt solid
set linetype 15 lc rgb '#A8E69F00' lw 1 dt solid
set linetype 16 lc rgb '#A80072B2' lw 1 dt solid
set linetype 17 lc rgb '#A8009E73' lw 1 dt solid
set linetype 18 lc rgb '#A8F0E442' lw 1 dt solid
set linetype cycle 8
# Paths over a map: the first run drawn widest, each later one a little thinner, so a
# path drawn over another leaves the one below visible along both its edges.
LW_PATH = 3.0          # run paths over a map: the first run
LW_PATH_STEP = 0.4     # each later run this much thinner ...
LW_PATH_MIN = 1.4      # ... down to this
LW_HALO = 1.8          # white outline under a path: this much wider than the path
LW_CURVE = 2.2         # curves against step (same rule, smaller steps)
LW_CURVE_STEP = 0.15
LW_CURVE_MIN = 1.6
AT_LEAST(v, lo) = (v > lo ? v : lo)
LW_PATH_RUN(k) = AT_LEAST(LW_PATH - k * LW_PATH_STEP, LW_PATH_MIN)  # k = 0: the first run
LW_CURVE_RUN(k) = AT_LEAST(LW_CURVE - k * LW_CURVE_STEP, LW_CURVE_MIN)
DT_RUN(k) = (k == 0 ? 1 : 2 + (k - 1) % 4)   # lines that often coincide (slice: f along
                                              # start -> end): dashed after the first run
DT_OVER = 2            # a path that runs along an earlier one: dashed, the earlier shows
C_HALO = '#FFFFFF'

# --- landscapes ---
set palette defined (0 '#440154', 1 '#482878', 2 '#3E4A89', 3 '#31688E', 4 '#26828E', \
                     5 '#1F9E89', 6 '#35B779', 7 '#6DCD59', 8 '#B4DE2C', 9 '#FDE725')
set palette maxcolors 0
C_CONTOUR = '#99000000'   # contour lines: black, 60% transparent (ARGB)
LW_CONTOUR = 0.7
C_CONTOUR_DUMB = '#000000'
C_QUIVER = '#8CFFFFFF'    # gradient-direction arrows
LW_QUIVER = 1.0

# --- markers (cairo point types) ---
PT_START = 6           # start: open circle, black on a white disc (runs often share it)
PT_START_FILL = 7
C_START_FILL = '#FFFFFF'
C_START_EDGE = '#000000'
PS_START = 1.4
PT_END = 7             # end: filled circle in the run's colour; later runs smaller, so
PS_END = 1.9           #   ends at the same point show as rings
PS_END_STEP = 0.3
PS_END_MIN = 0.7
PS_END_RUN(k) = AT_LEAST(PS_END - k * PS_END_STEP, PS_END_MIN)
PT_DIVERGED = 2        # diverged: cross at the last finite point in view
DT_EXIT = 2            # diverged and left the view: dashed arrow to the frame edge
PT_CURRENT = 7         # animation: current position
PS_RUN = 1.5
PT_MIN = 13            # minimum: diamond (white fill, black outline)
PT_MIN_OPEN = 12
PT_SADDLE = 9          # saddle point: triangle
PT_SADDLE_OPEN = 8
PT_MAX = 5             # maximum: square
PT_MAX_OPEN = 4
PT_DEGEN = 11          # degenerate critical point: downward triangle
PT_DEGEN_OPEN = 10
PS_CRIT = 1.8
C_CRIT_FILL = '#FFFFFF'
C_CRIT_EDGE = '#000000'
C_NOT_CONVERGED = '#BBBBBB'   # basins
C_DIVERGED = '#000000'

# --- frame and text: no grid, thin border, outward tics, plain key ---
# (FRAME is re-applied after a legend-only panel has switched the frame off)
FRAME = "set border lw 1.0 lc rgb '#333333'; " . \
        "set tics out scale 0.6 nomirror; set mxtics default"
eval FRAME
set key noopaque nobox samplen 2.5 spacing 1.15
set style arrow 1 head filled size screen 0.008,25 lc rgb C_QUIVER lw LW_QUIVER
set style arrow 2 head filled size screen 0.014,25 dt DT_EXIT
unset grid
CAPTION_FONT_SCALE = 0.8      # caption font size relative to the base font
# --- end of style ---

# data files live next to this script
DIR = ''
if (exists('ARG0') && strlen(ARG0) > 0) { _i = strlen(ARG0); while (_i > 0 && ARG0[_i:_i] ne '/') { _i = _i - 1 }; if (_i > 0) { DIR = ARG0[1:_i] } }
if (!exists('OUT')) OUT = DIR.'fig.gif'
set terminal gif animate delay 20 loop 0 size 680,580 enhanced font 'DejaVu Sans,12'
set output OUT
set encoding utf8
FONTSIZE = 12
set clip two
set label 90 'schedule constant, 60 steps, seed 7. Colour: log scale of f − f* + ε, f* = 0, ε = 1. Frames are' at screen 0.012, screen 0.0513 left front noenhanced font ',10' textcolor rgb '#444444'
set label 91 'spaced evenly in log(step). Made with losscape 0.1.0.' at screen 0.012, screen 0.0218 left front noenhanced font ',10' textcolor rgb '#444444'
set style textbox opaque noborder margins 2,2
set palette maxcolors 24
LW_PATH = 5; LW_PATH_STEP = 1; LW_PATH_MIN = 2; LW_HALO = 2
NF = 6
array STEP[NF] = [0,1,4,11,26,60]
array ROW0[NF] = [0,1,4,11,26,60]
array ROW1[NF] = [0,1,4,11,26,60]
array ROW2[NF] = [0,1,4,7,7,7]
array OUT2[NF] = [0,0,0,1,1,1]
HOLD = 5
if (!exists("FRAME_FIRST")) FRAME_FIRST = 1
if (!exists("FRAME_LAST")) FRAME_LAST = NF + HOLD
do for [frame=FRAME_FIRST:FRAME_LAST] {
  k = frame > NF ? NF : frame
set multiplot title 'Himmelblau' noenhanced font ',14'
unset border; unset tics; unset key; unset colorbox; unset xlabel; unset ylabel; unset label 1
set origin 0, 0
set size noratio 1, 1
set xrange [0:1]; set yrange [0:1]
plot 2 with lines lt 3 notitle, \
     2 with lines lt 1 notitle, \
     2 with lines lt 2 notitle
unset label 90
unset label 91
set origin 0, 0
set size noratio 1, 1
set lmargin at screen 0.2027; set rmargin at screen 0.7391
set bmargin at screen 0.2920; set tmargin at screen 0.9208
eval FRAME
unset key
set xlabel 'x' noenhanced
set ylabel 'y' noenhanced
set xrange [-5:5]
set yrange [-5:5]
FMIN = 0; EPS = 1
COLOR(f) = f - FMIN + EPS
set cbrange [1.270562335:891]
set logscale cb 10
set format cb '10^{%L}'
set tics front
set colorbox vertical user origin screen 0.7603, screen 0.2920 size screen 0.0259, screen 0.6289
unset cblabel
set label 81 'f(x) − f* + ε' at screen 0.8855, screen 0.6064 center rotate by 90 enhanced front
set label 1 sprintf('step %d', STEP[k]) at graph 0.03, graph 0.95 left front boxed
plot DIR.'fig.gif.grid.f32' binary array=(40,40) format='%float32' endian=little skip=42 origin=(-5,-5) dx=0.2564102564 dy=0.2564102564 using (COLOR($1)) with image notitle, \
     DIR.'fig.gif.contour.tsv' using 1:2 with lines lc rgb C_CONTOUR lw LW_CONTOUR notitle, \
     DIR.'fig.gif.paths.tsv' index 0 every ::0::ROW0[k] using 2:3 with lines lc rgb C_HALO lw LW_PATH_RUN(0)+LW_HALO notitle, \
     DIR.'fig.gif.paths.tsv' index 1 every ::0::ROW1[k] using 2:3 with lines lc rgb C_HALO lw LW_PATH_RUN(1)+LW_HALO notitle, \
     DIR.'fig.gif.paths.tsv' index 2 every ::0::ROW2[k] using 2:3 with lines lc rgb C_HALO lw LW_PATH_RUN(2)+LW_HALO notitle, \
     DIR.'fig.gif.exits.tsv' every ::0::0 using 1:2:(OUT2[k] ? $3 : NaN):4 with vectors nohead lc rgb C_HALO lw LW_PATH_RUN(2)+LW_HALO notitle, \
     DIR.'fig.gif.paths.tsv' index 0 every ::0::ROW0[k] using 2:3 with lines lt 3 lw LW_PATH_RUN(0) notitle, \
     DIR.'fig.gif.paths.tsv' index 1 every ::0::ROW1[k] using 2:3 with lines lt 1 lw LW_PATH_RUN(1) notitle, \
     DIR.'fig.gif.paths.tsv' index 2 every ::0::ROW2[k] using 2:3 with lines lt 2 lw LW_PATH_RUN(2) notitle, \
     DIR.'fig.gif.exits.tsv' every ::0::0 using 1:2:(OUT2[k] ? $3 : NaN):4 with vectors head filled size screen 0.016,25 lt 2 dt DT_EXIT lw LW_PATH_RUN(2) notitle, \
     DIR.'fig.gif.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.gif.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.gif.cp.tsv' using 1:($3==2?$2:NaN) with points pt PT_SADDLE lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.gif.cp.tsv' using 1:($3==2?$2:NaN) with points pt PT_SADDLE_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.gif.cp.tsv' using 1:($3==1?$2:NaN) with points pt PT_MAX lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.gif.cp.tsv' using 1:($3==1?$2:NaN) with points pt PT_MAX_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.gif.paths.tsv' index 0 every ::0::0 using 2:3 with points pt PT_START_FILL ps PS_START lc rgb C_START_FILL notitle, \
     DIR.'fig.gif.paths.tsv' index 0 every ::0::0 using 2:3 with points pt PT_START ps PS_START lw 1.5 lc rgb C_START_EDGE notitle, \
     DIR.'fig.gif.paths.tsv' index 0 every ::ROW0[k]::ROW0[k] using 2:3 with points lt 3 pt PT_CURRENT ps PS_END_RUN(0) notitle, \
     DIR.'fig.gif.paths.tsv' index 1 every ::ROW1[k]::ROW1[k] using 2:3 with points lt 1 pt PT_CURRENT ps PS_END_RUN(1) notitle, \
     DIR.'fig.gif.paths.tsv' index 2 every ::ROW2[k]::ROW2[k] using 2:(OUT2[k] ? NaN : $3) with points lt 2 pt PT_CURRENT ps PS_END_RUN(2) notitle

# legend
set origin 0, 0.0685
set size noratio 1, 0.1159
unset border; unset tics; unset xlabel; unset ylabel; unset colorbox; unset label 1; unset label 81
set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0
set xrange [0:1]; set yrange [0:1]; unset logscale
set key at screen 0.5, screen 0.1642 center top horizontal Left reverse maxcols 2 width 1
plot keyentry with lines lt 3 lw LW_PATH title 'adam lr=0.05' noenhanced, \
     keyentry with lines lt 1 lw LW_PATH title 'heavy ball' noenhanced, \
     keyentry with lines lt 2 lw LW_PATH title 'sgd lr=0.5' noenhanced, \
     keyentry with vectors head filled size screen 0.012,25 dt DT_EXIT lw 2 lc rgb '#000000' title 'diverged, off the map', \
     NaN notitle
unset multiplot
set label 90 'schedule constant, 60 steps, seed 7. Colour: log scale of f − f* + ε, f* = 0, ε = 1. Frames are' at screen 0.012, screen 0.0513 left front noenhanced font ',10' textcolor rgb '#444444'
set label 91 'spaced evenly in log(step). Made with losscape 0.1.0.' at screen 0.012, screen 0.0218 left front noenhanced font ',10' textcolor rgb '#444444'
}
