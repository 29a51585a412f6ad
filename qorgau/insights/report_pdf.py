"""The regional situation report as PDF (fpdf2, pure Python): key figures against the national rate,
the region on the map, the trend by month, channels and outcomes, in the active language.

Cyrillic and Kazakh letters need a Unicode font: DejaVu Sans from the Debian package fonts-dejavu-core
(REPORT_FONT_DIR); docs/insights.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF

from .tables import Table

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font(pdf: FPDF) -> None:
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=10)


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 8, str(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    with pdf.table(text_align="LEFT", line_height=5) as grid:
        grid.row([str(h) for h in table.headers])
        for row in table.rows:
            grid.row(["—" if v is None else str(v) for v in row])
    pdf.ln(3)


def _map(pdf: FPDF, map_: dict[str, Any], width: float) -> None:
    """The map's shapes as filled polygons, `width` mm wide."""
    w, h = (float(v) for v in map_["viewbox"].split()[2:])
    scale = width / w
    x0, y0 = pdf.l_margin, pdf.get_y()
    pdf.set_draw_color(73, 80, 87)
    pdf.set_line_width(0.1)
    for shape in map_["shapes"]:
        fill = shape.fill.lstrip("#")
        pdf.set_fill_color(int(fill[0:2], 16), int(fill[2:4], 16), int(fill[4:6], 16))
        for ring in shape.path.strip("MZ").split("ZM"):
            points = [tuple(float(v) for v in p.split(",")) for p in ring.split("L")]
            pdf.polygon([(x0 + x * scale, y0 + y * scale) for x, y in points], style="DF")
    pdf.set_y(y0 + h * scale + 2)
    pdf.set_font("DejaVu", size=7)
    pdf.multi_cell(0, 4, _("Boundaries:") + f" {map_['source']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)


def report_pdf(context: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    _font(pdf)
    pdf.add_page()
    where = context["where"]
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(
        0, 8, _("Situation report: %(region)s") % {"region": where.region.name}, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", size=9)
    pdf.multi_cell(
        0,
        5,
        _("Period %(period)s. Figures computed at %(at)s; aggregate counts only.")
        % {"period": context["period_label"], "at": f"{context['as_of']:%Y-%m-%d %H:%M}"},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    if context.get("national_rate") is not None:
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(
            0,
            6,
            _("Signals per 10,000 people: %(region)s, national %(national)s")
            % {"region": context["dash"]["figures"]["rate"], "national": context["national_rate"]},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("DejaVu", size=10)
    tables = context["tables"]
    _table(pdf, tables["tiles"])
    if "map" in context:
        _map(pdf, context["map"], 120)
    _table(pdf, tables["trend"])
    _table(pdf, tables["channels"])
    _table(pdf, tables["outcomes"])
    return bytes(pdf.output())
