"""Layout strategies: each finds a report's issues its own way and says how sure it is.

- heading tree: an issue is the highest numbered heading that carries one rectification
  block (整改情况：… / 问题：…整改措施：… field blocks / 关于“…”问题的整改) — also ledger
  rows (序号<TAB>问题<TAB>…);
- prose areas: reports written as prose number only their areas（一）（二）…, each a lead
  paragraph naming the problems and measure paragraphs 一是… 二是…; the areas are the issues.

`choose_issue_nodes` runs them all and keeps the one the report's own totals agree with.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ingest.headings import Node

# Fewer carriers than this and the heading tree has not found the report's issues.
MIN_ISSUES = 2
# A prose area needs at least this many measure enumerators (一是, 二是 …).
MIN_ENUMERATED_MEASURES = 2


@dataclass
class Candidate:
    """The issues one strategy found, with its confidence in [0, 1]."""

    strategy: str
    nodes: list[Node]
    confidence: float
    notes: list[str] = field(default_factory=list)

    @property
    def ids(self) -> set[int]:
        return {id(n) for n in self.nodes}


class IssueFinder:
    """The strategies over one report's heading tree."""

    def __init__(self, body: str, root: Node, has_rectification: Callable[[Node, bool], bool],
                 section_kind: Callable[[Node], str], enumerators: tuple[str, ...], has_ledger: bool):
        self.body, self.root = body, root
        self.has_rectification = has_rectification
        self.section_kind = section_kind
        self.enumerators = enumerators
        self.has_ledger = has_ledger

    def candidates(self) -> list[Candidate]:
        return [c for c in (self.heading_tree(), self.prose_areas()) if c.nodes]

    # --- heading tree -----------------------------------------------------------------
    def heading_tree(self) -> Candidate:
        rows = [n for n in self.root.walk() if self.has_ledger and n.heading and n.heading.style == "row"]
        carriers = {id(n): self._carrier_count(n) for n in self.root.walk()}
        found: list[Node] = []
        self._collect(self.root, carriers, found)
        found = _align_to_dominant_style([n for n in found if n.heading.style != "row"], self.has_rectification)
        found = [n for n in found if self.section_kind(n) not in ("next_steps", "appendix")]
        nodes = sorted(found + rows, key=lambda n: n.start)
        with_text = sum(1 for n in nodes if n.heading.style == "row" or self.has_rectification(n, False))
        confidence = with_text / len(nodes) if len(nodes) >= MIN_ISSUES else 0.0
        return Candidate("ledger" if rows and len(rows) >= len(found) else "heading_tree", nodes, confidence)

    def _carrier_count(self, node: Node) -> int:
        own = 1 if self.has_rectification(node, True) else 0
        return own + sum(1 for c in _children(node) if self.has_rectification(c, False))

    def _collect(self, node: Node, carriers: dict, out: list[Node]) -> None:
        for child in _children(node):
            n = carriers[id(child)]
            if n >= 2 or (n == 1 and self._wraps_a_group(child, carriers)):
                self._collect(child, carriers, out)
            elif n == 1 and self.has_rectification(child, False):
                out.append(child)

    def _wraps_a_group(self, node: Node, carriers: dict) -> bool:
        """「一、反馈问题整改情况」 holding the one group 「（一）…方面（共3条）」: a node with no
        text of its own whose single carrying child holds several issues is no issue."""
        if self.has_rectification(node, True):
            return False
        carrying = [c for c in _children(node) if self.has_rectification(c, False)]
        return len(carrying) == 1 and (carriers[id(carrying[0])] >= 2 or self._wraps_a_group(carrying[0], carriers))

    # --- prose areas ------------------------------------------------------------------
    def prose_areas(self) -> Candidate:
        """The deepest group of sibling headings that each hold enumerated measures."""
        best: list[Node] = []
        for node in self.root.walk():
            areas = [c for c in node.children if self._is_prose_area(c)]
            if len(areas) >= MIN_ISSUES and (not best or areas[0].level > best[0].level):
                best = areas
        confidence = 0.5 if best else 0.0   # prose is weaker evidence than labelled blocks
        return Candidate("prose_areas", best, confidence)

    def _is_prose_area(self, node: Node) -> bool:
        if node.heading is None or self.section_kind(node) in ("organisation", "next_steps", "appendix"):
            return False
        if any(self.section_kind(a) in ("organisation", "next_steps", "appendix") for a in node.ancestors()):
            return False
        text = self.body[node.start:node.end]
        return sum(1 for e in self.enumerators if e in text) >= MIN_ENUMERATED_MEASURES


def _children(node: Node) -> list[Node]:
    """A node's children, with status sections (已整改完成的问题：) looked through: they
    sort a group's issues, they are not issues or groups of their own."""
    out: list[Node] = []
    for child in node.children:
        out += _children(child) if child.is_status else [child]
    return out


def _align_to_dominant_style(issues: list[Node], has_rectification) -> list[Node]:
    """A group holding a single issue looks like an issue itself; where most issues use
    one numbering style, descend such nodes to their descendant of that style."""
    if len(issues) < 3:
        return issues
    dominant, _ = Counter(n.heading.style for n in issues).most_common(1)[0]
    aligned = []
    for node in issues:
        if node.heading.style != dominant:
            inner = [d for d in node.walk() if d is not node and d.heading
                     and d.heading.style == dominant and has_rectification(d, False)]
            if len(inner) == 1:
                aligned.append(inner[0])
                continue
        aligned.append(node)
    return aligned


def choose_issue_nodes(candidates: list[Candidate], stated_problems: int | None) -> Candidate:
    """The candidate whose count the report's stated total confirms, else the most confident."""
    if not candidates:
        return Candidate("none", [], 0.0)

    def score(c: Candidate) -> tuple:
        agrees = stated_problems is not None and len(c.nodes) == stated_problems
        return (agrees, c.confidence, len(c.nodes))

    return max(candidates, key=score)
