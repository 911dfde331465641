"""Crafted requests never answer 500 (issue 10, point 8).

A page writes ids into its buttons, hidden fields, radios, selects and links. A person can
only send back what the page offered; anyone can send anything. Whatever they send, the
portal answers with a page (200), a redirect (302), Bad request (400), Forbidden (403) or
Not found (404), and a crafted request changes nothing.

`test_crafted_values_never_answer_500` goes through every row of the permission matrix
(which must name every view of the portal) as a person the row lets in, reads the page's
own forms, and sends them back with each crafted value in place of every id the page wrote,
and again in place of every field. It also crafts the query-string names in `READS` (the
ids and filters views read from links) and the page number, sort and order on every page.
`test_every_raw_read_is_crafted` notices a view that starts reading a new name from
`request.GET` or `request.POST` without a row in `READS`.

The named cases below send another organisation's id, and the issue's own case: removing a
bid's partner or attachment with the id "abc".
"""

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import Resolver404, resolve

from commissioning.models import CommissionState
from core.roles import Role
from providers.selectors import CURRENT_ORGANISATION_SESSION_KEY
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    SpecificationFactory,
    UserFactory,
)
from tests.matrix import ROLES, Row
from tests.procurement import matrix_opportunities
from tests.procurement.factories_assessment import panel_member_add
from tests.procurement.factories_bids import (
    BidFactory,
    OpportunityFactory,
    attachment_add,
    bid_complete,
    partner_add,
)
from tests.procurement.factories_opportunities import DraftOpportunityFactory
from tests.providers.factories_organisations import InvitationFactory, organisation_with_admin
from tests.test_permission_matrix import ROWS, _portal_url_names

ALLOWED = {200, 302, 400, 403, 404}

CRAFTED = {
    "non-numeric": "abc",
    "negative": "-1",
    "zero": "0",
    "huge": "99999999999999999999",
    "empty": "",
    "list": ["1", "abc"],
    "unicode": "²",  # str.isdigit() says yes; int() says no
    "arabic-digits": "٣",  # int() reads 3: only ASCII digits are ids
    "nul": "1\x00",
    "date": "2026-13-45",
}
# Values no page ever offers: a request carrying one in place of an id must change nothing.
# (An empty, zero, negative or Arabic-digit value can be a real choice: "no lot", score 0,
# no rows in a formset, pk 3.)
NEVER_VALID = {"non-numeric", "huge", "list", "unicode", "nul", "date"}
# Crafted in place of every field, free text included: only "never 500" is asserted,
# since text such as "abc" may well be a valid answer.
CRAFTED_EVERYWHERE = ("non-numeric", "huge", "nul")

# Names views read from the query string or the POST body themselves (not through a form
# the page renders), by URL name. Filter forms are read from the page too.
READS: dict[str, tuple[str, ...]] = {
    "staff_home": ("stage", "sector", "priority", "lead_officer"),
    "specification_measures": ("change", "remove"),
    "success_measure_create": ("next",),
    "engagement:evidence_list": ("category", "priority", "area", "commission"),
    "engagement:evidence_create": ("commission",),
    "engagement:provision_list": ("priority", "area", "status"),
    "engagement:staff_feedback": ("commission", "source", "priority"),
    "procurement:opportunity_list": ("sector", "priority", "page"),
    "procurement:opportunity_create": ("specification", "commission"),
    "procurement:opportunity_documents": ("remove",),
    "procurement:opportunity_questions": ("move_up", "move_down", "remove"),
    "procurement:panel": ("action", "panel_member", "user", "assign"),
    "procurement:panel_workload": ("action",),
    "procurement:conflicts_assessment": ("action",),
    "procurement:decision_list": ("q", "area", "funding_type", "year"),
    "procurement:bid_partners": ("q", "remove", "organisation", "offer", "area"),
    "procurement:bid_attachments": ("remove",),
    "procurement:staff_agreements": ("state", "q"),
    "organisation_members": ("revoke",),
    "organisation_compliance": ("kind",),
    "compliance_document": ("delete",),
    "staff_organisations": ("status", "sector"),
    "organisation_join": ("q", "organisation"),
    "organisation_switch": ("organisation", "next"),
    "monitoring:my_returns": ("show",),
    "monitoring:staff_returns": ("show",),
    "monitoring:return_evidence": ("remove",),
    "monitoring:portfolio": ("format",),
    "monitoring:agreement_evaluation": ("complete", "remove"),
    "monitoring:commission_evaluation": ("complete", "remove"),
    "monitoring:portfolio_payments": ("show",),
    "procurement:eligibility_check": ("organisation",),
    "procurement:opportunity_alert": ("stop",),
    "procurement:opportunity_feed": ("sector", "priority", "area"),
}
EVERY_PAGE = ("page", "sort", "order")

