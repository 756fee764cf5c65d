"""An import-linter contract type for Kizuki's layers, named by module patterns.

Why our own: a feature keeps its pages (`views`) beside its rules (`services`), yet pages are
entry points that sit above every feature while the rules sit below them. import-linter's
built-in `layers` contract takes whole packages, so it cannot say that; this contract takes
patterns (`*` one name, `**` any depth), puts each module in the first layer it matches,
and checks every direct import: a module may import its own layer or any layer below.
Direct imports suffice: if no single step goes up, no chain of steps can.

It also checks that a page module imports no other feature's pages, and (with
`exhaustive`) that every module of the package is placed in a layer, so a new module is
classified on purpose rather than slipping past the contract.
"""

from __future__ import annotations

import re
from typing import Any

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _pattern(text: str) -> re.Pattern[str]:
    parts = []
    for segment in text.split("."):
        parts.append({"**": r"[\w.]+", "*": r"\w+"}.get(segment, re.escape(segment)))
    return re.compile(r"\.".join(parts) + r"\Z")


class PatternLayersContract(Contract):
    """Layers (highest first) of `|`-separated module patterns."""

    type_name = "pattern_layers"

    layers = fields.ListField(subfield=fields.StringField())
    views = fields.StringField(required=False)
    exhaustive = fields.BooleanField(default=True)

    def layer_of(self, module: str) -> int | None:
        """The index of the first layer that `module` matches (0 is the highest)."""
        for index, layer in enumerate(self._compiled()):
            if any(pattern.match(module) for pattern in layer):
                return index
        return None

    def _compiled(self) -> list[list[re.Pattern[str]]]:
        raw: list[str] = self.layers  # type: ignore[assignment]
        return [[_pattern(p.strip()) for p in line.split("|") if p.strip()] for line in raw]

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        modules = sorted(graph.modules)
        unplaced = [m for m in modules if self.layer_of(m) is None]
        upward, foreign_views = [], []
        views = _pattern(self.views) if self.views else None
        for importer in modules:
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                low, high = self.layer_of(importer), self.layer_of(imported)
                if low is not None and high is not None and high < low:
                    upward.append(self._describe(graph, importer, imported))
                # The app layer (0) wires every page; nothing else reaches across features.
                wiring = self.layer_of(importer) == 0
                across = not _same_feature(importer, imported)
                if views and views.match(imported) and across and not wiring:
                    foreign_views.append(self._describe(graph, importer, imported))
        kept = not upward and not foreign_views and not (self.exhaustive and unplaced)
        return ContractCheck(
            kept=kept,
            metadata={
                "upward": upward,
                "foreign_views": foreign_views,
                "unplaced": unplaced if self.exhaustive else [],
            },
        )

    @staticmethod
    def _describe(graph: Any, importer: str, imported: str) -> str:
        details = graph.get_import_details(importer=importer, imported=imported)
        lines = ", ".join(f"l.{d['line_number']}" for d in details) or "?"
        return f"{importer} -> {imported} ({lines})"

    def render_broken_contract(self, check: ContractCheck) -> None:
        sections = (
            ("upward", "Imports that point up a layer:"),
            ("foreign_views", "Pages importing another feature's pages:"),
            ("unplaced", "Modules in no layer (add them to one):"),
        )
        for key, title in sections:
            if check.metadata[key]:
                output.print(title)
                for line in check.metadata[key]:
                    output.print_error(f"- {line}", bold=False)
                output.new_line()


def _same_feature(importer: str, imported: str) -> bool:
    return importer.split(".")[:2] == imported.split(".")[:2]
