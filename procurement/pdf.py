"""The agreement as a PDF, made with WeasyPrint the first time someone asks for each
version of it, then kept in file storage and served from there.

Tagged PDF/UA-1, with the document title and language from the HTML (`<title>`,
`<html lang="en-GB">`), like the Commissioning Plan (commissioning/pdf.py).
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from procurement.models import Agreement
from procurement.selectors.agreements import agreement_terms_now

TEMPLATE = "procurement/pdf/agreement.html"
UNDATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # the same every time: not part of the digest


def agreement_pdf_html(*, agreement: Agreement, generated_at=None, terms=None) -> str:
    """The HTML the PDF is made from: every term, and who accepted it and when."""
    return render_to_string(
        TEMPLATE,
        {
            "agreement": agreement,
            "terms": terms if terms is not None else agreement_terms_now(agreement=agreement),
            "organisation": agreement.organisation,
            "council": settings.COUNCIL,
            "service_name": settings.SERVICE_NAME,
            "generated_at": generated_at or timezone.now(),
        },
    )


def agreement_pdf_name(*, agreement: Agreement, terms=None) -> str:
    """Where the PDF of the agreement as it stands is kept: named by a digest of what it
    says (every term, its version, who accepted it and when), so a new version, or any
    change to a draft, is a new file and an unchanged agreement is the same one."""
    terms = terms if terms is not None else agreement_terms_now(agreement=agreement)
    what_it_says = agreement_pdf_html(agreement=agreement, terms=terms, generated_at=UNDATED)
    digest = hashlib.sha256(what_it_says.encode()).hexdigest()[:32]
    return f"agreements/{agreement.pk}/{agreement.reference}-v{agreement.version}-{digest}.pdf"


def agreement_pdf_stored(*, agreement: Agreement) -> str:
    """The storage name of the agreement's PDF as it stands, rendered and saved the first
    time it is asked for (once per version), read from storage after that."""
    terms = agreement_terms_now(agreement=agreement)
    name = agreement_pdf_name(agreement=agreement, terms=terms)
    if not default_storage.exists(name):
        content = agreement_pdf_render(agreement=agreement, terms=terms)
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # someone else stored it at the same moment: keep theirs
            default_storage.delete(saved)
    return name


def agreement_pdf_render(*, agreement: Agreement, terms=None) -> bytes:
    """The agreement as PDF bytes."""
    import weasyprint  # imported here: it loads Pango and fonts, which pages never need

    html = weasyprint.HTML(
        string=agreement_pdf_html(agreement=agreement, terms=terms),
        base_url=str(settings.BASE_DIR),
    )
    return html.write_pdf(pdf_variant="pdf/ua-1")
