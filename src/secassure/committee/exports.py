"""Publications and minutes as downloads: Markdown lines laid out as PDF (weasyprint) and Word
(python-docx), the classification as a banner at the top."""
from __future__ import annotations

import html
import re
from io import BytesIO

from django.http import HttpResponse
from docx import Document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BANNERS = {"RED": ("#c00000", "#ffffff"), "AMBER": ("#ffc000", "#000000"),
           "GREEN": ("#00b050", "#000000"), "WHITE": ("#ffffff", "#000000")}
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def _plain(text: str) -> str:
    return _LINK.sub(r"\1 (\2)", text).replace("**", "").replace("*", "")


def to_html(lines: list[str], classification: str, title: str) -> str:
    bg, fg = BANNERS.get(classification, BANNERS["RED"])
    out = [f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>"
           f"@page {{ @top-center {{ content: '{classification}'; background: {bg}; "
           f"color: {fg}; padding: 2pt 12pt; }} }} body {{ font-family: sans-serif; "
           "font-size: 10pt; } td, th { border: 1px solid #999; padding: 2pt; }"
           "</style></head><body>"]
    in_list = False
    for line in lines:
        text = html.escape(_plain(line))
        if line.startswith("- ") or line.startswith("* "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{html.escape(_plain(line[2:]))}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 4)
            out.append(f"<h{level}>{html.escape(_plain(line.lstrip('#').strip()))}</h{level}>")
        elif line.startswith("|"):
            if set(line) <= set("|- :"):
                continue
            cells = "".join(f"<td>{html.escape(_plain(c.strip()))}</td>"
                            for c in line.strip("|").split("|"))
            out.append(f"<table><tr>{cells}</tr></table>")
        elif line.strip():
            out.append(f"<p>{text}</p>")
    if in_list:
        out.append("</ul>")
    out.append("</body></html>")
    return "".join(out)


def render_pdf(lines: list[str], classification: str, title: str) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs a second
    return HTML(string=to_html(lines, classification, title)).write_pdf()


def render_docx(lines: list[str], classification: str, title: str) -> bytes:
    doc = Document()
    doc.core_properties.title = title
    doc.add_paragraph(classification).runs[0].bold = True
    for line in lines:
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 4)
            doc.add_heading(_plain(line.lstrip("#").strip()), level=level)
        elif line.startswith(("- ", "* ")):
            doc.add_paragraph(_plain(line[2:]), style="List Bullet")
        elif line.startswith("|"):
            if not set(line) <= set("|- :"):
                doc.add_paragraph(" | ".join(_plain(c.strip())
                                             for c in line.strip("|").split("|")))
        elif line.strip():
            doc.add_paragraph(_plain(line))
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def download(lines: list[str], classification: str, name: str, kind: str) -> HttpResponse:
    """The document as `kind` ("pdf" or "docx"), an attachment named `name`."""
    if kind == "pdf":
        content, content_type = render_pdf(lines, classification, name), "application/pdf"
    else:
        content, content_type = render_docx(lines, classification, name), DOCX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
