"""Builds the demo world through the same services the pages and the API use."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audits.models import AssessmentResult, FindingSeverity
from audits.services.assessments import add_finding, record_assessment
from audits.services.audits import request_corrective_actions, schedule_audit, start_audit, submit_report
from audits.services.decisions import approve_application
from audits.services.share import StepRecord
from audits.services.surveillance import (
    record_surveillance_assessment,
    report_surveillance,
    schedule_surveillance,
    start_surveillance,
)
from audits.surveillance_selectors import surveillance_criteria
from certification.models import (
    Application,
    ApplicationState,
    AuditorQualification,
    CriterionKind,
    Enterprise,
    Label,
    Product,
    Role,
    StatusReason,
    User,
)
from certification.seed import ensure_categories, ensure_seed_scheme
from certification.selectors import applicable_criteria
from certification.services.applications import (
    create_application,
    reject_application,
    submit_application,
    withdraw_application,
)
from certification.services.certificates import regenerate_certificate
from certification.services.documents import add_document
from certification.services.labels import add_months, change_label_status
from demo.data import ACCOUNTS, APPLICANT_OF, APPLICATIONS, ENTERPRISES, LAPSED, SCORES, STEPS

S = ApplicationState
RENEWAL_WINDOW = "renewal_window"
SURVEILLANCE_REPORTED = "surveillance_reported"
# How far from today the demo puts a label's next surveillance (as if it was issued earlier).
SURVEILLANCE_DUE_IN = {"surveillance_due": 20, "surveillance_overdue": -45}
LABEL_STEPS = {
    "suspend": ("Surveillance-audit niet ingepland.", StatusReason.SURVEILLANCE_OVERDUE),
    "revoke": ("Productie uitbesteed buiten de sociale economie.", StatusReason.NON_CONFORMITY),
}
# A PDF that a real parser opens (uploads are read with one): a catalog and one empty page.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def ensure_user(username: str, password: str, *, first_name: str, last_name: str, roles: list[Role]) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@demo.example"},
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))
    user.__dict__.pop("roles", None)
    return user


def ensure_admin(password: str) -> User:
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@demo.example"}
    )
    if created or not admin.check_password(password):
        admin.set_password(password)
        admin.save(update_fields=["password"])
    return admin


@transaction.atomic
def seed(*, password: str) -> dict[str, User]:
    """Create the demo world once; a second run finds it and changes nothing."""
    ensure_seed_scheme()
    categories = ensure_categories()
    enterprises = {
        key: Enterprise.objects.get_or_create(
            enterprise_number=fields["enterprise_number"],
            defaults={**fields, "recognition_valid_until": datetime.date(timezone.localdate().year + 3, 12, 31)},
        )[0]
        for key, fields in ENTERPRISES.items()
    }
    users = {"admin": ensure_admin(password)}
    for username, (first, last, roles, enterprise_key) in ACCOUNTS.items():
        users[username] = ensure_user(username, password, first_name=first, last_name=last, roles=roles)
        if enterprise_key:
            enterprises[enterprise_key].members.add(users[username])
    for username in ("auditor1", "auditor2"):  # qualified for every category, as the admin records it
        for qualified_for in categories.values():
            AuditorQualification.objects.get_or_create(
                auditor=users[username],
                category=qualified_for,
                defaults={"valid_until": datetime.date(timezone.localdate().year + 2, 12, 31), "evidence": "Demo."},
            )
    staff = Group.objects.filter(name__in=[Role.OFFICER])
    for user in users.values():
        if user.groups.filter(pk__in=staff).exists() and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])

    for enterprise_key, name, kind, category, gtin, share, target, label_step in APPLICATIONS:
        enterprise = enterprises[enterprise_key]
        product, created = Product.objects.get_or_create(
            enterprise=enterprise,
            name=name,
            defaults={"kind": kind, "category": categories[category], "gtin": gtin, "description": name},
        )
        if created:
            applicant = users[APPLICANT_OF[enterprise_key]]
            _bring_to(product, Decimal(share), target, label_step, applicant=applicant, users=users)
    for key in LAPSED:  # its recognition ended after its label was issued, as the admin records it
        lapsed = enterprises[key]
        if lapsed.recognition_valid_until is None or lapsed.recognition_valid_until >= timezone.localdate():
            lapsed.recognition_valid_until = timezone.localdate() - datetime.timedelta(days=1)
            lapsed.save(update_fields=["recognition_valid_until"])
    return users


def _bring_to(
    product: Product,
    share: Decimal,
    target: ApplicationState,
    label_step: str | None,
    *,
    applicant: User,
    users: dict[str, User],
) -> Application:
    officer, other_officer, auditor = users["officer1"], users["officer2"], users["auditor1"]
    application = create_application(
        enterprise=product.enterprise,
        by=applicant,
        product=product,
        declared_social_share=share,
        production_description=f"{product.name}: productie en afwerking door doelgroepwerknemers in eigen atelier.",
    )
    add_document(application=application, file=ContentFile(DEMO_PDF, name="erkenningsbesluit.pdf"), by=applicant)
    if target == S.DRAFT:
        return application
    if target == S.WITHDRAWN:
        return withdraw_application(application=application, by=applicant, reason="Product wordt niet meer gemaakt.")
    application = submit_application(application=application, by=applicant)
    if target == S.SUBMITTED:
        return application
    if target == S.REJECTED:
        return reject_application(
            application=application, by=officer, reason="Het aandeel sociale economie is te laag voor een label."
        )
    application = schedule_audit(
        application=application, by=officer, auditor=auditor, scheduled_for=timezone.localdate()
    )
    if target == S.AUDIT_SCHEDULED:
        return application
    application = start_audit(application=application, by=auditor)
    _assess(application, auditor)
    if target == S.AUDIT_IN_PROGRESS:
        return application
    if target == S.CORRECTIVE_ACTION:
        add_finding(
            audit=application.audit,
            by=auditor,
            severity=FindingSeverity.MAJOR,
            criterion_code="C3",
            description="Klachten worden niet geregistreerd of opgevolgd.",
        )
    application = submit_report(application=application, by=auditor, summary="Audit ter plaatse uitgevoerd.")
    if target == S.CORRECTIVE_ACTION:
        return request_corrective_actions(
            application=application,
            by=officer,
            comment="Leg een klachtenregister aan.",
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )
    if target == S.AUDIT_REPORTED:
        return application
    label = approve_application(application=application, by=other_officer, rationale="Voldoet aan alle criteria.")
    if label_step == RENEWAL_WINDOW:
        _into_renewal_window(label)
    elif label_step == SURVEILLANCE_REPORTED:
        _surveillance_reported(label, auditor=users["auditor2"], officer=officer)
    elif label_step in SURVEILLANCE_DUE_IN:
        due = timezone.localdate() + datetime.timedelta(days=SURVEILLANCE_DUE_IN[label_step])
        Label.objects.filter(pk=label.pk).update(surveillance_due_on=due)
    elif label_step:
        reason, category = LABEL_STEPS[label_step]
        change_label_status(label=label, name=label_step, by=officer, reason=reason, category=category)
    return application


def _into_renewal_window(label: Label) -> None:
    """Date the label as if issued long ago, two months before its last day: in its renewal
    window. Its certificate is issued anew, so that it carries these dates."""
    valid_until = timezone.localdate() + datetime.timedelta(days=60)
    issued_on = add_months(valid_until, -label.scheme.validity_months)
    Label.objects.filter(pk=label.pk).update(issued_on=issued_on, valid_until=valid_until)
    label.refresh_from_db()
    label.save()  # its public record shows the new dates
    regenerate_certificate(label=label, by=None)


def _surveillance_reported(label: Label, *, auditor: User, officer: User) -> None:
    """A surveillance audit of the label, recorded on site (the share measured again from the hours
    per production step) and reported: it waits for the decision of an officer."""
    surveillance = schedule_surveillance(label=label, by=officer, auditor=auditor, scheduled_for=timezone.localdate())
    surveillance = start_surveillance(surveillance=surveillance, by=auditor)
    for criterion in surveillance_criteria(surveillance=surveillance):
        if criterion.kind == CriterionKind.SOCIAL_SHARE:
            record_surveillance_assessment(
                surveillance=surveillance,
                criterion_code=criterion.code,
                by=auditor,
                steps=_steps(label.product),
                comment="Loonlijsten en uurregistratie van de referentieperiode ingezien.",
            )
            continue
        record_surveillance_assessment(
            surveillance=surveillance,
            criterion_code=criterion.code,
            by=auditor,
            result=AssessmentResult.PASS,
            value=SCORES[criterion.kind],
            comment="Vastgesteld ter plaatse.",
        )
    report_surveillance(surveillance=surveillance, by=auditor, summary="Opvolgingsaudit ter plaatse uitgevoerd.")


def _steps(product: Product) -> list[StepRecord]:
    return [
        StepRecord(
            name=name,
            target_group_hours=Decimal(target_group),
            all_hours=Decimal(worked),
            subcontracted_hours=Decimal(subcontracted),
            subcontractor_name=recognised[0] if recognised else "",
            subcontractor_enterprise_number=recognised[1] if recognised else "",
            subcontractor_recognised=recognised is not None,
        )
        for name, target_group, worked, subcontracted, recognised in STEPS[product.name]
    ]


def _assess(application: Application, auditor: User) -> None:
    product = application.product
    assert product is not None
    for criterion in applicable_criteria(application=application):
        if criterion.kind == CriterionKind.SOCIAL_SHARE:
            record_assessment(
                audit=application.audit,
                criterion_code=criterion.code,
                by=auditor,
                steps=_steps(product),
                comment="Loonlijsten en uurregistratie van de referentieperiode ingezien.",
            )
            continue
        record_assessment(
            audit=application.audit,
            criterion_code=criterion.code,
            by=auditor,
            result=AssessmentResult.PASS,
            value=SCORES[criterion.kind],
            comment="Vastgesteld ter plaatse.",
        )
