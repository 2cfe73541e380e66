# losscape 0.1.0: basins of attraction, 8x8 starts, 2 optimizers
#
# Re-render: gnuplot fig.gp
#   (from any directory: the data files are read next to this script)
# Another file: gnuplot -e "OUT='other.png'" FIG.gp (same terminal; edit 'set terminal' for another format)
# The landscape was evaluated by losscape on a grid (a data file); gnuplot only draws.
#
# landscape: himmelblau
# dim: 2

# --- style: plots/style.gp (built in) ---
# losscape figure style: colours, markers, lines, fonts. One source for every figure.
# Each generated FIG.gp inlines this text (it is built into liblosscape; the figure option
# style=FILE inlines another file instead, so a copy of this one can restyle everything).
# Run colours: Okabe & Ito (2008), "Color Universal Design", colour-blind safe.
# Colour map: viridis (van der Walt & Smith, matplotlib 2015), 10 evenly spaced stops,
# perceptually uniform and readable in grey scale.

# --- runs: one colour per optimizer (line types 1-8, cycling) ---
set linetype 1 lc rgb '#D55E00' lw 2 dt solid   # vermillion
set linetype 2 lc rgb '#0072B2' lw 2 dt solid   # blue
set linetype 3 lc rgb '#009E73' lw 2 dt solid   # bluish green
set linetype 4 lc rgb '#E69F00' lw 2 dt solid   # orange
set linetype 5 lc rgb '#CC79A7' lw 2 dt solid   # reddish purple
set linetype 6 lc rgb '#56B4E9' lw 2 dt solid   # sky blue
set linetype 7 lc rgb '#000000' lw 2 dt solid   # black
set linetype 8 lc rgb '#F0E442' lw 2 dt solid   # yellow
set linetype cycle 8
LW_PATH = 2.0          # run paths and curves
LW_HALO = 4.5          # white outline under paths drawn over a colour map
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
PT_START = 6           # start: open circle, in the run's colour
PT_END = 7             # end: filled circle, in the run's colour
PT_DIVERGED = 2        # diverged: cross at the last finite point in view
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
FRAME = "set border lw 1.0 lc rgb '#333333'; set tics out scale 0.6 nomirror; set mxtics default"
eval FRAME
set key noopaque nobox samplen 2.5 spacing 1.15
set style arrow 1 head filled size screen 0.008,25 lc rgb C_QUIVER lw LW_QUIVER
unset grid
CAPTION_FONT_SCALE = 0.8      # caption font size relative to the base font
# --- end of style ---

# data files live next to this script
DIR = ''
if (exists('ARG0') && strlen(ARG0) > 0) { _i = strlen(ARG0); while (_i > 0 && ARG0[_i:_i] ne '/') { _i = _i - 1 }; if (_i > 0) { DIR = ARG0[1:_i] } }
if (!exists('OUT')) OUT = DIR.'fig.png'
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,12' linewidth 1.2
set output OUT
set encoding utf8
FONTSIZE = 12
set clip two
# optimizer 1: gd:lr=0.01
# optimizer 2: momentum:lr=0.002,label=heavy ball
# run options: steps 200, stop_grad 0, clip_norm 0, clip_value 0, noise 0, seed 3, schedule constant
# reached: within 0.1414213562373095 of a known critical point
set label 90 '8x8 starts, 200 steps, schedule constant, seed 3; reached = within 0.141 of a critical point. losscape 0.1.0' at screen 0.012, screen 0.0100 left front noenhanced font ',10' textcolor rgb '#444444'
set multiplot title 'himmelblau: basins of attraction' noenhanced font ',14'
set size ratio -1
unset colorbox
set tics front
set xrange [-5:5]
set yrange [-5:5]
set xlabel 'x' noenhanced
set ylabel 'y' noenhanced
unset key

# panel 1
set origin 0.0000, 0.1205
set size 0.5000, 0.8195
set label 80 'gd lr=0.01' at graph 0.5, graph 1.04 center noenhanced front
plot DIR.'fig.basins.tsv' index 0 using 1:2:4:5:6 with rgbimage notitle, \
     DIR.'fig.contour.tsv' using 1:2 with lines lc rgb '#66FFFFFF' lw 0.6 notitle, \
     DIR.'fig.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.cp.tsv' using 1:($3==2?$2:NaN) with points pt PT_SADDLE lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.cp.tsv' using 1:($3==2?$2:NaN) with points pt PT_SADDLE_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.cp.tsv' using 1:($3==1?$2:NaN) with points pt PT_MAX lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.cp.tsv' using 1:($3==1?$2:NaN) with points pt PT_MAX_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle
unset label 80

# panel 2
set origin 0.5000, 0.1205
set size 0.5000, 0.8195
unset label 90
set label 80 'heavy ball' at graph 0.5, graph 1.04 center noenhanced front
plot DIR.'fig.basins.tsv' index 1 using 1:2:4:5:6 with rgbimage notitle, \
     DIR.'fig.contour.tsv' using 1:2 with lines lc rgb '#66FFFFFF' lw 0.6 notitle, \
     DIR.'fig.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.cp.tsv' using 1:($3==0?$2:NaN) with points pt PT_MIN_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.cp.tsv' using 1:($3==2?$2:NaN) with points pt PT_SADDLE lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.cp.tsv' using 1:($3==2?$2:NaN) with points pt PT_SADDLE_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle, \
     DIR.'fig.cp.tsv' using 1:($3==1?$2:NaN) with points pt PT_MAX lc rgb C_CRIT_FILL ps PS_CRIT notitle, \
     DIR.'fig.cp.tsv' using 1:($3==1?$2:NaN) with points pt PT_MAX_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 notitle
unset label 80

# legend
set origin 0, 0.0325
set size 1, 0.0780
set size noratio
unset border; unset tics; unset xlabel; unset ylabel
set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0
set xrange [0:1]; set yrange [0:1]
set key center center horizontal Left reverse maxcols 4 width 2
plot keyentry with boxes fill solid 1.0 noborder lc rgb '#D55E00' title 'minimum (3, 2)', \
     keyentry with boxes fill solid 1.0 noborder lc rgb '#0072B2' title 'minimum (-2.81, 3.13)', \
     keyentry with boxes fill solid 1.0 noborder lc rgb '#009E73' title 'minimum (3.58, -1.85)', \
     keyentry with boxes fill solid 1.0 noborder lc rgb '#E69F00' title 'minimum (-3.78, -3.28)', \
     keyentry with points pt PT_MIN_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 title 'minimum', \
     keyentry with points pt PT_SADDLE_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 title 'saddle point', \
     keyentry with points pt PT_MAX_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 title 'maximum', \
     NaN notitle
unset multiplot
