import pytest

from tests.energy.conftest import consume, wallet

pytestmark = pytest.mark.django_db


def test_a_user_token_naming_another_user_is_403(auth_client, other_user):
    for response in (
        consume(auth_client, user_id=str(other_user.pk)),
        auth_client.get("/api/energy", {"user_id": str(other_user.pk)}),
        auth_client.get("/api/energy/entries", {"user_id": str(other_user.pk)}),
        auth_client.post(
            "/api/energy/check",
            {"action": "optimisation_cv", "user_id": str(other_user.pk)},
            format="json",
        ),
    ):
        assert response.status_code == 403
    assert wallet(other_user).balance == 100


def test_a_user_cannot_see_anothers_entries(client_for, user, other_user):
    consume(client_for(other_user))
    mine = client_for(user).get("/api/energy/entries").json()["results"]
    assert {e["kind"] for e in mine} == {"grant"}


def test_services_need_the_right_scope(service_client_for, user):
    reader = service_client_for(["energy:read"])
    writer = service_client_for(["energy:write"])
    stranger = service_client_for(["narrative:write"])
    uid = str(user.pk)
    assert reader.get("/api/energy", {"user_id": uid}).status_code == 200
    assert consume(reader, user_id=uid).status_code == 403
    assert stranger.get("/api/energy", {"user_id": uid}).status_code == 403
    assert consume(stranger, user_id=uid).status_code == 403
    spent = consume(writer, user_id=uid)
    assert spent.status_code == 201
    assert spent.json()["entry"]["app_source"] == "cv"
    assert wallet(user).balance == 88


def test_a_service_must_name_the_user(service_client_for):
    writer = service_client_for(["energy:write"])
    assert consume(writer).status_code == 400
    assert (
        consume(writer, user_id="00000000-0000-0000-0000-000000000000").status_code
        == 404
    )


def test_anonymous_callers_get_401(api_client):
    assert api_client.get("/api/energy").status_code == 401
    assert consume(api_client).status_code == 401
