"""Social Return on Investment (SROI): the social value of what an agreement or a commission
achieved, in pounds, for each pound invested.

For each outcome (a success measure valued by a financial proxy, see
commissioning.models.FinancialProxy):

    gross value    = quantity achieved (from ACCEPTED returns only) × the proxy's value
    − deadweight   (what would have happened anyway, a percentage of the gross value)
    − attribution  (what others made happen, a percentage of what is left)
    − displacement (what only moved from elsewhere, a percentage of what is left)
    = net value in year 1
    year n value   = year n−1 value × (1 − drop-off)   for n = 2 … duration in years
    discount factor for year n = 1 ÷ (1 + r)ⁿ, to four decimal places as the Green Book's
        tables give it, r = settings.SROI_DISCOUNT_RATE (HM Treasury Green Book, 3.5 %)
    present value  = year n value × discount factor, added up over the years

    SROI ratio = present value of all the outcomes ÷ investment (the agreements' awards)

Every figure in pounds is rounded to the penny (half up) where it is worked out, and the
next figure is worked out from the rounded one, so a finance officer can check each line
of the table by hand with a calculator and get the same pennies.

The calculation (`calculate`, `sensitivity`) is pure: Decimals in, Decimals out, no
database. `sroi_for_agreement` and `sroi_for_commission` read the quantities and proxies
(through monitoring.selectors) and call it. `assumptions_snapshot` keeps everything a
result was worked out from as JSON, and `result_from_snapshot` works the same result out
again from it, so a saved evaluation is not changed by a later change to a proxy or by
returns accepted afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

PENNY = Decimal("0.01")
FACTOR_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
SNAPSHOT_VERSION = 1

#: The assumptions of an outcome, in the order the page shows them.
OUTCOME_ASSUMPTIONS = (
    "value",
    "deadweight",
    "attribution",
    "displacement",
    "duration_years",
    "drop_off",
)
PERCENTAGES = ("deadweight", "attribution", "displacement", "drop_off")


def pennies(value: Decimal) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def default_discount_rate() -> Decimal:
    """settings.SROI_DISCOUNT_RATE, a percentage: the Green Book's 3.5 unless set."""
    return Decimal(str(getattr(settings, "SROI_DISCOUNT_RATE", "3.5")))


def discount_factor(*, rate: Decimal, year: int) -> Decimal:
    """1 ÷ (1 + rate/100)^year, to four decimal places: 0.9662 for year 1 at 3.5 %."""
    return (Decimal(1) / (Decimal(1) + rate / HUNDRED) ** year).quantize(
        FACTOR_PLACES, rounding=ROUND_HALF_UP
    )


# --- What the calculation is given -----------------------------------------------------------


@dataclass(frozen=True)
class OutcomeAssumptions:
    """How one outcome is valued: £ per unit, the percentages taken off, how many years it
    lasts and how much of it drops off each year after the first."""

    value: Decimal
    deadweight: Decimal
    attribution: Decimal
    displacement: Decimal
    duration_years: int
    drop_off: Decimal

    def as_dict(self) -> dict[str, str | int]:
        return {
            "value": str(self.value),
            "deadweight": str(self.deadweight),
            "attribution": str(self.attribution),
            "displacement": str(self.displacement),
            "duration_years": self.duration_years,
            "drop_off": str(self.drop_off),
        }

    @classmethod
    def from_dict(cls, data: Mapping, *, base: OutcomeAssumptions | None = None):
        """From JSON-like values (strings or numbers); keys missing take `base`'s value."""
        values = {}
        for name in OUTCOME_ASSUMPTIONS:
            if name in data and data[name] is not None and data[name] != "":
                raw = data[name]
                values[name] = int(raw) if name == "duration_years" else Decimal(str(raw))
            elif base is not None:
                values[name] = getattr(base, name)
            else:
                raise KeyError(name)
        return cls(**values)


