from django.urls import path

from api.views import labels, public, verify

app_name = "api"

urlpatterns = [
    path("labels/", public.RegistryView.as_view(), name="registry"),
    path("labels/<str:code>/", public.LabelLookupView.as_view(), name="label"),
    path("labels/<str:code>/certificate.pdf", public.CertificateView.as_view(), name="certificate"),
    path("labels/<str:code>/credential", public.CredentialView.as_view(), name="credential"),
    path("labels/<str:code>/transitions/<str:name>/", labels.LabelTransitionView.as_view(), name="label-transition"),
    path("verify/", verify.VerifyView.as_view(), name="verify"),
    path("keys/", public.KeySetView.as_view(), name="keys"),
]
