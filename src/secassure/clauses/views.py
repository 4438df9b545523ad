"""Section G as pages: the public, stable home of every clause (/code/G8.42/)."""
from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import redirect, render

from secassure.code.clauses import Catalogue, load, normalise_ref

SECTION = re.compile(r"^\s*(?:section\s+)?g\s*(\d{1,2})\.?\s*$", re.IGNORECASE)


def _resolve(text: str, catalogue: Catalogue) -> str | None:
    """The canonical section id ("G8") or clause ref ("G8.42(a)") `text` names, if any."""
    match = SECTION.match(text)
    if match:
        section = f"G{int(match.group(1))}"
        return section if section in catalogue.sections else None
    try:
        ref = normalise_ref(text)
    except ValueError:
        return None
    return ref if ref in catalogue else None


def _line(item) -> dict:
    """A row of the clause text: its own label ("(a)") after the first, and its depth."""
    label = item.ref[len(item.parent):] if item.parent else item.ref
    return {"item": item, "label": label, "depth": item.ref.count("(")}


def index(request):
    catalogue = load()
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        ref = _resolve(query, catalogue)
        if ref:
            return redirect("clause", ref=ref)
        words = query.lower()
        results = [c for c in catalogue.numbered()
                   if words in c.heading.lower() or words in c.full_text(catalogue).lower()]
    return render(request, "clauses/index.html", {
        "sections": list(catalogue.sections.values()), "query": query,
        "results": results[:100], "result_count": len(results)})


def clause(request, ref: str):
    catalogue = load()
    canonical = _resolve(ref, catalogue)
    if canonical is None:
        raise Http404(f"Section G has no clause {ref}")
    if canonical != ref:
        return redirect("clause", ref=canonical, permanent=True)
    if canonical in catalogue.sections:
        section = catalogue.sections[canonical]
        return render(request, "clauses/section.html", {
            "section": section, "clauses": [catalogue.get(r) for r in section.numbers]})
    item = catalogue.get(canonical)
    numbered = catalogue.get(item.number)
    section = catalogue.sections[item.section]
    position = section.numbers.index(item.number)
    family = [numbered.ref, *catalogue.descendants(numbered.ref)]
    return render(request, "clauses/clause.html", {
        "clause": item, "numbered": numbered, "section": section,
        "lines": [_line(catalogue.get(r)) for r in family],
        "previous": section.numbers[position - 1] if position else None,
        "following": section.numbers[position + 1] if position + 1 < len(section.numbers)
        else None,
        "cites": list(dict.fromkeys(c for r in family for c in catalogue.get(r).cites)),
        "cited_by": catalogue.cited_by(numbered.ref)})
