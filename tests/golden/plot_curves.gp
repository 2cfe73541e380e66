# a file of the losscape figure "fig.pdf"
# losscape 0.1.0: curves, 4 panels
#
# Re-render: gnuplot fig.pdf.gp
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
if (!exists('OUT')) OUT = DIR.'fig.pdf'
set terminal pdfcairo size 7.5in,8.917in enhanced font 'DejaVu Sans,9' fontscale 1.0 linewidth 1.0 pointscale 0.9
set output OUT
set encoding utf8
FONTSIZE = 9
set clip two
set label 90 'schedule constant, 60 steps, seed 7. Made with losscape 0.1.0.' at screen 0.012, screen 0.0104 left front noenhanced font ',7' textcolor rgb '#444444'
set multiplot title 'Himmelblau' noenhanced font ',10'
set lmargin at screen 0.1292; set rmargin at screen 0.9800
set xrange [*:*]
set autoscale xfix
set autoscale yfix
set offsets 0, 0, graph 0.05, graph 0.05
set mytics default
set tics nomirror

# panel 1: loss
set tmargin at screen 0.9557; set bmargin at screen 0.7566
set format x ''
unset xlabel
set ylabel 'f(x) − f* (f* = 0)' enhanced
unset nonlinear y
set logscale y 10
set format y '10^{%L}'
unset key
set ytics autofreq
set ytics (1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1e0, 1e2)
YLO = 6.860164456e-12; YHI = 4573.467298
set yrange [YLO:YHI]
YIN_LO = 3.780333193e-11; YIN_HI = 829.9463619
plot DIR.'fig.pdf.curves.tsv' index 0 using 1:2 with lines lt 3 lw LW_CURVE_RUN(0) notitle, \
     DIR.'fig.pdf.curves.tsv' index 1 using 1:2 with lines lt 1 lw LW_CURVE_RUN(1) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 using 1:2 with lines lt 2 lw LW_CURVE_RUN(2) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 every ::10::10 using 1:($2 > YIN_HI ? YIN_HI : $2 < YIN_LO ? YIN_LO : $2) with points lt 2 pt PT_DIVERGED ps PS_RUN lw 2 notitle

# panel 2: grad_norm
set tmargin at screen 0.7461; set bmargin at screen 0.5470
unset label 90
set format x ''
unset xlabel
set ylabel '‖∇f(x)‖' enhanced
unset nonlinear y
set logscale y 10
set format y '10^{%L}'
unset key
set ytics autofreq
YLO = 0.005464480874; YHI = 30
set yrange [YLO:YHI]
YIN_LO = 0.008404802787; YIN_HI = 19.50485102
plot DIR.'fig.pdf.curves.tsv' index 0 using 1:3 with lines lt 3 lw LW_CURVE_RUN(0) notitle, \
     DIR.'fig.pdf.curves.tsv' index 1 using 1:3 with lines lt 1 lw LW_CURVE_RUN(1) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 using 1:3 with lines lt 2 lw LW_CURVE_RUN(2) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 every ::19::19 using 1:($3 > YIN_HI ? YIN_HI : $3 < YIN_LO ? YIN_LO : $3) with points lt 2 pt PT_DIVERGED ps PS_RUN lw 2 notitle

# panel 3: lr
set tmargin at screen 0.5365; set bmargin at screen 0.3375
set format x ''
unset xlabel
set ylabel 'learning rate η' enhanced
unset nonlinear y
unset logscale y
set format y '%g'
unset key
set ytics autofreq
set yrange [*:*]
plot DIR.'fig.pdf.curves.tsv' index 0 using 1:4 with lines lt 3 lw LW_CURVE_RUN(0) notitle, \
     DIR.'fig.pdf.curves.tsv' index 1 using 1:4 with lines lt 1 lw LW_CURVE_RUN(1) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 using 1:4 with lines lt 2 lw LW_CURVE_RUN(2) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 every ::19::19 using 1:4 with points lt 2 pt PT_DIVERGED ps PS_RUN lw 2 notitle

# panel 4: dist
set tmargin at screen 0.3270; set bmargin at screen 0.1279
set format x '%g'
set xlabel 'step' noenhanced
set ylabel 'dist. to min' enhanced
unset nonlinear y
set logscale y 10
set format y '10^{%L}'
unset key
set ytics autofreq
set ytics (1e-6, 1e-4, 1e-2, 1e0, 1e2)
YLO = 2.653589794e-07; YHI = 104.9940964
set yrange [YLO:YHI]
YIN_LO = 7.140035034e-07; YIN_HI = 39.02099377
plot DIR.'fig.pdf.curves.tsv' index 0 using 1:5 with lines lt 3 lw LW_CURVE_RUN(0) notitle, \
     DIR.'fig.pdf.curves.tsv' index 1 using 1:5 with lines lt 1 lw LW_CURVE_RUN(1) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 using 1:5 with lines lt 2 lw LW_CURVE_RUN(2) notitle, \
     DIR.'fig.pdf.curves.tsv' index 2 every ::19::19 using 1:($5 > YIN_HI ? YIN_HI : $5 < YIN_LO ? YIN_LO : $5) with points lt 2 pt PT_DIVERGED ps PS_RUN lw 2 notitle

# legend
set origin 0, 0.0185
set size noratio 1, 0.0589
unset border; unset tics; unset xlabel; unset ylabel; unset colorbox; unset label 1; unset label 81
set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0
set xrange [0:1]; set yrange [0:1]; unset logscale
set key at screen 0.5, screen 0.0672 center top horizontal Left reverse maxcols 2 width 1
plot keyentry with lines lt 3 lw LW_CURVE title 'adam lr=0.05' noenhanced, \
     keyentry with lines lt 1 lw LW_CURVE title 'heavy ball' noenhanced, \
     keyentry with lines lt 2 lw LW_CURVE title 'sgd lr=0.5' noenhanced, \
     keyentry with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000' title 'diverged (where it leaves the panel)', \
     NaN notitle
unset multiplot
