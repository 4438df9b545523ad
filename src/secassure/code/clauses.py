"""The clauses of SEC Section G (G1 to G12) as a catalogue the rest of secassure can cite.

Everything the platform says about an obligation ("G8.42(b) requires a Full User Security
Assessment within 12 months") must point at the words of the Code, so this module reads
the packaged copy of Section G (``data/section_g.md``) rather than restating it. For each
numbered clause and each sub-paragraph it keeps its own words, its place in the tree, the
heading it sits under, whom it binds and which other Section G clauses it mentions.

The Markdown was converted from a PDF and its layout is unreliable; ``_clause_text``
recovers the structure from the labels (see its docstring). Who a clause binds is read
from the subjects of "shall", "must", "may not" and "is required"; the few clauses the
heuristic gets wrong are corrected in ``BINDS_OVERRIDES``, each with its reason.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from . import _clause_text
from ._clause_text import Node

ACTORS: tuple[str, ...] = (
    "DCC", "User", "Supplier Party", "Network Party", "Other User",
    "Shared Resource Provider", "Triage Facility Provider", "Security Sub-Committee", "Panel",
    "User Independent Security Assurance Service Provider",
    "DCC Independent Security Assessment Service Provider", "Code Administrator", "Authority",
    "Secretary of State", "Party",
)

#: How each actor is written. Longer names come first so that "DCC Independent Security
#: Assessment Service Provider" is not read as "DCC"; a name followed by another capitalised
#: word ("User Systems", "DCC Licence", "Panel Chair") is a different thing.
_ACTOR_SPELLINGS = (
    ("User Independent Security Assurance Service Provider",
     r"User Independent Security (?:Assurance|Assessment) (?:Services? )?Provider"),
    ("DCC Independent Security Assessment Service Provider",
     r"DCC Independent Security (?:Assurance|Assessment) (?:Services? )?Provider"),
    ("Shared Resource Provider", r"Shared Resource Provider"),
    ("Triage Facility Provider", r"Triage Facility Provider"),
    ("Security Sub-Committee", r"Security[ -]+Sub[ -]*Committee(?! *(?:Chair|Members?)\b)"),
    ("Code Administrator", r"Code Administrator"),
    ("Secretary of State", r"Secretary of State"),
    ("Supplier Party", r"Supplier Party"),
    ("Network Party", r"Network Party"),
    ("Other User", r"Other User"),
    ("Panel", r"Panel(?! +(?:Chair|Members?)\b)"),
    ("Authority", r"Authority"),
    ("DCC", r"DCC(?!'s| +[A-Z0-9])"),
    ("User", r"User(?! +[A-Z0-9])"),
    ("Party", r"(?<!CoS )(?<!Relevant )Party(?! +[A-Z0-9])"),
)
_ACTOR = "|".join(spelling for _, spelling in _ACTOR_SPELLINGS)
_ACTOR_RE = re.compile(r"\b(?:{})\b".format("|".join(
    f"(?P<a{i}>{spelling})" for i, (_, spelling) in enumerate(_ACTOR_SPELLINGS))))
_OWNER_ISMS = r"(?:DCC|User) Information Security Management System"
_SUBJECT = (rf"(?:(?:[Ee]ach|[Tt]he|[Aa]n?|[Aa]ny|[Tt]hat|[Ee]very)\s+(?:{_OWNER_ISMS}|{_ACTOR})\b"
            rf"|\b(?:it|they)\b)")
_SUBJECTS = rf"(?:both\s+)?(?P<subjects>{_SUBJECT}(?:\s+(?:and|or|nor)\s+{_SUBJECT})*)"
_RELATIVE = r"(?:\s+(?:which|to which|that|who|wishing|seeking)\b.*?)?"
#: "shall be treated as", "shall be entitled to": deeming and rights, not obligations.
_NOT_A_DUTY = (r"(?!\s+(?:not\s+)?be\s+"
               r"(?:considered|deemed|treated|read|known|interpreted|composed|entitled)\b)")
_MODAL = rf"(?:shall|must|may\s+not|(?:is|are)\s+required)\b{_NOT_A_DUTY}"
#: "<subject> [and <subject>] [which ... | wishing ...] shall"
_OBLIGATION_RE = re.compile(rf"\b{_SUBJECTS}{_RELATIVE}\s+{_MODAL}")
#: The subject of a lead-in whose verbs are in its sub-paragraphs ("The DCC:", "Each User
#: which is an Eligible User ...:" followed by "(a) shall ...").
_LEAD_IN_RE = re.compile(
    rf"(?:.*\b(?:that|which|and)\s+)?{_SUBJECTS}(?:\s+(?:which|to which|that|who)\b.*)?")
#: A subject after these words is really an object ("obligations placed on a User shall ...").
_PREPOSITIONS = frozenset(
    ["on", "to", "of", "by", "for", "with", "from", "in", "upon", "against", "between", "as",
     "than", "under", "at"])
_APPLIES_TO_RE = re.compile(rf"\bshall apply to (?:the|a|an|that|each|any) (?:{_ACTOR})\b")
#: Obligations placed on "the User" where the clause is about one kind of User only.
_QUALIFIED_USERS = (
    (re.compile(r"neither a Supplier Party nor a Network Party"), "Other User"),
    (re.compile(r"\bUser is an? Supplier Party\b"), "Supplier Party"),
    (re.compile(r"\bUser is an? Network Party\b"), "Network Party"),
)

#: Clauses whose subjects the heuristic reads wrongly, each with the reason. An entry
#: states exactly whom the clause binds, sub-paragraphs included.
BINDS_OVERRIDES: dict[str, frozenset[str]] = {
    # "Where the DCC or any User is required ... to ensure" describes obligations found
    # elsewhere; G1.2 is an interpretation rule and places none itself.
    "G1.2": frozenset(),
    # The document's contents ("each User shall be able securely to notify the DCC") are
    # capabilities the procedures must describe, not duties this clause places on anyone.
    "G6.1": frozenset(),
    # Passive: "shall be actions taken by the DCC to: ..." - the actions are the DCC's.
    "G9.3": frozenset({"DCC"}),
    # "The requirements of this Section G2.22I are that ... (b) the DCC ensures that": a
    # condition the DCC must meet before a transfer, written in the present tense.
    "G2.22I(b)": frozenset({"DCC"}),
    # The conditions an individual must meet for the duty in G2.23 / G3.12 ("which the DCC /
    # the User reasonably considers ..."); the duty they complete is the DCC's / the User's.
    "G2.24": frozenset({"DCC"}),
    "G3.13": frozenset({"User"}),
    # "need not be required to notify the DCC / the User": it shapes the arrangements the
    # DCC / the User must establish under G2.33 / G3.20.
    "G2.34": frozenset({"DCC"}),
    "G3.21": frozenset({"User"}),
    # Definitions that give the content of the duty next to them ("Network Time" for the
    # DCC's G2.47; "Secure" and "Appropriate Standard" for the Supplier Party's G3.26).
    "G2.46": frozenset({"DCC"}),
    "G3.28": frozenset({"Supplier Party"}),
    # "(c) ... Disputes for which the Panel is required to make a determination" names a
    # duty placed elsewhere; G7.21 lists the Security Sub-Committee's duties only.
    "G7.21": frozenset({"Security Sub-Committee"}),
    # "an entity must either be an existing Party or accede": binds a Triage Facility Provider.
    "G12.3": frozenset({"Triage Facility Provider"}),
    # "The DCC and the categories of Party referred to in [the document] shall comply".
    "G11.9": frozenset({"DCC", "Party"}),
}

_LABEL = r"\((?:[a-z]|[ivx]{1,6}|[A-Z])\)"
#: "G8.26(b)", and the labels that share its number: "G8.36(c) or (d)", "G2.22E(b)(i) and (ii)".
_REF_RE = re.compile(rf"\bG(\d{{1,2}})\.(\d{{1,3}})([A-Z]?)(?![A-Za-z0-9])((?:{_LABEL})*)"
                     rf"((?:\s*(?:,|\band\b|\bor\b)\s*{_LABEL})*)")
_LOOSE_REF_RE = re.compile(
    r"\s*(?:sections?\s+)?g\s*(\d{1,2})\s*\.\s*(\d{1,3})\s*([a-z]?)\s*((?:\(\s*[a-z]+\s*\)\s*)*)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    """A numbered clause ("G8.42") or one of its sub-paragraphs ("G8.42(a)")."""

    ref: str
    number: str
    section: str
    heading: str
    text: str
    parent: str | None
    children: tuple[str, ...]
    binds: frozenset[str]
    cites: tuple[str, ...]
    #: Where `text` is interleaved with the sub-paragraphs: (n, words) says `words` come
    #: after the first n children (G8.25's "the User shall ensure ..."). Used by full_text.
    closing: tuple[tuple[int, str], ...] = field(default=(), repr=False)

    @property
    def label(self) -> str:
        """ "(a)" for "G8.42(a)"; "" for a numbered clause."""
        return self.ref[len(self.parent):] if self.parent else ""

    def full_text(self, catalogue: Catalogue) -> str:
        """Own words and all descendants, one sub-paragraph a line, indented by depth."""
        return "\n".join(self._lines(catalogue, 0))

    def _lines(self, catalogue: Catalogue, depth: int) -> list[str]:
        pad = "  " * depth
        label = f"{self.label} " if self.label else ""
        # `text` is the opening words followed by the closing words, joined by spaces
        opening = self.text.removesuffix(" ".join(w for _, w in self.closing)).rstrip()
        first, *rest = opening.split("\n")
        lines = [f"{pad}{label}{first}".rstrip(), *(pad + line for line in rest)]
        closing = list(self.closing)
        for i, child in enumerate(self.children):
            while closing and closing[0][0] == i:
                lines.append(pad + closing.pop(0)[1])
            lines += catalogue.clauses[child]._lines(catalogue, depth + 1)
        lines += [pad + w for _, w in closing]
        return lines


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    numbers: tuple[str, ...]


class Catalogue:
    """Every section, numbered clause and sub-paragraph of Section G, in text order."""

    def __init__(self, sections: dict[str, Section], clauses: dict[str, Clause]) -> None:
        self.sections = sections
        self.clauses = clauses
        self._numbered = [c for c in clauses.values() if c.parent is None]
        self._position = {c.ref: i for i, c in enumerate(self._numbered)}

    def __contains__(self, ref: object) -> bool:
        try:
            return isinstance(ref, str) and normalise_ref(ref) in self.clauses
        except ValueError:
            return False

    def __len__(self) -> int:
        return len(self.clauses)

    def get(self, ref: str) -> Clause:
        """The clause for `ref`, however loosely spelt ("g8.42 (a)", "Section G8.42(a)")."""
        try:
            key = normalise_ref(ref)
        except ValueError as exc:
            raise KeyError(str(exc)) from None
        if key in self.clauses:
            return self.clauses[key]
        number = key.split("(")[0]
        if number not in self.clauses:
            raise KeyError(f"{ref!r}: there is no clause {number} in Section G")
        parent = key[: key.rindex("(")]
        if parent not in self.clauses:
            raise KeyError(f"{ref!r}: there is no {parent} in Section G")
        options = ", ".join(self.clauses[c].label for c in self.clauses[parent].children)
        raise KeyError(f"{ref!r}: {parent} has no sub-paragraph {key[len(parent):]}"
                       f" (it has {options or 'none'})")

    def numbered(self) -> list[Clause]:
        return list(self._numbered)

    def between(self, first: str, last: str) -> list[str]:
        """The numbered clauses from `first` to `last` inclusive ("Sections G5.14 to G5.18")."""
        start, end = (self._position[self.get(ref).number] for ref in (first, last))
        if end < start:
            raise ValueError(f"{last} comes before {first}")
        return [c.ref for c in self._numbered[start:end + 1]]

    def descendants(self, ref: str) -> list[str]:
        """All sub-paragraphs under `ref`, in text order."""
        found: list[str] = []
        for child in self.get(ref).children:
            found += [child, *self.descendants(child)]
        return found

    def cited_by(self, ref: str) -> list[str]:
        """The clauses that cite `ref` or one of its sub-paragraphs."""
        targets = {self.get(ref).ref, *self.descendants(ref)}
        return [c.ref for c in self.clauses.values() if targets.intersection(c.cites)]


def normalise_ref(text: str) -> str:
    """'g8.42 (a)' or 'Section G8.42(a)' -> 'G8.42(a)'; ValueError if it is not a ref.

    Labels are lower case at the first two levels ((a), (ii)) and upper case at the third
    ((A)), as the Code writes them.
    """
    m = _LOOSE_REF_RE.fullmatch(text) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"{text!r} is not a Section G clause reference (like 'G8.42(a)')")
    labels = re.findall(r"\(\s*([a-z]+)\s*\)", m.group(4), re.IGNORECASE)
    labels = [lab.upper() if depth == 2 else lab.lower() for depth, lab in enumerate(labels)]
    return f"G{int(m.group(1))}.{int(m.group(2))}{m.group(3).upper()}" + "".join(
        f"({lab})" for lab in labels)


def parse(text: str) -> Catalogue:
    """Build the catalogue from the Markdown text of Section G."""
    section_infos, nodes = _clause_text.read(text)
    refs = {node.ref for node in nodes}
    own_binds: dict[str, frozenset[str]] = {}
    for node in nodes:      # parents come before their children
        overridden = [BINDS_OVERRIDES[n.ref] for n in _ancestry(node) if n.ref in BINDS_OVERRIDES]
        if overridden:
            own_binds[node.ref] = overridden[0]
        else:
            found = _subjects(node)
            if not found and node.parent is not None:   # "(a) take reasonable steps ..."
                found = own_binds[node.parent.ref]
            own_binds[node.ref] = found
    clauses = {}
    for node in nodes:
        subtree = _subtree(node)
        binds = frozenset().union(*(own_binds[n.ref] for n in subtree))
        inside = {n.ref for n in subtree}
        cites = [ref for n in subtree for ref in _citations(" ".join(n.segments), refs)
                 if ref not in inside]
        clauses[node.ref] = Clause(
            ref=node.ref, number=node.number, section=node.section, heading=node.heading,
            text=" ".join(node.segments), parent=node.parent.ref if node.parent else None,
            children=tuple(child.ref for child in node.children), binds=binds,
            cites=tuple(dict.fromkeys(cites)),
            closing=tuple(zip(node.after, node.segments[1:], strict=False)))
    sections = {s.id: Section(s.id, s.title, tuple(s.numbers)) for s in section_infos}
    return Catalogue(sections, clauses)


@functools.cache
def load() -> Catalogue:
    """The catalogue of the packaged copy of Section G (parsed once per process)."""
    source = resources.files("secassure.code").joinpath("data/section_g.md")
    return parse(source.read_text(encoding="utf-8"))


def _subtree(node: Node) -> list[Node]:
    return [node, *(n for child in node.children for n in _subtree(child))]


def _actors(text: str) -> list[str]:
    return [_ACTOR_SPELLINGS[int((m.lastgroup or "a0")[1:])][0]
            for m in _ACTOR_RE.finditer(text)]


def _subjects(node: Node) -> frozenset[str]:
    """The actors that are the subject of an obligation in the node's own words."""
    text = _without_asides(" ".join(node.segments))
    found: set[str] = set()
    for sentence in re.split(r"[.;](?:\s|$)", text):
        for part in re.split(r"[,:]", sentence):
            for m in _OBLIGATION_RE.finditer(part):
                before = part[: m.start()].split()[-1:]
                if not (before and before[0].lower() in _PREPOSITIONS):
                    found.update(_named(m.group("subjects"), sentence))
        found.update(a for m in _APPLIES_TO_RE.finditer(sentence) for a in _actors(m.group()))
    lead = _without_asides(node.segments[0]).rstrip()
    if not found and node.children and lead.endswith(":") and (
            lead_in := _LEAD_IN_RE.fullmatch(re.split(r"[,:]", lead[:-1])[-1].strip())):
        found.update(_named(lead_in.group("subjects"), lead))
    if "User" in found:
        context = " ".join(" ".join(n.segments) for n in _ancestry(node))
        for pattern, actor in _QUALIFIED_USERS:
            if pattern.search(context):
                found = (found - {"User"}) | {actor}
                break
    return frozenset(found)


