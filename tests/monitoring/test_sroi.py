"""Social Return on Investment: a worked example checked by hand, to the penny, on the page.

The agreement (award £10,000) reports two outcomes valued with financial proxies:

A. People helped into work, training or volunteering: accepted returns of 5 and 7 people
   (a submitted return's 4 and a draft's 9 do not count) = 12 people. Proxy £3,000.00 per
   person; deadweight 30 %, attribution 20 %, displacement 10 %; lasts 3 years with a
   drop-off of 30 % a year.

   gross          12 × £3,000.00                        = £36,000.00
   deadweight     £36,000.00 × 30 % = £10,800.00   left   £25,200.00
   attribution    £25,200.00 × 20 % =  £5,040.00   left   £20,160.00
   displacement   £20,160.00 × 10 % =  £2,016.00   left   £18,144.00  (year 1)
   year 2         £18,144.00 × 70 %                     = £12,700.80
   year 3         £12,700.80 × 70 %                     =  £8,890.56
   discount factors at 3.5 %, to 4 places:
     year 1  1 ÷ 1.035        = 0.966183… → 0.9662
     year 2  1 ÷ 1.071225     = 0.933511… → 0.9335
     year 3  1 ÷ 1.108717875  = 0.901943… → 0.9019
   present values
     year 1  £18,144.00 × 0.9662 = £17,530.7328 → £17,530.73
     year 2  £12,700.80 × 0.9335 = £11,856.1968 → £11,856.20
     year 3   £8,890.56 × 0.9019 =  £8,018.3961 →  £8,018.40
     A's present value: 17,530.73 + 11,856.20 + 8,018.40 = £37,405.33

B. Volunteer hours given: accepted returns of 200.25 and 237.25 hours (a submitted 50
   does not count) = 437.5 hours. Proxy £12.35 an hour; deadweight 10 %, attribution 25 %,
   displacement 5 %; lasts 3 years with a drop-off of 50 % a year.

   gross          437.5 × £12.35 = £5,403.125           → £5,403.13
   deadweight     £5,403.13 × 10 % = £540.313 → £540.31    left £4,862.82
   attribution    £4,862.82 × 25 % = £1,215.705 → £1,215.71 left £3,647.11
   displacement   £3,647.11 × 5 % = £182.3555 → £182.36   left £3,464.75  (year 1)
   year 2         £3,464.75 × 50 % = £1,732.375          → £1,732.38
   year 3         £1,732.38 × 50 %                       =   £866.19
   present values
     year 1  £3,464.75 × 0.9662 = £3,347.64145 → £3,347.64
     year 2  £1,732.38 × 0.9335 = £1,617.17673 → £1,617.18
     year 3    £866.19 × 0.9019 =   £781.21676 →   £781.22
     B's present value: 3,347.64 + 1,617.18 + 781.22 = £5,746.04

Present value of the net outcomes: 37,405.33 + 5,746.04 = £43,151.37
Net present value: £43,151.37 − £10,000.00 = £33,151.37
SROI ratio: £43,151.37 ÷ £10,000.00 = 4.315137 → £4.32 for each £1 invested.

"People supported" (the agreement's own measure) has no proxy here: shown as not valued.
"""

import re
from decimal import Decimal

import pytest

