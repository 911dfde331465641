"""The budget optimiser: the exact best set of bids within the budget, not a greedy guess."""

import itertools
import random
from decimal import Decimal

import pytest

from procurement.optimiser import Item, budget_optimise

D = Decimal


def brute_force(items, budget):
    """Every subset, judged by the optimiser's own order: value, then cost, then the set
    that includes the earliest item where two sets differ."""
    best_rank, best = None, ()
    for size in range(len(items) + 1):
        for chosen in itertools.combinations(range(len(items)), size):
            if any(items[i][2] <= 0 for i in chosen):
                continue
            cost = sum((items[i][1] for i in chosen), start=D(0))
            if cost > budget:
                continue
            value = sum((items[i][2] for i in chosen), start=D(0))
            membership = tuple(i in chosen for i in range(len(items)))
            rank = (value, -cost, membership)
            if best_rank is None or rank > best_rank:
                best_rank, best = rank, chosen
    return tuple(items[i][0] for i in best)


def greedy(items, budget, key):
    chosen, spent = [], D(0)
    for item in sorted(items, key=key, reverse=True):
        if spent + item[1] <= budget:
            chosen.append(item[0])
            spent += item[1]
    return chosen


def value_of(items, keys):
    return sum((item[2] for item in items if item[0] in keys), start=D(0))


def test_greedy_by_score_is_wrong_and_the_optimiser_is_not():
    # The best-scoring bid takes most of the budget; the two next best fit together and are
    # worth more.
    items = [("A", D("50000"), D("90")), ("B", D("30000"), D("80")), ("C", D("30000"), D("75"))]
    budget = D("60000")
    by_score = greedy(items, budget, key=lambda item: item[2])
    assert by_score == ["A"]

    proposal = budget_optimise(items=items, budget=budget)

    assert proposal.keys == ("B", "C")
    assert proposal.total_value == D("155") > value_of(items, by_score)
    assert proposal.total_cost == D("60000")
    assert proposal.unspent == D("0")


def test_greedy_by_value_per_pound_is_wrong_and_the_optimiser_is_not():
    # The cheap bid scores most per pound but leaves too little for anything else.
    items = [("A", D("10000"), D("60")), ("B", D("50000"), D("85")), ("C", D("50000"), D("80"))]
    budget = D("100000")
    per_pound = greedy(items, budget, key=lambda item: item[2] / item[1])
    assert per_pound == ["A", "B"]

    proposal = budget_optimise(items=items, budget=budget)

    assert proposal.keys == ("B", "C")
    assert proposal.total_value == D("165") > value_of(items, per_pound)
    assert proposal.unspent == D("0")


def test_both_greedy_guesses_are_wrong_at_once():
    items = [
        ("big", D("60000"), D("95")),
        ("cheap", D("5000"), D("40")),
        ("mid-1", D("35000"), D("70")),
        ("mid-2", D("35000"), D("70")),
    ]
    budget = D("70000")
    assert value_of(items, greedy(items, budget, key=lambda i: i[2])) == D("135")
    assert value_of(items, greedy(items, budget, key=lambda i: i[2] / i[1])) == D("110")

    proposal = budget_optimise(items=items, budget=budget)

    assert proposal.keys == ("mid-1", "mid-2")
    assert proposal.total_value == D("140")


def test_empty_input():
    proposal = budget_optimise(items=[], budget=D("60000"))
    assert proposal.keys == ()
    assert proposal.total_cost == D("0")
    assert proposal.total_value == D("0")
    assert proposal.unspent == D("60000")


def test_zero_budget_chooses_only_what_costs_nothing():
    items = [("A", D("100"), D("90")), ("B", D("0"), D("10"))]
    proposal = budget_optimise(items=items, budget=D("0"))
    assert proposal.keys == ("B",)
    assert budget_optimise(items=items[:1], budget=D("0")).keys == ()


def test_everything_fits():
    items = [("A", D("10000"), D("50")), ("B", D("20000"), D("60")), ("C", D("15000"), D("55"))]
    proposal = budget_optimise(items=items, budget=D("60000"))
    assert proposal.keys == ("A", "B", "C")
    assert proposal.total_cost == D("45000")
    assert proposal.total_value == D("165")
    assert proposal.unspent == D("15000")


def test_a_bid_costing_more_than_the_budget_or_worth_nothing_is_never_chosen():
    items = [("huge", D("70000"), D("99")), ("nil", D("1000"), D("0")), ("ok", D("1000"), D("1"))]
    assert budget_optimise(items=items, budget=D("60000")).keys == ("ok",)


def test_ties_go_to_less_money_then_to_the_earlier_bid():
    cheaper = [("A", D("30000"), D("70")), ("B", D("25000"), D("70"))]
    assert budget_optimise(items=cheaper, budget=D("40000")).keys == ("B",)
    same = [("A", D("30000"), D("70")), ("B", D("30000"), D("70"))]
    assert budget_optimise(items=same, budget=D("40000")).keys == ("A",)
    assert budget_optimise(items=list(reversed(same)), budget=D("40000")).keys == ("B",)


def test_pence_are_exact():
    items = [("A", D("0.10"), D("1")), ("B", D("0.20"), D("1")), ("C", D("0.30"), D("1.99"))]
    proposal = budget_optimise(items=items, budget=D("0.30"))
    assert proposal.keys == ("A", "B")
    assert proposal.total_cost == D("0.30")
    assert proposal.unspent == D("0")
    assert budget_optimise(items=items, budget=D("0.29")).keys == ("A",)


def test_item_objects_are_accepted_and_keys_come_back_in_the_order_given():
    items = [Item(3, D("5"), D("10")), Item(1, D("5"), D("10")), Item(2, D("5"), D("1"))]
    assert budget_optimise(items=items, budget=D("10")).keys == (3, 1)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="negative cost"):
        budget_optimise(items=[("A", D("-1"), D("10"))], budget=D("10"))
    with pytest.raises(ValueError, match="own key"):
        budget_optimise(items=[("A", D("1"), D("1")), ("A", D("2"), D("2"))], budget=D("10"))


def test_matches_brute_force_on_random_cases():
    generator = random.Random(20260601)
    for case in range(400):
        count = generator.randint(0, 9)
        # Small whole numbers make ties common, so the tie-break is tested as well.
        items = [
            (
                f"bid-{n}",
                D(generator.randint(0, 12) * 1000 + generator.choice([0, 0, 50])),
                D(generator.randint(0, 20)) + D(generator.choice([0, 0, 25])) / 100,
            )
            for n in range(count)
        ]
        budget = D(generator.randint(0, 40) * 1000)
        proposal = budget_optimise(items=items, budget=budget)
        expected = brute_force(items, budget)
        assert proposal.keys == expected, f"case {case}: {items} within {budget}"
        assert proposal.total_cost == sum(
            (item[1] for item in items if item[0] in expected), start=D(0)
        )
        assert proposal.total_cost <= budget
        assert proposal.total_value == value_of(items, expected)


def test_fifty_bids_and_a_large_budget_leave_no_fitting_bid_out():
    generator = random.Random(7)
    items = [
        (n, D(generator.randint(5000, 80000)), D(generator.randint(3000, 10000)) / 100)
        for n in range(50)
    ]
    proposal = budget_optimise(items=items, budget=D("750000"))
    assert proposal.total_cost <= D("750000")
    # No bid left out would still fit: the optimum never leaves a fitting bid unused.
    left = [item for item in items if item[0] not in proposal]
    assert all(item[1] > proposal.unspent for item in left)
