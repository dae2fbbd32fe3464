"""The whole workflow through the pages (Django's test client): every step is a form a person
fills in, and every step says how it went. The browser walks the same story in tests/browser/."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from audits.models import FindingStatus
from certification.models import Application, ApplicationState, Label, LabelStatus, Product, ProductCategory
from certification.selectors import applicable_criteria
from tests.factories import PDF_BYTES

PDF = PDF_BYTES


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def said(response) -> str:  # type: ignore[no-untyped-def]
    """The message the page shows after the action (or the refusals it shows instead)."""
    said = [str(m) for m in response.context["messages"]]
    assert said, re.findall(r'(?s)<div class="alert".*?</div>|<p class="error">.*?</p>', response.content.decode())
    return said[-1]


def test_the_whole_story_from_product_to_suspended_label(  # type: ignore[no-untyped-def]
    alice, carol, olivia, oscar, scheme, committed
) -> None:
    applicant, officer, auditor = signed_in(alice), signed_in(olivia), signed_in(carol)

    # The applicant registers a product and applies with a first document.
    response = applicant.post(
        "/products/new/",
        {
            "enterprise": alice.enterprises.get().pk,
            "name": "Houten speelgoed",
            "kind": "product",
            "category": ProductCategory.objects.get(code="assembly").pk,
        },
        follow=True,
    )
    assert said(response) == "Houten speelgoed is saved."
    product = Product.objects.get(name="Houten speelgoed")
    response = applicant.post(
        "/applications/new/",
        {
            "product": product.pk,
            "declared_social_share": "82",
            "production_description": "Gezaagd en geschuurd in ons atelier.",
            "file": SimpleUploadedFile("erkenning.pdf", PDF, "application/pdf"),
        },
        follow=True,
    )
    application = Application.objects.get(product=product)
    assert response.redirect_chain[-1][0] == f"/applications/{application.pk}/"
    assert "erkenning.pdf" in response.content.decode()

    # Submit: one click.
    response = applicant.post(f"/applications/{application.pk}/submit/", follow=True)
    assert f"{application.reference} is now submitted." == said(response)

    # The officer schedules the audit with carol.
    scheduled_for = timezone.localdate() + datetime.timedelta(days=3)
    response = officer.post(
        f"/applications/{application.pk}/schedule_audit/",
        {"auditor": carol.username, "scheduled_for": scheduled_for.isoformat()},
        follow=True,
    )
    assert said(response) == f"{application.reference} is now audit scheduled."
    audit = Application.objects.get(pk=application.pk).audit

    # The auditor starts, records the checklist and a finding, and reports.
    auditor.post(f"/applications/{application.pk}/start_audit/")
    application.refresh_from_db()
    for criterion in applicable_criteria(application=application):
        data = {f"{criterion.code}-result": "pass", f"{criterion.code}-comment": "In orde."}
        if criterion.kind == "social_share":
            data = {
                f"{criterion.code}-step-0-name": "Assemblage",
                f"{criterion.code}-step-0-target_group_hours": "800",
                f"{criterion.code}-step-0-all_hours": "1000",
            }
        elif criterion.kind == "score_0_4":
            data[f"{criterion.code}-value"] = "3"
        response = auditor.post(f"/audits/{audit.pk}/criteria/{criterion.code}/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    response = auditor.post(
        f"/audits/{audit.pk}/findings/",
        {"criterion": "", "severity": "minor", "description": "Het register van opleidingen is onvolledig."},
        follow=True,
    )
    assert re.fullmatch(r"Finding #\d+ is recorded.", said(response))
    response = auditor.post(
        f"/applications/{application.pk}/submit_report/",
        {"summary": "Goed georganiseerd atelier."},
        follow=True,
    )
    assert said(response) == f"{application.reference} is now audit reported."

    # The officer asks for corrective actions; the applicant answers the finding.
    officer.post(
        f"/applications/{application.pk}/request_corrective_actions/",
        {
            "comment": "Vul het register aan.",
            "due_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    finding = audit.findings.get()
    response = applicant.get(f"/applications/{application.pk}/")
    assert "Het register van opleidingen is onvolledig." in response.content.decode()
    response = applicant.post(
        f"/applications/{application.pk}/submit_corrective_actions/",
        {f"finding_{finding.pk}": "Register aangevuld, zie bijlage."},
        follow=True,
    )
    assert said(response) == f"{application.reference} is now audit in progress."

    # The auditor closes the finding and reports again; the officer approves.
    auditor.post(f"/audits/{audit.pk}/findings/{finding.pk}/close/", {f"close-{finding.pk}-comment": "Aangevuld."})
    assert audit.findings.get().status == FindingStatus.CLOSED
    auditor.post(
        f"/applications/{application.pk}/submit_report/",
        {"summary": "Opgelost."},
    )
    with committed():
        response = officer.post(
            f"/applications/{application.pk}/approve/", {"rationale": "Alles in orde."}, follow=True
        )
    label = Label.objects.get(application=application)
    assert f"The label {label.code} is issued; its certificate is ready." == said(response)

    # The applicant sees the label and the certificate as issued to download.
    html = applicant.get(f"/applications/{application.pk}/").content.decode()
    assert label.code in html
    as_issued = f"/api/v1/labels/{label.code}/certificate/as-issued.pdf"
    assert as_issued in html
    assert applicant.get(as_issued)["Content-Type"] == "application/pdf"

    # The officer (not the auditor) suspends the label with a reason the public is shown.
    with committed():
        response = officer.post(
            f"/labels/{label.code}/suspend/",
            {"category": "non_conformity", "reason": "Klacht over de arbeidsomstandigheden."},
            follow=True,
        )
    assert f"Label {label.code} is now suspended." == said(response)
    label.refresh_from_db()
    assert label.status == LabelStatus.SUSPENDED
    assert Application.objects.get(pk=application.pk).state == ApplicationState.APPROVED


@pytest.mark.parametrize("user", ["alice", "carol"])
def test_the_label_actions_refuse_who_is_not_an_officer(request, issue_label, user) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    client = signed_in(request.getfixturevalue(user))
    response = client.post(f"/labels/{label.code}/suspend/", {"category": "other", "reason": "Zomaar."})
    assert response.status_code == 403
    label.refresh_from_db()
    assert label.status == LabelStatus.ACTIVE
