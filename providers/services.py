"""Writes for provider organisations: registering, joining, members, compliance, verification."""

import datetime as dt
import re
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, emails_to_addresses_send
from core.files import safe_storage_name
from core.outbox import outbox_enqueue
from providers import tasks
from providers.models import (
    ComplianceDocument,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    PartnerProfile,
)

# --- Registration numbers ---------------------------------------------------------------------

CHARITY_NUMBER = re.compile(r"^\d{6,7}$")
COMPANY_NUMBER = re.compile(r"^(?:\d{8}|(?:[A-Z]{2}|R0)\d{6})$")
# Companies House prefixes for companies registered outside England and Wales or that are
# not limited companies (Scotland, Northern Ireland, LLPs, societies, charitable companies…).
COMPANY_PREFIXES = frozenset(
    {
        "AC", "BR", "CE", "CS", "FC", "GE", "GN", "GS", "IC", "IP", "LP", "NA", "NC", "NF",
        "NI", "NL", "NO", "NP", "NR", "NZ", "OC", "R0", "RC", "RS", "SA", "SC", "SE", "SF",
        "SG", "SI", "SL", "SO", "SP", "SR", "SZ", "ZC",
    }
)  # fmt: skip

CHARITY_NUMBER_INVALID = "Enter a charity number in the correct format, like 1164883"
COMPANY_NUMBER_INVALID = "Enter a company number in the correct format, like 01234567 or SC123456"
CHARITY_NUMBER_TAKEN = (
    "An organisation with this charity number is already registered — ask to join it instead"
)
COMPANY_NUMBER_TAKEN = (
    "An organisation with this company number is already registered — ask to join it instead"
)
CHARITY_NUMBER_NEEDED = "Enter the charity number – registered charities and CIOs have one"
COMPANY_NUMBER_NEEDED = (
    "Enter the company number – companies limited by guarantee and CICs have one"
)
LAST_ADMIN = "An organisation must have at least one admin"
REJECTION_NOTE_NEEDED = "Enter why the organisation cannot be verified"

NEEDS_CHARITY_NUMBER = frozenset({"charity", "cio"})
NEEDS_COMPANY_NUMBER = frozenset({"clg", "cic"})
INVITATION_LIFETIME = dt.timedelta(days=14)
REGISTRATION_FIELDS = ("charity_number", "company_number")


def normalise_charity_number(number: str) -> str:
    """A charity number as typed ("1164 883") as it is stored ("1164883")."""
    return re.sub(r"\s+", "", number or "")


def normalise_company_number(number: str) -> str:
    """Companies House numbers are 8 characters: pad the digits with leading zeros,
    after a two-character prefix if there is one ("1234567" → "01234567", "SC1234" →
    "SC001234"). Anything that is not a company number is returned as typed, in capitals."""
    number = re.sub(r"\s+", "", number or "").upper()
    if not number:
        return ""
    match = re.match(r"^([A-Z]{2}|R0)?(\d+)$", number)
    if not match:
        return number
    prefix, digits = match.group(1) or "", match.group(2)
    return prefix + digits.zfill(8 - len(prefix))


def charity_number_is_valid(number: str) -> bool:
    """An England and Wales charity number: 6 or 7 digits."""
    return bool(CHARITY_NUMBER.match(number))


def company_number_is_valid(number: str) -> bool:
    """A (normalised) Companies House number: 8 digits, or a known prefix and 6 digits."""
    if not COMPANY_NUMBER.match(number):
        return False
    return number.isdigit() or number[:2] in COMPANY_PREFIXES


def organisation_derive_org_id(*, charity_number: str, company_number: str, pk: int | None) -> str:
    """The org-id.guide identifier: a charity number first, then a company number,
    otherwise an identifier issued by the portal under the council's 360Giving prefix."""
    if charity_number:
        return f"GB-CHC-{charity_number.strip()}"
    if company_number:
        return f"GB-COH-{normalise_company_number(company_number)}"
    if pk is None:
        raise ValueError("An unregistered organisation needs saving before it gets an id")
    return f"{settings.THREESIXTY_GIVING_PREFIX}-ORG-{pk:05d}"