def _named(subjects: str, sentence: str) -> list[str]:
    """The actors of "the DCC and each User"; "it" is the first actor of its sentence."""
    named = []
    for subject in re.split(r"\s+(?:and|or|nor)\s+", subjects):
        if subject in ("it", "they"):
            named += _actors(sentence)[:1]
        elif m := re.search(_OWNER_ISMS, subject):      # "Each User Information Security
            named.append(m.group().split()[0])            # Management System shall ..."
        else:
            named += _actors(subject)
    return named


def _without_asides(text: str) -> str:
    """Drop parentheses: they never hold the subject ("the Panel (having ...) shall")."""
    while (plain := re.sub(r"\([^()]*\)", "", text)) != text:
        text = plain
    return text


def _ancestry(node: Node) -> list[Node]:
    chain = [node]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return chain


def _citations(text: str, refs: set[str]) -> list[str]:
    """Section G refs mentioned in `text`, each resolved to the nearest clause that exists."""
    found = []
    for m in _REF_RE.finditer(text):
        number = f"G{m.group(1)}.{m.group(2)}{m.group(3)}"
        labels = re.findall(r"\(([^)]+)\)", m.group(4))
        more = re.findall(r"\(([^)]+)\)", m.group(5))       # "G8.36(c) or (d)"
        cited = [labels] + [labels[:-1] + [extra] for extra in more] if labels else [[]]
        for path in cited:
            while path and f"{number}{''.join(f'({p})' for p in path)}" not in refs:
                path = path[:-1]
            ref = f"{number}{''.join(f'({p})' for p in path)}"
            if ref in refs:
                found.append(ref)
    return found
