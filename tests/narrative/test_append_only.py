import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from narrative import services
from narrative.models import AppendOnlyError, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(user):
    return services.record(user=user, type="cv.ats_scored", payload={"ats_score": 70})[
        0
    ]


def test_saving_a_recorded_event_again_is_refused(event):
    event.type = "cv.optimized"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_updating_events_through_the_orm_is_refused(event):
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(type="cv.optimized")
    with pytest.raises(AppendOnlyError):
        Event.objects.bulk_update([event], ["type"])


def test_a_user_with_events_cannot_be_deleted(user, event):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        user.delete()


def sql(statement: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.postgres
def test_postgres_refuses_an_update_issued_in_sql(event):
    with pytest.raises(DatabaseError, match="append-only"):
        sql(
            "UPDATE narrative_event SET type = 'cv.optimized' WHERE id = %s", [event.pk]
        )
    event.refresh_from_db()
    assert event.type == "cv.ats_scored"


@pytest.mark.postgres
def test_postgres_refuses_a_delete_issued_in_sql(event):
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM narrative_event WHERE id = %s", [event.pk])
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_postgres_refuses_a_redaction_without_the_erasure_setting(event):
    with pytest.raises(DatabaseError, match="append-only"):
        sql(
            "UPDATE narrative_event SET payload = '{\"redacted\": true}', "
            "redacted_at = now() WHERE id = %s",
            [event.pk],
        )


def redact_with_permission(statement: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('narrative.allow_redaction', 'on', true)")
        cursor.execute(statement, params)


@pytest.mark.postgres
def test_postgres_refuses_more_than_a_redaction_even_with_the_setting(event):
    with pytest.raises(DatabaseError, match="append-only"):
        redact_with_permission(
            "UPDATE narrative_event SET payload = '{\"redacted\": true}', "
            "redacted_at = now(), type = 'cv.optimized' WHERE id = %s",
            [event.pk],
        )
    with pytest.raises(DatabaseError, match="append-only"):
        redact_with_permission(
            "UPDATE narrative_event SET payload = '{\"ats_score\": 99}' WHERE id = %s",
            [event.pk],
        )


@pytest.mark.postgres
def test_postgres_lets_a_pure_redaction_through_with_the_setting(event):
    redact_with_permission(
        "UPDATE narrative_event SET payload = '{\"redacted\": true}', "
        "redacted_at = now() WHERE id = %s",
        [event.pk],
    )
    event.refresh_from_db()
    assert event.is_redacted


@pytest.mark.postgres
def test_erasure_does_not_leave_the_redaction_permission_on(user, event):
    with transaction.atomic():
        services.erase_events(user=user)
        with pytest.raises(DatabaseError, match="append-only"):
            sql(
                "UPDATE narrative_event SET redacted_at = %s WHERE id = %s",
                [timezone.now(), event.pk],
            )