# Rows of other engineers' models that change on their own or record the attempt itself.
NOT_STATE = {"sessions.Session", "admin.LogEntry"}
# The audit trail records the attempt (a refusal, a staff view of a bid): core/audit.py.
NOT_STATE |= {"core.AuditEvent"}
NOT_STATE_APPS = {"axes"}


# --- Reading a page's forms --------------------------------------------------------------------


@dataclass
class Input:
    name: str
    kind: str  # text, hidden, select, radio, checkbox, submit, file, textarea...
    value: str = ""
    checked: bool = False
    has_value: bool = False
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    id: str = ""
    inputs: list[Input] = field(default_factory=list)


class FormReader(HTMLParser):
    """Every <form> on a page with its named controls (buttons joined by `form=`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._open: Form | None = None
        self._select: Input | None = None
        self._textarea: Input | None = None
        self._owned: list[tuple[str, Input]] = []

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._open = Form(a.get("method", "get").lower(), a.get("action", ""), a.get("id", ""))
            self.forms.append(self._open)
            return
        if tag == "option" and self._select is not None:
            if "selected" in a or not self._select.has_value:
                self._select.value = a.get("value", "")
                self._select.has_value = "selected" in a
            return
        if tag not in ("input", "select", "textarea", "button") or not a.get("name"):
            return
        kind = {"select": "select", "textarea": "textarea"}.get(tag) or a.get(
            "type", "submit" if tag == "button" else "text"
        )
        control = Input(
            name=a["name"],
            kind=kind.lower(),
            value=a.get("value", ""),
            checked="checked" in a,
            has_value="value" in a,
            multiple="multiple" in a,
        )
        if tag == "select":
            control.has_value = False
            self._select = control
        if tag == "textarea":
            self._textarea = control
        if a.get("form"):
            self._owned.append((a["form"], control))
        elif self._open is not None:
            self._open.inputs.append(control)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def close(self):
        super().close()
        by_id = {form.id: form for form in self.forms if form.id}
        for form_id, control in self._owned:
            if form_id in by_id:
                by_id[form_id].inputs.append(control)


def forms_on(html: str) -> list[Form]:
    reader = FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


MANAGEMENT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")


def is_sent_as_drawn(control: Input) -> bool:
    """The CSRF token, and a formset's management form: Django's own (a huge TOTAL_FORMS
    only builds Django's absolute_max of forms, slowly); sent as the page drew them."""
    return control.name == "csrfmiddlewaretoken" or bool(MANAGEMENT.search(control.name))


# A formset row's own id: the services look it up among the record's rows only, and one
# they do not find is a new row (the old one, not sent back, is removed), by design; so a
# crafted row id may change this record's rows, never anyone else's (see FOREIGN below).
ROW_ID = re.compile(r"-[0-9]+-id$")


def is_id_like(control: Input) -> bool:
    """Controls whose value the page chose: an id, a choice or a state, never typed."""
    if is_sent_as_drawn(control) or ROW_ID.search(control.name):
        return False
    if control.kind == "checkbox":
        return control.has_value  # a yes/no box has no value: any value means "ticked"
    if control.kind == "submit":
        return control.value.isascii() and control.value.isdigit()  # "Remove" this one
    return control.kind in ("hidden", "select", "radio")


def as_sent(form: Form) -> dict[str, list[str]]:
    """What a browser sends for the form as the page drew it (no button pressed)."""
    data: dict[str, list[str]] = {}
    for control in form.inputs:
        if control.kind in ("submit", "button", "image", "reset", "file"):
            continue
        if control.kind in ("checkbox", "radio") and not control.checked:
            continue
        value = control.value if control.has_value or control.kind != "checkbox" else "on"
        data.setdefault(control.name, []).append(value)
    return data


# --- What "nothing changed" means -------------------------------------------------------------


def state_snapshot() -> dict:
    snapshot = {}
    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in NOT_STATE or model._meta.app_label in NOT_STATE_APPS:
            continue
        if model._meta.db_table not in tables:
            continue
        snapshot[label] = list(model._base_manager.order_by("pk").values_list())
    snapshot["emails"] = [(m.to, m.subject) for m in mail.outbox]
    return snapshot


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


# --- The cases: every matrix row, as someone it lets in -----------------------------------------


def url_name(path: str) -> str | None:
    try:
        match = resolve(urllib.parse.urlsplit(path).path)
    except Resolver404:
        return None
    if match.url_name is None:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


PORTAL_NAMES = None


def is_portal_url(path: str) -> bool:
    global PORTAL_NAMES  # noqa: PLW0603
    if PORTAL_NAMES is None:
        PORTAL_NAMES = _portal_url_names()
    return url_name(path) in PORTAL_NAMES


def _role_let_in(row: Row) -> str | None:
    """Someone the row lets use the view: a page (200), or else a redirect that is the
    view's own answer (302 for someone signed in: an action, "signed in, go here")."""
    for role in ROLES:
        if row.expect.get(role) == 200:
            return role
    for role in ROLES:
        if role != "public" and row.expect.get(role) == 302:
            return role
    return None


def _cases() -> list:
    """One case per row someone may use; rows naming the same view for the same role (an
    own draft and an own submitted bid, say) are different states of a page: all kept."""
    return [
        pytest.param(row, role, id=row.id)
        for row in ROWS
        if (role := _role_let_in(row)) is not None
    ]


CASES = _cases()


def with_query(url: str, params: dict) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    for name, value in params.items():
        query = [(n, v) for n, v in query if n != name]
        for one in value if isinstance(value, list) else [value]:
            query.append((name, one))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _paginated(url: str) -> bool:
    view = resolve(urllib.parse.urlsplit(url).path).func
    return bool(getattr(getattr(view, "view_class", None), "paginate_by", None))


def crafted_gets(url: str, page_html: str) -> list[tuple[str, str]]:
    """(label, url) for every crafted value in every name the page's view reads from its
    query string: its row in READS, the fields of its own GET forms (filters), and the
    page number, sort and order of a paginated list. None for a page that reads none."""
    names = set(READS.get(url_name(url) or "", ()))
    for form in forms_on(page_html):
        if form.method == "get" and form.action in ("", urllib.parse.urlsplit(url).path):
            names |= {control.name for control in form.inputs if control.kind != "submit"}
    if _paginated(url):
        names |= set(EVERY_PAGE)
    if not names:
        return []
    return [
        (label, with_query(url, dict.fromkeys(sorted(names), value)))
        for label, value in CRAFTED.items()
    ]


@dataclass
class Post:
    label: str
    action: str
    data: dict
    must_change_nothing: bool


def crafted_posts(url: str, page_html: str) -> list[Post]:
    """Each form the page posts to a view of the portal, with every id the page wrote in
    it crafted, then with every field crafted."""
    forms, seen = [], set()
    for form in forms_on(page_html):
        action = urllib.parse.urljoin(url, form.action) if form.action else url
        if form.method != "post" or not is_portal_url(action):
            continue
        key = (urllib.parse.urlsplit(action).path, tuple(sorted(c.name for c in form.inputs)))
        if key in seen:
            continue
        seen.add(key)
        forms.append((action, form))
    posts = []
    for action, form in forms:
        base = as_sent(form)
        ids = {c.name for c in form.inputs if is_id_like(c)}
        ids |= {c.name for c in form.inputs if c.name in READS.get(url_name(action) or "", ())}
        every = {c.name for c in form.inputs if not is_sent_as_drawn(c)} | ids
        drawn = {name: value for name, value in base.items() if MANAGEMENT.search(name)}
        for label, value in CRAFTED.items() if ids else ():
            data = {**base, **dict.fromkeys(ids, value)}
            posts.append(Post(label, action, data, label in NEVER_VALID))
        for label in CRAFTED_EVERYWHERE:
            data = {**drawn, **dict.fromkeys(every, CRAFTED[label])}
            posts.append(Post(f"{label} everywhere", action, data, False))
    return posts


def _sent(client, post: Post) -> list[str]:
    response = client.post(post.action, post.data)
    if response.status_code in ALLOWED:
        return []
    return [f"POST {post.action} {post.label} {post.data}: {response.status_code}"]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CASES)