def registration_numbers_check(
    *,
    legal_form: str,
    charity_number: str,
    company_number: str,
    organisation: Organisation | None = None,
) -> dict[str, str]:
    """Problems with an organisation's registration numbers, by field, in GOV.UK words:
    the format, the numbers its legal form must have, and numbers another organisation
    already has. The numbers are already normalised."""
    errors: dict[str, str] = {}
    others = Organisation.objects.all()
    if organisation is not None and organisation.pk:
        others = others.exclude(pk=organisation.pk)
    if charity_number and not charity_number_is_valid(charity_number):
        errors["charity_number"] = CHARITY_NUMBER_INVALID
    elif charity_number and others.filter(charity_number=charity_number).exists():
        errors["charity_number"] = CHARITY_NUMBER_TAKEN
    elif not charity_number and legal_form in NEEDS_CHARITY_NUMBER:
        errors["charity_number"] = CHARITY_NUMBER_NEEDED
    if company_number and not company_number_is_valid(company_number):
        errors["company_number"] = COMPANY_NUMBER_INVALID
    elif company_number and others.filter(company_number=company_number).exists():
        errors["company_number"] = COMPANY_NUMBER_TAKEN
    elif not company_number and legal_form in NEEDS_COMPANY_NUMBER:
        errors["company_number"] = COMPANY_NUMBER_NEEDED
    return errors


# --- Registering and changing an organisation -------------------------------------------------

ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "charity_number",
    "company_number",
    "ppon",
    "sector",
    "address",
    "postcode",
    "income_band",
    "website",
    "contact_name",
    "contact_email",
    "contact_telephone",
    "description",
)


def _organisation_save(
    *, organisation: Organisation, fields: dict, wards_served: Iterable[Model] | None
) -> Organisation:
    for name in ORGANISATION_FIELDS:
        if name in fields:
            setattr(organisation, name, fields[name])
    organisation.name = organisation.name.strip()
    organisation.postcode = organisation.postcode.strip().upper()
    organisation.charity_number = normalise_charity_number(organisation.charity_number)
    organisation.company_number = normalise_company_number(organisation.company_number)
    errors = registration_numbers_check(
        legal_form=organisation.legal_form,
        charity_number=organisation.charity_number,
        company_number=organisation.company_number,
        organisation=organisation,
    )
    if errors:
        raise ValidationError(errors)
    if organisation.charity_number or organisation.company_number:
        organisation.org_id = organisation_derive_org_id(
            charity_number=organisation.charity_number,
            company_number=organisation.company_number,
            pk=organisation.pk,
        )
    elif not organisation.pk or organisation.org_id.startswith("GB-"):
        # Not registered: a placeholder until the row has the primary key the id is made of.
        organisation.org_id = f"new-{uuid.uuid4().hex}"
    organisation.full_clean(exclude=["org_id", "verified_by"])
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as error:  # another organisation took the number meanwhile
        raise ValidationError(
            {"charity_number": CHARITY_NUMBER_TAKEN}
            if organisation.charity_number
            else {"company_number": COMPANY_NUMBER_TAKEN}
        ) from error
    if organisation.org_id.startswith("new-"):
        organisation.org_id = organisation_derive_org_id(
            charity_number="", company_number="", pk=organisation.pk
        )
        organisation.save(update_fields=["org_id"])
    if wards_served is not None:
        organisation.wards_served.set(wards_served)
    return organisation


@transaction.atomic
def organisation_create(
    *,
    created_by,
    name: str,
    legal_form: str,
    sector: Model,
    charity_number: str = "",
    company_number: str = "",
    ppon: str = "",
    address: str = "",
    postcode: str = "",
    wards_served: Iterable[Model] = (),
    income_band: str = "",
    website: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_telephone: str = "",
    description: str = "",
) -> Organisation:
    """Register an organisation. The person registering it becomes its admin; it waits
    for the council to verify it. Raises ValidationError (by field) for registration
    numbers in the wrong format, missing for its legal form, or already registered."""
    fields = {
        "name": name,
        "legal_form": legal_form,
        "charity_number": charity_number,
        "company_number": company_number,
        "ppon": ppon,
        "sector": sector,
        "address": address,
        "postcode": postcode,
        "income_band": income_band,
        "website": website,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_telephone": contact_telephone,
        "description": description,
    }
    organisation = _organisation_save(
        organisation=Organisation(verification_status=Organisation.Verification.PENDING),
        fields=fields,
        wards_served=wards_served,
    )
    Membership.objects.create(
        organisation=organisation, user=created_by, role=Membership.Role.ADMIN
    )
    return organisation


def organisation_update_needs_verifying(*, organisation: Organisation, changes: dict) -> bool:
    """Whether these changes send the organisation back to the council to verify:
    new registration numbers on a verified organisation, or any change to one the
    council could not verify."""
    if organisation.verification_status == Organisation.Verification.REJECTED:
        return True
    if organisation.verification_status != Organisation.Verification.VERIFIED:
        return False
    return (
        "charity_number" in changes
        and normalise_charity_number(changes["charity_number"]) != organisation.charity_number
    ) or (
        "company_number" in changes
        and normalise_company_number(changes["company_number"]) != organisation.company_number
    )


