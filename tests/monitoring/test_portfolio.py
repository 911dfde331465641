"""The officers' portfolio: investment by sector and by priority against the plans'
budgets, agreements by RAG status, returns and payments that need someone, each figure
linking to its list; filters in the URL; the same figures as CSV; a flat number of
queries however many agreements there are.

The known set, on the fixed clock (Thursday 26 November 2026), every agreement running a
year from 1 November 2025, paid quarterly in advance (1 November, 1 February, 1 May,
1 August) and returning quarterly (the return for Aug–Oct 2026 due on 30 November 2026):

- VCFS, Health and Well Being, Lancaster (a whole area): budget £60,000; agreements A1
  £12,500 (rated red, then green) and A2 £20,000 (rated red).
- Arts, Economic Growth, Morecambe: budget £40,000; agreements B1 £7,500 (in delivery,
  not rated) and B2 £5,000 (a draft, being prepared).
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.dashboards import (
    PortfolioFilters,
    agreements_by_rating,
    csv_safe,
    financial_year_of,
    portfolio_get,
)
from monitoring.models import RagStatus, ReturnActual, ReturnState
from procurement.models import Agreement, AgreementState
from tests.monitoring.factories import return_put
from tests.monitoring.factories_portfolio import (
    agreement_under,
    area,
    funded_commission,
    hold,
    pay,
    priority,
    rate,
    sector,
)

pytestmark = pytest.mark.django_db

URL = "/staff/portfolio/"


def plan_years() -> tuple[dt.date, dt.date]:
    """The published plans run over this financial year and the last."""
    this_year = financial_year_of(timezone.localdate())
    return dt.date(this_year - 1, 4, 1), dt.date(this_year + 1, 3, 31)


@pytest.fixture
def known():
    lancaster = area("Lancaster")
    bulk = area("Bulk", parent=lancaster)
    morecambe = area("Morecambe")
    vcfs = funded_commission(
        sector_name="VCFS",
        priorities=[priority("health-and-well-being")],
        areas=[lancaster],
        budget="60000",
        plan_period=plan_years(),
    )
    arts = funded_commission(
        sector_name="Arts",
        priorities=[priority("economic-growth")],
        areas=[morecambe],
        budget="40000",
        plan_period=plan_years(),
    )
    a1 = agreement_under(vcfs, amount="12500")
    a2 = agreement_under(vcfs, amount="20000")
    b1 = agreement_under(arts, amount="7500")
    b2 = agreement_under(arts, amount="5000", state=AgreementState.DRAFT)
    rate(a1, "red", days_ago=30)
    rate(a1, "green", days_ago=2)
    rate(a2, "red", days_ago=5)
    first, second, third, _fourth = a1.monitoring_returns.order_by("period_start")
    return_put(first, ReturnState.ACCEPTED)
    return_put(second, ReturnState.SUBMITTED)
    instalments = list(a1.payments.order_by("due_on"))
    pay(instalments[0])
    hold(instalments[1], third)
    return {
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "b2": b2,
        "bulk": bulk,
        "lancaster": lancaster,
        "vcfs": vcfs,
        "arts": arts,
    }


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def by_name(rows):
    return {row.name: row for row in rows}


# --- The figures ----------------------------------------------------------------------------------


def test_investment_by_sector_and_priority_against_the_plans_budgets(known):
    portfolio = portfolio_get(filters=PortfolioFilters())

    sectors = by_name(portfolio.by_sector)
    assert sectors["VCFS"].budget.value == Decimal("60000")
    assert sectors["VCFS"].awarded.value == Decimal("32500")
    assert sectors["VCFS"].agreements == 2
    assert sectors["VCFS"].paid.value == Decimal("3125")
    assert sectors["VCFS"].share_awarded == 54
    assert sectors["Arts"].budget.value == Decimal("40000")
    assert sectors["Arts"].awarded.value == Decimal("12500")  # the draft counts: it is awarded
    assert sectors["Arts"].paid.value == Decimal("0")
    assert portfolio.total.budget.value == Decimal("100000")
    assert portfolio.total.awarded.value == Decimal("45000")
    assert portfolio.total.agreements == 4
    assert portfolio.total.paid.value == Decimal("3125")

    priorities = by_name(portfolio.by_priority)
    assert priorities["Health and Well Being"].awarded.value == Decimal("32500")
    assert priorities["Economic Growth"].budget.value == Decimal("40000")


def test_agreements_by_latest_rag_and_returns_and_payments_needing_someone(known):
    portfolio = portfolio_get(filters=PortfolioFilters())

    rag = {row.rating: row.count.value for row in portfolio.rag}
    # A1 was red and is now green; B1 is in delivery unrated; B2 is a draft, not in delivery.
    assert rag == {"red": 1, "amber": 0, "green": 1, "none": 1}
    # Each agreement in delivery has its Aug–Oct return due on 30 November.
    assert portfolio.returns_due.value == 3
    # A1's third (the first is accepted, the second submitted); A2's and B1's first three.
    assert portfolio.returns_overdue.value == 7
    assert portfolio.returns_awaiting_review.value == 1
    # Unpaid and not held by 30 November: A1's last two (£3,125 each), all four of A2's
    # (£5,000) and of B1's (£1,875).
    assert portfolio.payments_due.value == Decimal("33750")
    assert portfolio.payments_due_count == 10
    assert portfolio.payments_held.value == Decimal("3125")
    assert portfolio.payments_held_count == 1


def test_of_two_ratings_set_at_the_same_moment_the_later_recorded_is_the_agreements(known):
    a2 = known["a2"]
    RagStatus.objects.create(
        agreement=a2, rating="amber", reason="Rated again", set_at=a2.rag_statuses.get().set_at
    )

    rag = {row.rating: row.count.value for row in portfolio_get(filters=PortfolioFilters()).rag}

    assert rag == {"red": 0, "amber": 1, "green": 1, "none": 1}
    # The same agreement the list behind the figure finds.
    assert list(agreements_by_rating(Agreement.objects.all(), rating="amber")) == [a2]


def test_the_page_shows_money_the_govuk_way_and_each_figure_links_to_its_list(
    known, officer_client
):
    vcfs = sector("VCFS")
    response = officer_client.get(URL, {"year": "all"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "£32,500" in html and "£60,000" in html and "£3,125" in html
    assert "£33,750" in html
    # Each link says "all years": the lists it leads to count what the figure counted.
    assert f'href="/staff/agreements/?sector={vcfs.pk}&amp;year=all"' in html
    assert 'href="/staff/agreements/?year=all&amp;state=accepted&amp;rag=red"' in html
    assert 'href="/staff/agreements/?year=all&amp;state=accepted&amp;rag=none"' in html
    assert 'href="/staff/returns/?year=all&amp;show=overdue"' in html
    assert 'href="/staff/returns/?year=all&amp;show=due_month"' in html
    assert 'href="/staff/returns/?year=all&amp;show=review"' in html
    assert 'href="/staff/portfolio/payments/?year=all&amp;show=held"' in html
    assert f'href="/staff/?sector={vcfs.pk}"' in html  # the budget: the commissions


# --- Filters ------------------------------------------------------------------------------------


def test_filtering_by_sector_narrows_every_figure(known, officer_client):
    arts = sector("Arts")
    response = officer_client.get(URL, {"sector": arts.pk})

    portfolio = response.context["portfolio"]
    assert [row.name for row in portfolio.by_sector] == ["Arts"]
    assert portfolio.total.awarded.value == Decimal("12500")
    assert portfolio.returns_overdue.value == 3
    assert portfolio.returns_due.value == 1
    assert portfolio.payments_due.value == Decimal("7500")
    assert {row.rating: row.count.value for row in portfolio.rag}["red"] == 0
    # The links keep the filter; what needs attention is outstanding in every year.
    this_year = financial_year_of(timezone.localdate())
    html = response.content.decode()
    assert f'href="/staff/returns/?sector={arts.pk}&amp;year=all&amp;show=overdue"' in html
    assert f'href="/staff/agreements/?sector={arts.pk}&amp;year={this_year}"' in html


def test_a_ward_is_covered_by_a_commission_for_its_whole_area(known, officer_client):
    response = officer_client.get(URL, {"area": "bulk"})

    portfolio = response.context["portfolio"]
    assert portfolio.total.awarded.value == Decimal("32500")
    assert portfolio.total.budget.value == Decimal("60000")


def test_filtering_by_priority(known):
    portfolio = portfolio_get(filters=PortfolioFilters(priority=priority("economic-growth")))

    assert portfolio.total.awarded.value == Decimal("12500")
    assert [row.name for row in portfolio.by_priority] == ["Economic Growth"]


def test_a_financial_year_counts_plans_and_agreements_running_in_it_and_payments_made_in_it(
    known, officer_client
):
    this_year = financial_year_of(timezone.localdate())
    last_year_portfolio = officer_client.get(URL, {"year": this_year - 1}).context["portfolio"]
    # 2025 to 2026: the agreements started in November 2025; A1's first payment was made
    # on 1 November 2025.
    assert last_year_portfolio.total.awarded.value == Decimal("45000")
    assert last_year_portfolio.total.paid.value == Decimal("3125")

    this_year_portfolio = officer_client.get(URL, {"year": this_year}).context["portfolio"]
    assert this_year_portfolio.total.awarded.value == Decimal("45000")
    assert this_year_portfolio.total.paid.value == Decimal("0")

    earlier = officer_client.get(URL, {"year": this_year - 3}).context["portfolio"]
    assert earlier.total.awarded.value == Decimal("0")
    assert earlier.total.budget.value == Decimal("0")
    assert earlier.total.agreements == 0


@pytest.fixture
def years_apart():
    """Under one commission: an agreement running now (1 November 2025 to 31 October 2026,
    £12,000 in four instalments: the first paid last financial year, the third this one);
    one that ran four financial years ago (£8,000: its first instalment paid on time, its
    second paid late, this financial year, and two never paid); and one starting next
    financial year (£4,000)."""
    this_year = financial_year_of(timezone.localdate())
    vcfs = funded_commission(sector_name="VCFS", plan_period=plan_years())
    now = agreement_under(vcfs, amount="12000")
    now_instalments = list(now.payments.order_by("due_on"))
    pay(now_instalments[0])
    pay(now_instalments[2])
    old = agreement_under(vcfs, amount="8000", starts_on=dt.date(this_year - 4, 4, 1))
    old_instalments = list(old.payments.order_by("due_on"))
    pay(old_instalments[0])
    pay(old_instalments[1], paid_on=timezone.localdate() - dt.timedelta(days=10))
    later = agreement_under(vcfs, amount="4000", starts_on=dt.date(this_year + 1, 4, 1))
    rate(old, "red", days_ago=1000)
    rate(now, "green", days_ago=3)
    return {"this_year": this_year, "now": now, "old": old, "later": later}


def test_a_financial_year_leaves_out_other_years_agreements_and_payments(years_apart):
    this_year = years_apart["this_year"]
    everything = portfolio_get(filters=PortfolioFilters())
    assert everything.total.awarded.value == Decimal("24000")
    assert everything.total.agreements == 3
    assert everything.total.paid.value == Decimal("10000")
    # Unpaid and due by the end of this month: the second and fourth instalments of the
    # agreement running now, and the last two of the one that ended years ago.
    assert everything.payments_due.value == Decimal("10000")
    assert everything.payments_due_count == 4
    assert {row.rating: row.count.value for row in everything.rag}["red"] == 1

    this_year_only = portfolio_get(filters=PortfolioFilters(year=this_year))
    assert this_year_only.total.awarded.value == Decimal("12000")
    assert this_year_only.total.agreements == 1
    # Paid this year on the agreements running in it: not the first instalment (paid last
    # year), nor the late payment on the agreement that ended years ago.
    assert this_year_only.total.paid.value == Decimal("3000")
    assert {row.rating: row.count.value for row in this_year_only.rag} == {
        "red": 0,
        "amber": 0,
        "green": 1,
        "none": 0,
    }

    next_year = portfolio_get(filters=PortfolioFilters(year=this_year + 1))
    assert next_year.total.awarded.value == Decimal("4000")
    assert next_year.total.paid.value == Decimal("0")


def test_what_needs_attention_is_outstanding_whatever_year_is_shown(years_apart):
    """The agreement that ended years ago still has unpaid instalments and overdue returns:
    they need attention on the portfolio of any year, as on the one of every year."""
    everything = portfolio_get(filters=PortfolioFilters())
    old_returns = years_apart["old"].monitoring_returns.count()
    assert old_returns > 0

    for year in (years_apart["this_year"], years_apart["this_year"] + 1):
        one_year = portfolio_get(filters=PortfolioFilters(year=year))
        assert one_year.payments_due.value == everything.payments_due.value == Decimal("10000")
        assert one_year.payments_due_count == 4
        assert one_year.returns_overdue.value == everything.returns_overdue.value
        assert one_year.returns_overdue.url == "/staff/returns/?year=all&show=overdue"


def test_the_portfolio_opens_on_this_financial_year_and_says_so(years_apart, officer_client):
    this_year = years_apart["this_year"]
    response = officer_client.get(URL)

    opened = response.context["portfolio"]
    assert opened.filters.year == this_year
    # Only the agreement running this year, and only what was paid in it.
    assert opened.total.awarded.value == Decimal("12000")
    assert opened.total.agreements == 1
    assert opened.total.paid.value == Decimal("3000")
    html = response.content.decode()
    label = f"{this_year} to {this_year + 1}"
    assert f'<span class="govuk-caption-l" id="years-shown">Financial year {label}</span>' in html
    assert f"<title>Portfolio: financial year {label}" in html
    assert f'<option value="{this_year}" selected>{label}</option>' in html

    everything = officer_client.get(URL, {"year": "all"})
    every_year = everything.context["portfolio"]
    assert every_year.filters.year is None
    # The agreement that ran four years ago and the one starting next year, and every
    # payment ever made, are there with "All years".
    assert every_year.total.awarded.value == Decimal("24000")
    assert every_year.total.agreements == 3
    assert every_year.total.paid.value == Decimal("10000")
    html = everything.content.decode()
    assert "All financial years" in html
    assert '<option value="all" selected>All years</option>' in html


@pytest.mark.parametrize("year", ["this", "all"])
def test_the_portfolios_links_carry_its_year_and_the_lists_agree_with_its_figures(
    years_apart, officer_client, year
):
    this_year = years_apart["this_year"]
    asked = {} if year == "this" else {"year": "all"}
    in_query = str(this_year) if year == "this" else "all"
    portfolio = officer_client.get(URL, asked).context["portfolio"]

    total = portfolio.total
    assert total.awarded.url == f"/staff/agreements/?year={in_query}"
    assert total.paid.url == f"/staff/portfolio/payments/?year={in_query}&show=paid"
    assert portfolio.returns_overdue.url == "/staff/returns/?year=all&show=overdue"
    assert portfolio.payments_due.url == "/staff/portfolio/payments/?year=all&show=due"

    agreements = officer_client.get(total.awarded.url).context["agreements"]
    assert sum(agreement.amount for agreement in agreements) == total.awarded.value
    paid = officer_client.get(total.paid.url).context["payments"]
    assert sum(payment.payment_made.amount for payment in paid) == total.paid.value
    due = officer_client.get(portfolio.payments_due.url).context["payments"]
    assert sum(payment.amount for payment in due) == portfolio.payments_due.value
    overdue = officer_client.get(portfolio.returns_overdue.url)
    assert overdue.context["paginator"].count == portfolio.returns_overdue.value
    # And back: the payments list's way to the portfolio keeps the year.
    back = officer_client.get(total.paid.url).content.decode()
    assert f'href="/staff/portfolio/?year={in_query}"' in back


def test_the_payments_list_opens_on_this_financial_year_and_the_staff_lists_on_all(
    years_apart, officer_client
):
    this_year = years_apart["this_year"]
    paid = officer_client.get("/staff/portfolio/payments/", {"show": "paid"})
    assert [payment.payment_made.amount for payment in paid.context["payments"]] == [
        Decimal("3000")
    ]
    assert f"Portfolio: financial year {this_year} to {this_year + 1}" in paid.content.decode()
    every = officer_client.get("/staff/portfolio/payments/", {"show": "paid", "year": "all"})
    assert sum(p.payment_made.amount for p in every.context["payments"]) == Decimal("10000")

    # Looked up by itself, the agreements list finds an agreement whenever it ran.
    listed_alone = set(officer_client.get("/staff/agreements/").context["agreements"])
    assert listed_alone == {years_apart["now"], years_apart["old"], years_apart["later"]}
    returns = officer_client.get("/staff/returns/", {"show": "overdue"}).context["returns"]
    assert years_apart["old"] in {monitoring_return.agreement for monitoring_return in returns}


def test_a_year_with_no_payments_made_offers_the_other_years_rather_than_saying_there_are_none(
    known, officer_client
):
    # A1's only payment was made on 1 November 2025, in the last financial year.
    response = officer_client.get("/staff/portfolio/payments/", {"show": "paid"})

    assert list(response.context["payments"]) == []
    html = response.content.decode()
    assert "No payments paid match your filters." in html
    assert "selected>All years</option>" not in html and ">All years</option>" in html
    assert "No payments have been made yet" not in html


def test_the_payments_made_are_listed_the_latest_paid_first(years_apart, officer_client):
    now, old = years_apart["now"], years_apart["old"]
    paid = officer_client.get("/staff/portfolio/payments/", {"show": "paid", "year": "all"})

    listed = [(p.agreement, p.payment_made.paid_on) for p in paid.context["payments"]]
    # The late payment ten days ago, the running agreement's third and first instalments,
    # then the first instalment of the agreement that ended years ago.
    assert [agreement for agreement, _paid_on in listed] == [old, now, now, old]
    assert [paid_on for _agreement, paid_on in listed] == sorted(
        (paid_on for _agreement, paid_on in listed), reverse=True
    )


def test_a_page_of_payments_made_is_read_along_the_index_on_the_date_paid(
    years_apart, officer_client
):
    from monitoring.models import InstalmentPayment

    with CaptureQueriesContext(connection) as queries:
        officer_client.get("/staff/portfolio/payments/", {"show": "paid", "year": "all"})

    [page] = [
        q["sql"]
        for q in queries
        if 'FROM "procurement_paymentinstalment"' in q["sql"] and " LIMIT " in q["sql"]
    ]
    order = page.split("ORDER BY")[1].split("LIMIT")[0].strip()
    paid_on = '"monitoring_instalmentpayment"."paid_on"'
    assert order == f'{paid_on} DESC, "monitoring_instalmentpayment"."id" DESC'
    indexed = [index.fields for index in InstalmentPayment._meta.indexes]
    assert ["paid_on", "id"] in indexed


def test_the_payments_list_for_a_financial_year_leaves_out_other_years(years_apart, officer_client):
    this_year = years_apart["this_year"]
    due = officer_client.get(
        "/staff/portfolio/payments/", {"show": "due", "year": this_year}
    ).context["payments"]
    assert {payment.agreement for payment in due} == {years_apart["now"]}
    assert sum(payment.amount for payment in due) == Decimal("6000")

    paid = officer_client.get(
        "/staff/portfolio/payments/", {"show": "paid", "year": this_year}
    ).context["payments"]
    assert [payment.payment_made.amount for payment in paid] == [Decimal("3000")]


def test_a_filter_value_that_is_not_a_choice_is_ignored(known, officer_client):
    response = officer_client.get(URL, {"sector": "abc", "year": "1066", "area": "nowhere"})

    assert response.status_code == 200
    assert response.context["portfolio"].total.awarded.value == Decimal("45000")
    # A year not offered is no year asked for: the page shows, and says, this one.
    this_year = financial_year_of(timezone.localdate())
    html = response.content.decode()
    assert f"Financial year {this_year} to {this_year + 1}" in html
    assert f'<option value="{this_year}" selected>' in html
    assert "1066" not in html


@pytest.mark.parametrize(
    ("path", "opens_on_this_year"),
    [
        ("/staff/portfolio/payments/", True),
        ("/staff/agreements/", False),
        ("/staff/returns/", False),
    ],
)
@pytest.mark.parametrize("year", ["1066", "", "twenty", "2026-27", "all "])
def test_the_lists_behind_the_figures_ignore_a_year_that_is_not_a_choice(
    known, officer_client, path, opens_on_this_year, year
):
    response = officer_client.get(path, {"year": year})

    assert response.status_code == 200
    shown = financial_year_of(timezone.localdate()) if opens_on_this_year else "all"
    assert f'<option value="{shown}" selected>' in response.content.decode()


# --- The lists behind the figures -------------------------------------------------------------


def test_the_payments_list_behind_each_figure(known, officer_client):
    held = officer_client.get("/staff/portfolio/payments/", {"show": "held"})
    assert [p.agreement for p in held.context["payments"]] == [known["a1"]]
    assert "The return for" in held.content.decode()

    due = officer_client.get("/staff/portfolio/payments/", {"show": "due"})
    assert len(due.context["payments"]) == 10
    assert sum(p.amount for p in due.context["payments"]) == Decimal("33750")

    paid = officer_client.get("/staff/portfolio/payments/", {"show": "paid", "year": "all"})
    assert "£3,125 on 1 November 2025" in paid.content.decode()

    arts = sector("Arts")
    arts_due = officer_client.get("/staff/portfolio/payments/", {"show": "due", "sector": arts.pk})
    assert {p.agreement for p in arts_due.context["payments"]} == {known["b1"]}


def listed(client, url) -> set:
    response = client.get(url)
    assert response.status_code == 200
    return set(response.context["agreements"])


def test_following_a_figure_lists_the_agreements_behind_it(known, officer_client):
    portfolio = officer_client.get(URL).context["portfolio"]
    sectors = by_name(portfolio.by_sector)
    rag = {row.rating: row.count.url for row in portfolio.rag}

    assert listed(officer_client, sectors["VCFS"].awarded.url) == {known["a1"], known["a2"]}
    assert listed(officer_client, sectors["Arts"].awarded.url) == {known["b1"], known["b2"]}
    assert listed(officer_client, portfolio.total.awarded.url) == {
        known["a1"],
        known["a2"],
        known["b1"],
        known["b2"],
    }
    assert listed(officer_client, rag["red"]) == {known["a2"]}  # A1 is green now
    assert listed(officer_client, rag["green"]) == {known["a1"]}
    assert listed(officer_client, rag["none"]) == {known["b1"]}


def test_following_a_returns_figure_lists_the_returns_behind_it(known, officer_client):
    portfolio = officer_client.get(URL).context["portfolio"]
    a1_returns = list(known["a1"].monitoring_returns.order_by("period_start"))

    def returns(url):
        response = officer_client.get(url)
        assert response.status_code == 200
        return list(response.context["returns"])

    review = returns(portfolio.returns_awaiting_review.url)
    assert review == [a1_returns[1]]
    due = returns(portfolio.returns_due.url)
    assert len(due) == portfolio.returns_due.value == 3
    assert {r.due_on for r in due} == {a1_returns[3].due_on}
    assert len(returns(portfolio.returns_overdue.url)) == 7

    arts = sector("Arts")
    arts_overdue = returns(f"/staff/returns/?show=overdue&sector={arts.pk}")
    assert {r.agreement for r in arts_overdue} == {known["b1"]}
    html = officer_client.get(f"/staff/returns/?show=due_month&sector={arts.pk}").content
    assert b"1 return due this month, matching your filters" in html


def test_the_agreements_list_offers_the_portfolios_filters(known, officer_client):
    arts = sector("Arts")
    response = officer_client.get("/staff/agreements/", {"sector": arts.pk, "rag": "none"})

    assert set(response.context["agreements"]) == {known["b1"]}
    html = response.content.decode()
    assert "2 agreements" not in html and "1 agreement matching your filters" in html
    for name in ("sector", "priority", "area", "year", "rag"):
        assert f'name="{name}"' in html
    assert f'<option value="{arts.pk}" selected>' in html


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


def test_the_csv_has_the_figures_of_the_table(known, officer_client):
    response = officer_client.get("/staff/portfolio.csv", {"year": "all"})

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="portfolio-all-years.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Table", "Name", "Budget", "Awarded", "Agreements", "Paid"]
    assert ["By sector", "VCFS", "60000.00", "32500.00", "2", "3125.00"] in rows
    assert ["By sector", "Arts", "40000.00", "12500.00", "2", "0.00"] in rows
    assert ["Total", "All", "100000.00", "45000.00", "4", "3125.00"] in rows
    assert ["Agreements by RAG status", "Red", "1", ""] in rows
    assert ["Returns", "Overdue", "7", ""] in rows
    assert ["Payments", "Held until a return is accepted", "1", "3125.00"] in rows


def test_the_csv_opens_on_this_financial_year_as_the_page_does(known, officer_client):
    this_year = financial_year_of(timezone.localdate())
    response = officer_client.get("/staff/portfolio.csv")

    assert (
        f'filename="portfolio-{this_year}-to-{this_year + 1}.csv"'
        in response["Content-Disposition"]
    )
    rows = read_csv(response)
    # A1's only payment was made on 1 November 2025, in the last financial year.
    assert ["Total", "All", "100000.00", "45000.00", "4", "0.00"] in rows
    assert rows == read_csv(officer_client.get(URL, {"year": this_year, "format": "csv"}))


def test_the_csv_keeps_the_filters_and_format_csv_gives_the_same(known, officer_client):
    arts = sector("Arts")
    by_address = read_csv(officer_client.get("/staff/portfolio.csv", {"sector": arts.pk}))
    by_format = read_csv(officer_client.get(URL, {"sector": arts.pk, "format": "csv"}))

    assert by_address == by_format
    assert ["Total", "All", "40000.00", "12500.00", "2", "0.00"] in by_address
    assert not any(row[:2] == ["By sector", "VCFS"] for row in by_address)


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(officer_client):
    from commissioning.models import Sector

    Sector.objects.create(name="Formula", short_name="=HYPERLINK(1)", slug="x", order=9)

    rows = read_csv(officer_client.get("/staff/portfolio.csv"))

    names = [row[1] for row in rows if row and row[0] == "By sector"]
    assert "'=HYPERLINK(1)" in names
    assert "=HYPERLINK(1)" not in names
    assert all(csv_safe(value) == f"'{value}" for value in ("=1", "+1", "-1", "@A1"))
    assert csv_safe("Arts") == "Arts"


# --- Who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [URL, "/staff/portfolio.csv", "/staff/portfolio/payments/"])
def test_providers_and_panel_members_may_not_see_the_portfolio(client, make_user, path):
    from core.roles import Role

    for role in (Role.PROVIDER, Role.PANEL_MEMBER):
        client.force_login(make_user(role))
        assert client.get(path).status_code == 403


# --- Queries --------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _agreements(funded, count: int, start: int = 0):
    for number in range(start, count):
        agreement = agreement_under(funded, amount=str(1000 + number))
        rate(agreement, ["red", "amber", "green"][number % 3])
        instalments = list(agreement.payments.order_by("due_on"))
        pay(instalments[0])
        first = agreement.monitoring_returns.order_by("period_start").first()
        return_put(first, ReturnState.ACCEPTED)
        ReturnActual.objects.create(
            monitoring_return=first, target=agreement.targets.first(), value=Decimal(5)
        )
        hold(instalments[1], agreement.monitoring_returns.order_by("period_start")[1])


@pytest.mark.parametrize(
    "path",
    [
        URL,
        f"{URL}?year=all",
        "/staff/portfolio.csv",
        "/staff/portfolio/payments/?show=held",
        "/staff/portfolio/payments/?show=paid&year=all",
    ],
)
def test_queries_stay_flat_from_5_to_50_agreements(officer_client, path):
    vcfs = funded_commission(sector_name="VCFS", plan_period=plan_years())
    arts = funded_commission(sector_name="Arts", priorities=[priority("economic-growth")])
    _agreements(vcfs, 3)
    _agreements(arts, 2)
    officer_client.get(path)  # warm the session and the caches
    with_5 = _queries(officer_client, path)

    _agreements(vcfs, 30, start=3)
    _agreements(arts, 20, start=2)
    with_50 = _queries(officer_client, path)

    assert with_5 == with_50
    # The budgets are one query, what was awarded and paid one more (one pass over the
    # agreements) and the commissions' sectors and priorities one, for every sector,
    # priority and the total; the sectors and priorities are read once, for the filters
    # and the rows.
    assert with_5 <= 13


def test_queries_stay_flat_for_a_financial_year_with_agreements_of_other_years(officer_client):
    this_year = financial_year_of(timezone.localdate())
    path = f"{URL}?year={this_year}"
    vcfs = funded_commission(sector_name="VCFS", plan_period=plan_years())
    older = funded_commission(sector_name="Arts", priorities=[priority("economic-growth")])
    _agreements(vcfs, 3)
    for _ in range(2):
        agreement_under(older, amount="3000", starts_on=dt.date(this_year - 4, 4, 1))
    officer_client.get(path)  # warm the session and the caches
    with_5 = _queries(officer_client, path)

    _agreements(vcfs, 30, start=3)
    for _ in range(20):
        agreement_under(older, amount="3000", starts_on=dt.date(this_year - 4, 4, 1))
    with_55 = _queries(officer_client, path)

    assert with_5 == with_55 <= 13
    assert officer_client.get(path).context["portfolio"].total.agreements == 30
