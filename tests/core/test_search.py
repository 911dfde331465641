"""One search (/search/): what the public, providers and staff find, grouped by type with
counts, filtered by type, a page at a time; nothing unpublished, ever; stored text escaped.

These run on whichever database the suite uses (SQLite's fallback or PostgreSQL's full-text
search); tests/core/test_search_postgres.py holds what only PostgreSQL does."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.roles import Role
from core.search import crude_stem, highlight, search_terms
from tests.engagement.factories_understand import EvidenceItemFactory, GapFactory
from tests.factories import CommissionFactory, PlanFactory, SpecificationFactory
from tests.procurement.factories_decisions import award_make
from tests.procurement.factories_opportunities import (
    ClarificationFactory,
    DraftOpportunityFactory,
    OpportunityFactory,
    PublishedClarificationFactory,
)

pytestmark = pytest.mark.django_db

URL = "/search/"


def _titles(response) -> list[str]:
    """The results' titles in the order shown, without the <mark>s."""
    html = response.content.decode()
    titles = re.findall(r'<h3 class="govuk-heading-s[^"]*">\s*<a [^>]*>(.*?)</a>', html, re.S)
    return [re.sub(r"</?mark>", "", title).strip() for title in titles]


def _status(response) -> str:
    match = re.search(r'role="status">\s*(.*?)\s*</p>', response.content.decode(), re.S)
    return " ".join(match.group(1).split()) if match else ""


def _in_published_plan(*specifications, **kwargs):
    return PlanFactory(state="published", specifications=list(specifications), **kwargs)


@pytest.fixture
def advocacy():
    """Two specifications in a published plan: 'advocacy' in one's title, in the other's
    description only."""
    in_title = SpecificationFactory(
        title="Independent advocacy", summary="Help for people who find it hard to be heard."
    )
    in_body = SpecificationFactory(
        title="Money and benefits help",
        summary="Includes advocacy at benefit appeal hearings.",
    )
    _in_published_plan(in_title, in_body)
    return in_title, in_body


# --- Finding and ranking ---------------------------------------------------------------------


def test_advocate_finds_advocacy_in_a_title_and_in_a_body_title_first(client, advocacy):
    response = client.get(URL, {"q": "advocate"})

    assert response.status_code == 200
    assert _titles(response) == ["Independent advocacy", "Money and benefits help"]
    assert _status(response) == "2 results for “advocate”"
    assert "Service specifications (2)" in response.content.decode()


def test_the_match_is_marked_in_the_title_and_the_snippet(client, advocacy):
    html = client.get(URL, {"q": "advocate"}).content.decode()

    assert "Independent <mark>advocacy</mark>" in html
    assert "Includes <mark>advocacy</mark> at benefit appeal hearings." in html


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback is for SQLite")
def test_the_fallback_on_sqlite_finds_both_with_a_crude_stem(client, advocacy):
    for query in ("advocate", "advocacy", "ADVOCATES"):
        assert _titles(client.get(URL, {"q": query})) == [
            "Independent advocacy",
            "Money and benefits help",
        ], query


def test_every_word_must_match(client, advocacy):
    assert _titles(client.get(URL, {"q": "advocacy appeal"})) == ["Money and benefits help"]


def test_each_type_is_found_and_linked(client):
    specification = SpecificationFactory(title="Riverside gardening")
    plan = _in_published_plan(specification, title="Riverside plan for the arts")
    opportunity = OpportunityFactory(title="Riverside walks for older people")
    PublishedClarificationFactory(
        opportunity=opportunity,
        question="Can we run riverside walks on Sundays?",
        published_question="Can walks be run on Sundays by the riverside?",
    )
    decision = award_make(title="Riverside lunch club")
    decision.bid.organisation.name = "Riverside Community Trust"
    decision.bid.organisation.save()

    response = client.get(URL, {"q": "riverside"})
    html = response.content.decode()

    for heading in (
        "Commissioning Plans (1)",
        "Service specifications (1)",
        "Funding opportunities (1)",
        "Answers to questions (1)",
        "Award decisions (1)",
    ):
        assert heading in html
    assert f'href="{plan.get_absolute_url()}#specification-{specification.pk}"' in html
    assert f'href="{opportunity.get_absolute_url()}#clarifications"' in html
    assert f'href="{decision.get_absolute_url()}"' in html
    assert "Riverside Community Trust awarded £12,500" in _titles(response)


