from django.urls import path

from web.views import (
    accounts,
    appeals,
    applications,
    audits,
    complaints,
    favicon,
    labels,
    officers,
    products,
    public,
    schemes,
    statistics,
    tokens,
    watch,
)

app_name = "web"

urlpatterns = [
    # Public
    path("", public.home, name="home"),
    path("verify/", public.verify_form, name="verify-form"),
    path("verify/certificate/", public.check_certificate, name="check-certificate"),
    path("verify/<str:code>/", public.verify, name="verify"),
    path("registry/", public.registry, name="registry"),
    path("registry/snapshot/<str:name>", public.registry_snapshot, name="registry-snapshot"),
    # The status watch: feeds without an address, and following by e-mail
    path("verify/<str:code>/feed.atom", watch.label_feed, name="label-feed"),
    path("enterprises/<str:number>/feed.atom", watch.enterprise_feed, name="enterprise-feed"),
    path("registry/changes.atom", watch.registry_feed, name="registry-feed"),
    path("watch/", watch.subscribe, name="watch-subscribe"),
    path("watch/confirm/<str:key>/", watch.confirm, name="watch-confirm"),
    path("watch/unsubscribe/<str:key>/", watch.unsubscribe_page, name="watch-unsubscribe"),
    path("schemes/<str:version>/", schemes.scheme_detail, name="scheme"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/<slug:code>.svg", statistics.chart, name="statistics-chart"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("complaints/new/", complaints.new_complaint, name="complaint-new"),
    path("complaints/", complaints.track, name="complaint-track"),
    path("complaints/<str:number>/", complaints.complaint_status, name="complaint"),
    # Accounts
    path("account/sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("account/sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("account/password/", accounts.PasswordChangeView.as_view(), name="password-change"),
    path("account/password/reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path("account/password/reset/sent/", accounts.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("account/tokens/", tokens.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.revoke, name="api-token-revoke"),
    path("dashboard/", accounts.dashboard, name="dashboard"),
    # Applicants
    path("products/new/", products.new_product, name="product-new"),
    path("products/<int:pk>/", products.edit_product, name="product-edit"),
    path("applications/new/", applications.new_application, name="application-new"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit/", applications.edit_application, name="application-edit"),
    path("applications/<int:pk>/documents/", applications.upload_document, name="document-upload"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        applications.download_document,
        name="document-download",
    ),
    path("applications/<int:pk>/appeal/", appeals.new_appeal, name="appeal-new"),
    path("applications/<int:pk>/<str:name>/", applications.application_action, name="application-action"),
    path("appeals/", appeals.appeals, name="appeals"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal"),
    path("appeals/<int:pk>/<str:name>/", appeals.appeal_action, name="appeal-action"),
    # Auditors
    path("audits/<int:pk>/", audits.audit_detail, name="audit"),
    path("audits/<int:pk>/criteria/<str:code>/", audits.assess, name="assess"),
    path("audits/<int:pk>/findings/", audits.new_finding, name="finding-new"),
    path("audits/<int:pk>/findings/<int:finding_pk>/close/", audits.close, name="finding-close"),
    # Officers
    path("queue/", officers.queue, name="queue"),
    path("labels/<str:code>/renew/", applications.renew_label, name="label-renew"),
    path("labels/<str:code>/<str:name>/", labels.label_action, name="label-action"),
    path("officer/complaints/", complaints.officer_complaints, name="officer-complaints"),
    path("officer/complaints/<str:number>/", complaints.officer_complaint, name="officer-complaint"),
    path(
        "officer/complaints/<str:number>/files/<int:file_pk>/", complaints.complaint_file, name="officer-complaint-file"
    ),
    path("officer/complaints/<str:number>/<str:name>/", complaints.complaint_action, name="complaint-action"),
]
