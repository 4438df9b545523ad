"""Read the PDF-converted Markdown of Section G into a tree of clause nodes.

The Markdown is only a rough record of the layout of the Code: page breaks reset the
indentation of list items, drop their dashes or their labels, split sentences, and a
few clause numbers and sub-paragraph labels ended up inside headings. So the structure
is recovered from the *labels*, which the Code itself numbers strictly, and the layout
is used only to break ties:

* each open level of sub-paragraphs expects one next label ("(c)" after "(b)"), and a
  label either continues one of the open levels or opens a new one under the last
  sub-paragraph ("(a)", "(i)", "(A)");
* when both readings are possible (the letter "(i)" after "(h)", or the roman "(i)"
  under "(h)") the indentation decides: deeper than the last item opens a new level;
* an item whose label was lost gets the label it must have;
* a plain paragraph continues the sentence of the last sub-paragraph when that sentence
  is plainly unfinished (no closing punctuation: "Security Sub-" / "Committee shall");
  otherwise it is the closing words of the sentence that introduced the list which was
  just running ("..., the User shall ensure ..." after G8.25(b)).

The result is plain mutable nodes; ``clauses.py`` turns them into the public dataclasses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTION_RE = re.compile(r"G(\d+)\.\s+(\S.*)")
CLAUSE_RE = re.compile(r"(G\d+\.\d+[A-Z]*)(?=\s|$)\s*(.*)")
LABEL_RE = re.compile(r"\(([a-z]|[ivx]{1,6}|[A-Z])\)(?=\s|$)\s*(.*)")
ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
          "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]
FIRST = {"letter": "a", "roman": "i", "upper": "A"}
#: The kind of label that opens a level under a numbered clause / a letter / a roman item.
OPENS_UNDER = {"": "letter", "letter": "roman", "roman": "upper"}
#: Words that close a sentence or a list item; anything else ends mid-sentence.
FINISHED_RE = re.compile(r"(?:[.;:,!?]|[;:,]\s*(?:and|or|and/or))$")


def clean(text: str) -> str:
    """Drop Markdown emphasis and collapse whitespace."""
    return " ".join(text.replace("**", "").split())


def join(before: str, after: str) -> str:
    """Join two pieces of one sentence, mending a word hyphenated across a line break."""
    if not before:
        return after
    if re.search(r'[A-Za-z]-$| "$', before):      # "Sub-" + "Committee", 'the "' + 'DCC'
        return before + after
    return f"{before} {after}"


def successor(kind: str, label: str) -> str | None:
    """The label that follows `label` at a level of `kind`."""
    if kind == "roman":
        i = ROMANS.index(label) if label in ROMANS else -1
        return ROMANS[i + 1] if 0 <= i < len(ROMANS) - 1 else None
    return chr(ord(label) + 1) if label not in ("z", "Z") else None


@dataclass(eq=False)
class Node:
    ref: str
    number: str
    section: str
    heading: str
    label: str = ""                 # "" for a numbered clause, else "a", "ii", "A"
    kind: str = ""                  # "" for a numbered clause, else "letter"/"roman"/"upper"
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)     # [opening words, closing words...]
    after: list[int] = field(default_factory=list)        # children preceding segments[1:]

    def add_words(self, words: str) -> None:
        self.segments[-1] = join(self.segments[-1], words)

    def close(self, words: str) -> None:
        """Words that follow the sub-paragraphs seen so far (the end of the lead-in sentence)."""
        self.segments.append(words)
        self.after.append(len(self.children))

    def unfinished(self) -> bool:
        return not FINISHED_RE.search(self.segments[-1])


@dataclass
class SectionInfo:
    id: str
    title: str
    numbers: list[str] = field(default_factory=list)


@dataclass
class _Level:
    kind: str
    indent: int
    node: Node


@dataclass
class _Line:
    kind: str       # section | heading | clause | label | item | plain | row | skip
    indent: int
    text: str = ""
    label: str = ""
    term: str = ""


def _classify(raw: str) -> _Line:
    """What one non-blank line of the Markdown is, judged by its words, not its markup."""
    indent = len(raw) - len(raw.lstrip(" "))
    stripped = raw.strip()
    if "\t" in raw and not stripped.startswith("#"):
        if not stripped.replace("-", "").strip():          # a table rule "-----\t---"
            return _Line("skip", indent)
        term, _, meaning = raw.partition("\t")
        return _Line("row", indent, clean(meaning), term=clean(term))
    heading = stripped.startswith("#")
    item = not heading and stripped.startswith("- ")
    body = clean(stripped.lstrip("#")[2:] if item else stripped.lstrip("#"))
    if heading and (m := SECTION_RE.fullmatch(body)):
        return _Line("section", indent, clean(m.group(2)), label=f"G{m.group(1)}")
    if m := CLAUSE_RE.match(body):
        return _Line("clause", indent, m.group(2), label=m.group(1))
    if m := LABEL_RE.match(body):
        return _Line("label", indent, m.group(2), label=m.group(1))
    return _Line("heading" if heading else "item" if item else "plain", indent, body)


def _looks_like_heading(line: _Line, following: _Line | None, last: Node | None) -> bool:
    """A heading that lost its '#': a short title between a finished clause and the next."""
    return (following is not None and following.kind in ("clause", "heading", "section")
            and (last is None or not last.unfinished()) and len(line.text.split()) <= 10
            and line.text[:1].isupper() and not FINISHED_RE.search(line.text))


class _Parser:
    def __init__(self) -> None:
        self.sections: list[SectionInfo] = []
        self.nodes: list[Node] = []
        self.heading = ""
        self.clause: Node | None = None
        self.levels: list[_Level] = []
        self.last: Node | None = None     # the node whose words were read last

    def run(self, text: str) -> tuple[list[SectionInfo], list[Node]]:
        lines = [(n, raw) for n, raw in enumerate(text.splitlines(), 1)]
        classified = [(n, None if not raw.strip() else _classify(raw)) for n, raw in lines]
        content = [(n, line) for n, line in classified if line is not None]
        blank_before = {n for i, (n, _) in enumerate(lines)
                        if i == 0 or not lines[i - 1][1].strip()}
        for i, (n, line) in enumerate(content):
            following = content[i + 1][1] if i + 1 < len(content) else None
            try:
                self.line(line, following, n in blank_before)
            except ValueError as exc:
                raise ValueError(f"Section G text, line {n}: {exc}") from None
        return self.sections, self.nodes

    def line(self, line: _Line, following: _Line | None, after_blank: bool) -> None:
        if line.kind == "skip":
            return
        if line.kind == "section":
            self.sections.append(SectionInfo(line.label, line.text))
            self.heading, self.clause, self.levels, self.last = line.text, None, [], None
        elif line.kind == "heading":
            self.heading, self.clause, self.levels, self.last = line.text, None, [], None
        elif line.kind == "clause":
            self.start_clause(line)
        elif self.clause is None or self.last is None:
            if line.kind == "plain" and _looks_like_heading(line, following, self.last):
                self.heading = line.text
                return
            raise ValueError(f"text outside any clause: {line.text[:60]!r}")
        elif line.kind == "row":
            self.row(line)
        elif line.kind == "label":
            self.labelled(line.label, line.indent, line.text)
        elif line.kind == "item":
            self.unlabelled(line)
        elif _looks_like_heading(line, following, self.last) and after_blank:
            self.heading, self.clause, self.levels, self.last = line.text, None, [], None
        elif not after_blank or not self.levels or self.last.unfinished():
            # a wrapped line (G9.1), words before any list (G8.43), or the rest of an
            # unfinished sentence after a page break (G3.9(a)(iii), G11.4(e), G8.41(c))
            self.last.add_words(line.text)
        else:
            self.closing(line.text)

    def start_clause(self, line: _Line) -> None:
        ref = line.label
        if not self.sections or not ref.startswith(self.sections[-1].id + "."):
            raise ValueError(f"clause {ref} outside its section")
        if any(node.ref == ref for node in self.nodes):
            raise ValueError(f"clause {ref} appears twice")
        node = Node(ref, ref, self.sections[-1].id, self.heading, segments=[line.text])
        self.sections[-1].numbers.append(ref)
        self.nodes.append(node)
        self.clause, self.levels, self.last = node, [], node

    def row(self, line: _Line) -> None:
        """A line of a definition table: "Term<tab>meaning", or more meaning after a tab."""
        assert self.clause is not None
        if line.term:
            self.clause.segments[-1] += f"\n{line.term}: {line.text}"
        else:
            self.clause.add_words(line.text)
        self.last = self.clause

    def closing(self, words: str) -> None:
        """Words after a list that finish the sentence which introduced that list."""
        owner = self.levels[-1].node.parent
        assert owner is not None
        owner.close(words)
        self.last = owner

    def unlabelled(self, line: _Line) -> None:
        """A list item without a label: a lost "(a)" (G1.2, G2.6), a lost later label
        (G2.22B(b), G9.2(c)), the rest of an unfinished sentence (G8.5(a)) or the closing
        words after a list ending in a comma (G2.57, G3.23)."""
        assert self.last is not None
        if not self.levels:
            self.add_item(FIRST["letter"], "letter", 0, line.indent, line.text)
        elif self.last.unfinished():
            self.last.add_words(line.text)     # a page break turned the sentence's end into an item
        elif self.last.segments[-1].endswith(","):
            self.closing(line.text)
        elif line.indent > self.levels[-1].indent:
            kind = OPENS_UNDER[self.levels[-1].kind]
            self.add_item(FIRST[kind], kind, len(self.levels), line.indent, line.text)
        else:
            k = max([i for i, lv in enumerate(self.levels) if lv.indent <= line.indent],
                    default=0)
            level = self.levels[k]
            label = successor(level.kind, level.node.label)
            if label is None:
                raise ValueError(f"no label follows ({level.node.label})")
            self.add_item(label, level.kind, k, line.indent, line.text)

    def labelled(self, label: str, indent: int, text: str) -> None:
        """Place a labelled sub-paragraph: continue an open level or open a new one."""
        readings = [("upper", label)] if label.isupper() else []
        if label == "I":
            readings.append(("letter", "l"))   # OCR read "(l)" as "(I)" (G11.5)
        if label.islower():
            readings += [("letter", label)] if len(label) == 1 else []
            readings += [("roman", label)] if label in ROMANS else []
        under = self.levels[-1].node.kind if self.levels else ""
        options = [(k, kind, lab) for k, lv in enumerate(self.levels) for kind, lab in readings
                   if lv.kind == kind and successor(kind, lv.node.label) == lab]
        opens = [(len(self.levels), kind, lab) for kind, lab in readings
                 if lab == FIRST[kind] and OPENS_UNDER.get(under) == kind]
        if opens and (not options or (self.levels and indent > self.levels[-1].indent)):
            choice = opens[0]
        elif options:
            choice = min(options, key=lambda o: (abs(self.levels[o[0]].indent - indent), -o[0]))
        else:
            raise ValueError(f"label ({label}) fits no open level")
        k, kind, lab = choice
        self.add_item(lab, kind, k, indent, text)

    def add_item(self, label: str, kind: str, k: int, indent: int, text: str) -> None:
        assert self.clause is not None
        del self.levels[k:]
        parent = self.levels[-1].node if self.levels else self.clause
        ref = f"{parent.ref}({label})"
        if any(child.label == label for child in parent.children):
            raise ValueError(f"{ref} appears twice")
        node = Node(ref, self.clause.number, self.clause.section, self.clause.heading,
                    label, kind, parent, segments=[text])
        parent.children.append(node)
        self.nodes.append(node)
        self.levels.append(_Level(kind, indent, node))
        self.last = node


def read(text: str) -> tuple[list[SectionInfo], list[Node]]:
    """The sections and every clause node (numbered and sub-paragraphs) in text order."""
    return _Parser().run(text)
