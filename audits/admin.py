"""Admin of the workflow: applications and surveillance audits (with their actions as buttons),
audits and findings. The measured share is read-only everywhere: it is computed from hours.

Registered here rather than in certification because the actions run the audit services.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import Assessment, Audit, Finding, ProductionStep
from audits.surveillance import Surveillance, SurveillanceAssessment
from certification.admin_support import OfficerAdmin, ReadOnlyInline, TransitionButtonsAdmin, readonly_fields_of
from certification.models import Application, ApplicationDocument, HistoryEvent


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "download")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("file"))
    def download(self, document: ApplicationDocument) -> str:
        url = reverse("admin:certification_applicationdocument_download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


class HistoryInline(ReadOnlyInline):
    model = HistoryEvent
    fk_name = "application"
    fields = ("created_at", "action", "actor", "from_state", "to_state", "comment")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = gettext_lazy("history")


@admin.register(Application)
class ApplicationAdmin(TransitionButtonsAdmin):
    list_display = ("reference", "enterprise", "product", "state", "scheme", "submitted_at", "auditor")
    list_filter = ("state", "scheme", "product__category", "enterprise")
    search_fields = ("reference", "enterprise__name", "enterprise__enterprise_number", "product__name")
    list_select_related = ("enterprise", "product", "scheme", "audit__auditor")
    readonly_fields = readonly_fields_of(Application)
    inlines = [DocumentInline, HistoryInline]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("auditor"))
    def auditor(self, application: Application) -> str:
        audit = getattr(application, "audit", None)
        return audit.auditor.get_username() if audit else "-"


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = ("criterion", "result", "value", "comment", "assessed_by", "assessed_at")
    readonly_fields = fields
    show_change_link = False


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ("criterion", "severity", "status", "description", "due_date", "response")
    readonly_fields = fields


@admin.register(Audit)
class AuditAdmin(OfficerAdmin):
    list_display = ("application", "auditor", "scheduled_for", "started_at", "reported_at", "measured_social_share")
    list_filter = ("auditor", "scheduled_for")
    search_fields = ("application__reference", "application__enterprise__name", "auditor__username")
    list_select_related = ("application", "auditor")
    readonly_fields = readonly_fields_of(Audit)
    inlines = [AssessmentInline, FindingInline]
    date_hierarchy = "scheduled_for"


@admin.register(Finding)
class FindingAdmin(OfficerAdmin):
    list_display = ("__str__", "audit", "severity", "status", "due_date")
    list_filter = ("severity", "status")
    search_fields = ("description", "response", "audit__application__reference")
    list_select_related = ("audit__application",)
    readonly_fields = readonly_fields_of(Finding)


class SurveillanceAssessmentInline(ReadOnlyInline):
    model = SurveillanceAssessment
    fields = ("criterion", "result", "value", "comment", "assessed_by", "assessed_at")
    readonly_fields = fields
    show_change_link = False


class SurveillanceStepInline(ReadOnlyInline):
    """The hours per production step the share of the surveillance is computed from."""

    model = ProductionStep
    fk_name = "surveillance_assessment"
    fields = (
        "name", "target_group_hours", "all_hours", "subcontracted_hours", "subcontractor_name",
        "subcontractor_enterprise_number", "subcontractor_recognised",
    )  # fmt: skip
    readonly_fields = fields
    show_change_link = False


@admin.register(Surveillance)
class SurveillanceAdmin(TransitionButtonsAdmin):
    list_display = ("label", "auditor", "scheduled_for", "state", "reported_at", "measured_social_share")
    list_filter = ("state", "auditor", "scheduled_for")
    search_fields = ("label__code", "label__product__name", "label__product__enterprise__name", "auditor__username")
    list_select_related = ("label", "auditor")
    readonly_fields = readonly_fields_of(Surveillance)
    inlines = [SurveillanceAssessmentInline]
    date_hierarchy = "scheduled_for"


@admin.register(SurveillanceAssessment)
class SurveillanceAssessmentAdmin(OfficerAdmin):
    """One criterion checked at surveillance, with the production steps of the share criterion."""

    list_display = ("__str__", "surveillance", "assessed_by", "assessed_at")
    list_select_related = ("criterion", "surveillance__label")
    readonly_fields = readonly_fields_of(SurveillanceAssessment)
    inlines = [SurveillanceStepInline]
