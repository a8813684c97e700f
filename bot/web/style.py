"""The public pages' one stylesheet: readable on a phone, AA contrast in light and dark."""

from __future__ import annotations

import hashlib

LIGHT = {
    "bg": "#ffffff",
    "ink": "#1f2328",
    "muted": "#57606a",
    "link": "#0550ae",
    "band": "#f6f8fa",
    "line": "#d0d7de",
}
"""The light scheme's colours: every text colour on `bg` and `band` keeps 4.5:1 or more."""
DARK = {
    "bg": "#0d1117",
    "ink": "#e6edf3",
    "muted": "#9da7b3",
    "link": "#79c0ff",
    "band": "#161b22",
    "line": "#30363d",
}
"""The dark scheme's colours (prefers-color-scheme: dark), held to the same contrast."""
TEXT_COLOURS = ("ink", "muted", "link")
BACKGROUNDS = ("bg", "band")


def _variables(palette: dict[str, str]) -> str:
    return ";".join(f"--{name}:{value}" for name, value in palette.items())


STYLESHEET = f"""\
:root{{color-scheme:light dark;{_variables(LIGHT)}}}
@media (prefers-color-scheme:dark){{:root{{{_variables(DARK)}}}}}
*{{box-sizing:border-box}}
body{{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}}
header,main,footer{{max-width:62rem;margin:0 auto;padding:.75rem 1rem}}
header{{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;align-items:baseline;
justify-content:space-between;border-bottom:1px solid var(--line)}}
.brand{{margin:0;font-weight:600;overflow-wrap:anywhere}}
nav ul{{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}}
a{{color:var(--link);text-underline-offset:2px}}
a:focus-visible,.scroll:focus-visible{{outline:3px solid var(--link);outline-offset:2px}}
h1{{font-size:1.75rem;line-height:1.25;margin:.75rem 0 .5rem;overflow-wrap:anywhere}}
h2{{font-size:1.25rem;line-height:1.3;margin:1.75rem 0 .5rem}}
p{{margin:.5rem 0}}
.muted,caption,figcaption,footer{{color:var(--muted)}}
.stats{{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}}
.stats strong{{font-size:1.25rem}}
figure{{margin:1rem 0}}
img{{display:block;max-width:min(100%,40rem);height:auto;border-radius:8px}}
figcaption{{font-size:.875rem;margin-top:.25rem}}
.scroll{{overflow-x:auto}}
table{{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}}
caption{{text-align:left;padding:.25rem 0;font-size:.875rem}}
th,td{{padding:.5rem .625rem;text-align:left;border-bottom:1px solid var(--line);
vertical-align:top}}
thead th{{font-size:.875rem;vertical-align:bottom}}
tbody tr:nth-child(even){{background:var(--band)}}
.num{{text-align:right}}
td.num{{white-space:nowrap}}
tbody th{{font-weight:600;overflow-wrap:anywhere;min-width:6rem}}
@media (max-width:480px){{th,td{{padding:.5rem .375rem}}h1{{font-size:1.5rem}}}}
ul.plain{{padding-left:1.25rem}}
ul.plain li{{margin:.25rem 0}}
footer{{font-size:.875rem;border-top:1px solid var(--line);margin-top:2rem}}
"""
STYLESHEET_BYTES = STYLESHEET.encode()
STYLESHEET_PATH = "/static/daybook-" + hashlib.sha256(STYLESHEET_BYTES).hexdigest()[:12] + ".css"
"""Named by its content, so a new version is a new address and may be cached for long."""