def test_crafted_values_never_answer_500(client, user_for_role, row: Row, role: str):
    client.raise_request_exception = False  # collect every 500, not just the first
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    url = row.url(user) if callable(row.url) else row.url
    if row.method == "get":
        page = client.get(url)
        html = page.content.decode() if page.get("Content-Type", "").startswith("text/html") else ""
        gets, posts = crafted_gets(url, html), crafted_posts(url, html)
    else:
        names = READS.get(url_name(url) or "", ())
        gets, posts = (
            [],
            [
                Post(label, url, {**row.data, **dict.fromkeys(names, value)}, label in NEVER_VALID)
                for label, value in CRAFTED.items()
            ]
            # With no name to craft, the row's own post is what a person sends: it may change
            # things (closing an account, anonymising one).
            if names
            else [Post("as the row sends it", url, dict(row.data), False)],
        )
    problems = []

    # First everything that must change nothing: the GETs, and the posts with values no
    # page offers (then the rest, which may change things as a person could).
    before = state_snapshot()
    for label, crafted_url in gets:
        response = client.get(crafted_url)
        if response.status_code not in ALLOWED:
            problems.append(f"GET {crafted_url} ({label}): {response.status_code}")
    harmless = [post for post in posts if post.must_change_nothing]
    for post in harmless:
        problems += _sent(client, post)
    changed = changed_tables(before, state_snapshot())
    if changed:
        sent = [url] + [f"{post.action} {post.label} {post.data}" for post in harmless]
        problems.append(f"crafted requests changed {changed}; one of: {sent}")
    for post in posts:
        if not post.must_change_nothing:
            problems += _sent(client, post)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_view_of_the_portal_is_crafted(user_for_role):
    """A new view gets crafted input as soon as the permission matrix has a row that lets
    someone use it: the matrix must name every view, and this, that someone may use it."""
    users = {role: user_for_role(role) for role in ROLES}
    crafted = {
        url_name(row.url(users[role]) if callable(row.url) else row.url)
        for row, role in (case.values for case in CASES)
    }
    missing = _portal_url_names() - crafted
    assert not missing, f"views no crafted case reaches (no matrix row lets anyone in): {missing}"


