from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.views import (
    accounts,
    appeals,
    applications,
    audits,
    catalogue,
    changes,
    complaints,
    evidence,
    history,
    labels,
    officers,
    public,
    registry,
    schemes,
    statistics,
    surveillance,
    verify,
    watch,
)

app_name = "api"

router = SimpleRouter()
router.register("products", catalogue.ProductViewSet, basename="product")
router.register("applications", applications.ApplicationViewSet, basename="application")
router.register("audits", audits.AuditViewSet, basename="audit")
router.register("appeals", appeals.AppealViewSet, basename="appeal")
router.register("surveillances", surveillance.SurveillanceViewSet, basename="surveillance")
router.register("changes", changes.ChangeViewSet, basename="change")

urlpatterns = [
    # Public
    path("labels/", registry.RegistryView.as_view(), name="registry"),
    path("labels/datapackage.json", registry.DataPackageView.as_view(), name="registry-datapackage"),
    path("labels/<str:code>/", public.LabelLookupView.as_view(), name="label"),
    path("labels/<str:code>/certificate.pdf", public.CertificateView.as_view(), name="certificate"),
    path("labels/<str:code>/credential", public.CredentialView.as_view(), name="credential"),
    path("verify/", verify.VerifyView.as_view(), name="verify"),
    path("keys/", public.KeySetView.as_view(), name="keys"),
    path("statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path("history/checkpoint", history.CheckpointView.as_view(), name="history-checkpoint"),
    path("categories/", catalogue.CategoryListView.as_view(), name="categories"),
    path("subscriptions/", watch.SubscribeView.as_view(), name="subscribe"),
    path("subscriptions/confirm/", watch.ConfirmView.as_view(), name="subscription-confirm"),
    path("subscriptions/unsubscribe/", watch.UnsubscribeView.as_view(), name="unsubscribe"),
    path("schemes/", schemes.SchemeListView.as_view(), name="schemes"),
    path("schemes/<str:version>/", schemes.SchemeDetailView.as_view(), name="scheme"),
    path("complaints/", complaints.ComplaintFilingView.as_view(), name="complaints"),
    path("complaints/<str:number>/", complaints.ComplaintStatusView.as_view(), name="complaint"),
    # With an account
    path("auth/token/", accounts.TokenView.as_view(), name="token"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("me/tokens/", accounts.ApiTokenListView.as_view(), name="api-tokens"),
    path("me/tokens/<int:token_id>/", accounts.ApiTokenView.as_view(), name="api-token"),
    path("labels/<str:code>/transitions/<str:name>/", labels.LabelTransitionView.as_view(), name="label-transition"),
    path(
        "labels/<str:code>/certificate/as-issued.pdf",
        labels.CertificateAsIssuedView.as_view(),
        name="certificate-as-issued",
    ),
    path("labels/<str:code>/renewal/", labels.RenewalView.as_view(), name="label-renewal"),
    path(
        "applications/<int:pk>/transitions/<str:name>/",
        applications.TransitionView.as_view({"post": "create"}),
        name="application-transition",
    ),
    path("applications/<int:application_id>/findings/", audits.FindingListView.as_view(), name="application-findings"),
    path(
        "audits/<int:audit_id>/assessments/<str:criterion_code>/",
        audits.AssessmentView.as_view(),
        name="assessment",
    ),
    path("audits/<int:audit_id>/findings/", audits.FindingCreateView.as_view(), name="audit-findings"),
    path(
        "audits/<int:audit_id>/assessments/<str:criterion_code>/evidence/",
        evidence.AssessmentEvidenceView.as_view(),
        name="assessment-evidence",
    ),
    path("findings/<int:finding_id>/evidence/", evidence.FindingEvidenceView.as_view(), name="finding-evidence"),
    path("evidence/<int:evidence_id>/", evidence.EvidenceView.as_view(), name="evidence"),
    path("findings/<int:finding_id>/close/", audits.FindingCloseView.as_view(), name="finding-close"),
    path("findings/<int:finding_id>/answer/", audits.FindingAnswerView.as_view(), name="finding-answer"),
    path("labels/<str:code>/changes/", changes.NotifyChangeView.as_view(), name="change-notify"),
    path("changes/<int:pk>/transitions/<str:name>/", changes.ChangeTransitionView.as_view(), name="change-transition"),
    path("surveillance/due/", surveillance.DueView.as_view(), name="surveillance-due"),
    path("labels/<str:code>/surveillances/", surveillance.ScheduleView.as_view(), name="surveillance-schedule"),
    path(
        "surveillances/<int:pk>/assessments/<str:criterion_code>/",
        surveillance.SurveillanceAssessmentView.as_view(),
        name="surveillance-assessment",
    ),
    path(
        "surveillances/<int:pk>/assessments/<str:criterion_code>/evidence/",
        evidence.SurveillanceAssessmentEvidenceView.as_view(),
        name="surveillance-assessment-evidence",
    ),
    path(
        "surveillances/<int:pk>/transitions/<str:name>/",
        surveillance.SurveillanceTransitionView.as_view(),
        name="surveillance-transition",
    ),
    path("queue/", officers.QueueView.as_view(), name="queue"),
    path(
        "complaints/<str:number>/transitions/<str:name>/",
        complaints.ComplaintTransitionView.as_view(),
        name="complaint-transition",
    ),
    path("appeals/<int:pk>/transitions/<str:name>/", appeals.AppealTransitionView.as_view(), name="appeal-transition"),
    path("officer/complaints/", complaints.OfficerComplaintListView.as_view(), name="officer-complaints"),
    path("officer/complaints/<str:number>/", complaints.OfficerComplaintView.as_view(), name="officer-complaint"),
    path(
        "officer/complaints/<str:number>/files/<int:file_id>/",
        complaints.ComplaintFileView.as_view(),
        name="officer-complaint-file",
    ),
    path("auditors/", officers.AuditorsView.as_view(), name="auditors"),
    *router.urls,
]

schema_urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
