"""One search across what the portal publishes, and, for council staff, their own records.

`PUBLIC_SOURCES` and `STAFF_SOURCES` are the one registry of what can be searched. Each
`Source` says which rows anyone may find (`rows`: published plans, specifications in a
published plan, published opportunities, published answers to clarification questions,
approved awards) and, for the staff-only sources (commissions, needs evidence, gaps, lessons
learned), which permission lets someone search them at all. Nothing outside a source's
`rows` is ever searched, so nothing unpublished can be found by anyone, staff included:
officers read drafts on their own pages.

On PostgreSQL the search is full-text (the 'english' configuration: stemmed, stop words
dropped), each word of the query also matching as a prefix of a stem after a crude suffix
strip, so "advocate" finds "advocacy". On other databases (SQLite for development and most
tests) each word, crudely stemmed, must appear somewhere in the same fields. On both, the
matches with every word in the title rank first, then the rest, each newest first (the
source's `order`); so a match in the title ranks above one in the body.

What a search costs follows the page asked for rather than the number of matches: PostgreSQL
never builds a row's whole document. Each word is looked up column by column, each column in
its own GIN index (`to_tsvector(CONFIG, COALESCE(column, ''))`, core's search_indexes
migrations), so matching and counting read ids; the rank is the same lookup in the title's
columns, a set of ids each match is looked up in; and `ts_headline` makes the snippets of the
rows shown only.

Stored text is never rendered as it is: snippets and titles are escaped here, and only the
`<mark>` elements this module adds are markup (`highlight`).
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchVector,
    SearchVectorExact,
)
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.templatetags.portal import govuk_date, govuk_datetime, money

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
PER_GROUP = 5
PER_PAGE = 20

# Marks around the words ts_headline (or `_mark_terms`) highlights: private-use characters,
# which `_marks_to_html` turns into <mark> after escaping everything else.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)

# Words the fallback ignores, as PostgreSQL's 'english' configuration does.
_STOP_WORDS = frozenset(
    (  # noqa: SIM905
        "a an and are as at be by for from has in is it of on or that the this to was were "
        "will with"
    ).split()
)
# The longest that leaves a stem of at least _MIN_STEM letters is taken off.
_SUFFIXES = sorted(
    (  # noqa: SIM905
        "ational ations ation ating ated ates ate acies acy ities ity ies ings ing ments ment "
        "ness ers er ed es s ly y e"
    ).split(),
    key=len,
    reverse=True,
)
_MIN_STEM = 4


def crude_stem(word: str) -> str:
    """The word without one common English suffix: "advocate" and "advocacy" both give
    "advoc", "communities" and "community" give "commun". Crude on purpose: each stem is
    matched as the start of a word (or, on SQLite, anywhere in one)."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def search_terms(text: str) -> list[str]:
    """The stems to look for: the query's words (letters and digits only, so nothing the
    person types is ever query syntax), single letters and stop words dropped, each crudely
    stemmed, at most MAX_TERMS of them."""
    words = re.findall(r"[^\W_]+", text[:MAX_QUERY_LENGTH])
    stems: list[str] = []
    for word in words:
        if len(word) < 2 or word.lower() in _STOP_WORDS:
            continue
        stem = crude_stem(word)
        if stem not in stems:
            stems.append(stem)
    return stems[:MAX_TERMS]