@transaction.atomic
def organisation_update(*, organisation: Organisation, changed_by, **changes) -> Organisation:
    """Change an organisation's details (`changes` are field names, and `wards_served`).

    Changing the registration numbers of a verified organisation, or changing an
    organisation the council could not verify, puts it back in the queue to verify.
    """
    unknown = set(changes) - set(ORGANISATION_FIELDS) - {"wards_served"}
    if unknown:
        raise TypeError(f"organisation_update() got unexpected fields: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation_update_needs_verifying(organisation=organisation, changes=changes):
        organisation.verification_status = Organisation.Verification.PENDING
        organisation.verified_at = None
        organisation.verified_by = None
    return _organisation_save(
        organisation=organisation,
        fields={k: v for k, v in changes.items() if k in ORGANISATION_FIELDS},
        wards_served=changes.get("wards_served"),
    )


# --- Joining an organisation ------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, organisation: Organisation, user, message: str = "") -> JoinRequest:
    """Ask to join an organisation; its admins are emailed. Refused (ValidationError) for
    a member, or while an earlier request is waiting."""
    if organisation.memberships.filter(user=user).exists():
        raise ValidationError(f"You are already a member of {organisation.name}")
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                organisation=organisation, user=user, message=message.strip()
            )
    except IntegrityError as error:
        raise ValidationError(
            f"You have already asked to join {organisation.name}. Its admins will reply to you."
        ) from error
    outbox_enqueue(task=tasks.join_request_created_email_send, args=[join_request.pk])
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, decided_by, approve: bool) -> JoinRequest:
    """An organisation admin approves (the person becomes a member) or declines a request
    to join. The person is emailed the decision."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError("This request has already been decided")
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = decided_by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        Membership.objects.get_or_create(
            organisation_id=join_request.organisation_id, user_id=join_request.user_id
        )
    outbox_enqueue(task=tasks.join_request_decided_email_send, args=[join_request.pk])
    return join_request


# --- Invitations and members ------------------------------------------------------------------


def invitation_is_live(invitation: Invitation, *, now: dt.datetime | None = None) -> bool:
    """Not accepted, revoked or expired."""
    now = now or timezone.now()
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > now
    )


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by
) -> Invitation:
    """Invite someone by email to join the organisation with a role; the link in the
    email works for 14 days. A new invitation to the same address replaces a live one."""
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {organisation.name}"})
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=uuid.uuid4(),
        invited_by=invited_by,
        expires_at=now + INVITATION_LIFETIME,
    )
    outbox_enqueue(task=tasks.invitation_email_send, args=[invitation.pk])
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_problem(*, invitation: Invitation, user) -> str | None:
    """Why this person cannot accept the invitation now, in words for them, or None."""
    if invitation.revoked_at is not None:
        return (
            f"This invitation has been withdrawn. Ask an admin of {invitation.organisation.name} "
            "to invite you again."
        )
    if invitation.accepted_at is not None:
        return "This invitation has already been used."
    if invitation.expires_at <= timezone.now():
        return (
            f"This invitation has expired. Ask an admin of {invitation.organisation.name} "
            "to send you a new one."
        )
    if not user_has_email(user=user, email=invitation.email):
        return (
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{user.email}. Sign out, then sign in or create an account with "
            f"{invitation.email} to accept it."
        )
    return None


def user_has_email(*, user, email: str) -> bool:
    """The person's account email, or another address they have confirmed, is `email`."""
    from allauth.account.models import EmailAddress

    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """The invited person joins the organisation with the role they were invited to.

    Only the person signed in with the email address the invitation was sent to can
    accept it, once, before it expires or is withdrawn (ValidationError otherwise).
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    problem = invitation_problem(invitation=invitation, user=user)
    if problem:
        raise ValidationError(problem)
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.ADMIN:
        membership.role = Membership.Role.ADMIN
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    JoinRequest.objects.filter(
        organisation=invitation.organisation, user=user, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a person from an organisation. Refused for its last admin.

    The organisation row is locked so two admins cannot remove each other at once.
    """
    Organisation.objects.select_for_update().filter(pk=membership.organisation_id).first()
    membership = Membership.objects.filter(pk=membership.pk).first()
    if membership is None:
        return
    if membership.role == Membership.Role.ADMIN:
        admins = Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
        ).count()
        if admins <= 1:
            raise ValidationError(LAST_ADMIN)
    membership.delete()


# --- Compliance documents ---------------------------------------------------------------------


