"""`{{ text|clauselinks }}`: every Section G reference in a text becomes a link to its page."""
import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from secassure.code.clauses import load

register = template.Library()
REFERENCE = re.compile(r"\bG\d{1,2}\.\d{1,2}[A-Z]?(?:\([a-zA-Z0-9]{1,5}\))*")


@register.filter(needs_autoescape=True)
def clauselinks(text, autoescape=True):
    escaped = conditional_escape(text) if autoescape else str(text)
    catalogue = load()

    def link(match):
        ref = match.group(0)
        while ref not in catalogue and "(" in ref:  # "G8.26(b) or (c)" style leftovers
            ref = ref[:ref.rindex("(")]
        if ref not in catalogue:
            return match.group(0)
        return (f'<a class="ref" href="{reverse("clause", args=[ref])}">{ref}</a>'
                + match.group(0)[len(ref):])
    return mark_safe(REFERENCE.sub(link, str(escaped)))