@dataclass(frozen=True)
class OutcomeInput:
    """An outcome to value: the success measure, the quantity achieved according to the
    accepted returns, and the financial proxy with its usual assumptions."""

    key: str  # "measure-<SuccessMeasure pk>": names the outcome in forms and snapshots
    measure: str
    unit: str
    outcome: str
    quantity: Decimal
    proxy_name: str
    proxy_unit: str
    proxy_source: str
    proxy_year: int
    illustrative: bool
    defaults: OutcomeAssumptions

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "measure": self.measure,
            "unit": self.unit,
            "outcome": self.outcome,
            "quantity": str(self.quantity),
            "proxy_name": self.proxy_name,
            "proxy_unit": self.proxy_unit,
            "proxy_source": self.proxy_source,
            "proxy_year": self.proxy_year,
            "illustrative": self.illustrative,
            "defaults": self.defaults.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> OutcomeInput:
        return cls(
            key=str(data["key"]),
            measure=str(data["measure"]),
            unit=str(data["unit"]),
            outcome=str(data.get("outcome", "")),
            quantity=Decimal(str(data["quantity"])),
            proxy_name=str(data["proxy_name"]),
            proxy_unit=str(data["proxy_unit"]),
            proxy_source=str(data.get("proxy_source", "")),
            proxy_year=int(data["proxy_year"]),
            illustrative=bool(data.get("illustrative", False)),
            defaults=OutcomeAssumptions.from_dict(data["defaults"]),
        )


@dataclass(frozen=True)
class Unvalued:
    """A success measure with no financial proxy: its quantity is shown, not valued."""

    measure: str
    unit: str
    quantity: Decimal

    def as_dict(self) -> dict:
        return {"measure": self.measure, "unit": self.unit, "quantity": str(self.quantity)}

    @classmethod
    def from_dict(cls, data: Mapping) -> Unvalued:
        return cls(
            measure=str(data["measure"]),
            unit=str(data["unit"]),
            quantity=Decimal(str(data["quantity"])),
        )


@dataclass(frozen=True)
class Assumptions:
    """The discount rate (a percentage) and each outcome's assumptions, by its key. An
    outcome not named here is valued with its proxy's usual assumptions."""

    discount_rate: Decimal
    outcomes: dict[str, OutcomeAssumptions] = field(default_factory=dict)


# --- What the calculation gives ---------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    year: int
    value: Decimal  # after the drop-off of the years before
    discount_factor: Decimal
    present_value: Decimal


@dataclass(frozen=True)
class OutcomeRow:
    """The working for one outcome, line by line."""

    input: OutcomeInput
    assumptions: OutcomeAssumptions
    gross: Decimal
    deadweight_amount: Decimal
    after_deadweight: Decimal
    attribution_amount: Decimal
    after_attribution: Decimal
    displacement_amount: Decimal
    net: Decimal  # the value in year 1
    years: tuple[YearRow, ...]
    present_value: Decimal

    @property
    def key(self) -> str:
        return self.input.key

    @property
    def changed(self) -> tuple[str, ...]:
        """The assumptions that differ from the proxy's usual ones."""
        return tuple(
            name
            for name in OUTCOME_ASSUMPTIONS
            if getattr(self.assumptions, name) != getattr(self.input.defaults, name)
        )


@dataclass(frozen=True)
class SroiResult:
    subject: str
    investment: Decimal
    discount_rate: Decimal
    inputs: tuple[OutcomeInput, ...]
    unvalued: tuple[Unvalued, ...]
    assumptions: Assumptions
    rows: tuple[OutcomeRow, ...]
    total_present_value: Decimal
    net_present_value: Decimal
    ratio: Decimal | None  # unrounded; None when nothing was invested

    @property
    def ratio_display(self) -> str:
        """ "£3.21" (of social value for each £1 invested), or "" when there is no ratio."""
        return "" if self.ratio is None else f"£{pennies(self.ratio):,}"

    @property
    def has_illustrative(self) -> bool:
        return any(item.illustrative for item in self.inputs)

    @property
    def years(self) -> range:
        """1 … the longest duration of any outcome: the columns of the year table."""
        longest = max((row.assumptions.duration_years for row in self.rows), default=0)
        return range(1, longest + 1)

    @property
    def discount_factors(self) -> list[tuple[int, Decimal]]:
        return [(year, discount_factor(rate=self.discount_rate, year=year)) for year in self.years]


