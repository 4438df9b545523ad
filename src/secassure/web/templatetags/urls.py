"""`{% url %}` with its answers remembered, per process (issue 8, "Throughput").

Reversing a URL walks the URLconf's patterns every time (tens of microseconds), and a list page
reverses a few hundred links per request. The answer depends only on the view's name, its
arguments, the namespace, the URLconf and the script prefix, none of which changes while the
process runs; so the answer is kept (for arguments that are plain text or numbers, whose
spelling in the URL cannot change: an object's `str()` could). `settings.TEMPLATES` loads this
library as a builtin after Django's own, so its `url` stands in for Django's in every template,
with Django's syntax, errors and escaping.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()

#: The types of arguments whose text in a URL is fixed by their value (a template's quoted
#: names and arguments are SafeStrings).
PLAIN = (str, SafeString, int)


@lru_cache(maxsize=20_000)
def remembered_reverse(view_name: str, args: tuple, kwargs: tuple, current_app: str | None,
                       prefix: str, urlconf: Any) -> str:
    """`reverse`, remembered by everything its answer depends on (`prefix` and `urlconf` are
    read by `reverse` itself; they are here to key the answer)."""
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def _plain(values: Any) -> bool:
    return all(type(value) in PLAIN for value in values)


class RememberedURLNode(URLNode):
    def render(self, context: Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            if type(view_name) in PLAIN and _plain(args) and _plain(kwargs.values()):
                url = remembered_reverse(view_name, tuple(args), tuple(sorted(kwargs.items())),
                                         current_app, get_script_prefix(), get_urlconf())
            else:
                url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """Django's `{% url %}` (same syntax: parsed by Django's own tag), answers remembered."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
