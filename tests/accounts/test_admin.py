import pytest
from django.contrib.messages import get_messages

from accounts.models import ServiceClient, Session, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, make_user):
    admin_user = make_user(email="staff@phoenix.ai")
    User.objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    client.login(email="staff@phoenix.ai", password=PASSWORD)
    return client


def test_creating_a_service_client_shows_the_key_once(staff):
    response = staff.post(
        "/admin/accounts/serviceclient/add/",
        {"name": "Letters", "app_source": "letters", "scopes": ["energy:write"]},
    )
    assert response.status_code == 302
    client = ServiceClient.objects.get(name="Letters")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(word for m in shown for word in m.split() if word.startswith("phx_"))
    assert key.startswith(f"phx_{client.key_prefix}_")
    assert client.key_hash and key not in str(client.__dict__)
    first_view = staff.get(response.url)  # the message is shown on this page...
    assert key in first_view.content.decode()
    again = staff.get(f"/admin/accounts/serviceclient/{client.pk}/change/")
    assert key not in again.content.decode()  # ...and never again


def test_staff_revoke_a_key_and_deactivate_a_user(staff, user, client_for):
    signed_in = client_for(user)
    staff.post(
        "/admin/accounts/user/",
        {"action": "deactivate", "_selected_action": [str(user.pk)]},
    )
    assert not User.objects.get(pk=user.pk).is_active
    assert signed_in.get("/api/auth/me").status_code == 401
    assert Session.objects.get(user=user).revoked_reason == "deactivated"


def test_sessions_are_read_only_in_the_admin(staff, client_for, user):
    session = client_for(user).session_row
    assert staff.get("/admin/accounts/session/").status_code == 200
    change = staff.post(f"/admin/accounts/session/{session.pk}/change/", {})
    assert change.status_code == 403
    assert staff.get("/admin/accounts/session/add/").status_code == 403


def test_user_search_by_email(staff, user):
    response = staff.get("/admin/accounts/user/", {"q": user.email})
    assert user.email in response.content.decode()
