"""Complaints in the admin: officers see them; their stages change only through the buttons,
which run the same services as the pages and the API."""

from django.contrib import admin

from certification.admin_support import ReadOnlyInline, TransitionButtonsAdmin, readonly_fields_of
from complaints.models import Appeal, AppealFile, Complaint, ComplaintFile


class ComplaintFileInline(ReadOnlyInline):
    model = ComplaintFile
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Complaint)
class ComplaintAdmin(TransitionButtonsAdmin):
    list_display = ("tracking_number", "state", "category", "label", "enterprise", "received_at", "acknowledge_by")
    list_filter = ("state", "category")
    search_fields = ("tracking_number", "label__code", "enterprise__name", "enterprise__enterprise_number")
    list_select_related = ("label", "enterprise")
    readonly_fields = readonly_fields_of(Complaint)
    inlines = [ComplaintFileInline]
    date_hierarchy = "received_at"


class AppealFileInline(ReadOnlyInline):
    model = AppealFile
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Appeal)
class AppealAdmin(TransitionButtonsAdmin):
    list_display = ("__str__", "kind", "state", "application", "label", "enterprise", "lodged_at")
    list_filter = ("state", "kind")
    search_fields = ("application__reference", "label__code", "enterprise__name")
    list_select_related = ("application", "label", "enterprise")
    readonly_fields = readonly_fields_of(Appeal)
    inlines = [AppealFileInline]
