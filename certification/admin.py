from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.admin_support import (
    ActionButtonsAdmin,
    OfficerAdmin,
    ReadOnlyInline,
    TransitionButtonsAdmin,
    is_officer,
    readonly_fields_of,
)
from certification.models import (
    ApplicationDocument,
    AuditorQualification,
    CertificateRecord,
    CertificateTranslation,
    ConflictOfInterest,
    Criterion,
    DerivedStatusChange,
    Enterprise,
    HistoryEvent,
    Label,
    Product,
    ProductCategory,
    Scheme,
    SigningKey,
    User,
)
from certification.policies import acting_user
from certification.services.schemes import activate_scheme, copy_scheme
from certification.uploads import download


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "role_list", "is_active")
    list_filter = ("groups", "is_active", "is_staff", "is_superuser")
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (gettext_lazy("Mail"), {"fields": ("language",)}))

    @admin.display(description=gettext_lazy("roles"))
    def role_list(self, user: User) -> str:
        return ", ".join(sorted(user.roles))


class ProductInline(ReadOnlyInline):
    model = Product
    fields = ("name", "kind", "category", "gtin")
    readonly_fields = fields


@admin.register(Enterprise)
class EnterpriseAdmin(OfficerAdmin):
    officers_edit = True
    list_display = (
        "name",
        "enterprise_number_display",
        "recognition_type",
        "recognition_valid_until",
        "city",
        "province",
    )
    list_filter = ("recognition_type", "province")
    search_fields = ("name", "enterprise_number", "recognition_number", "city")
    filter_horizontal = ("members",)
    inlines = [ProductInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=gettext_lazy("enterprise number"), ordering="enterprise_number")
    def enterprise_number_display(self, enterprise: Enterprise) -> str:
        return enterprise.enterprise_number_display


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(OfficerAdmin):
    """Declared ties between people and enterprises; ended by their date, never deleted."""

    officers_edit = True
    list_display = ("person", "enterprise", "until", "declared_at")
    list_filter = ("until",)
    search_fields = ("person__username", "enterprise__name", "reason")
    list_select_related = ("person", "enterprise")
    autocomplete_fields = ("enterprise",)


@admin.register(AuditorQualification)
class AuditorQualificationAdmin(OfficerAdmin):
    """Which categories each auditor may audit, and until when."""

    officers_edit = True
    list_display = ("auditor", "category", "valid_until")
    list_filter = ("category", "valid_until")
    search_fields = ("auditor__username", "auditor__last_name", "evidence")
    list_select_related = ("auditor", "category")


@admin.register(ProductCategory)
class ProductCategoryAdmin(OfficerAdmin):
    officers_edit = True
    list_display = ("code", "name_nl", "name_en", "name_fr")
    search_fields = ("code", "name_nl", "name_en", "name_fr")


