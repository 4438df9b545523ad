"""The Section G clause catalogue: nothing lost, nothing doubled, structure as in the Code.

The expectations below quote the Code (SEC Section G) rather than the parser, so each test
fails if the parser misreads the text it names.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from importlib import resources

import pytest

from secassure.code.clauses import (
    ACTORS,
    BINDS_OVERRIDES,
    Catalogue,
    Clause,
    load,
    normalise_ref,
    parse,
)

TEXT = resources.files("secassure.code").joinpath("data/section_g.md").read_text("utf-8")
REF = re.compile(r"G\d+\.\d+[A-Z]*(?=\s|$)")
LABEL = re.compile(r"\((?:[a-z]|[ivx]+|[A-Z])\)(?=\s|$)")
#: Plain lines of the text that are headings which lost their '#', and the clause under each.
UNMARKED_HEADINGS = {
    "DCC Security Assessment Methodology": "G9.18",
    "The DCC Security Assessment Report": "G9.19",
    "The DCC Security Assessment Response": "G9.21",
    "Disagreement with Security Sub-Committee Decisions": "G9.33",
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load()


def _normal(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _body(raw: str) -> tuple[bool, str]:
    """(is it a heading line, its words without '#', '-', '**' and extra spaces)."""
    line = raw.strip()
    body = line.lstrip("#").strip()
    if body.startswith("- "):
        body = body[2:]
    return line.startswith("#"), _normal(body)


def _content_lines() -> list[tuple[str, str]]:
    """(raw line, its words without a leading clause number or label) for every text line."""
    found = []
    for raw in TEXT.splitlines():
        if not raw.strip():
            continue
        heading, body = _body(raw)
        if (heading and not (REF.match(body) or LABEL.match(body))) or body in UNMARKED_HEADINGS:
            continue
        for start in (REF, LABEL):          # "G8.42 Where ...", "(a) within ..."
            if m := start.match(body):
                body = body[m.end():].strip()
        if set(body) <= set("- \t"):        # the rule under the G11.12 table
            continue
        found.append((raw, body))
    return found


def _tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


def _labels(cat: Catalogue, ref: str) -> list[str]:
    return [cat.clauses[child].label for child in cat.get(ref).children]


# 1. No clause is lost --------------------------------------------------------------------

def test_every_clause_number_that_starts_a_line_is_catalogued(cat):
    in_text = []
    for raw in TEXT.splitlines():
        if m := REF.match(raw.lstrip("#-* \t").replace("**", "")):
            in_text.append(m.group())
    assert len(in_text) == 327
    assert [c.ref for c in cat.numbered()] == in_text
    assert len(cat.numbered()) == 327


def test_sections_are_g1_to_g12_with_their_titles(cat):
    assert list(cat.sections) == [f"G{n}" for n in range(1, 13)]
    assert cat.sections["G8"].title == "USER SECURITY ASSURANCE"
    assert cat.sections["G2"].title == "SYSTEM SECURITY: OBLIGATIONS ON THE DCC"
    assert sum(len(s.numbers) for s in cat.sections.values()) == 327
    for section in cat.sections.values():
        assert all(cat.get(ref).section == section.id for ref in section.numbers)


@pytest.mark.parametrize("section", [f"G{n}" for n in range(1, 13)])
def test_numbers_run_without_gaps_within_each_section(cat, section):
    numbers = cat.sections[section].numbers
    keys = [(int(re.match(r"G\d+\.(\d+)", n).group(1)), n[len(re.match(r"G\d+\.\d+", n).group()):])
            for n in numbers]
    assert keys == sorted(keys), "numbered clauses out of order"
    assert sorted({k for k, _ in keys}) == list(range(1, max(k for k, _ in keys) + 1))


def test_lettered_clauses_are_present(cat):
    for ref in ["G2.22A", "G2.22B", "G2.22C", "G2.22D", "G2.22E", "G2.22F", "G2.22G",
                "G2.22H", "G2.22I", "G2.44A", "G2.44B", "G6.4A", "G6.6A", "G7.5A", "G7.5B"]:
        assert ref in cat
    assert cat.between("G2.22", "G2.23") == ["G2.22", "G2.22A", "G2.22B", "G2.22C", "G2.22D",
                                            "G2.22E", "G2.22F", "G2.22G", "G2.22H", "G2.22I",
                                            "G2.23"]


# 2. No words are lost, none are doubled ------------------------------------------------

def test_every_text_line_is_in_the_full_text_of_a_numbered_clause(cat):
    full = "\n".join(_normal(c.full_text(cat)) for c in cat.numbered())
    missing = []
    for raw, body in _content_lines():
        pieces = [_normal(cell) for cell in raw.split("\t")] if "\t" in raw else [body]
        missing += [piece for piece in pieces if piece and piece not in full]
    assert not missing


def test_no_word_is_lost_or_assigned_twice(cat):
    in_text = Counter(t for _, body in _content_lines() for t in _tokens(body))
    in_catalogue = Counter(t for c in cat.clauses.values() for t in _tokens(c.text))
    assert in_catalogue - in_text == Counter(), "words assigned twice (or invented)"
    assert in_text - in_catalogue == Counter(), "words lost"


@pytest.mark.parametrize("heading,ref", UNMARKED_HEADINGS.items())
def test_plain_lines_that_are_headings_head_the_next_clause(cat, heading, ref):
    assert cat.get(ref).heading == heading


def test_definition_tables_keep_every_term_and_meaning(cat):
    g11 = cat.get("G11.12").text.splitlines()
    assert g11[0] == "For the purposes of this Section G11:"
    assert "Centralised Registration Service: has the meaning given to that term in Condition 1 " \
           "of the DCC Licence." in g11
    assert [line.split(":")[0] for line in g11[1:]] == [
        "Centralised Registration Service", "ECoS Certificate", "ECoS Migration",
        "ECoS Service Provider", "Enduring Change of Supplier Arrangements", "Subject",
        "TCoS Certificate", "TCoS Service Provider"]
    g12 = cat.get("G12.9").text.splitlines()
    assert len(g12) == 1 + 9
    triage = next(line for line in g12 if line.startswith("Triage Activities:"))
    # the meaning runs on to a second table line after a page break
    assert "replacing all internal non-operational port seals required pursuant" in triage
    assert g12[-1].startswith("Triage Tool: means an electronic device")


# 3. Structure ------------------------------------------------------------------------------

LETTERS = [f"({c})" for c in "abcdefghijkl"]
ROMAN = ["(i)", "(ii)", "(iii)", "(iv)", "(v)"]


@pytest.mark.parametrize("ref,labels", [
    ("G8.36", LETTERS[:4]),           # "(c) deferred and:" is a '####' heading in the text
    ("G8.36(b)", ROMAN[:2]),
    ("G8.36(c)", ROMAN[:2]),
    ("G8.36(d)", ROMAN[:2]),
    ("G12.4", LETTERS[:11]),          # "(i)" after "(h)" is the letter i
    ("G12.4(f)", ROMAN[:5]),          # (iv), (v) lost their indentation at a page break
    ("G12.4(i)", []),
    ("G1.2", LETTERS[:2]),            # the first item has no "(a)"
    ("G1.2(a)", ROMAN[:2]),
    ("G2.6", LETTERS[:3]),            # the first item has no "(a)"
    ("G2.22B", LETTERS[:6]),          # "(b)" lost its label
    ("G2.22E", LETTERS[:2]),          # "(a)" lost its label
    ("G2.22E(b)", ROMAN[:4]),         # (iii), (iv) follow "the DCC shall be entitled ... to:"
    ("G9.2", LETTERS[:7]),            # "(c)" lost its label
    ("G10.5", LETTERS[:4]),           # "(c)" lost its label
    ("G11.5", LETTERS[:12]),          # OCR "(I)" for "(l)"
    ("G8.15", LETTERS[:4]),           # "- (c)" at top level after a page break
    ("G8.29", LETTERS[:2]),           # "(b) assess any other" has no dash
    ("G8.41", LETTERS[:3]),
    ("G8.42", LETTERS[:3]),
    ("G1.7", LETTERS[:5]),
    ("G1.7(c)", ROMAN[:2]),
    ("G7.5(f)", ROMAN[:4]),
    ("G7.5(f)(iv)", ["(A)", "(B)"]),
    ("G7.7", LETTERS[:2]),            # "(b)" lost its label
    ("G7.20", LETTERS[:9]),           # "(i)" after (h)(ii) is the letter i
    ("G8.3", LETTERS[:9]),
    ("G6.1(d)", ROMAN[:2]),           # (i), (ii) at top level after a page break
    ("G8.5", LETTERS[:2]),            # "- Technology ..." continues (a), it is not an item
    ("G7.21", LETTERS[:10]),          # "- any relevant part ..." continues (b)
    ("G3.23", LETTERS[:2]),           # "- is located ..." closes the clause
    ("G2.57", LETTERS[:2]),
    ("G8.1", LETTERS[:3]),
    ("G2.21", []),
])
def test_sub_paragraphs(cat, ref, labels):
    assert _labels(cat, ref) == labels


def test_letter_i_and_roman_i_are_told_apart(cat):
    assert cat.get("G12.4(i)").text.startswith("subject to Section G12.5, comply with")
    assert cat.get("G12.4(i)").parent == "G12.4"
    assert cat.get("G1.2(a)(i)").text.startswith("any standard, procedure or guideline")
    assert cat.get("G7.20(i)").text.startswith("provide advice and information to the Authority")
    assert cat.get("G6.1(d)(i)").parent == "G6.1(d)"


@pytest.mark.parametrize("ref,heading", [
    ("G8.42", "Supplier Parties"),
    ("G8.41", "Supplier Parties"),
    ("G8.44", "Network Parties"),
    ("G8.47", "Other Users"),
    ("G1.9", "Disputes"),
    ("G8.37", "Approval"),             # not "(c) deferred and:", which is a sub-paragraph
    ("G2.1", "Unauthorised Activities: Duties to Detect and Respond"),
    ("G10.1", "SHARED RESOURCES"),     # only the section heading is above it
    ("G8.42(a)", "Supplier Parties"),
])
def test_headings(cat, ref, heading):
    assert cat.get(ref).heading == heading


def test_parent_links_numbers_and_sections(cat):
    assert cat.get("G8.42(a)").parent == "G8.42"
    assert cat.get("G8.36(b)(ii)").parent == "G8.36(b)"
    assert cat.get("G8.42").parent is None
    for clause in cat.clauses.values():
        assert clause.ref.startswith(clause.number)
        assert clause.section == clause.number.split(".")[0]
        if clause.parent:
            assert clause.ref in cat.get(clause.parent).children
            assert clause.ref == clause.parent + clause.label
        for child in clause.children:
            assert cat.get(child).parent == clause.ref


@pytest.mark.parametrize("ref,words", [
    ("G8.41(c)", "(5N) + D > 250,000"),
    ("G8.41(c)", "Where N is the number of Non-Domestic Premises"),
    ("G8.41", "the User shall schedule a further Full User Security Assessment"),
    ("G8.25", "the User shall ensure that its User Security Assessment Response includes"),
    ("G1.11", 'and, for the purposes of Section G1.12, those parts of the DCC Total System shall '
              'be known as the "SMETS1 CSP System".'),
    ("G2.10", "the DCC takes all of the steps required by the DCC Information Security"),
    ("G3.23", "is located, operated, configured, tested and maintained in the United Kingdom"),
    ("G2.57", "the DCC shall, where reasonably possible at the earliest opportunity"),
    ("G2.22H", "any Certificate that contains a Public Key"),
    ("G7.22", "monitors Draft Proposals and Modification Proposals"),
    ("G7.22", "and the Code Administrator shall comply with such process."),
    ("G8.43", "through one or more Smart Metering Systems for which a User is the Responsible"),
    ("G8.9", "(but for these purposes references to a Relevant Service Provider shall not"),
    ("G9.1", 'to be known as the "DCC Independent Security Assessment Arrangements", which shall '
             'procure the services of a DCC Independent Security Assessment Service Provider'),
    ("G3.9(a)(iii)", "the Security Sub-Committee shall be entitled to give or withhold"),
    ("G11.4(e)", "the introduction of the Centralised Registration Service, which may take place"),
    ("G8.5(a)", "ISO/IEC 27001:2013 (Information Technology Security Techniques"),
    ("G7.21(b)", "detecting any Compromise to any relevant part of the DCC Total System"),
    ("G2.22B(b)", "(to the extent possible) mitigate the risk of a member of DCC Personnel"),
    ("G2.22E(b)", "provide that where the DCC Service Provider: the DCC shall be entitled under"),
    ("G7.25(a)(ii)", "collectively); and"),
    ("G9.2(c)", "receive, consider and validate DCC Security Assessment Responses"),
    ("G10.5(c)", "references in those obligations to User Systems shall be deemed"),
    ("G11.5(l)", "provision for the referral and determination of disputes"),
    ("G8.36(c)", "deferred and:"),
])
def test_text_samples(cat, ref, words):
    assert words in cat.get(ref).text


@pytest.mark.parametrize("ref,words", [
    ("G8.41", "(5N) + D"),                          # belongs to (c), not to the clause
    ("G8.41(c)", "the User shall schedule"),        # closing words of the clause, not of (c)
    ("G8.25(b)", "the User shall ensure"),
    ("G3.23(b)", "is located, operated"),
    ("G8.25", "following a Full User Security Assessment"),   # words of (a) only
])
def test_words_stay_with_their_own_paragraph(cat, ref, words):
    assert words not in cat.get(ref).text


def test_own_text_is_clean(cat):
    assert cat.get("G2.21").text == "Not used."
    assert cat.get("G2.52").text == "[Not used]"
    assert cat.get("G1.9").text == "Section G1.8:"
    assert cat.get("G8.42(a)").text == ("within 12 months after each Verification User Security "
                                        "Assessment schedule a User Security Self-Assessment; and")
    for clause in cat.clauses.values():
        assert "**" not in clause.text and "  " not in clause.text and "\t" not in clause.text
        assert clause.text == clause.text.strip() and clause.text


def test_full_text_puts_closing_words_after_the_list(cat):
    lines = cat.get("G8.25").full_text(cat).splitlines()
    assert lines[0] == "Where a User Security Assessment Report:"
    assert lines[1].startswith("  (a) following a Full User Security Assessment")
    assert lines[2].startswith("  (b) following a Verification User Security Assessment")
    assert lines[3].startswith("the User shall ensure")
    assert len(lines) == 4


def test_full_text_indents_by_depth_and_keeps_interleaved_words_in_place(cat):
    lines = cat.get("G2.22E").full_text(cat).splitlines()
    starts = [re.match(r"\s*(\(\w+\))?", line).group() for line in lines]
    assert starts == ["", "  (a)", "  (b)", "    (i)", "    (ii)", "  ", "    (iii)", "    (iv)"]
    assert lines[5] == "  the DCC shall be entitled under and in accordance with the DCC Service " \
                       "Provider Contract to:"
    sub = cat.get("G8.36(b)").full_text(cat).splitlines()
    assert sub[0] == "(b) approved, subject to the Party:"
    assert sub[1].startswith("  (i) taking such steps")


# 4. Who is bound -------------------------------------------------------------------------------

@pytest.mark.parametrize("ref,actors", [
    ("G2.3", {"DCC"}),
    ("G2.3(a)", {"DCC"}),  # "(a) take reasonable steps": inherited
    ("G2.16", {"DCC"}),  # "Where the DCC carries out ..., it shall"
    ("G3.2", {"User"}),
    ("G3.7", {"Supplier Party"}),
    ("G3.23", {"User"}),  # "Each User which is an Eligible User ... shall"
    ("G5.19", {"User"}),  # "Each User Information Security Management System"
    ("G5.4", {"DCC"}),
    ("G5.26", {"User"}),  # lead-in: "a User which begins ...: (a) shall notify"
    ("G6.3", {"User"}),
    ("G6.10", {"DCC", "User"}),  # "The DCC and each User shall"
    ("G8.64", {"Supplier Party"}),  # "Where a User is a Supplier Party, the User shall"
    ("G8.41", {"Supplier Party"}),
    ("G8.42", {"Supplier Party"}),
    ("G8.44", {"Network Party"}),
    ("G8.45", {"Network Party"}),
    ("G8.47", {"Other User"}),  # "neither a Supplier Party nor a Network Party"
    ("G10.4", {"Shared Resource Provider"}),
    ("G10.6", {"Shared Resource Provider", "User"}),  # "both it and the User shall"
    ("G12.4", {"Triage Facility Provider"}),
    ("G12.4(a)", {"Triage Facility Provider"}),
    ("G8.35", {"Panel"}),
    ("G8.27", {"Security Sub-Committee"}),  # not the provider named in its parenthesis
    ("G8.23", {"User Independent Security Assurance Service Provider"}),
    ("G8.29", {"User Independent Security Assurance Service Provider"}),
    ("G9.2", {"DCC Independent Security Assessment Service Provider"}),
    ("G7.22", {"Security Sub-Committee", "Code Administrator"}),
    ("G8.38", {"Party"}),
    ("G8.33", {"Party"}),  # "a Party wishing to act as a User ... shall"
    ("G8.36(d)(i)", {"Party"}),
    ("G8.36(a)", {"Panel"}),
    ("G8.55", {"Panel"}),  # "the Panel receives ... that a User ..., it shall"
    ("G1.5", set()),  # "placed on a User shall ... be read": no duty
    ("G1.1", set()),
    ("G7.5A", set()),  # "The Secretary of State may": a power
    ("G7.4", set()),  # a Security Sub-Committee Member is not the SSC
])
def test_binds(cat, ref, actors):
    assert cat.get(ref).binds == frozenset(actors)


def test_g10_8_binds_every_actor_of_its_sub_paragraphs(cat):
    assert cat.get("G10.8").binds >= {"User Independent Security Assurance Service Provider",
                                      "Shared Resource Provider", "Security Sub-Committee"}
    assert cat.get("G10.8(a)").binds == {"User Independent Security Assurance Service Provider"}


def test_every_clause_of_g3_binds_someone(cat):
    unbound = [ref for ref in cat.sections["G3"].numbers if not cat.get(ref).binds]
    assert not unbound


def test_binds_use_only_the_named_actors(cat):
    assert set().union(*(c.binds for c in cat.clauses.values())) <= set(ACTORS)
    assert len(set(ACTORS)) == len(ACTORS) == 15


def test_a_numbered_clause_binds_whoever_its_sub_paragraphs_bind(cat):
    for clause in cat.clauses.values():
        for child in clause.children:
            assert cat.get(child).binds <= clause.binds


@pytest.mark.parametrize("ref", sorted(BINDS_OVERRIDES))
def test_binds_overrides_decide_the_clause_and_everything_under_it(cat, ref):
    expected = BINDS_OVERRIDES[ref]
    assert ref in cat
    for inner in [ref, *cat.descendants(ref)]:
        assert cat.get(inner).binds == expected
    assert expected <= set(ACTORS)


def test_overrides_are_needed(monkeypatch):
    """Without its entry each overridden clause would be read differently."""
    import secassure.code.clauses as module
    monkeypatch.setattr(module, "BINDS_OVERRIDES", {})
    plain = parse(TEXT)
    for ref, expected in BINDS_OVERRIDES.items():
        assert plain.get(ref).binds != expected, ref


# 5. Citations --------------------------------------------------------------------------------

def test_cites(cat):
    assert cat.get("G8.38").cites == ("G8.36(b)",)
    assert cat.get("G1.7").cites[:8] == ("G3.2", "G3.3", "G3.8", "G3.9", "G5.14", "G5.18",
                                         "G5.18(b)(i)", "G5.18(b)(iii)")
    assert {"G5.19", "G5.24", "G5.19(d)", "G5.25", "G5.26"} <= set(cat.get("G1.7").cites)
    assert "G5.15" not in cat.get("G1.7").cites            # ranges are not expanded
    assert cat.get("G1.13").cites == ("G2.13", "G2.18", "G2.26", "G2.27", "G4.6", "G5.7",
                                      "G5.8", "G5.10")
    assert cat.get("G12.7(c)").cites == ("G8.36(c)", "G8.36(d)")      # "G8.36(c) or (d)"
    assert cat.get("G2.22E(b)(iv)").cites == ("G2.22E(b)(i)", "G2.22E(b)(ii)")
    assert cat.get("G12.4(g)").cites == ("G12.3",)        # G12.3 has no (f): falls back
    assert "G1.12" not in cat.get("G1.12").cites          # "Where this Section G1.12 applies"
    assert cat.get("G2.44B").cites == ("G2.44(f)", "G2.44")   # "set out in G2.44" (no "Section")


def test_cited_refs_all_exist_and_are_unique(cat):
    for clause in cat.clauses.values():
        assert all(ref in cat.clauses for ref in clause.cites)
        assert len(set(clause.cites)) == len(clause.cites)


def test_cited_by(cat):
    assert "G8.27" in cat.cited_by("G8.26")           # cites G8.26(b)
    assert "G8.38" in cat.cited_by("G8.36")
    assert "G8.38" in cat.cited_by("G8.36(b)")
    assert "G8.38" not in cat.cited_by("G8.36(a)")
    assert "G1.7" in cat.cited_by("g5.18")


# 6. References -------------------------------------------------------------------------------

@pytest.mark.parametrize("loose,ref", [
    ("g8.42 (a)", "G8.42(a)"),
    ("G8.42(a)", "G8.42(a)"),
    ("Section G8.42(a)", "G8.42(a)"),
    ("sections g2.22b", "G2.22B"),
    ("G8.36 (b) (ii)", "G8.36(b)(ii)"),
    (" G7.5(F)(IV)(a) ", "G7.5(f)(iv)(A)"),
    ("G8.42", "G8.42"),
])
def test_normalise_ref(loose, ref):
    assert normalise_ref(loose) == ref


@pytest.mark.parametrize("bad", ["", "G8", "8.42", "G8.42(", "Section", "G8.42(a) and (b)"])
def test_normalise_ref_rejects_non_refs(bad):
    with pytest.raises(ValueError):
        normalise_ref(bad)


def test_get_accepts_loose_spellings(cat):
    assert cat.get("g8.42 (a)") is cat.clauses["G8.42(a)"]
    assert cat.get("Section G8.42(a)").ref == "G8.42(a)"
    assert "g8.42 (a)" in cat and "G8.42(z)" not in cat and "nonsense" not in cat


@pytest.mark.parametrize("bad,words", [
    ("G8.99", "G8.99"),
    ("G8.42(z)", "(a), (b), (c)"),
    ("G8.42(z)(i)", "G8.42(z)"),
    ("banana", "banana"),
])
def test_get_explains_a_bad_ref(cat, bad, words):
    with pytest.raises(KeyError) as info:
        cat.get(bad)
    assert bad in str(info.value) and words in str(info.value)


def test_between_and_descendants(cat):
    assert cat.between("G5.14", "G5.18") == ["G5.14", "G5.15", "G5.16", "G5.17", "G5.18"]
    assert cat.between("G6.4", "G6.5") == ["G6.4", "G6.4A", "G6.5"]
    assert cat.between("G3.29", "G4.1") == ["G3.29", "G4.1"]
    with pytest.raises(ValueError):
        cat.between("G5.18", "G5.14")
    assert cat.descendants("G8.36(b)") == ["G8.36(b)(i)", "G8.36(b)(ii)"]
    assert cat.descendants("G1.2") == ["G1.2(a)", "G1.2(a)(i)", "G1.2(a)(ii)", "G1.2(b)"]
    assert [c.ref for c in cat.numbered()][:2] == ["G1.1", "G1.2"]
    assert all(isinstance(c, Clause) and c.parent is None for c in cat.numbered())


# The parse rules on small texts ---------------------------------------------------------------

SMALL = """## G13. GENERAL

