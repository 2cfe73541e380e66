# a file of the losscape figure "fig.png"
# losscape 0.1.0: slice of a 3-D landscape through end, the two principal components of the positions, 40x40 grid
#
# Re-render: gnuplot fig.png.gp
#   (from any directory: the data files are read next to this script)
# Another file: gnuplot -e "OUT='other.png'" FIG.gp (same terminal; edit 'set terminal' for another format)
# The landscape was evaluated by losscape on a grid (a data file); gnuplot only draws.
#
# landscape: sphere
# dim: 3
# trajectory written by losscape 0.1.0
# schedule: constant
# clip_norm: 0
# clip_value: 0
# noise: 0
# seed: 0
# steps: 100
# stop_grad: 0
# every: 1
# run 0 optimizer: adam:lr=0.1
# run 0 label: adam
# run 0 start: 1,2,2
# run 0 status: converged (), 101 rows
# run 1 optimizer: gd:lr=0.1
# run 1 label: gd
# run 1 start: 1,2,2
# run 1 status: converged (), 101 rows

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
if (!exists('OUT')) OUT = DIR.'fig.png'
set terminal pngcairo size 1400,680 enhanced font 'DejaVu Sans,12' linewidth 1.2
set output OUT
set encoding utf8
FONTSIZE = 12
set clip two
# plane: x = base + a*d1 + b*d2 (first 20 coordinates shown)
# base: 0 0 0
# d1: -0.3333333333333333 -0.6666666666666669 -0.666666666666667
# d2: -0.6666666666666666 0.6666666666666669 -0.3333333333333334
set label 90 'schedule constant, 100 steps, seed 0. Slice through the end of the first run, spanned by the two principal components of the positions; the paths are projected onto it: they do not lie on the surface' at screen 0.012, screen 0.0437 left front noenhanced font ',10' textcolor rgb '#444444'
set label 91 'shown. Made with losscape 0.1.0.' at screen 0.012, screen 0.0186 left front noenhanced font ',10' textcolor rgb '#444444'
set multiplot title 'Sphere (n=3)' noenhanced font ',14'

# panel 1: the slice
set lmargin at screen 0.0594; set rmargin at screen 0.4074
set bmargin at screen 0.2161; set tmargin at screen 0.9325
set xrange [-3.3:0.3]
set yrange [-1.8:1.8]
set xlabel 'PC1 (97.3% of the variance)' noenhanced
set ylabel 'PC2 (2.7% of the variance)' noenhanced
FMIN = 0; EPS = 0.01
COLOR(f) = f - FMIN + EPS
set cbrange [0.01133136095:7.075]
set logscale cb 10
set format cb '10^{%L}'
set colorbox vertical user origin screen 0.4177, screen 0.2161 size screen 0.0126, screen 0.7164
unset cblabel
set label 81 'f(x) − f* + ε   (f* = 0, ε = 10^{-2})' at screen 0.4819, screen 0.5743 center rotate by 90 enhanced front
set tics front
unset key
plot DIR.'fig.png.grid.f32' binary array=(40,40) format='%float32' endian=little skip=42 origin=(-3.3,-1.8) dx=0.09230769231 dy=0.09230769231 using (COLOR($1)) with image notitle, \
     DIR.'fig.png.contour.tsv' using 1:2 with lines lc rgb C_CONTOUR lw LW_CONTOUR notitle, \
     DIR.'fig.png.paths.tsv' index 0 every ::0::100 using 2:3 with lines lc rgb C_HALO lw LW_PATH_RUN(0)+LW_HALO notitle, \
     DIR.'fig.png.paths.tsv' index 1 every ::0::100 using 2:3 with lines lc rgb C_HALO lw LW_PATH_RUN(1)+LW_HALO notitle, \
     DIR.'fig.png.paths.tsv' index 0 every ::0::100 using 2:3 with lines lt 3 lw LW_PATH_RUN(0) title 'adam lr=0.1' noenhanced, \
     DIR.'fig.png.paths.tsv' index 1 every ::0::100 using 2:3 with lines lt 1 lw LW_PATH_RUN(1) title 'gd lr=0.1' noenhanced, \
     DIR.'fig.png.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.png.paths.tsv' index 0 every ::100::100 using 2:3 with points lt 3 pt PT_END ps PS_END_RUN(0) notitle, \
     DIR.'fig.png.paths.tsv' index 1 every ::100::100 using 2:3 with points lt 1 pt PT_END ps PS_END_RUN(1) notitle, \
     DIR.'fig.png.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.png.paths.tsv' index 0 every ::0::0 using 2:3 with points pt PT_START_FILL ps PS_START lc rgb C_START_FILL notitle, \
     DIR.'fig.png.paths.tsv' index 0 every ::0::0 using 2:3 with points pt PT_START ps PS_START lw 1.5 lc rgb C_START_EDGE notitle

# panel 2: f along the straight line from start to end
unset label 90
unset label 91
unset colorbox
unset label 81
set lmargin at screen 0.5717; set rmargin at screen 0.9863
set xrange [-0.25:1.25]
set xtics 0.25
set ytics autofreq
set yrange [*:*]
set xlabel 'α  (0: start, 1: end)' enhanced
set ylabel 'f(start + α(end − start)) − f* + ε' enhanced
set logscale y 10
set format y '10^{%L}'
plot DIR.'fig.png.line.tsv' index 0 using 1:3 with lines lt 3 lw LW_PATH_RUN(0) dt DT_RUN(0) notitle, \
     DIR.'fig.png.line.tsv' index 1 using 1:3 with lines lt 1 lw LW_PATH_RUN(1) dt DT_RUN(1) notitle, \
     DIR.'fig.png.line.tsv' index 0 every ::40::40 using 1:3 with points pt PT_START_FILL ps PS_START lc rgb C_START_FILL notitle, \
     DIR.'fig.png.line.tsv' index 0 every ::40::40 using 1:3 with points pt PT_START ps PS_START lw 1.5 lc rgb C_START_EDGE notitle, \
     DIR.'fig.png.line.tsv' index 0 every ::200::200 using 1:3 with points lt 3 pt PT_END ps PS_END_RUN(0) notitle, \
     DIR.'fig.png.line.tsv' index 1 every ::200::200 using 1:3 with points lt 1 pt PT_END ps PS_END_RUN(1) notitle
set xtics autofreq

# legend
set origin 0, 0.0584
set size noratio 1, 0.0659
unset border; unset tics; unset xlabel; unset ylabel; unset colorbox; unset label 1; unset label 81
set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0
set xrange [0:1]; set yrange [0:1]; unset logscale
set key at screen 0.5, screen 0.1078 center top horizontal Left reverse maxcols 5 width 1
plot keyentry with lines lt 3 lw LW_PATH title 'adam lr=0.1' noenhanced, \
     keyentry with lines lt 1 lw LW_PATH title 'gd lr=0.1' noenhanced, \
     keyentry with points pt PT_START ps PS_START lw 1.5 lc rgb C_START_EDGE title 'start', \
     keyentry with points pt PT_END ps PS_RUN lc rgb '#000000' title 'end', \
     keyentry with points pt PT_MIN_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 title 'minimum', \
     NaN notitle
unset multiplot
