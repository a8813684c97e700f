"""Charts as PNG bytes, drawn with matplotlib's Figure API (never pyplot); no Discord here.

`data` holds what a chart shows and imports no matplotlib; `heatmap` and `leaderboard` draw it;
`jobs` are the functions a rendering worker runs.
"""
