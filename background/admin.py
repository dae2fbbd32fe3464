from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from background.models import Mail
from background.outbox import deliver
from certification.admin_support import OfficerAdmin, readonly_fields_of


@admin.register(Mail)
class MailAdmin(OfficerAdmin):
    """The outbox: what was told to whom and when; an undelivered mail can be tried again."""

    list_display = ("created_at", "to", "subject", "language", "sent_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "language")
    search_fields = ("to", "subject", "key")
    readonly_fields = readonly_fields_of(Mail)
    date_hierarchy = "created_at"
    actions = ["try_again"]

    @admin.action(description=_("Try to deliver the selected unsent mails again"))
    def try_again(self, request: HttpRequest, queryset: QuerySet[Mail]) -> None:
        unsent = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        queryset.filter(pk__in=unsent).update(attempts=0)
        for mail_id in unsent:
            deliver.enqueue(mail_id)
        sentence = ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", len(unsent))
        messages.success(request, sentence % {"count": len(unsent)})
