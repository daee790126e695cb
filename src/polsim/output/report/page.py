"""The page: panels assembled into one self-contained HTML file, written atomically."""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs

from polsim.errors import OutputError
from polsim.output.report.common import _CONFIG, Panel
from polsim.output.rundir import clean_stale_temporaries

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;
background:#fafafa}
header{background:#1d3557;color:#fff;padding:1rem 2rem}
header h1{margin:0 0 .3rem;font-size:1.6rem} header p{margin:0;opacity:.85}
nav{padding:.5rem 2rem;background:#eef1f5}
nav a{margin-right:1rem;color:#1d3557;text-decoration:none;font-size:.95rem}
main{padding:0 2rem 2rem}
section.panel{background:#fff;border:1px solid #e1e4e8;border-radius:6px;margin:1.2rem 0;
padding:1rem 1.2rem}
section.panel h2{margin:.2rem 0 .4rem;font-size:1.25rem}
p.caption{color:#555;margin:.2rem 0 .8rem;max-width:60rem}
.figures.two{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
ul.timeline{list-style:none;padding-left:.5rem;font-family:ui-monospace,Menlo,monospace;font-size:.85rem;color:#333}
table.manifest{border-collapse:collapse} table.manifest td,table.manifest th{
border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
"""


def _write_page(target: Path, title: str, subtitle: str, panels: list[Panel], kind: str) -> Path:
    nav = "".join(f'<a href="#panel-{p.name}">{html.escape(p.title)}</a>' for p in panels)
    body = []
    for panel in panels:
        two = " two" if panel.name == "hemicycles" else ""
        figures = "".join(
            f.to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=f"fig-{panel.name}-{i}",
                config=_CONFIG,
            )
            for i, f in enumerate(panel.figures)
        )
        caption = f'<p class="caption">{html.escape(panel.caption)}</p>' if panel.caption else ""
        body.append(
            f'<section class="panel" id="panel-{panel.name}" data-panel="{panel.name}">'
            f"<h2>{html.escape(panel.title)}</h2>{caption}"
            f'<div class="figures{two}">{figures}</div>{panel.extra_html}</section>'
        )
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>polsim · {html.escape(title)}'
        '</title><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_CSS}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
        f'<body data-report="{kind}"><header><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(subtitle)}</p></header><nav>{nav}</nav>"
        f"<main>{''.join(body)}</main></body></html>\n"
    )
    _write_atomic(target, page)
    return target


def _write_atomic(target: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``target``, then rename it in place.

    A reader sees the old file or the new one, never half of one; the temporary file is
    removed on any failure (a full disk, an interrupt).
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temporaries(target)  # left by a writer that was killed
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent
        )
    except OSError as error:
        raise OutputError(f"{target}: cannot write the report ({error.strerror})") from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write the report ({error.strerror})") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
