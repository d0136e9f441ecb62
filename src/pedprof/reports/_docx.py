"""The narrative справка as a Word document (python-docx)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.text.font import Font

from pedprof.reports._charts import render_png
from pedprof.reports._content import (
    Block,
    Bullets,
    Chart,
    Diagram,
    Heading,
    Orientation,
    Paragraph,
    Report,
    Table,
    narrative,
)

__all__ = ["write_docx"]

FONT = "Times New Roman"
_TONE_FILL = {"good": "E2EFDA", "bad": "F8D7DA", "neutral": "FFF2CC", "muted": "EDEDED"}
_HEADER_FILL = "D9E2F3"
_MARGIN = Cm(2.0)


def _set_font(font: Font, size: float | None = None, bold: bool | None = None) -> None:
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold


def _styles(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal.font, 12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    pf = normal.paragraph_format
    pf.space_after = Pt(4)
    pf.line_spacing = 1.1
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 12)):
        style = doc.styles[name]
        _set_font(style.font, size, True)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        srpr = style.element.get_or_add_rPr()
        sfonts = srpr.find(qn("w:rFonts"))
        if sfonts is None:
            sfonts = OxmlElement("w:rFonts")
            srpr.append(sfonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            sfonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            sfonts.attrib.pop(qn(attr), None)
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    for size in (8, 9, 10):
        style = doc.styles.add_style(f"pedprof-table-{size}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpr = title.element.find(qn("w:pPr"))
    if tpr is not None:
        border = tpr.find(qn("w:pBdr"))
        if border is not None:
            tpr.remove(border)


def _page_number(section: Section) -> None:
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _set_font(run.font, 10)


def _orient(doc: DocumentObject, orientation: str) -> None:
    current = doc.sections[-1]
    landscape = orientation == "landscape"
    if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if (width > height) != landscape:
        section.page_width, section.page_height = height, width


def _usable_width(doc: DocumentObject) -> int:
    s = doc.sections[-1]
    assert s.page_width is not None and s.left_margin is not None and s.right_margin is not None
    return int(s.page_width - s.left_margin - s.right_margin)


def _cell_xml(
    text: str, style_id: str, width: int, bold: bool, fill: str | None, align: str = "left"
) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    jc = f'<w:jc w:val="{align}"/>' if align in ("right", "center") else ""
    runs = f"<w:r>{rpr}<w:br/></w:r>".join(
        f'<w:r>{rpr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
        for line in text.split("\n")
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{jc}</w:pPr>{runs}</w:p></w:tc>'
    )


def _row_xml(cells: Sequence[str], header: bool) -> str:
    # The header row repeats on every page; body rows may break across pages and have no
    # fixed height, so no office suite drops rows at a page break (LibreOffice did, with
    # «cantSplit» rows taller than what was left of a page).
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr {nsdecls('w')}>{trpr}{''.join(cells)}</w:tr>"


_BREAK = re.compile(r"\s+|(?<=[-/–])")
#: Cell margins, left and right together (Word's default 0.19 cm each), in twips.
_CELL_PAD = 230


def _text_twips(text: str, size: float, bold: bool) -> float:
    """A generous width of ``text`` in Times New Roman at ``size`` pt, in twips (capitals
    and digits are wider than the average letter)."""
    em = sum(0.72 if ch.isupper() else 0.56 if ch.isdigit() else 0.5 for ch in text)
    return em * size * 20 * (1.08 if bold else 1.0)


def fit_widths(block: Table, total: int, size: float) -> list[int]:
    """Column widths in twips that sum to ``total``: no column narrower than its longest
    word (so no office suite breaks a word inside a cell), the rest shared by the table's
    relative widths. When even the longest words do not fit, they are shared in proportion.

    :param block: the table.
    :param total: the usable width in twips.
    :param size: the font size in pt.
    """
    n = len(block.columns)
    weights = list(block.widths) if block.widths else [1.0] * n
    share = [total * w / sum(weights) for w in weights]
    least = [0.0] * n
    cells = [
        [(h, True) for h in block.columns],
        *[[(c.text, c.bold) for c in r] for r in block.rows],
    ]
    for row in cells:
        for k, (text, bold) in enumerate(row[:n]):
            for word in _BREAK.split(text):
                if word:
                    least[k] = max(least[k], _text_twips(word, size, bold) + _CELL_PAD)
    if sum(least) >= total:
        return [int(total * x / sum(least)) for x in least]
    widths = [max(a, b) for a, b in zip(share, least, strict=True)]
    excess = sum(widths) - total
    slack = [w - a for w, a in zip(widths, least, strict=True)]
    if excess > 0 and sum(slack) > 0:
        widths = [w - excess * sl / sum(slack) for w, sl in zip(widths, slack, strict=True)]
    return [int(w) for w in widths]


def _table(doc: DocumentObject, block: Table) -> None:
    if block.caption:
        cap = doc.add_paragraph()
        run = cap.add_run(block.caption)
        _set_font(run.font, 11, True)
        cap.paragraph_format.keep_with_next = True
        cap.paragraph_format.space_before = Pt(6)
    size = int(block.font_size) if int(block.font_size) in (8, 9, 10) else 9
    style_id = doc.styles[f"pedprof-table-{size}"].style_id
    table = doc.add_table(rows=0, cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = _usable_width(doc) // 635  # EMU → twips
    widths = fit_widths(block, total, size)
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width * 635
    tbl = table._tbl
    header = [
        _cell_xml(name, style_id, widths[k], True, _HEADER_FILL)
        for k, name in enumerate(block.columns)
    ]
    tbl.append(parse_xml(_row_xml(header, header=True)))
    for row in block.rows:
        cells = [
            _cell_xml(c.text, style_id, widths[k], c.bold, _TONE_FILL.get(c.tone or ""), c.align)
            for k, c in enumerate(row)
        ]
        tbl.append(parse_xml(_row_xml(cells, header=False)))
    if block.note:
        note = doc.add_paragraph()
        run = note.add_run(block.note)
        _set_font(run.font, 9)
        run.font.italic = True
    else:
        spacer = doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(2)


def _paragraph(doc: DocumentObject, block: Paragraph) -> None:
    p = doc.add_paragraph()
    size = 12.0
    if block.style == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        size = 11
    elif block.style == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size = 13
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if block.style == "note":
        size = 10.5
    lines = block.text.split("\n")
    for k, line in enumerate(lines):
        run = p.add_run(line)
        _set_font(run.font, size, block.style == "lead")
        if block.style == "note":
            run.font.italic = True
        if k < len(lines) - 1:
            run.add_break()


def _bullets(doc: DocumentObject, block: Bullets) -> None:
    for item in block.items:
        p = doc.add_paragraph(style="List Bullet")
        p.paragraph_format.space_after = Pt(2)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        run = p.add_run(item)
        _set_font(run.font, 11)


def _chart(doc: DocumentObject, block: Chart) -> None:
    width_emu = _usable_width(doc)
    png = render_png(block)
    doc.add_picture(io.BytesIO(png), width=width_emu)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = cap.add_run(block.title)
    _set_font(run.font, 10)
    run.font.italic = True


def write_docx(
    report: Report, path: str | Path, *, charts: bool = True, full: bool | None = None
) -> Path:
    """Write the narrative справка as ``.docx``.

    :param report: the report.
    :param path: the file to write.
    :param charts: include the charts.
    :param full: the full справка (default: ``report.full``).
    :returns: the path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4, not the template's Letter
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, _MARGIN)
    section.left_margin = Cm(2.5)
    section.right_margin = Cm(1.5)
    _page_number(section)
    core = doc.core_properties
    core.title = f"{report.title} {report.subtitle}"
    core.author = report.profile.info.territory
    core.language = "ru-RU"
    blocks: list[Block] = narrative(report, charts=charts, full=full)
    for block in blocks:
        if isinstance(block, Orientation):
            _orient(doc, block.orientation)
        elif isinstance(block, Heading):
            if block.level == 0:
                doc.add_paragraph(block.text.upper(), style="Title")
            else:
                doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, Bullets):
            _bullets(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
        elif isinstance(block, Diagram):
            # Not printed: drawn small enough to fit, its text was about 5 pt on paper; the
            # criterion × link table and the table of each chain before it say the same.
            # The .html shows it (SVG, scales with the screen).
            continue
    doc.save(str(path))
    return path