@transaction.atomic
def compliance_document_upload(
    *,
    organisation: Organisation,
    kind: str,
    file: File,
    uploaded_by,
    expires_on: dt.date | None = None,
) -> ComplianceDocument:
    """Add a compliance document. `file` should come from `core.uploads.CheckedFileField`,
    which has checked its content. Insurance certificates need an expiry date."""
    if kind == ComplianceDocument.Kind.INSURANCE and expires_on is None:
        raise ValidationError({"expires_on": "Enter the date the insurance expires"})
    original_name = file.name.rsplit("/", 1)[-1]
    file.name = safe_storage_name(original_name)
    document = ComplianceDocument(
        organisation=organisation,
        kind=kind,
        file=file,
        original_name=original_name[:255],
        expires_on=expires_on,
        uploaded_by=uploaded_by,
    )
    document.full_clean(exclude=["uploaded_by"])
    document.save()
    return document


@transaction.atomic
def compliance_document_delete(*, document: ComplianceDocument) -> None:
    """Remove a compliance document; its file is deleted once the change is committed."""
    name, storage = document.file.name, document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Verification -----------------------------------------------------------------------------


@transaction.atomic
def organisation_verify(
    *, organisation: Organisation, verified_by, verified: bool, note: str = ""
) -> Organisation:
    """A commissioning officer or administrator records whether the council has verified
    the organisation (only a verified organisation can bid). A rejection needs a note
    saying why. The organisation's admins are emailed the decision."""
    if not verified_by.has_perm("providers.verify_organisation", organisation):
        raise PermissionDenied("You may not verify organisations")
    note = note.strip()
    if not verified and not note:
        raise ValidationError({"note": REJECTION_NOTE_NEEDED})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.verification_status = (
        Organisation.Verification.VERIFIED if verified else Organisation.Verification.REJECTED
    )
    organisation.verification_note = note
    organisation.verified_at = timezone.now()
    organisation.verified_by = verified_by
    organisation.save(
        update_fields=[
            "verification_status",
            "verification_note",
            "verified_at",
            "verified_by",
            "updated_at",
        ]
    )
    outbox_enqueue(task=tasks.organisation_verification_email_send, args=[organisation.pk])
    return organisation


# --- Emails -----------------------------------------------------------------------------------


def _email_send(*, template: str, context: dict, recipients: list[str]) -> None:
    """The same email to each address, one message each (none sees the others)."""
    emails_to_addresses_send(
        addresses=recipients, template=f"providers/email/{template}", context=context
    )


def _admin_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=Membership.Role.ADMIN)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def join_request_created_email_send(*, join_request: JoinRequest) -> None:
    """Tell the organisation's admins that someone has asked to join."""
    organisation = join_request.organisation
    _email_send(
        template="join_request_created",
        context={
            "join_request": join_request,
            "organisation": organisation,
            "person": join_request.user,
            "members_url": absolute_url(
                reverse("organisation_members", kwargs={"pk": organisation.pk})
            ),
        },
        recipients=_admin_emails(organisation),
    )


def join_request_decided_email_send(*, join_request: JoinRequest) -> None:
    """Tell the person whether they may join the organisation."""
    _email_send(
        template="join_request_decided",
        context={
            "join_request": join_request,
            "organisation": join_request.organisation,
            "person": join_request.user,
            "approved": join_request.status == JoinRequest.Status.APPROVED,
            "organisation_url": absolute_url(
                reverse("organisation_detail", kwargs={"pk": join_request.organisation_id})
            ),
            "home_url": absolute_url(reverse("provider_home")),
        },
        recipients=[join_request.user.email],
    )


def invitation_email_send(*, invitation: Invitation) -> None:
    """Send the invitation link to the person invited."""
    _email_send(
        template="invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "invited_by": invitation.invited_by,
            "accept_url": absolute_url(
                reverse("invitation_accept", kwargs={"token": invitation.token})
            ),
        },
        recipients=[invitation.email],
    )


def organisation_verification_email_send(*, organisation: Organisation) -> None:
    """Tell the organisation's admins whether the council has verified it."""
    _email_send(
        template="verification",
        context={
            "organisation": organisation,
            "verified": organisation.is_verified,
            "organisation_url": absolute_url(
                reverse("organisation_detail", kwargs={"pk": organisation.pk})
            ),
        },
        recipients=_admin_emails(organisation),
    )


# --- Working Together: being found for consortium bids ---------------------------------------


@transaction.atomic
def partner_profile_set(*, organisation: Organisation, findable: bool, offer: str, areas, by):
    """Say whether lead bidders can find the organisation for consortium bids, what it
    offers and where it can work."""
    profile, _ = PartnerProfile.objects.update_or_create(
        organisation=organisation,
        defaults={"findable": findable, "offer": offer.strip(), "updated_by": by},
    )
    profile.areas.set(areas)
    return profile
