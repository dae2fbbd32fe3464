from django.urls import path

from web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("verify/", views.verify_form, name="verify-form"),
    path("verify/certificate/", views.check_certificate, name="check-certificate"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("registry/", views.registry, name="registry"),
]