# --- The case, and another organisation's ids --------------------------------------------


def _own_draft_bid(make_user):
    bid = bid_complete(BidFactory())
    provider = make_user(Role.PROVIDER)
    bid.organisation.memberships.get_or_create(user=provider)
    return bid, provider


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "make_row"),
    [("partners", partner_add), ("attachments", attachment_add)],
    ids=["partner", "attachment"],
)
@pytest.mark.parametrize("crafted", ["abc", "", "²", "99999999999999999999"])
def test_removing_a_bid_partner_or_attachment_with_a_crafted_id_is_a_bad_request(
    client, make_user, page, make_row, crafted
):
    """The issue's case: `remove=abc` raised ValueError (500). Now: the 400 page, and the
    partner or attachment is still there."""
    bid, provider = _own_draft_bid(make_user)
    row = make_row(bid)
    client.force_login(provider)

    response = client.post(f"/bids/{bid.pk}/{page}/", {"remove": crafted})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with what was sent</h1>' in html
    assert "Nothing has been changed." in html
    assert type(row).objects.filter(pk=row.pk).exists()


@dataclass
class Foreign:
    """Someone posts an id of a record that is not theirs (or not this page's)."""

    user: object
    url: str
    data: dict
    survivor: object  # the record that must be untouched


def _bid_partner_of_another_bid(make_user) -> Foreign:
    bid, provider = _own_draft_bid(make_user)
    partner_add(bid)
    theirs = partner_add(bid_complete(BidFactory()))
    return Foreign(provider, f"/bids/{bid.pk}/partners/", {"remove": theirs.pk}, theirs)