def _outcome_row(item: OutcomeInput, chosen: OutcomeAssumptions, rate: Decimal) -> OutcomeRow:
    gross = pennies(item.quantity * chosen.value)
    deadweight_amount = pennies(gross * chosen.deadweight / HUNDRED)
    after_deadweight = gross - deadweight_amount
    attribution_amount = pennies(after_deadweight * chosen.attribution / HUNDRED)
    after_attribution = after_deadweight - attribution_amount
    displacement_amount = pennies(after_attribution * chosen.displacement / HUNDRED)
    net = after_attribution - displacement_amount

    years = []
    value = net
    for year in range(1, chosen.duration_years + 1):
        if year > 1:
            value = pennies(value * (HUNDRED - chosen.drop_off) / HUNDRED)
        factor = discount_factor(rate=rate, year=year)
        years.append(
            YearRow(
                year=year,
                value=value,
                discount_factor=factor,
                present_value=pennies(value * factor),
            )
        )
    return OutcomeRow(
        input=item,
        assumptions=chosen,
        gross=gross,
        deadweight_amount=deadweight_amount,
        after_deadweight=after_deadweight,
        attribution_amount=attribution_amount,
        after_attribution=after_attribution,
        displacement_amount=displacement_amount,
        net=net,
        years=tuple(years),
        present_value=sum((row.present_value for row in years), start=ZERO),
    )


def calculate(
    *,
    subject: str,
    investment: Decimal,
    inputs: list[OutcomeInput] | tuple[OutcomeInput, ...],
    unvalued: list[Unvalued] | tuple[Unvalued, ...] = (),
    assumptions: Assumptions | Mapping | None = None,
) -> SroiResult:
    """The SROI of `inputs` for `investment`, with `assumptions` where given and each
    proxy's usual assumptions elsewhere. Pure: no database."""
    resolved = resolve_assumptions(inputs=inputs, assumptions=assumptions)
    rows = tuple(
        _outcome_row(item, resolved.outcomes[item.key], resolved.discount_rate) for item in inputs
    )
    total = sum((row.present_value for row in rows), start=ZERO)
    investment = Decimal(investment)
    return SroiResult(
        subject=subject,
        investment=investment,
        discount_rate=resolved.discount_rate,
        inputs=tuple(inputs),
        unvalued=tuple(unvalued),
        assumptions=resolved,
        rows=rows,
        total_present_value=total,
        net_present_value=total - investment,
        ratio=total / investment if investment > 0 else None,
    )


def resolve_assumptions(
    *,
    inputs: list[OutcomeInput] | tuple[OutcomeInput, ...],
    assumptions: Assumptions | Mapping | None,
) -> Assumptions:
    """Every outcome's assumptions: those given (an `Assumptions`, or a dict like
    `{"discount_rate": "3.5", "outcomes": {key: {"deadweight": "20", …}}}`, which may name
    only some), and the proxy's usual ones for the rest. Unknown keys are ignored."""
    if assumptions is None:
        rate, given = default_discount_rate(), {}
    elif isinstance(assumptions, Assumptions):
        rate, given = assumptions.discount_rate, dict(assumptions.outcomes)
    else:
        raw_rate = assumptions.get("discount_rate")
        rate = default_discount_rate() if raw_rate in (None, "") else Decimal(str(raw_rate))
        given = {}
        for key, values in (assumptions.get("outcomes") or {}).items():
            base = next((item.defaults for item in inputs if item.key == key), None)
            if base is not None:
                given[key] = OutcomeAssumptions.from_dict(values, base=base)
    outcomes = {item.key: given.get(item.key, item.defaults) for item in inputs}
    return Assumptions(discount_rate=rate, outcomes=outcomes)