def test_a_type_filter_shows_one_type_a_page_at_a_time(client):
    specifications = [
        SpecificationFactory(title=f"Lantern workshop {number:02d}") for number in range(23)
    ]
    _in_published_plan(*specifications, title="Lantern festival plan")

    first = client.get(URL, {"q": "lantern", "type": "specifications"})
    second = client.get(URL, {"q": "lantern", "type": "specifications", "page": "2"})

    assert len(_titles(first)) == 20
    assert len(_titles(second)) == 3
    assert _status(first) == "23 results in service specifications for “lantern”"
    html = first.content.decode()
    assert 'href="?q=lantern&amp;type=specifications&amp;page=2"' in html
    assert "Lantern festival plan" not in _titles(first)  # the plan is in its own type
    assert 'href="?q=lantern&amp;type=plans">Commissioning Plans (1)</a>' in html


def test_a_title_match_ranks_above_newer_matches_elsewhere(client):
    """An award to an organisation named for the word comes before newer awards that hold
    it in what the money is for only; ties are newest first."""
    from tests.factories import OrganisationFactory

    today = timezone.localdate()
    award_make(
        organisation=OrganisationFactory(name="Kestrel Trust"),
        title="Lunch clubs",
        decided_on=today - dt.timedelta(days=300),
    )
    for days_ago, name in ((20, "Older Club"), (10, "Newer Club")):
        award_make(
            organisation=OrganisationFactory(name=name),
            title="Kestrel watching walks",
            decided_on=today - dt.timedelta(days=days_ago),
        )

    for params in ({"q": "kestrel"}, {"q": "kestrel", "type": "decisions"}):
        titles = _titles(client.get(URL, params))
        assert [title.split(" awarded")[0] for title in titles] == [
            "Kestrel Trust",
            "Newer Club",
            "Older Club",
        ], params


def test_a_later_page_shows_its_own_rows_snippets(client, monkeypatch):
    """The snippets of a page are read for the rows on it, each shown with its own."""
    monkeypatch.setattr("core.search.PER_PAGE", 2)
    colours = ("amber", "blue", "crimson", "damson", "ebony")
    _in_published_plan(
        *[
            SpecificationFactory(title=f"Lantern workshop {colour}", summary=f"Lanterns {colour}")
            for colour in colours
        ]
    )

    response = client.get(URL, {"q": "lantern", "type": "specifications", "page": "2"})

    items = re.findall(
        r'<li class="portal-search-results__item">(.*?)</li>', response.content.decode(), re.S
    )
    assert len(items) == 2
    for item in items:
        title, rest = item.split("</h3>")
        colour = re.sub(r"<[^>]+>", "", title).split()[-1]
        snippet = re.sub(r"<[^>]+>", "", rest.split("</p>", 1)[1])
        assert [word for word in colours if word in snippet] == [colour]
    assert sum(colour in response.content.decode() for colour in colours) == 2


def test_without_a_filter_each_type_shows_its_first_five_and_links_to_the_rest(client):
    _in_published_plan(
        *[SpecificationFactory(title=f"Lantern workshop {number}") for number in range(7)]
    )

    response = client.get(URL, {"q": "lantern"})

    assert len(_titles(response)) == 5
    assert "See all 7 results in service specifications" in response.content.decode()


def test_no_results_says_how_to_improve_the_search(client, advocacy):
    response = client.get(URL, {"q": "xylophone"})

    assert _status(response) == "0 results for “xylophone”"
    assert "There are no matching results." in response.content.decode()


def test_without_a_query_the_page_offers_the_box(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert 'id="search-q"' in response.content.decode()
    assert _status(response) == ""


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00advocacy"},
        {"q": "advocacy" * 200},
        {"q": "'\"&|!():*<>"},
        {"q": "advocacy", "page": "abc"},
        {"q": "advocacy", "page": "-1"},
        {"q": "advocacy", "page": "99999999999999999999"},
        {"q": "advocacy", "type": "nonsense"},
        {"q": ["advocacy", "again"], "type": ["plans", "specifications"]},
        {"q": "the and of"},
    ],
)
def test_no_input_breaks_the_page(client, advocacy, params):
    assert client.get(URL, params).status_code == 200


