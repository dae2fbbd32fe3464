"""The statistics' tallies (certification.tallies) are kept in step with the labels by every
write, in the same transaction, and the figures read from them stay exact at every instant."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from certification.models import Label, LabelStatus, ProductCategory, StatusReason
from certification.models.tallies import LabelTally
from certification.services.labels import change_label_status
from certification.statistics import all_figures, valid_count
from certification.tallies import counted, rebuild_tallies
from tests.factories import keep_current_until_its_last_day


def tallies() -> dict[tuple[object, ...], int]:
    return {
        (t.dimension, t.key, t.status, t.issued_on, t.valid_until): t.labels
        for t in LabelTally.objects.all()
        if t.labels
    }


def recounted() -> dict[tuple[object, ...], int]:
    return dict(counted(Label.objects.all()))


def figure(code: str) -> dict[str, float | int]:
    return {row.key: row.value for f in all_figures() if f.code == code for row in f.rows}


def test_every_write_keeps_the_tallies_equal_to_a_count_of_the_labels(issue_label, olivia, enterprise) -> None:  # type: ignore[no-untyped-def]
    jam, chair = issue_label(category="food"), issue_label()
    assert tallies() == recounted()
    change_label_status(label=jam, name="suspend", by=olivia, reason="Klacht.", category=StatusReason.MISUSE)
    assert tallies() == recounted()
    change_label_status(label=jam, name="reinstate", by=olivia, reason="Opgelost.", category=StatusReason.CORRECTED)
    change_label_status(label=chair, name="revoke", by=olivia, reason="Misbruik.", category=StatusReason.MISUSE)
    assert tallies() == recounted()
    enterprise.postal_code = "3500"  # the enterprise moves to Limburg
    enterprise.recognition_type = "maatwerkafdeling"
    enterprise.save()
    assert tallies() == recounted()
    assert figure("province")["limburg"] == 1
    product = jam.product
    product.category = ProductCategory.objects.get(code="assembly")
    product.save()
    assert tallies() == recounted()
    label = Label.objects.get(pk=jam.pk)
    label.level, label.social_share = 1, Decimal("30")
    label.save()
    assert tallies() == recounted()
    assert figure("level") == {"1": 1, "2": 0, "3": 0}
    assert figure("share")["25-50"] == 1


def test_a_write_that_rolls_back_leaves_the_tallies_as_they_were(issue_label, olivia) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    before = tallies()

    def suspend_then_fail() -> None:
        with transaction.atomic():
            change_label_status(label=label, name="suspend", by=olivia, reason="x", category=StatusReason.OTHER)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        suspend_then_fail()
    assert tallies() == before


def test_a_rebuild_counts_what_went_around_the_models(issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    Label.objects.filter(pk=label.pk).update(level=1)  # around the models, as a bulk load is
    assert tallies() != recounted()
    rebuild_tallies()
    assert tallies() == recounted()


def test_a_label_counts_as_valid_up_to_its_last_day_and_expired_the_next(issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    keep_current_until_its_last_day(label)
    last_day = datetime.datetime.combine(label.valid_until, datetime.time(23, 59), tzinfo=datetime.UTC)
    brussels_midnight = datetime.datetime.combine(label.valid_until, datetime.time(22, 59), tzinfo=datetime.UTC)
    with time_machine.travel(brussels_midnight, tick=False):  # 23:59 in Brussels on its last day
        assert valid_count() == 1
        assert Label.objects.get(pk=label.pk).public_status().value == "valid"
    with time_machine.travel(last_day, tick=False):  # 00:59 in Brussels the day after
        assert valid_count() == 0
        assert figure("expired")[label.valid_until.strftime("%Y-%m")] == 1
        assert Label.objects.get(pk=label.pk).public_status().value == "expired"
    assert LabelTally.objects.filter(status=LabelStatus.ACTIVE).exists()  # nothing was written: read at the instant


def test_the_figures_read_the_tallies_and_only_the_labels_time_took_out(issue_label) -> None:  # type: ignore[no-untyped-def]
    """Every label is counted from the tallies; the label table is read only for the labels that
    a lapsed recognition or an overdue surveillance took out of validity, by conditions on the
    recognition's end and the surveillance due date (indexed), never as a whole."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issue_label()
    with CaptureQueriesContext(connection) as read:
        all_figures()
    queries = [query["sql"] for query in read.captured_queries]
    assert any("certification_labeltally" in sql for sql in queries)
    on_labels = [sql for sql in queries if 'FROM "certification_label"' in sql]
    assert len(on_labels) == 2
    assert '"recognition_valid_until" <' in on_labels[0]
    assert '"surveillance_due_on" <' in on_labels[1]
    assert not any('"certification_application"' in sql for sql in queries)