# --- Reading it from the portal's records -----------------------------------------------------


def _inputs_from_quantities(quantities) -> tuple[list[OutcomeInput], list[Unvalued]]:
    inputs, unvalued = [], []
    for line in quantities:
        proxy = line.proxy
        if proxy is None:
            unvalued.append(Unvalued(measure=line.measure, unit=line.unit, quantity=line.quantity))
            continue
        inputs.append(
            OutcomeInput(
                key=f"measure-{line.measure_id}",
                measure=line.measure,
                unit=line.unit,
                outcome=line.outcome,
                quantity=line.quantity,
                proxy_name=proxy.name,
                proxy_unit=proxy.unit,
                proxy_source=proxy.source,
                proxy_year=proxy.year,
                illustrative=proxy.illustrative,
                defaults=OutcomeAssumptions(
                    value=proxy.value,
                    deadweight=proxy.deadweight,
                    attribution=proxy.attribution,
                    displacement=proxy.displacement,
                    duration_years=proxy.duration_years,
                    drop_off=proxy.drop_off,
                ),
            )
        )
    return inputs, unvalued


def sroi_for_agreement(agreement, assumptions: Assumptions | Mapping | None = None) -> SroiResult:
    """The SROI of one agreement: what its accepted returns report, valued by the proxies
    of its success measures, for its award."""
    from monitoring import selectors

    quantities = selectors.sroi_quantities(agreements=[agreement.pk])
    inputs, unvalued = _inputs_from_quantities(quantities)
    return calculate(
        subject=agreement.reference,
        investment=agreement.amount,
        inputs=inputs,
        unvalued=unvalued,
        assumptions=assumptions,
    )


def sroi_for_commission(commission, assumptions: Assumptions | Mapping | None = None) -> SroiResult:
    """The SROI of a commission: its agreements in delivery taken together (each success
    measure's quantities added up across them), for the sum of their awards."""
    from monitoring import selectors

    agreements = selectors.sroi_agreements_of_commission(commission=commission)
    quantities = selectors.sroi_quantities(agreements=agreements.values("pk"))
    inputs, unvalued = _inputs_from_quantities(quantities)
    return calculate(
        subject=commission.reference,
        investment=selectors.sroi_investment(agreements=agreements),
        inputs=inputs,
        unvalued=unvalued,
        assumptions=assumptions,
    )


# --- Keeping what a figure was worked out from -----------------------------------------------


def assumptions_snapshot(result: SroiResult) -> dict:
    """Everything `result` was worked out from (quantities, proxies, assumptions, discount
    rate, investment) and its totals, as JSON-serialisable values (Decimals as strings):
    for a saved evaluation's JSONField."""
    return {
        "version": SNAPSHOT_VERSION,
        "subject": result.subject,
        "investment": str(result.investment),
        "discount_rate": str(result.discount_rate),
        "outcomes": [
            {**item.as_dict(), "assumptions": result.assumptions.outcomes[item.key].as_dict()}
            for item in result.inputs
        ],
        "unvalued": [item.as_dict() for item in result.unvalued],
        "total_present_value": str(result.total_present_value),
        "net_present_value": str(result.net_present_value),
        "ratio": None if result.ratio is None else str(pennies(result.ratio)),
    }


class SnapshotError(ValueError):
    """The saved snapshot cannot be read."""


