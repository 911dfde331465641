"""Being written: every view answers 404 until it is built."""

from django.http import Http404
from django.views import View


class _Unbuilt(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class BidStartView(_Unbuilt):
    pass


class MyBidsView(_Unbuilt):
    pass


class BidDetailView(_Unbuilt):
    pass


class BidEditView(_Unbuilt):
    pass


class BidBudgetView(_Unbuilt):
    pass


class BidPartnersView(_Unbuilt):
    pass


class BidAttachmentsView(_Unbuilt):
    pass


class BidAttachmentDownloadView(_Unbuilt):
    pass


class BidTransitionView(_Unbuilt):
    pass


class BidReceiptView(_Unbuilt):
    pass


class PartnershipListView(_Unbuilt):
    pass


class PartnershipConfirmView(_Unbuilt):
    pass


class StaffBidListView(_Unbuilt):
    pass


class StaffBidExportView(_Unbuilt):
    pass