# --- Nothing unpublished, nothing staff-only, for the public ---------------------------------


@pytest.fixture
def unpublished():
    """Everything here has "zeppelin" in its title, and nothing is published."""
    draft = SpecificationFactory(title="Zeppelin spotting draft specification")
    PlanFactory(state="draft", specifications=[draft], title="Zeppelin draft plan")
    awaiting = SpecificationFactory(title="Zeppelin specification awaiting approval")
    PlanFactory(state="awaiting_approval", specifications=[awaiting])
    SpecificationFactory(title="Zeppelin specification in no plan")
    DraftOpportunityFactory(title="Zeppelin draft opportunity")
    ClarificationFactory(question="Zeppelin question from Zeppelin Trust, not answered")
    award_make(title="Zeppelin project not yet approved", approved=False)
    award_make(title="Zeppelin project that lost", outcome="unsuccessful")


@pytest.mark.parametrize("role", [None, Role.PROVIDER, Role.OFFICER, Role.ADMINISTRATOR])
def test_nothing_unpublished_is_ever_found(client, make_user, unpublished, role):
    if role is not None:
        client.force_login(make_user(role))

    response = client.get(URL, {"q": "zeppelin"})

    main = response.content.decode().split('id="main-content"')[1].split("</main>")[0]
    assert _titles(response) == []
    assert _status(response) == "0 results for “zeppelin”"
    for words in ("spotting", "awaiting", "in no plan", "Zeppelin Trust", "not yet", "that lost"):
        assert words not in main


def test_a_draft_specification_whose_title_matches_is_not_in_its_type_either(
    client, make_user, unpublished
):
    client.force_login(make_user(Role.PROVIDER))
    response = client.get(URL, {"q": "zeppelin spotting", "type": "specifications"})

    assert _titles(response) == []
    assert "There are no matching results." in response.content.decode()


@pytest.fixture
def staff_records():
    commission = CommissionFactory(
        title="Quokka outreach", summary="Outreach to quokka keepers", state="understanding"
    )
    EvidenceItemFactory(title="Quokka census 2021", summary="Numbers of quokkas by ward.")
    GapFactory(commission=commission, gap="No quokka support at weekends.")
    return commission


@pytest.mark.parametrize("role", [None, Role.PROVIDER])
def test_staff_records_are_hidden_from_the_public_and_providers(
    client, make_user, staff_records, role
):
    if role is not None:
        client.force_login(make_user(role))

    for params in ({"q": "quokka"}, {"q": "quokka", "type": "commissions"}):
        response = client.get(URL, params)
        html = response.content.decode()

        assert _titles(response) == []
        assert "staff only" not in html.lower()
        assert "Commissions" not in html
        assert "Needs evidence" not in html


def test_officers_find_their_own_records_marked_staff_only(client, officer, staff_records):
    client.force_login(officer)

    response = client.get(URL, {"q": "quokka"})
    html = response.content.decode()

    assert set(_titles(response)) == {
        f"{staff_records.reference} Quokka outreach",
        "Quokka census 2021",
        f"Gap in {staff_records.gaps.get().priority.name} for the whole district",
    }
    assert "Commissions (1)" in html
    assert "Needs evidence (1)" in html
    assert "Gaps (1)" in html
    assert html.count('<strong class="govuk-tag govuk-tag--grey">Staff only</strong>') == 3
    assert "Council records (staff only)" in html
    assert f'href="/staff/commissions/{staff_records.pk}/"' in html


def test_panel_members_find_commissions_but_not_evidence_or_gaps(client, make_user, staff_records):
    client.force_login(make_user(Role.PANEL_MEMBER))

    html = client.get(URL, {"q": "quokka"}).content.decode()

    assert "Commissions (1)" in html
    assert "Needs evidence" not in html
    assert "Gaps (" not in html


