"""Contract tests for /luna/events and /luna/narrative/{user_id}."""

import pytest

from narrative.models import Event

pytestmark = pytest.mark.django_db


def send(client, user, **body):
    payload = {
        "user_id": str(user.pk),
        "event_type": "cv_ats_score",
        "app_source": "cv",
    }
    payload.update(body)
    return client.post("/luna/events", payload, format="json")


def test_an_old_event_is_recorded_under_its_new_name(auth_client, user):
    response = send(auth_client, user, event_data={"ats_score": 72})
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["message"] == "Event created successfully"
    event = Event.objects.get(pk=body["event_id"])
    assert event.type == "cv.ats_scored" and event.payload == {"ats_score": 72}
    assert event.app_source == "cv"


def test_unknown_old_names_are_kept_under_legacy(auth_client, user):
    body = send(
        auth_client, user, event_type="JournalViewed", app_source="website"
    ).json()
    assert Event.objects.get(pk=body["event_id"]).type == "legacy.journal_viewed"


def test_old_payload_rules_still_apply(auth_client, user):
    response = send(auth_client, user, event_data={"ats_score": 300})
    assert response.status_code == 400
    assert "detail" in response.json()


def test_hub_owned_types_stay_closed(auth_client, user):
    response = send(auth_client, user, event_type="energy.consumed")
    assert response.status_code == 403


def test_a_foreign_user_id_is_403(auth_client, other_user):
    response = send(auth_client, other_user)
    assert response.status_code == 403
    assert not Event.objects.for_user(other_user).filter(type="cv.ats_scored").exists()
    assert auth_client.get(f"/luna/narrative/{other_user.pk}").status_code == 403


def test_a_service_key_records_for_its_own_app_only(service_client_for, user):
    cv = service_client_for(["narrative:write"], app_source="cv")
    data = {"ats_score": 80}
    assert send(cv, user, event_data=data).status_code == 200
    assert send(cv, user, event_data=data, app_source="letters").status_code == 403


def test_the_capital_narratif_in_the_old_shape(auth_client, user):
    send(auth_client, user, event_data={"ats_score": 64})
    send(
        auth_client,
        user,
        event_type="letter_created",
        app_source="letters",
        event_data={"company_name": "Acme", "position_title": "Data analyst"},
    )
    response = auth_client.get(f"/luna/narrative/{user.pk}")
    assert response.status_code == 200
    capital = response.json()["capital_narratif"]
    assert set(capital) == {
        "user_profile",
        "usage_analytics",
        "professional_journey",
        "ai_insights",
        "metadata",
    }
    assert capital["user_profile"]["total_events"] >= 2
    assert set(capital["user_profile"]["apps_mastered"]) >= {"cv", "letters"}
    assert isinstance(capital["ai_insights"]["engagement_score"], int)
    assert isinstance(capital["ai_insights"]["recommendations"], list)