def _bid_attachment_of_another_bid(make_user) -> Foreign:
    bid, provider = _own_draft_bid(make_user)
    attachment_add(bid)
    theirs = attachment_add(bid_complete(BidFactory()))
    return Foreign(provider, f"/bids/{bid.pk}/attachments/", {"remove": theirs.pk}, theirs)


def _budget_line_of_another_bid(make_user) -> Foreign:
    bid, provider = _own_draft_bid(make_user)
    theirs = bid_complete(BidFactory()).budget_lines.get()
    data = {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-id": str(theirs.pk),
        "lines-0-item": "Taken over",
        "lines-0-amount": "1",
    }
    return Foreign(provider, f"/bids/{bid.pk}/budget/", data, theirs)


def _invitation_of_another_organisation(make_user) -> Foreign:
    admin = make_user(Role.PROVIDER)
    organisation = organisation_with_admin(admin)
    InvitationFactory(organisation=organisation)
    theirs = InvitationFactory()
    url = f"/organisations/{organisation.pk}/members/"
    return Foreign(admin, url, {"revoke": theirs.pk}, theirs)


def _document_of_another_opportunity(make_user) -> Foreign:
    officer = make_user(Role.OFFICER)
    opportunity = DraftOpportunityFactory()
    matrix_opportunities._document(opportunity)
    theirs = matrix_opportunities._document(DraftOpportunityFactory())
    url = f"/staff/opportunities/{opportunity.pk}/documents/"
    return Foreign(officer, url, {"remove": theirs.pk}, theirs)


def _measure_of_another_specification(make_user) -> Foreign:
    officer = make_user(Role.OFFICER)
    specification = SpecificationFactory(
        commission=CommissionFactory(lead_officer=officer, state=CommissionState.PLANNING)
    )
    theirs = SpecificationFactory(
        commission=CommissionFactory(lead_officer=officer, state=CommissionState.PLANNING)
    ).measures.get()
    url = f"/staff/specifications/{specification.pk}/measures/"
    return Foreign(officer, url, {"remove": theirs.pk}, theirs)


def _panel_member_of_another_panel(make_user) -> Foreign:
    officer = make_user(Role.OFFICER)
    opportunity = OpportunityFactory()
    panel_member_add(opportunity)
    theirs = panel_member_add(OpportunityFactory())
    url = f"/staff/opportunities/{opportunity.pk}/panel/"
    return Foreign(officer, url, {"action": "remove", "panel_member": theirs.pk}, theirs)


FOREIGN: dict[str, Callable] = {
    "bid partner": _bid_partner_of_another_bid,
    "bid attachment": _bid_attachment_of_another_bid,
    "bid budget line": _budget_line_of_another_bid,
    "invitation": _invitation_of_another_organisation,
    "opportunity document": _document_of_another_opportunity,
    "specification success measure": _measure_of_another_specification,
    "panel member": _panel_member_of_another_panel,
}


@pytest.mark.django_db
@pytest.mark.parametrize("make", FOREIGN.values(), ids=FOREIGN.keys())
def test_someone_elses_id_changes_nothing_of_theirs(client, make_user, make):
    foreign = make(make_user)
    survivor = type(foreign.survivor)
    before = list(survivor.objects.filter(pk=foreign.survivor.pk).values())
    client.force_login(foreign.user)

    response = client.post(foreign.url, foreign.data)

    assert response.status_code in ALLOWED
    assert list(survivor.objects.filter(pk=foreign.survivor.pk).values()) == before


