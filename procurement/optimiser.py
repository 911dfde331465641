"""The set of bids that gives the most value for the money there is: an exact 0/1 knapsack.

Each bid is an item with a cost (the amount requested, in pounds) and a value (its moderated
weighted score). The proposal is the set whose total value is greatest while its total cost
stays within the budget — the true optimum, not a greedy guess: picking the best-scoring
bids first, or the best score per pound first, can both miss it.

The search keeps a Pareto frontier of partial selections rather than a table over every
penny of the budget: after each item, the selections are sorted by cost and any selection
that costs at least as much as another but is worth no more is dropped, since whatever is
added to it could be added to the cheaper one instead. The frontier is small for the
numbers of bids an opportunity receives, whatever the size of the budget.

Ties are broken the same way every time: more value, then less cost, then the selection
that includes the earliest item (in the order given) where two selections differ.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    key: Hashable
    cost: Decimal
    value: Decimal


@dataclass(frozen=True)
class Proposal:
    """The chosen keys, in the order the items were given, and their totals."""

    keys: tuple[Hashable, ...]
    total_cost: Decimal
    total_value: Decimal
    budget: Decimal

    @property
    def unspent(self) -> Decimal:
        return self.budget - self.total_cost

    def __contains__(self, key: Hashable) -> bool:
        return key in self.keys


@dataclass(frozen=True)
class _Selection:
    cost: Decimal
    value: Decimal
    # Item i of n is bit n - 1 - i, so that of two selections with the same cost and value
    # the one with the larger mask includes the earliest item where they differ.
    mask: int

    def order(self) -> tuple:
        return (self.cost, -self.value, -self.mask)


def budget_optimise(
    *, items: Iterable[tuple[Hashable, Decimal, Decimal] | Item], budget: Decimal
) -> Proposal:
    """The items, given as (key, cost, value), whose values add up to the most while their
    costs add up to no more than `budget`.

    An item worth nothing (value 0 or less) adds nothing and is never chosen; one that costs
    more than the whole budget cannot be. Raises ValueError for a negative cost or
    repeated keys.
    """
    budget = Decimal(budget)
    given: Sequence[Item] = [
        item if isinstance(item, Item) else Item(item[0], Decimal(item[1]), Decimal(item[2]))
        for item in items
    ]
    if len({item.key for item in given}) != len(given):
        raise ValueError("Each item needs its own key")
    for item in given:
        if item.cost < 0:
            raise ValueError(f"{item.key!r} has a negative cost")

    count = len(given)
    frontier = [_Selection(Decimal(0), Decimal(0), 0)] if budget >= 0 else []
    for index, item in enumerate(given):
        if item.value <= 0 or item.cost > budget:
            continue
        bit = 1 << (count - 1 - index)
        extended = [
            _Selection(
                selection.cost + item.cost, selection.value + item.value, selection.mask | bit
            )
            for selection in frontier
            if selection.cost + item.cost <= budget
        ]
        frontier = _pareto(frontier + extended)

    if not frontier:
        return Proposal(keys=(), total_cost=Decimal(0), total_value=Decimal(0), budget=budget)
    # On the frontier cost and value both rise strictly: the last is the best.
    best = frontier[-1]
    keys = tuple(
        item.key for index, item in enumerate(given) if best.mask >> (count - 1 - index) & 1
    )
    return Proposal(keys=keys, total_cost=best.cost, total_value=best.value, budget=budget)


def _pareto(selections: list[_Selection]) -> list[_Selection]:
    """The selections no other beats: sorted by cost, each worth strictly more than every
    cheaper one (of equal cost and value, the preferred mask comes first and stays)."""
    kept: list[_Selection] = []
    for selection in sorted(selections, key=_Selection.order):
        if not kept or selection.value > kept[-1].value:
            kept.append(selection)
    return kept