def result_from_snapshot(snapshot: Mapping) -> SroiResult:
    """The result saved with `assumptions_snapshot`, worked out again from what it kept
    (never from today's proxies or returns). SnapshotError if it cannot be read."""
    try:
        inputs = [OutcomeInput.from_dict(data) for data in snapshot["outcomes"]]
        given = {
            data["key"]: OutcomeAssumptions.from_dict(data["assumptions"])
            for data in snapshot["outcomes"]
        }
        return calculate(
            subject=str(snapshot.get("subject", "")),
            investment=Decimal(str(snapshot["investment"])),
            inputs=inputs,
            unvalued=[Unvalued.from_dict(data) for data in snapshot.get("unvalued", [])],
            assumptions=Assumptions(
                discount_rate=Decimal(str(snapshot["discount_rate"])), outcomes=given
            ),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise SnapshotError("The saved SROI figures cannot be read") from error


# --- Sensitivity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SensitivityRow:
    """The ratio when one assumption (for every outcome at once) moves down and up by the
    change (25 %), everything else as it was."""

    name: str
    label: str
    low_setting: str
    high_setting: str
    low_ratio: Decimal
    high_ratio: Decimal
    base_ratio: Decimal

    @property
    def swing(self) -> Decimal:
        return abs(self.high_ratio - self.low_ratio)


SENSITIVITY_LABELS = {
    "value": "Financial proxy values",
    "deadweight": "Deadweight",
    "attribution": "Attribution",
    "displacement": "Displacement",
    "duration_years": "Duration",
    "drop_off": "Drop-off",
    "discount_rate": "Discount rate",
}


def _percent_text(value: Decimal) -> str:
    return f"{value.normalize():f} %"


def _moved(name: str, value, factor: Decimal):
    if name == "duration_years":
        return max(1, int((Decimal(value) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    moved = Decimal(value) * factor
    if name in PERCENTAGES:
        moved = min(moved, HUNDRED)
    return moved


def _settings_text(name: str, result: SroiResult, factor: Decimal) -> str:
    """What the assumption is set to, in words, for the table: "15 % (was 20 %)"."""
    if name == "discount_rate":
        return _percent_text(_moved(name, result.discount_rate, factor))
    if name == "value":
        return f"{'−' if factor < 1 else '+'}25 % on every proxy"
    values = []
    for row in result.rows:
        before = getattr(row.assumptions, name)
        after = _moved(name, before, factor)
        if name == "duration_years":
            text = f"{after} year{'' if after == 1 else 's'}"
        else:
            text = _percent_text(after)
        if text not in values:
            values.append(text)
    return ", ".join(values)


def sensitivity(result: SroiResult, *, change: Decimal = Decimal("0.25")) -> list[SensitivityRow]:
    """For each assumption (proxy values, deadweight, attribution, displacement, duration,
    drop-off, discount rate): the ratio with it moved down and up by `change` (a quarter)
    for every outcome at once. Percentages stay at or below 100; a duration is rounded to
    whole years and at least 1. The biggest swing first. Empty when there is no ratio."""
    if result.ratio is None:
        return []
    low, high = Decimal(1) - change, Decimal(1) + change
    rows = []
    for name in SENSITIVITY_LABELS:
        ratios = []
        for factor in (low, high):
            if name == "discount_rate":
                moved = Assumptions(
                    discount_rate=_moved(name, result.discount_rate, factor),
                    outcomes=result.assumptions.outcomes,
                )
            else:
                moved = Assumptions(
                    discount_rate=result.discount_rate,
                    outcomes={
                        key: replace(chosen, **{name: _moved(name, getattr(chosen, name), factor)})
                        for key, chosen in result.assumptions.outcomes.items()
                    },
                )
            ratios.append(
                calculate(
                    subject=result.subject,
                    investment=result.investment,
                    inputs=result.inputs,
                    assumptions=moved,
                ).ratio
            )
        rows.append(
            SensitivityRow(
                name=name,
                label=SENSITIVITY_LABELS[name],
                low_setting=_settings_text(name, result, low),
                high_setting=_settings_text(name, result, high),
                low_ratio=ratios[0],
                high_ratio=ratios[1],
                base_ratio=result.ratio,
            )
        )
    rows.sort(key=lambda row: row.swing, reverse=True)
    return rows
