"""Permission matrix rows for opportunities and clarification questions."""

from django.core.files.base import ContentFile

from procurement.models import OpportunityDocument
from tests.matrix import SIGN_IN, Row, everyone, only, staff_only
from tests.procurement.factories_opportunities import (
    ClarificationFactory,
    DraftOpportunityFactory,
    OpportunityFactory,
    at,
    published_specification,
)

MANAGERS = ("officer", "admin")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _document(opportunity) -> OpportunityDocument:
    document = OpportunityDocument(opportunity=opportunity, title="Full specification")
    document.original_name = "specification.pdf"
    document.file.save("specification.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def published(user) -> str:
    return OpportunityFactory().get_absolute_url()


def unpublished(user) -> str:
    return DraftOpportunityFactory().get_absolute_url()


def published_document(user) -> str:
    opportunity = OpportunityFactory()
    return f"/opportunities/{opportunity.slug}/documents/{_document(opportunity).pk}/"


def unpublished_document(user) -> str:
    opportunity = DraftOpportunityFactory()
    return f"/opportunities/{opportunity.slug}/documents/{_document(opportunity).pk}/"


def ask(user) -> str:
    return f"/opportunities/{OpportunityFactory().slug}/ask/"


def ask_unpublished(user) -> str:
    return f"/opportunities/{DraftOpportunityFactory().slug}/ask/"


def create_from_specification(user) -> str:
    return f"/staff/opportunities/new/?specification={published_specification().pk}"


def staff_page(suffix: str):
    def url(user) -> str:
        return f"/staff/opportunities/{DraftOpportunityFactory().pk}/{suffix}"

    return url


def past_deadline(user) -> str:
    opportunity = OpportunityFactory(opens_at=at(-30, 9), closes_at=at(-1, 17))
    return f"/staff/opportunities/{opportunity.pk}/close/"


def staff_clarifications(user) -> str:
    return f"/staff/opportunities/{ClarificationFactory().opportunity_id}/clarifications/"


def answer(user) -> str:
    return f"/staff/clarifications/{ClarificationFactory().pk}/answer/"


NOT_PUBLISHED = {**everyone(404), **dict.fromkeys(MANAGERS, 200)}

ROWS = [
    Row("procurement:opportunity_list", "/opportunities/", everyone(200)),
    Row("procurement:opportunity_feed", "/opportunities/feed/", everyone(200)),
    Row("procurement:opportunity_detail", published, everyone(200)),
    Row("procurement:opportunity_detail_unpublished", unpublished, NOT_PUBLISHED),
    Row("procurement:opportunity_document", published_document, everyone(200)),
    Row("procurement:opportunity_document_unpublished", unpublished_document, NOT_PUBLISHED),
    Row("procurement:clarification_ask", ask, only("provider")),
    Row(
        "procurement:clarification_ask_unpublished",
        ask_unpublished,
        {**everyone(404), "public": SIGN_IN},
    ),
    Row("procurement:opportunities_staff", "/staff/opportunities/", staff_only(200)),
    Row("procurement:opportunity_create", "/staff/opportunities/new/", only(*MANAGERS)),
    Row("procurement:opportunity_create_from", create_from_specification, only(*MANAGERS)),
    Row("procurement:opportunity_staff_detail", staff_page(""), staff_only(200)),
    Row("procurement:opportunity_update", staff_page("edit/"), only(*MANAGERS)),
    Row("procurement:opportunity_questions", staff_page("questions/"), only(*MANAGERS)),
    Row("procurement:opportunity_documents", staff_page("documents/"), only(*MANAGERS)),
    Row("procurement:opportunity_publish", staff_page("publish/"), only(*MANAGERS)),
    Row("procurement:opportunity_close", past_deadline, only(*MANAGERS)),
    Row("procurement:clarifications_staff", staff_clarifications, only(*MANAGERS)),
    Row("procurement:clarification_answer", answer, only(*MANAGERS)),
]
