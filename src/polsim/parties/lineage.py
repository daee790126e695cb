"""Lineage: who descends from whom (docs/model.md §2.2; the seed's "roots in the movement").

Every organisation records its parents: none for a birth, the movement for a spawn,
the organisation it left for a splinter, the partners for a merger, the predecessor
for a succession. A lineage is *complete* when every parent is in the table and was
founded no later than its child, and *acyclic* when no organisation is its own
ancestor.
"""

from __future__ import annotations

from polsim.world.organisations import Organisations

__all__ = ["ancestors", "descends_from", "lineage_problems"]


def ancestors(table: Organisations, org_id: int) -> set[int]:
    """Every ancestor of ``org_id`` (parents, their parents, ...), without itself."""
    seen: set[int] = set()
    stack = list(table[org_id].parents)
    while stack:
        parent = stack.pop()
        if parent in seen or not 0 <= parent < len(table):
            continue
        seen.add(parent)
        stack.extend(table[parent].parents)
    return seen


def descends_from(table: Organisations, org_id: int, ancestor_id: int) -> bool:
    """Whether ``ancestor_id`` is among the ancestors of ``org_id``."""
    return ancestor_id in ancestors(table, org_id)


def lineage_problems(table: Organisations) -> list[str]:
    """Every way the table's lineage is incomplete or cyclic (empty when it is sound)."""
    problems: list[str] = []
    for org in table:
        for parent in org.parents:
            if not 0 <= parent < len(table):
                problems.append(f"org {org.id} names missing parent {parent}")
            elif table[parent].founded > org.founded:
                problems.append(f"org {org.id} is older than its parent {parent}")
        if org.id in ancestors(table, org.id):
            problems.append(f"org {org.id} is its own ancestor")
    return problems
