"""The Word document of an assessment's record (python-docx): the same outline as the PDF, the
classification in the header of every page and again in the footer."""
from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from .outline import Outline, Section

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COLOURS = {"RED": RGBColor(0xC0, 0x00, 0x00), "AMBER": RGBColor(0xC0, 0x80, 0x00),
           "GREEN": RGBColor(0x00, 0x80, 0x40), "WHITE": RGBColor(0x00, 0x00, 0x00)}


def _banner(paragraph, document: Outline, size: int) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(document.classification)
    run.bold = True
    run.font.size = Pt(size)
    run.font.color.rgb = COLOURS[document.classification]


def _section(doc, section: Section, level: int) -> None:
    doc.add_heading(section.title, level=level)
    if section.fields:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in section.fields:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
            cells[0].paragraphs[0].runs[0].bold = True
    for text in section.texts:
        doc.add_paragraph(text)
    for data in section.tables:
        table = doc.add_table(rows=1, cols=len(data.headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, data.headers, strict=False):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
        for row in data.rows:
            for cell, value in zip(table.add_row().cells, row, strict=False):
                cell.text = value
    for child in section.children:
        _section(doc, child, level + 1)
    if not (section.fields or section.texts or section.tables or section.children) \
            and section.empty:
        doc.add_paragraph(section.empty).runs[0].italic = True


def render_docx(document: Outline) -> bytes:
    doc = Document()
    doc.core_properties.title = document.title
    doc.core_properties.subject = f"Classification: {document.classification}"
    page = doc.sections[0]
    _banner(page.header.paragraphs[0], document, 12)
    _banner(page.footer.paragraphs[0], document, 9)
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(f"{document.classification_note} Prepared for {document.reader} on "
                      f"{document.generated}. It holds what the reader may see of the record; "
                      "do not pass it on.")
    for section in document.sections:
        _section(doc, section, 1)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
