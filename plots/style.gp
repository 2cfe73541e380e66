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