def query_clean(text: str) -> str:
    """The query as it is shown back: one line, no control characters, not too long."""
    text = "".join(char for char in text if char.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


# --- Marking matches, safely ------------------------------------------------------------------


def _marks_to_html(text: str) -> SafeString:
    """Escape the text and turn our marks into <mark> elements; any stray mark characters
    in the stored text are dropped."""
    parts: list[str] = []
    position = 0
    for match in _MARKED.finditer(text):
        parts.append(_escape_plain(text[position : match.start()]))
        parts.append(f"<mark>{_escape_plain(match.group(1))}</mark>")
        position = match.end()
    parts.append(_escape_plain(text[position:]))
    # bandit: every piece of stored text is escaped above; only our <mark>s are markup.
    return mark_safe("".join(parts))  # noqa: S308  # nosec: B308, B703


def _escape_plain(text: str) -> str:
    return str(escape(text.replace(_START, "").replace(_STOP, "")))


def _terms_pattern(terms: Sequence[str]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\w*(?:{alternatives})\w*", re.IGNORECASE)


def _mark_terms(text: str, terms: Sequence[str]) -> str:
    pattern = _terms_pattern(terms)
    text = text.replace(_START, "").replace(_STOP, "")
    if pattern is None:
        return text
    return pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", text)


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """The text, escaped, with every word containing one of the terms in <mark>."""
    return _marks_to_html(_mark_terms(text or "", terms))


SNIPPET_WORDS = 30


def _snippet_around(text: str, terms: Sequence[str]) -> str:
    """About SNIPPET_WORDS words of the text around the first match (the start when none),
    with the matches marked: the fallback's ts_headline."""
    words = (text or "").split()
    if not words:
        return ""
    pattern = _terms_pattern(terms)
    first = 0
    if pattern is not None:
        first = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    end = min(len(words), start + SNIPPET_WORDS)
    snippet = " ".join(words[start:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(words) else ""
    return f"{prefix}{_mark_terms(snippet, terms)}{suffix}"


# --- The registry of searchable sources --------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """A field that is an expression over columns rather than one column: `expression` is
    its text (for the fallback and the snippet); `matches` says, on PostgreSQL, which rows'
    text holds a query, through the indexes of the columns it is made of (query ->
    querysets of the ids of the rows that match)."""

    expression: Expression
    matches: Callable[[SearchQuery], Sequence[QuerySet]]


Field = str | Computed


@dataclass(frozen=True)
class Source:
    """Something that can be searched.

    `rows()` is every row anyone allowed to search this source may find: the public rule
    for a public source. A staff-only source also names the `permission` that lets someone
    search it. `title`, `body` and `extra` are the fields searched, the title and body
    ranking a match higher (see the module's docstring): column paths ("title",
    "commission__title"), each with a GIN index on PostgreSQL when its table grows, or
    `Computed` fields. `snippet` is the text the snippet comes from (the body and the rest
    when not given). `title_text`, `url` and `meta` say how one row is shown, reading only
    what `rows()` selects, so a page of results costs the same number of queries whatever
    its length."""

    key: str
    label: str
    rows: Callable[[], QuerySet]
    title: Sequence[str]
    body: Sequence[Field]
    title_text: Callable[[Model], str]
    url: Callable[[Model], str]
    meta: Callable[[Model], str]
    extra: Sequence[Field] = ()
    snippet: Sequence[Field] = ()
    order: Sequence[str] = ("-pk",)
    permission: str | None = None

    @cached_property
    def model(self) -> type[Model]:
        """The model searched (`rows()` builds a whole queryset: not for each condition)."""
        return self.rows().model

    @property
    def staff_only(self) -> bool:
        return self.permission is not None

    def allowed(self, user) -> bool:
        if self.permission is None:
            return True
        return user is not None and user.is_authenticated and user.has_perm(self.permission)

    # --- Matching -----------------------------------------------------------------------

    def matches(self, terms: Sequence[str]) -> QuerySet:
        """The rows that match every term (none when there are no terms)."""
        rows = self.rows()
        if not terms:
            return rows.none()
        if not uses_full_text():
            rows = rows.alias(**self._fallback_aliases())
        return rows.filter(self._holding(terms, self.all_fields))

    def narrow(self, queryset: QuerySet, terms: Sequence[str]) -> QuerySet:
        """The rows of `queryset` (of this source's model) that match every term, as
        `matches` finds them: on PostgreSQL the same conditions on `queryset` itself, so no
        subquery repeats its joins; otherwise its rows among the matches."""
        if not terms:
            return queryset.none()
        if uses_full_text():
            return queryset.filter(self._holding(terms, self.all_fields))
        return queryset.filter(pk__in=self.matches(terms).order_by().values("pk"))

    def ranked(self, terms: Sequence[str], *, snippets: bool = True) -> QuerySet:
        """The matches, best first: `search_rank` is 2 when every term is in the title, 1
        otherwise; ties newest first (the source's `order`). With `snippets`, each row's
        `search_snippet` (marked, not yet escaped); leave it out when the query has an
        OFFSET, which would make PostgreSQL headline the rows skipped too, and use
        `with_snippets` on the rows shown."""
        rows = self.matches(terms)
        if uses_full_text():
            in_title = self._title_match(terms)
        else:
            in_title = self._contains_all(terms, self.title)
        rows = rows.annotate(
            search_rank=Case(When(in_title, then=Value(2)), default=Value(1)),
        )
        if snippets:
            rows = rows.annotate(search_snippet=self._snippet(terms))
        return rows.order_by("-search_rank", *self.order)

    def with_snippets(self, rows: Sequence[Model], terms: Sequence[str]) -> list[Model]:
        """The rows, each with its `search_snippet`, read in one query for these rows only."""
        found = dict(
            self.model._default_manager.filter(pk__in=[row.pk for row in rows])
            .annotate(search_snippet=self._snippet(terms))
            .values_list("pk", "search_snippet")
        )
        for row in rows:
            row.search_snippet = found.get(row.pk, "")
        return list(rows)

    def _snippet(self, terms: Sequence[str]) -> Expression:
        """The snippet's text: on PostgreSQL `ts_headline`'s best fragments with the matches
        marked; otherwise the whole text, cut to the match in Python (`hits`)."""
        text = _joined(self.snippet_fields)
        if not uses_full_text():
            return text
        return SearchHeadline(
            text,
            _tsquery(terms),
            config=CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    def hits(self, rows: Sequence[Model], terms: Sequence[str]) -> list["Hit"]:
        full_text = uses_full_text()
        results = []
        for row in rows:
            snippet = row.search_snippet or ""
            if not full_text:
                snippet = _snippet_around(snippet, terms)
            results.append(
                Hit(
                    source=self,
                    title=highlight(self.title_text(row), terms),
                    snippet=_marks_to_html(snippet),
                    url=self.url(row),
                    meta=self.meta(row),
                )
            )
        return results

    def _holding(self, terms: Sequence[str], fields: Sequence[Field]) -> Q:
        """The rows in which every term is in one of `fields` (on the fallback, the
        queryset needs `_fallback_aliases`)."""
        if uses_full_text():
            return self._indexed_match(terms, fields)
        return self._contains_all(terms, self._names(fields))

    def _title_match(self, terms: Sequence[str]) -> Q:
        """Every term in one of the title's columns, as a condition on each row already
        matched: for each term, the row's own id, or the id of the row its title column is
        in ("bid__organisation__name": the organisation's), among the ids that column's GIN
        index gives. In the rank's CASE each is a hashed subplan: the ids are read once
        and each row is a lookup, no text read."""
        model = self.model
        condition = Q()
        for term in terms:
            query = _tsquery([term])
            everything = model._default_manager.filter(_StopWordsOnly(query)).order_by()
            anywhere = Q(pk__in=everything.values("pk"))
            for path in self.title:
                *relations, column = path.split("__")
                related = model
                for name in relations:
                    related = related._meta.get_field(name).related_model
                lookup = "__".join([*relations, "in"]) if relations else "pk__in"
                anywhere |= Q(**{lookup: column_query_matches(related, column, query)})
            condition &= anywhere
        return condition

    def _indexed_match(self, terms: Sequence[str], fields: Sequence[Field]) -> Q:
        """Every term in one of the fields: for each term, the row's id among the ids of the
        rows whose field holds it, each column looked up in its own table's GIN index, put
        together with UNION. The same rows as the fields' whole document matching all the
        terms (a document holds a term when one of its parts does), without building the
        document of any row. A term that is a stop word to PostgreSQL matches everything,
        as it is dropped from the whole-document query.

        One `id IN (… UNION …)` per term rather than an OR of `IN` subqueries: PostgreSQL
        joins it (a semi-join, each part planned to read all its rows), where an OR leaves
        each subquery a subplan planned as if half its rows were read, which chose to build
        every agreement's document rather than use the index."""
        model = self.model
        condition = Q()
        for term in terms:
            query = _tsquery([term])
            everything = model._default_manager.filter(_StopWordsOnly(query)).order_by()
            parts: list[QuerySet] = []
            for name in fields:
                if isinstance(name, Computed):
                    parts.extend(name.matches(query))
                else:
                    parts.append(column_path_matches(model, name, query))
            condition &= Q(pk__in=everything.values("pk").union(*parts))
        return condition

    @property
    def snippet_fields(self) -> list[Field]:
        return list(self.snippet) or [*self.body, *self.extra]

    @property
    def all_fields(self) -> list[Field]:
        return [*self.title, *self.body, *self.extra]

    def _fallback_aliases(self) -> dict[str, Expression]:
        """The fields that are expressions, named so the fallback can filter on them."""
        return {
            f"search_field_{number}": field.expression
            for number, field in enumerate(self.all_fields)
            if isinstance(field, Computed)
        }

    def _names(self, fields: Sequence[Field]) -> list[str]:
        positions = {id(field): number for number, field in enumerate(self.all_fields)}
        return [
            name if isinstance(name, str) else f"search_field_{positions[id(name)]}"
            for name in fields
        ]

    @staticmethod
    def _contains_all(terms: Sequence[str], names: Sequence[str]) -> Q:
        condition = Q()
        for term in terms:
            anywhere = Q()
            for name in names:
                anywhere |= Q(**{f"{name}__icontains": term})
            condition &= anywhere
        return condition


def _tsquery(terms: Sequence[str]) -> SearchQuery:
    """Every term as a prefix of a stem: 'advoc':* & 'transport':*. The terms hold letters
    and digits only (`search_terms`), so the raw query cannot be malformed."""
    raw = " & ".join(f"{term}:*" for term in terms)
    return SearchQuery(raw, search_type="raw", config=CONFIG)


def column_query_matches(model: type[Model], column: str, query: SearchQuery) -> QuerySet:
    """The ids of the model's rows whose column matches the query (through its index)."""
    # The lookup itself rather than alias() and filter(): fewer querysets to build, as the
    # search builds one for each column and word.
    matching = SearchVectorExact(SearchVector(column, config=CONFIG), query)
    return model._default_manager.filter(matching).order_by().values("pk")


def column_path_matches(model: type[Model], path: str, query: SearchQuery) -> QuerySet:
    """The ids of the model's rows whose column at `path` ("title",
    "bid__organisation__name") matches, the column looked up in its own table's index."""
    *relations, column = path.split("__")
    if not relations:
        return column_query_matches(model, column, query)
    related = model
    for name in relations:
        related = related._meta.get_field(name).related_model
    lookup = f"{'__'.join(relations)}__in"
    return (
        model._default_manager.filter(**{lookup: column_query_matches(related, column, query)})
        .order_by()
        .values("pk")
    )


class _StopWordsOnly(Func):
    """True when the query holds no word PostgreSQL searches for (numnode is 0)."""

    template = "(numnode(%(expressions)s) = 0)"
    output_field = BooleanField()
    conditional = True


def _joined(fields: Sequence[Field]) -> Expression:
    """The fields as one text, paragraphs apart, empty ones as empty strings."""
    parts: list = []
    for name in fields:
        if parts:
            parts.append(Value("\n\n"))
        expression = F(name) if isinstance(name, str) else name.expression
        parts.append(Coalesce(expression, Value(""), output_field=TextField()))
    if len(parts) == 1:
        return parts[0]
    return Concat(*parts, output_field=TextField())


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it: title and snippet are escaped HTML with <mark>s."""

    source: Source
    title: SafeString
    snippet: SafeString
    url: str
    meta: str


# --- The sources ----------------------------------------------------------------------------


def _plans():
    from commissioning.models import CommissioningPlan

    return CommissioningPlan.objects.public().select_related("sector")


def _plan_meta(plan) -> str:
    words = f"{plan.sector.name} · version {plan.version}"
    if plan.published_at:
        words += f" · published {govuk_date(plan.published_at)}"
    if plan.state == "superseded":
        words += " · replaced by a newer version"
    return words


def _specifications():
    from commissioning.models import CommissioningPlan, Specification

    public_plans = CommissioningPlan.objects.public()
    newest_plan = public_plans.filter(specifications=OuterRef("pk")).order_by(
        Case(When(state="published", then=Value(0)), default=Value(1)),
        "-published_at",
        "-pk",
    )
    return (
        Specification.objects.filter(pk__in=public_plans.values("specifications"))
        .select_related("commission")
        .annotate(
            search_plan_slug=Subquery(newest_plan.values("slug")[:1]),
            search_plan_title=Subquery(newest_plan.values("title")[:1]),
        )
    )


def _specification_url(specification) -> str:
    plan_url = reverse("plan_public_detail", kwargs={"slug": specification.search_plan_slug})
    return f"{plan_url}#specification-{specification.pk}"


def _opportunities():
    from procurement.models import Opportunity

    return Opportunity.objects.published()


def _opportunity_meta(opportunity) -> str:
    kind = opportunity.get_funding_type_display()
    if opportunity.is_open():
        return f"{kind} · open for bids until {govuk_datetime(opportunity.closes_at)}"
    if opportunity.has_closed():
        return f"{kind} · closed {govuk_date(opportunity.closes_at)}"
    return f"{kind} · opens {govuk_datetime(opportunity.opens_at)}"


def _clarifications():
    from procurement.models import Clarification
    from procurement.models.bidding import PUBLISHED_STATES

    # Only the question as published: never the question as asked, which may name who asked.
    return Clarification.objects.filter(
        published_at__isnull=False, opportunity__state__in=PUBLISHED_STATES
    ).select_related("opportunity")


def _decisions():
    from procurement.models import AwardDecision

    return AwardDecision.objects.published_awards().select_related(
        "bid__organisation", "bid__opportunity"
    )


def _decision_purpose() -> Expression:
    """What the register says the money is for: the agreement's purpose, else the bid's
    project title (procurement.selectors.decisions.decision_purpose)."""
    from django.db.models.functions import NullIf, Trim

    return Coalesce(
        NullIf(Trim("agreement__purpose"), Value("")),
        F("bid__title"),
        Value(""),
        output_field=TextField(),
    )


def _decision_purpose_matches(query: SearchQuery) -> list[QuerySet]:
    """The ids of the awards whose purpose (`_decision_purpose`) matches, through the
    indexes on the agreement's purpose and the bid's title: the bid's title counts only
    when the award has no agreement with a purpose (not blank)."""
    from django.db.models import Exists
    from django.db.models.functions import Trim
    from django.db.models.lookups import Exact

    from procurement.models import Agreement, AwardDecision, Bid

    agreements = column_query_matches(Agreement, "purpose", query).values("decision_id")
    with_purpose = Agreement.objects.filter(decision=OuterRef("pk")).exclude(
        Exact(Trim("purpose"), Value(""))
    )
    titles = (
        AwardDecision.objects.filter(bid__in=column_query_matches(Bid, "title", query))
        .filter(~Exists(with_purpose))
        .order_by()
        .values("pk")
    )
    return [agreements, titles]


def _decision_title(decision) -> str:
    return f"{decision.bid.organisation.name} awarded {money(decision.amount)}"


def _decision_meta(decision) -> str:
    opportunity = decision.bid.opportunity
    return f"{opportunity.get_funding_type_display()} · decided {govuk_date(decision.decided_on)}"


def _commissions():
    from commissioning.models import Commission

    return Commission.objects.select_related("sector")


def _evidence():
    from engagement.models import EvidenceItem

    return EvidenceItem.objects.all()


def _gaps():
    from engagement.models import Gap

    return Gap.objects.select_related("commission", "priority", "area")


def _gap_title(gap) -> str:
    where = gap.area.name if gap.area_id else "the whole district"
    return f"Gap in {gap.priority.name} for {where}"


def _lessons():
    from monitoring.models import Lesson

    return Lesson.objects.select_related(
        "commission", "priority", "agreement_evaluation", "commission_evaluation"
    )


def _lesson_url(lesson) -> str:
    """The evaluation the lesson was recorded in."""
    evaluation = lesson.agreement_evaluation or lesson.commission_evaluation
    if evaluation is not None:
        return evaluation.get_absolute_url()
    return reverse("monitoring:lessons")


PUBLIC_SOURCES: list[Source] = [
    Source(
        key="plans",
        label="Commissioning Plans",
        rows=_plans,
        title=("title",),
        body=("purpose", "expected_outcomes"),
        extra=(
            "investment_levels",
            "procurement_arrangements",
            "contractual_arrangements",
            "performance_management",
            "sector__name",
        ),
        title_text=lambda plan: plan.title,
        url=lambda plan: plan.get_absolute_url(),
        meta=_plan_meta,
        order=("-published_at", "-pk"),
    ),
    Source(
        key="specifications",
        label="Service specifications",
        rows=_specifications,
        title=("title",),
        body=("summary",),
        extra=("eligibility", "sector_partners", "commission__title"),
        title_text=lambda specification: specification.title,
        url=_specification_url,
        meta=lambda specification: f"In {specification.search_plan_title}",
        order=("title", "pk"),
    ),
    Source(
        key="opportunities",
        label="Funding opportunities",
        rows=_opportunities,
        title=("title", "reference"),
        body=("summary",),
        extra=("eligibility",),
        title_text=lambda opportunity: opportunity.title,
        url=lambda opportunity: opportunity.get_absolute_url(),
        meta=_opportunity_meta,
        order=("-published_at", "-pk"),
    ),
    Source(
        key="answers",
        label="Answers to questions",
        rows=_clarifications,
        title=("published_question",),
        body=("answer",),
        extra=("opportunity__title",),
        title_text=lambda clarification: clarification.published_question,
        url=lambda clarification: f"{clarification.opportunity.get_absolute_url()}#clarifications",
        meta=lambda clarification: (
            f"About {clarification.opportunity.title} · answered "
            f"{govuk_date(clarification.published_at)}"
        ),
        order=("-published_at", "-pk"),
    ),
    Source(
        key="decisions",
        label="Award decisions",
        rows=_decisions,
        title=("bid__organisation__name",),
        body=(Computed(_decision_purpose(), _decision_purpose_matches),),
        extra=("bid__opportunity__title", "bid__opportunity__specification__commission__title"),
        title_text=_decision_title,
        url=lambda decision: decision.get_absolute_url(),
        meta=_decision_meta,
        order=("-decided_on", "-pk"),
    ),
]

STAFF_SOURCES: list[Source] = [
    Source(
        key="commissions",
        label="Commissions",
        rows=_commissions,
        title=("title", "reference"),
        body=("summary",),
        extra=("sector__name",),
        title_text=lambda commission: f"{commission.reference} {commission.title}",
        url=lambda commission: commission.get_absolute_url(),
        meta=lambda commission: f"{commission.sector.name} · {commission.get_state_display()}",
        order=("-created_at", "-pk"),
        permission="commissioning.view_commission",
    ),
    Source(
        key="evidence",
        label="Needs evidence",
        rows=_evidence,
        title=("title",),
        body=("summary",),
        extra=("source",),
        title_text=lambda item: item.title,
        url=lambda item: reverse("engagement:evidence_detail", kwargs={"pk": item.pk}),
        meta=lambda item: (
            f"{item.get_category_display()} · {item.source} · {govuk_date(item.dated)}"
        ),
        order=("-dated", "-pk"),
        permission="engagement.view_records",
    ),
    Source(
        key="gaps",
        label="Gaps",
        rows=_gaps,
        title=("gap",),
        body=("need", "current_provision", "opportunity"),
        extra=("priority__name", "area__name", "commission__title"),
        snippet=("gap", "need", "opportunity"),
        title_text=_gap_title,
        url=lambda gap: (
            reverse("engagement:gap_analysis", kwargs={"pk": gap.commission_id}) + f"#gap-{gap.pk}"
        ),
        meta=lambda gap: (
            f"{gap.commission.reference} {gap.commission.title} · "
            f"{gap.get_severity_display().lower()} severity"
        ),
        order=("-created_at", "-pk"),
        permission="engagement.view_records",
    ),
    Source(
        key="lessons",
        label="Lessons learned",
        rows=_lessons,
        title=("text",),
        body=("commission__title",),
        extra=("priority__name", "area__name", "theme__name"),
        snippet=("text",),
        title_text=lambda lesson: Truncator(lesson.text).words(14),
        url=_lesson_url,
        meta=lambda lesson: (
            f"{lesson.commission.reference} {lesson.commission.title} · {lesson.priority.name}"
        ),
        order=("-created_at", "-pk"),
        permission="monitoring.view_lessons",
    ),
]


def sources() -> list[Source]:
    """Every source, public first."""
    return [*PUBLIC_SOURCES, *STAFF_SOURCES]


def sources_for(*, user) -> list[Source]:
    """The sources this person may search: the public ones for everyone, and the staff
    ones their permissions allow."""
    return [source for source in sources() if source.allowed(user)]


# --- The search -----------------------------------------------------------------------------


@dataclass
class Group:
    """One source's results: its count, and the hits shown (the first few, or a page)."""

    source: Source
    count: int
    hits: list[Hit] = field(default_factory=list)
    page: Page | None = None


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    groups: list[Group]
    selected: Source | None

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def shown(self) -> list[Group]:
        """The groups with results, or only the selected one."""
        if self.selected is not None:
            return [group for group in self.groups if group.source is self.selected]
        return [group for group in self.groups if group.count]


def search(*, user, query: str, kind: str = "", page: str | int = 1) -> SearchResults:
    """Search what the person may see. With `kind` (a source's key they may search) one
    page of that source's results, its snippets read for that page alone, and the other
    sources' counts; otherwise the first PER_GROUP of each source with its count, read
    together in one query (the count as a window over the matches, so the matches are found
    once). Three queries per source at most, whatever the number of rows."""
    query = query_clean(query)
    terms = search_terms(query)
    allowed = sources_for(user=user)
    selected = next((source for source in allowed if source.key == kind), None)
    groups = []
    for source in allowed:
        group = Group(source=source, count=0)
        if terms and selected is None:
            first = list(
                source.ranked(terms).annotate(search_count=Window(Count("pk")))[:PER_GROUP]
            )
            group.count = first[0].search_count if first else 0
            group.hits = source.hits(first, terms)
        else:
            group.count = source.matches(terms).count() if terms else 0
            if source is selected:
                paginator = Paginator(source.ranked(terms, snippets=False), PER_PAGE)
                paginator.count = group.count  # counted already, for the filters
                group.page = paginator.get_page(page)
                if group.count:
                    shown = source.with_snippets(list(group.page.object_list), terms)
                    group.hits = source.hits(shown, terms)
        groups.append(group)
    return SearchResults(query=query, terms=terms, groups=groups, selected=selected)