@pytest.mark.django_db
def test_switching_to_an_organisation_you_do_not_belong_to_is_refused(client, make_user):
    provider = make_user(Role.PROVIDER)
    mine = organisation_with_admin(provider)
    theirs = OrganisationFactory()
    client.force_login(provider)
    client.post("/organisations/switch/", {"organisation": mine.pk})

    for crafted in (theirs.pk, "abc", "²", "99999999999999999999", ["1", "abc"]):
        response = client.post("/organisations/switch/", {"organisation": crafted}, follow=True)
        assert response.status_code == 200
        assert client.session[CURRENT_ORGANISATION_SESSION_KEY] == mine.pk
        assert f"You are now working for {theirs.name}" not in response.content.decode()


# --- Query strings of list pages -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=99999",
        "page=-1",
        "page=99999999999999999999",
        "sort=",
        "sort=-nonsense",
        "status=unknown&sector=abc&priority=99999999999999999999",
        "from=2026-13-45&to=yesterday",
        "q=%00",
        "q=" + "x" * 5000,
        "commission=%C2%B2&specification=%C2%B2&organisation=%C2%B2",  # "²".isdigit()
    ],
)
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("public", "/opportunities/"),
        ("public", "/decisions/"),
        ("public", "/plans/"),
        ("officer", "/staff/"),
        ("officer", "/staff/engagement/evidence/"),
        ("officer", "/staff/engagement/provision/"),
        ("officer", "/staff/engagement/feedback/"),
        ("officer", "/staff/organisations/"),
        ("officer", "/staff/agreements/"),
        ("officer", "/staff/opportunities/new/"),
        ("officer", "/staff/engagement/evidence/new/"),
        ("provider", "/organisations/join/"),
    ],
)
def test_list_pages_answer_garbage_queries_with_a_page(client, user_for_role, role, url, query):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    response = client.get(f"{url}?{query}")
    assert response.status_code in {200, 400, 404}, f"{url}?{query}: {response.status_code}"


# --- The 400 page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_request_gets_the_portal_page_not_django_text(client):
    response = client.get("/staff/opportunities/new/?specification=abc")  # signed out
    assert response.status_code == 302  # the sign-in page first, before anything is read

    client.force_login(UserFactory(roles=[Role.OFFICER]))
    response = client.get("/staff/opportunities/new/?specification=abc")

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Sorry, there is a problem with what was sent" in html
    assert 'class="govuk-header' in html
    assert "Bad Request (400)" not in html


# --- Noticing a new name read from the request ----------------------------------------------------

APPS = ("commissioning", "core", "engagement", "monitoring", "procurement", "providers")
RAW_READ = re.compile(
    r"""request\.(?:GET|POST|FILES)(?:\.(?:get|getlist|pop)\(|\[)\s*["'](\w+)["']"""
    r"""|["'](\w+)["']\s+in\s+(?:self\.)?request\.(?:GET|POST)"""
    r"""|submitted_id\([^,]+,\s*["'](\w+)["']"""
)
# Read raw, but never looked up as an id: free text, a state compared as text, or a button
# whose presence is what counts ("send", "draft", "delete").
NOT_IDS = {"q", "next", "seen_state", "send", "draft", "delete", "kind"}


def test_every_raw_read_is_crafted():
    """A view that reads a new name from request.GET or request.POST needs a row in READS
    (or, for free text, a place in NOT_IDS), so the crafted test sends it garbage."""
    root = Path(__file__).resolve().parents[2]
    crafted = {name for names in READS.values() for name in names}
    unread = set()
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in RAW_READ.finditer(path.read_text()):
                name = next(group for group in match.groups() if group)
                if name not in crafted | NOT_IDS:
                    unread.add(f"{path.relative_to(root)}: {name}")
    assert not unread, f"names read from requests with no row in READS: {sorted(unread)}"