def test_lessons_learned_are_found_by_staff_who_read_monitoring_only(client, make_user):
    from monitoring import evaluation_services
    from tests.monitoring.factories_evaluation import commission_put, priority

    commission = commission_put(CommissionFactory(title="Pelican rescue"), "review")
    evaluation_services.lesson_add(
        user=commission.lead_officer,
        commission=commission,
        text="Pelican volunteers need training before the summer season starts.",
        priority=priority(),
    )
    approver = make_user(Role.APPROVER)
    client.force_login(approver)

    response = client.get(URL, {"q": "pelican training"})

    assert "Lessons learned (1)" in response.content.decode()
    assert _titles(response) == [
        "Pelican volunteers need training before the summer season starts."
    ]
    client.force_login(make_user(Role.PANEL_MEMBER))
    assert "Lessons learned" not in client.get(URL, {"q": "pelican"}).content.decode()
    client.force_login(make_user(Role.PROVIDER))
    assert _titles(client.get(URL, {"q": "pelican"})) == []


# --- Stored text is escaped ------------------------------------------------------------------


def test_stored_text_is_never_rendered_unescaped(client):
    specification = SpecificationFactory(
        title="<script>alert('walrus')</script> Walrus club",
        summary="<img src=x onerror=alert(1)> walrus <mark>rides</mark> \ue000walrus\ue001",
    )
    _in_published_plan(specification)

    html = client.get(URL, {"q": "walrus"}).content.decode()

    assert "&lt;script&gt;alert(&#x27;<mark>walrus</mark>&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "<img" not in html
    assert "<mark>rides" not in html
    assert "<mark>walrus</mark>" in html.split("Walrus club")[-1]  # the snippet's match
    assert "\ue000" not in html


def test_highlight_escapes_and_marks_whole_words():
    assert highlight("Advocacy & <b>advocates</b>", ["advoc"]) == (
        "<mark>Advocacy</mark> &amp; &lt;b&gt;<mark>advocates</mark>&lt;/b&gt;"
    )


def test_search_terms_are_words_only_stemmed_without_stop_words():
    assert search_terms("The advocate's & advocacy: (transport)!") == ["advoc", "transport"]
    assert search_terms("&|!:*") == []
    assert crude_stem("communities") == crude_stem("community") == "commun"
    assert crude_stem("care") == "care"


# --- The header search box ------------------------------------------------------------------


def test_every_page_has_the_search_box_but_the_search_page(client):
    home = client.get("/").content.decode()
    search = client.get(URL).content.decode()

    assert 'id="navigation-search"' in home
    assert 'action="/search/"' in home
    assert 'id="navigation-search"' not in search


# --- Queries ----------------------------------------------------------------------------------


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def _rows(count: int, start: int = 0):
    """`count` of each public type with "heron" in its title, and staff records."""
    specifications = [
        SpecificationFactory(title=f"Heron watch {number}") for number in range(start, count)
    ]
    _in_published_plan(*specifications, title=f"Heron plan {start}")
    for number in range(start, count):
        opportunity = OpportunityFactory(title=f"Heron walks {number}")
        PublishedClarificationFactory(
            opportunity=opportunity, published_question=f"Heron question {number}?"
        )
        award_make(title=f"Heron hide {number}")
        CommissionFactory(title=f"Heron commission {number}")
        EvidenceItemFactory(title=f"Heron count {number}")


def test_all_results_read_each_types_count_with_its_first_results(client):
    """One query per type: its first results with the count of all its matches (a window),
    so the matches are found once, not once to count and again to rank."""
    from core.search import PUBLIC_SOURCES

    _rows(7)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "heron"})
    sqls = [query["sql"] for query in queries]  # read before the next request resets them

    counts = {
        source.key: int(_status(client.get(URL, {"q": "heron", "type": source.key})).split()[0])
        for source in PUBLIC_SOURCES
    }
    assert counts["specifications"] == counts["answers"] == counts["decisions"] == 7
    assert _status(response).startswith(f"{sum(counts.values())} results for")
    assert len(_titles(response)) == sum(min(count, 5) for count in counts.values())
    assert not [sql for sql in sqls if sql.startswith("SELECT COUNT(*)")]
    windows = [sql for sql in sqls if "OVER ()" in sql]
    assert len(windows) == len(PUBLIC_SOURCES)


@pytest.mark.parametrize(
    "params",
    [{"q": "heron"}, {"q": "heron", "type": "decisions"}, {"q": "heron", "type": "gaps"}],
)
def test_queries_stay_flat_from_5_to_50_rows(client, officer, params):
    client.force_login(officer)
    _rows(5)
    client.get(URL, params)  # warm the session and the caches
    with_5 = _queries(client, params)

    _rows(50, start=5)
    with_50 = _queries(client, params)

    assert with_5 == with_50