from commissioning.models import FinancialProxy, SuccessMeasureProxy
from monitoring import sroi
from tests.monitoring.factories import agreement_in_delivery
from tests.monitoring.factories_sroi import (
    INTO_WORK,
    VOLUNTEER_HOURS,
    measure_key,
    sroi_worked_example,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked():
    """The worked example of the module's docstring."""
    return sroi_worked_example()


def cell(html: str, table_id: str, name: str) -> str:
    """The text of the cell marked data-sroi=`name` in the table `table_id`."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    raw = table.split(f'data-sroi="{name}">', 1)[1].split("</td>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", raw).split())


def year_cells(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'data-sroi-year="\d+">(.*?)</tr>', table, flags=re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", "", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        for row in rows
    ]


# --- The calculation ------------------------------------------------------------------------------


def test_the_worked_example_by_hand(worked):
    result = sroi.sroi_for_agreement(worked)

    work, hours = result.rows
    assert work.input.measure == INTO_WORK
    assert work.input.quantity == Decimal("12")
    assert (
        work.gross,
        work.deadweight_amount,
        work.after_deadweight,
        work.attribution_amount,
        work.after_attribution,
        work.displacement_amount,
        work.net,
    ) == (
        Decimal("36000.00"),
        Decimal("10800.00"),
        Decimal("25200.00"),
        Decimal("5040.00"),
        Decimal("20160.00"),
        Decimal("2016.00"),
        Decimal("18144.00"),
    )
    assert [(y.value, y.discount_factor, y.present_value) for y in work.years] == [
        (Decimal("18144.00"), Decimal("0.9662"), Decimal("17530.73")),
        (Decimal("12700.80"), Decimal("0.9335"), Decimal("11856.20")),
        (Decimal("8890.56"), Decimal("0.9019"), Decimal("8018.40")),
    ]
    assert work.present_value == Decimal("37405.33")

    assert hours.input.quantity == Decimal("437.5")
    assert (
        hours.gross,
        hours.deadweight_amount,
        hours.attribution_amount,
        hours.displacement_amount,
        hours.net,
    ) == (
        Decimal("5403.13"),
        Decimal("540.31"),
        Decimal("1215.71"),
        Decimal("182.36"),
        Decimal("3464.75"),
    )
    assert [(y.value, y.present_value) for y in hours.years] == [
        (Decimal("3464.75"), Decimal("3347.64")),
        (Decimal("1732.38"), Decimal("1617.18")),
        (Decimal("866.19"), Decimal("781.22")),
    ]
    assert hours.present_value == Decimal("5746.04")

    assert result.investment == Decimal("10000.00")
    assert result.total_present_value == Decimal("43151.37")
    assert result.net_present_value == Decimal("33151.37")
    assert result.ratio == Decimal("4.315137")
    assert result.ratio_display == "£4.32"
    assert [item.measure for item in result.unvalued] == ["People supported"]


def test_the_page_shows_the_working_to_the_penny(client, officer, worked):
    client.force_login(officer)
    response = client.get(f"/staff/agreements/{worked.pk}/sroi/")

    assert response.status_code == 200
    html = response.content.decode()
    work = measure_key(INTO_WORK)
    assert [
        cell(html, f"{work}-working", name)
        for name in ("quantity", "proxy", "gross", "deadweight", "attribution")
    ] == ["12 people", "£3,000.00 per person", "£36,000.00", "−£10,800.00", "−£5,040.00"]
    assert cell(html, f"{work}-working", "displacement") == "−£2,016.00"
    assert cell(html, f"{work}-working", "net") == "£18,144.00"
    assert year_cells(html, f"{work}-years") == [
        ["Year 1", "£18,144.00", "0.9662", "£17,530.73"],
        ["Year 2", "£12,700.80", "0.9335", "£11,856.20"],
        ["Year 3", "£8,890.56", "0.9019", "£8,018.40"],
    ]
    assert cell(html, f"{work}-years", "present-value") == "£37,405.33"

    hours = measure_key(VOLUNTEER_HOURS)
    assert [
        cell(html, f"{hours}-working", name)
        for name in (
            "quantity",
            "proxy",
            "gross",
            "deadweight",
            "attribution",
            "displacement",
            "net",
        )
    ] == [
        "437.5 hours",
        "£12.35 per hour",
        "£5,403.13",
        "−£540.31",
        "−£1,215.71",
        "−£182.36",
        "£3,464.75",
    ]
    assert year_cells(html, f"{hours}-years") == [
        ["Year 1", "£3,464.75", "0.9662", "£3,347.64"],
        ["Year 2", "£1,732.38", "0.9335", "£1,617.18"],
        ["Year 3", "£866.19", "0.9019", "£781.22"],
    ]
    assert cell(html, f"{hours}-years", "present-value") == "£5,746.04"

    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "£4.32 of social value for each £1 invested" in text
    assert "Present value of the net outcomes £43,151.37" in text
    assert "Net present value £33,151.37" in text
    assert "Investment £10,000.00" in text
    assert "3.5 % a year (HM Treasury Green Book)" in text
    assert "People supported: 0 people" in text  # not valued: no proxy
    assert "Some financial proxies here are illustrative" not in text


def test_a_change_of_one_assumption_in_the_address_moves_the_ratio(client, officer, worked):
    client.force_login(officer)
    work = measure_key(INTO_WORK)

    response = client.get(f"/staff/agreements/{worked.pk}/sroi/", {f"{work}-deadweight": "50"})

    # A's year 1: £36,000 less 50 % = £18,000.00; less 20 % = £14,400.00; less 10 % =
    # £12,960.00; then £9,072.00 and £6,350.40. Present values £12,521.95 (12,960 × 0.9662
    # = 12,521.952), £8,468.71 (9,072 × 0.9335 = 8,468.712) and £5,727.43 (6,350.40 ×
    # 0.9019 = 5,727.42576). A: 12,521.95 + 8,468.71 + 5,727.43 = £26,718.09.
    # With B's £5,746.04: £32,464.13 ÷ £10,000 = 3.246413 → £3.25.
    html = response.content.decode()
    assert response.status_code == 200
    assert cell(html, f"{work}-working", "net") == "£12,960.00"
    assert year_cells(html, f"{work}-years")[2] == ["Year 3", "£6,350.40", "0.9019", "£5,727.43"]
    assert cell(html, f"{work}-years", "present-value") == "£26,718.09"
    assert "£3.25</strong> of social value" in html
    assert "You have changed some assumptions" in html


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("deadweight", "120", "The deadweight for {m} must be between 0 and 100"),
        ("deadweight", "lots", "The deadweight for {m} must be a number, like 20"),
        ("deadweight", "", "Enter the deadweight for {m} as a percentage, like 20"),
        ("attribution", "-5", "The attribution for {m} must be between 0 and 100"),
        ("displacement", "NaN", "The displacement for {m} must be a number, like 20"),
        ("drop_off", "12.345", "The drop-off for {m} must have no more than 2 decimal places"),
        (
            "duration_years",
            "2.5",
            "How many years the outcome of {m} lasts must be a whole number, like 3",
        ),
        (
            "duration_years",
            "99",
            "How many years the outcome of {m} lasts must be between 1 and 10",
        ),
        ("value", "1e999999", "The value of one person for {m} must be less than £10,000,000,000"),
        ("value", "-1", "The value of one person for {m} must be £0 or more"),
    ],
)
def test_a_wrong_assumption_gets_a_govuk_error_not_a_500(
    client, officer, worked, name, value, message
):
    client.force_login(officer)
    work = measure_key(INTO_WORK)

    response = client.get(f"/staff/agreements/{worked.pk}/sroi/", {f"{work}-{name}": value})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    expected = message.format(m=INTO_WORK)
    assert f'<a href="#id_{work}-{name}">{expected}</a>' in html
    assert f'id="id_{work}-{name}-error"' in html
    assert "£4.32</strong> of social value" in html  # the usual figures stand


@pytest.mark.parametrize(
    "value,message",
    [
        ("25", "The discount rate must be between 0 and 20"),
        ("x", "The discount rate must be a number, like 3.5"),
    ],
)
def test_a_wrong_discount_rate_gets_a_govuk_error(client, officer, worked, value, message):
    client.force_login(officer)
    response = client.get(f"/staff/agreements/{worked.pk}/sroi/", {"discount_rate": value})
    assert response.status_code == 200
    assert f'<a href="#id_discount_rate">{message}</a>' in response.content.decode()


def test_the_discount_rate_comes_from_the_setting(worked, settings):
    settings.SROI_DISCOUNT_RATE = "0"
    result = sroi.sroi_for_agreement(worked)
    # Undiscounted: A 18,144.00 + 12,700.80 + 8,890.56 = 39,735.36; B 3,464.75 + 1,732.38
    # + 866.19 = 6,063.32; together £45,798.68.
    assert result.discount_rate == Decimal("0")
    assert result.total_present_value == Decimal("45798.68")


# --- Sensitivity ----------------------------------------------------------------------------------


# Up means the ratio rises when the assumption rises by a quarter, and falls when it falls.
DIRECTION = {
    "value": "up",
    "duration_years": "up",
    "deadweight": "down",
    "attribution": "down",
    "displacement": "down",
    "drop_off": "down",
    "discount_rate": "down",
}


def test_sensitivity_moves_the_ratio_the_right_way_for_each_assumption(worked):
    result = sroi.sroi_for_agreement(worked)
    rows = {row.name: row for row in sroi.sensitivity(result)}

    assert set(rows) == set(DIRECTION)
    for name, direction in DIRECTION.items():
        row = rows[name]
        if direction == "up":
            assert row.low_ratio < result.ratio < row.high_ratio, name
        else:
            assert row.low_ratio > result.ratio > row.high_ratio, name
    # Proxies ±25 % scale every present value, near enough (each line is rounded to the
    # penny): 4.315137 × 0.75 ≈ 3.24 and × 1.25 ≈ 5.39.
    assert rows["value"].low_ratio.quantize(Decimal("0.01")) == Decimal("3.24")
    assert rows["value"].high_ratio.quantize(Decimal("0.01")) == Decimal("5.39")
    # Three years ±25 % is 2 and 4 years (rounded to whole years).
    assert (rows["duration_years"].low_setting, rows["duration_years"].high_setting) == (
        "2 years",
        "4 years",
    )
    # The biggest swing first: the proxies' values.
    assert sroi.sensitivity(result)[0].name == "value"


def test_the_page_has_the_tornado_chart_and_its_table(client, officer, worked):
    client.force_login(officer)
    html = client.get(f"/staff/agreements/{worked.pk}/sroi/").content.decode()

    assert '<svg class="portal-chart"' in html
    assert 'aria-labelledby="sensitivity-caption"' in html
    assert html.count('class="portal-chart__low"') == 7
    assert html.count('class="portal-chart__high"') == 7
    table = html.split('id="sensitivity-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("data-sensitivity=") == 7
    assert "Financial proxy values" in table and "Discount rate" in table
    assert "£3.24" in table and "£5.39" in table


# --- Saved figures keep their assumptions ---------------------------------------------------------


def test_a_snapshot_keeps_its_figures_when_a_proxy_changes_afterwards(worked):
    result = sroi.sroi_for_agreement(worked)
    snapshot = sroi.assumptions_snapshot(result)

    import json

    stored = json.loads(json.dumps(snapshot))  # as a JSONField keeps it
    assert stored["ratio"] == "4.32"
    assert stored["discount_rate"] == "3.5"

    FinancialProxy.objects.filter(name="Test: person into work").update(
        value=Decimal("9000"), deadweight=Decimal("0")
    )
    assert sroi.sroi_for_agreement(worked).ratio != result.ratio  # today's figure moves

    again = sroi.result_from_snapshot(stored)
    assert again.ratio == result.ratio == Decimal("4.315137")
    assert again.total_present_value == Decimal("43151.37")
    assert [row.present_value for row in again.rows] == [
        Decimal("37405.33"),
        Decimal("5746.04"),
    ]
    assert again.rows[0].assumptions.value == Decimal("3000.00")
    assert [item.measure for item in again.unvalued] == ["People supported"]


def test_a_snapshot_keeps_changed_assumptions(worked):
    work = measure_key(INTO_WORK)
    result = sroi.sroi_for_agreement(worked, assumptions={"outcomes": {work: {"deadweight": "50"}}})
    again = sroi.result_from_snapshot(sroi.assumptions_snapshot(result))
    assert again.total_present_value == Decimal("32464.13")
    assert again.rows[0].changed == ("deadweight",)


def test_a_snapshot_that_cannot_be_read_says_so():
    with pytest.raises(sroi.SnapshotError):
        sroi.result_from_snapshot({"outcomes": [{"key": "x"}]})


# --- A commission --------------------------------------------------------------------------------


def test_a_commission_adds_up_its_agreements(client, officer, worked):
    commission = worked.decision.bid.opportunity.specification.commission
    result = sroi.sroi_for_commission(commission)
    assert result.investment == Decimal("10000.00")
    assert result.total_present_value == Decimal("43151.37")

    client.force_login(officer)
    response = client.get(f"/staff/commissions/{commission.pk}/sroi/")
    assert response.status_code == 200
    assert "£4.32</strong> of social value" in response.content.decode()


def test_an_agreement_with_no_accepted_returns_is_worth_nothing_yet(client, officer):
    made = agreement_in_delivery(months=12)
    client.force_login(officer)
    response = client.get(f"/staff/agreements/{made.agreement.pk}/sroi/")
    html = response.content.decode()
    assert response.status_code == 200
    # People supported is valued by the shipped illustrative proxy: 0 people, £0.
    assert "£0.00</strong> of social value" in html
    assert "Some financial proxies here are illustrative" in html
    assert 'id="sensitivity"' not in html  # nothing valued: nothing to be sensitive to


def test_with_nothing_to_value_there_is_nothing_to_change(client, officer):
    made = agreement_in_delivery(months=12)
    SuccessMeasureProxy.objects.all().delete()
    client.force_login(officer)

    response = client.get(f"/staff/agreements/{made.agreement.pk}/sroi/?discount_rate=abc")

    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing can be valued yet" in html
    assert "People supported: 0 people" in html
    assert "There is a problem" not in html
    assert 'id="assumptions"' not in html
    assert "There is no ratio" not in html  # the award is there: the ratio is £0.00


def test_the_performance_page_links_to_sroi(client, officer, worked):
    client.force_login(officer)
    html = client.get(f"/staff/agreements/{worked.pk}/performance/").content.decode()
    assert f'href="/staff/agreements/{worked.pk}/sroi/"' in html
