import pytest

from narrative import services
from narrative.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin@example.com", "pw")
    client.force_login(admin)
    return client


@pytest.fixture
def event(user):
    return services.record(user=user, type="cv.ats_scored", payload={"ats_score": 70})[
        0
    ]


def test_staff_can_list_and_filter_events(staff_client, event, user):
    url = "/admin/narrative/event/"
    assert staff_client.get(url).status_code == 200
    for query in (
        {"type": "cv.ats_scored"},
        {"type": "aube.*"},
        {"app_source__exact": "cv"},
        {"user": str(user.pk)},
        {"q": str(event.pk)},
        {"q": "cv.ats_scored"},
        {"q": user.email},
    ):
        response = staff_client.get(url, query)
        assert response.status_code == 200, query
    filtered = staff_client.get(url, {"type": "aube.*"})
    assert str(event.pk) not in filtered.content.decode()


def test_events_cannot_be_added_changed_or_deleted_in_the_admin(staff_client, event):
    base = f"/admin/narrative/event/{event.pk}"
    assert staff_client.get("/admin/narrative/event/add/").status_code == 403
    detail = staff_client.get(f"{base}/change/")
    assert detail.status_code == 200
    assert b'name="type"' not in detail.content  # read-only: no form inputs
    assert staff_client.post(f"{base}/change/", {"type": "x.y"}).status_code == 403
    assert staff_client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.get(pk=event.pk).type == "cv.ats_scored"


def test_the_stream_and_projection_admins_are_read_only(staff_client, event):
    for model in ("stream", "capitalnarratif"):
        assert staff_client.get(f"/admin/narrative/{model}/").status_code == 200
        assert staff_client.get(f"/admin/narrative/{model}/add/").status_code == 403