@admin.register(Product)
class ProductAdmin(OfficerAdmin):
    officers_edit = True
    list_display = ("name", "enterprise", "kind", "category", "gtin")
    list_filter = ("kind", "category")
    search_fields = ("name", "gtin", "enterprise__name", "enterprise__enterprise_number")
    list_select_related = ("enterprise", "category")
    autocomplete_fields = ("enterprise",)


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    filter_horizontal = ("categories",)

    def _editable(self, obj: Scheme | None) -> bool:
        return obj is None or obj.is_editable

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_officer(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_officer(request) and self._editable(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_officer(request) and self._editable(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_officer(request) and self._editable(obj)


class NewVersionForm(forms.Form):
    version = forms.CharField(label=gettext_lazy("new version"), max_length=20)


@admin.register(Scheme)
class SchemeAdmin(ActionButtonsAdmin):
    officers_edit = True
    list_display = (
        "__str__",
        "status",
        "validity_months",
        "level_1_min_share",
        "level_2_min_share",
        "level_3_min_share",
    )
    list_filter = ("status",)
    inlines = [CriterionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Scheme | None = None) -> list[str]:
        # An activated scheme is frozen: applications were assessed against it.
        return ["status", "activated_at"] if obj is None or obj.is_editable else readonly_fields_of(Scheme)

    def available_actions(self, request: HttpRequest, obj: Scheme) -> list[tuple[str, Any, bool]]:
        actions = [("copy", _("Make a new version"), False)]
        if obj.is_editable:
            actions.insert(0, ("activate", _("Activate"), False))
        return actions

    def action_form(self, request: HttpRequest, obj: Scheme, name: str, data: Any) -> forms.Form:
        return NewVersionForm(data) if name == "copy" else forms.Form(data)

    def run_action(self, request: HttpRequest, obj: Scheme, name: str, form: forms.Form) -> str:
        if name == "activate":
            activate_scheme(scheme=obj, by=acting_user(request))
            return _("%(scheme)s is now the active scheme.") % {"scheme": obj}
        copy = copy_scheme(scheme=obj, version=form.cleaned_data["version"], by=acting_user(request))
        return _("Draft %(scheme)s created; edit it, then activate it.") % {"scheme": copy}


@admin.register(Criterion)
class CriterionAdmin(OfficerAdmin):
    list_display = ("code", "title_nl", "scheme", "kind", "mandatory", "weight")
    list_filter = ("scheme", "kind", "mandatory", "categories")
    search_fields = ("code", "title_nl", "title_en", "title_fr")
    readonly_fields = readonly_fields_of(Criterion)


@admin.register(Label)
class LabelAdmin(TransitionButtonsAdmin):
    list_display = ("code", "product", "level", "social_share", "status", "issued_on", "valid_until")
    list_filter = ("status", "level", "scheme", "product__category")
    search_fields = ("code", "product__name", "product__enterprise__name", "product__enterprise__enterprise_number")
    list_select_related = ("product",)
    readonly_fields = readonly_fields_of(Label)
    date_hierarchy = "issued_on"


@admin.register(CertificateRecord)
class CertificateRecordAdmin(OfficerAdmin):
    """Every certificate PDF ever issued, by hash; read-only."""

    list_display = ("label", "sha256", "size", "key_id", "created_at", "superseded_at")
    list_filter = ("key_id",)
    search_fields = ("sha256", "label__code")
    list_select_related = ("label",)
    readonly_fields = readonly_fields_of(CertificateRecord)


@admin.register(CertificateTranslation)
class CertificateTranslationAdmin(OfficerAdmin):
    """Every certificate PDF ever issued in French or English, by hash; read-only."""

    list_display = ("record", "language", "sha256", "size", "created_at")
    list_filter = ("language",)
    search_fields = ("sha256", "record__label__code")
    list_select_related = ("record__label",)
    readonly_fields = readonly_fields_of(CertificateTranslation)


@admin.register(SigningKey)
class SigningKeyAdmin(OfficerAdmin):
    """Published public keys; keys are made and rotated with `manage.py generate_signing_key`."""

    list_display = ("kid", "status", "created_at", "retired_at")
    list_filter = ("status",)
    readonly_fields = readonly_fields_of(SigningKey)


@admin.register(HistoryEvent)
class HistoryEventAdmin(OfficerAdmin):
    """The history is read-only, here as everywhere."""

    list_display = ("created_at", "action", "actor", "application", "from_state", "to_state", "comment")
    list_filter = ("action", "target_type")
    search_fields = ("action", "comment", "application__reference", "actor__username")
    list_select_related = ("actor", "application")
    readonly_fields = readonly_fields_of(HistoryEvent)
    date_hierarchy = "created_at"


@admin.register(DerivedStatusChange)
class DerivedStatusChangeAdmin(OfficerAdmin):
    """The changes that time made to labels' public status, as the periodic task recorded them."""

    list_display = ("effective_at", "label", "reason", "recorded_at")
    list_filter = ("reason",)
    search_fields = ("label__code",)
    list_select_related = ("label",)
    readonly_fields = readonly_fields_of(DerivedStatusChange)
    date_hierarchy = "effective_at"


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(OfficerAdmin):
    list_display = ("original_name", "application", "content_type", "size", "uploaded_at", "download")
    list_filter = ("content_type",)
    search_fields = ("original_name", "sha256", "application__reference")
    list_select_related = ("application",)
    readonly_fields = [*(f for f in readonly_fields_of(ApplicationDocument) if f != "file"), "download"]
    exclude = ("file",)

    @admin.display(description=gettext_lazy("file"))
    def download(self, document: ApplicationDocument) -> str:
        url = reverse("admin:certification_applicationdocument_download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:document_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="certification_applicationdocument_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request: HttpRequest, document_id: int) -> HttpResponseBase:
        if not is_officer(request):
            return HttpResponseRedirect(reverse("admin:index"))
        document = get_object_or_404(ApplicationDocument, pk=document_id)
        return download(document)
