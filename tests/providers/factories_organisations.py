"""Factories for provider organisations' members, invitations, requests and documents."""

import datetime as dt
import uuid

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from providers.models import ComplianceDocument, Invitation, JoinRequest, Membership
from tests.factories import OrganisationFactory, UserFactory

# The smallest file a PDF reader opens: one empty page.
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


def organisation_with_admin(user, **kwargs):
    """An organisation (verified unless told otherwise) with `user` as its admin."""
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    return organisation


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Membership.Role.MEMBER
    token = factory.LazyFunction(uuid.uuid4)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    message = "I run the Tuesday lunch club."


class ComplianceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceDocument

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ComplianceDocument.Kind.SAFEGUARDING
    file = factory.LazyFunction(lambda: ContentFile(SMALL_PDF, name="policy.pdf"))
    original_name = "policy.pdf"
    expires_on = None