### Things

- G13.1 Each User shall:
  - keep records; and
  - (b) where the User is a Supplier Party, report them,

and, where it does so, the User shall keep a copy.

G13.2 Where the DCC is notified, it shall:

- (a) act;
- (b) report:
    - (i) to the Panel; and
    - (ii) to the Authority;
- (c) go on until

the end;
- (d) d;
- (e) e;
- (f) f;
- (g) g;
- (h) h, which:
    - (i) is roman;
- (i) is a letter;
- (j) j;
- (k) k; and
(I) is an OCR l.
"""


def test_small_text_structure():
    cat = parse(SMALL)
    assert cat.get("G13.1").children == ("G13.1(a)", "G13.1(b)")     # the unlabeled item is (a)
    assert cat.get("G13.1(a)").text == "keep records; and"
    assert cat.get("G13.1").text == ("Each User shall: and, where it does so, the User shall "
                                    "keep a copy.")
    assert cat.get("G13.1").heading == "Things"
    assert _labels(cat, "G13.2") == LETTERS[:12]
    assert _labels(cat, "G13.2(b)") == ROMAN[:2]
    assert _labels(cat, "G13.2(h)") == ["(i)"]                     # indented: roman
    assert cat.get("G13.2(i)").text == "is a letter;"              # level with (h): a letter
    assert cat.get("G13.2(l)").text == "is an OCR l."
    assert cat.get("G13.2(c)").text == "go on until the end;"      # an unfinished sentence


def test_small_text_binds():
    cat = parse(SMALL)
    assert cat.get("G13.1").binds == {"User"}
    assert cat.get("G13.2").binds == {"DCC"}          # "it shall" is the DCC
    assert cat.get("G13.2(b)(i)").binds == {"DCC"}    # inherited down two levels


def test_parse_rejects_text_outside_any_clause():
    with pytest.raises(ValueError, match="line 2"):
        parse("## G1. GENERAL\nstray words.\n")


# Performance and caching --------------------------------------------------------------------

def test_load_is_cached_and_fast():
    assert load() is load()
    best = min(_timed(lambda: parse(TEXT)) for _ in range(3))
    assert best < 0.3


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
