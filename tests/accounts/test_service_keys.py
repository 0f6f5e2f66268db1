import pytest
from django.core.management import call_command

from accounts import services
from accounts.models import ServiceClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.views")]

URL = "/api/test/acting-user"


def test_a_service_with_the_scope_acts_for_the_named_user(service_client_for, user):
    service = service_client_for(["energy:read"])
    response = service.get(URL, {"user_id": str(user.pk)})
    assert response.status_code == 200
    assert response.json() == {"user_id": str(user.pk), "actor": "service:Phoenix CV"}
    service.service.refresh_from_db()
    assert service.service.last_used_at is not None


def test_a_service_without_the_scope_is_403(service_client_for, user):
    response = service_client_for(["narrative:write"]).get(
        URL, {"user_id": str(user.pk)}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "missing_scope"


def test_a_service_must_name_an_existing_user(service_client_for):
    service = service_client_for(["energy:read"])
    assert service.get(URL).status_code == 400
    assert service.get(URL, {"user_id": "nope"}).status_code == 400
    missing = service.get(URL, {"user_id": "00000000-0000-0000-0000-000000000000"})
    assert missing.status_code == 404


def test_a_user_token_acts_only_for_its_own_user(auth_client, user, other_user):
    assert auth_client.get(URL).json()["user_id"] == str(user.pk)
    assert auth_client.get(URL, {"user_id": str(user.pk)}).status_code == 200
    foreign = auth_client.get(URL, {"user_id": str(other_user.pk)})
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "foreign_user"


def test_a_revoked_key_is_401(service_client_for, user):
    service = service_client_for(["energy:read"])
    services.revoke_service_client(client=service.service)
    response = service.get(URL, {"user_id": str(user.pk)})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key ",
        "Api-Key phx_short_x",
        "Api-Key phx_abcdefgh_" + "x" * 40,
        "Api-Key \u00e9",
    ],
)
def test_malformed_or_unknown_keys_are_401(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get(URL, {"user_id": "x"}).status_code == 401


def test_only_a_hash_of_the_key_is_stored(service_client_for):
    service = service_client_for(["energy:read"])
    row = ServiceClient.objects.get(pk=service.service.pk)
    assert service.key not in str(row.__dict__)
    assert service.key.startswith(f"phx_{row.key_prefix}_")


def test_unknown_scopes_are_refused():
    with pytest.raises(services.AccountError):
        services.create_service_client(name="x", app_source="cv", scopes=["root"])


def test_the_command_prints_the_key_once(capsys, api_client, user):
    call_command(
        "create_service_key",
        "Letters backend",
        "--app",
        "letters",
        "--scopes",
        "energy:read",
    )
    output = capsys.readouterr()
    key = output.out.strip()
    client = ServiceClient.objects.get(name="Letters backend")
    assert client.scopes == ["energy:read"] and client.app_source == "letters"
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert api_client.get(URL, {"user_id": str(user.pk)}).status_code == 200
