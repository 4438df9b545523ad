"""The package's layers only point down (DESIGN.md, "Shape").

Each top-level package or module of `src/secassure` is one unit. Every import between units,
including those inside functions, must go from a higher layer to a lower one, so no import can
form a cycle and none can dodge one by being placed late. The imports are read with `ast`,
without importing anything.
"""
import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "secassure"

#: The layers, lowest first; a unit may import units of its own layer's lower neighbours only.
LAYERS = [
    {"code", "adt"},       # Section G as code and the engine: no Django
    {"core"},              # visibility, permissions, journal, admin base, CLI plumbing
    {"registry"},          # parties, roles, User IDs, premises, sharing
    {"accounts"},          # people, who act for parties
    {"assurance", "anomaly"},
    {"committee"},         # meetings, members, papers, minutes (G7); publications from them
    {"notices"},           # notices to the SSC (G2.11, G3.5, G3.9, G5.26-G5.27, G10.4)
    {"clauses"},
    {"web"},               # the Django project: settings, root URLs, base pages
    {"demo"},
    {"cli"},               # the entry point
]
RANK = {unit: rank for rank, layer in enumerate(LAYERS) for unit in layer}


def units() -> set[str]:
    return {p.stem if p.suffix == ".py" else p.name for p in ROOT.iterdir()
            if not p.name.startswith(("_", ".")) and (p.suffix == ".py" or p.is_dir())}


def imports() -> list[tuple[str, str, str, int]]:
    """(importing unit, imported unit, file, line) for every import between two units."""
    found = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        unit = relative.parts[0].removesuffix(".py")
        package = ["secassure", *relative.parts[:-1]]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                names = [module] + [f"{module}.{alias.name}" for alias in node.names]
            else:
                continue
            targets = {name.split(".")[1] for name in names
                       if name.startswith("secassure.") and name.count(".") >= 1}
            found += [(unit, target, str(relative), node.lineno)
                      for target in sorted(targets) if target != unit and target in RANK]
    return found


def test_every_unit_has_a_layer():
    assert units() <= set(RANK), f"give these units a layer: {sorted(units() - set(RANK))}"


@pytest.mark.parametrize("rank", range(len(LAYERS)))
def test_imports_point_down(rank):
    upward = sorted(f"{file}:{line} ({unit} -> {target})"
                    for unit, target, file, line in imports()
                    if RANK[unit] == rank and RANK[target] >= rank)
    assert not upward, "imports that do not point down:\n" + "\n".join(upward)


def test_no_cycle_between_units():
    edges: dict[str, set[str]] = {}
    for unit, target, _, _ in imports():
        edges.setdefault(unit, set()).add(target)

    def reaches(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen
    on_cycle = sorted((a, b) for a in edges for b in edges[a] if a in reaches(b))
    assert on_cycle == []


def test_the_checker_sees_imports_inside_functions(tmp_path, monkeypatch):
    """A late import that points up is found like any other (the checker can fail)."""
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "late.py").write_text(
        "def f():\n    from secassure.web import views\n    return views\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert imports() == [("code", "web", "code/late.py", 2)]
