"""Celery tasks for provider organisations' emails: thin, taking ids and calling a service."""

from celery import shared_task

from providers.models import Invitation, JoinRequest, Organisation


@shared_task
def join_request_created_email_send(join_request_id: int) -> None:
    """Tell an organisation's admins that someone has asked to join."""
    from providers.services import join_request_created_email_send as send

    join_request = (
        JoinRequest.objects.select_related("organisation", "user")
        .filter(pk=join_request_id)
        .first()
    )
    if join_request is not None:
        send(join_request=join_request)


@shared_task
def join_request_decided_email_send(join_request_id: int) -> None:
    """Tell the person who asked to join whether they may."""
    from providers.services import join_request_decided_email_send as send

    join_request = (
        JoinRequest.objects.select_related("organisation", "user")
        .filter(pk=join_request_id)
        .first()
    )
    if join_request is not None:
        send(join_request=join_request)


@shared_task
def invitation_email_send(invitation_id: int) -> None:
    """Send the invitation link, unless the invitation has been withdrawn meanwhile."""
    from providers.services import invitation_email_send as send

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, revoked_at__isnull=True)
        .first()
    )
    if invitation is not None:
        send(invitation=invitation)


@shared_task
def organisation_verification_email_send(organisation_id: int) -> None:
    """Tell an organisation's admins whether the council has verified it."""
    from providers.services import organisation_verification_email_send as send

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        send(organisation=organisation)
