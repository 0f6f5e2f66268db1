import pytest
from django.core.management import call_command

from narrative import services
from narrative.models import Stream

pytestmark = pytest.mark.django_db


def verify(capsys, *args):
    code = 0
    try:
        call_command("verify_events", *args)
    except SystemExit as exit:
        code = exit.code
    return code, capsys.readouterr()


@pytest.fixture
def story(user):
    return [
        services.record(user=user, type="luna.note", payload={"n": n})[0]
        for n in range(5)
    ]


def test_verify_events_passes_on_intact_streams(capsys, user, other_user, story):
    services.record(user=other_user, type="luna.note")
    services.record(user=None, type="luna.model_switched")
    code, output = verify(capsys)
    assert code == 0
    assert "3 stream(s), 7 event(s)" in output.out


def test_a_payload_altered_in_the_database_is_caught(capsys, story, tamper):
    victim = story[2]
    tamper(
        "UPDATE narrative_event SET payload = %s WHERE id = %s",
        ['{"n": 99}', victim.pk],
    )
    code, output = verify(capsys)
    assert code == 1
    assert str(victim.pk) in output.err
    assert "payload" in output.err
    assert f"First broken event: {victim.pk}" in output.err


def test_an_altered_type_is_caught_by_the_hash(capsys, user, story, tamper):
    victim = story[1]
    tamper(
        "UPDATE narrative_event SET type = 'cv.optimized' WHERE id = %s", [victim.pk]
    )
    code, output = verify(capsys, "--user", str(user.pk))
    assert code == 1
    assert f"event {victim.pk} (seq 2) does not match its hash" in output.err


def test_a_deleted_event_is_caught_as_a_gap(capsys, story, tamper):
    tamper("DELETE FROM narrative_event WHERE id = %s", [story[1].pk])
    code, output = verify(capsys)
    assert code == 1
    assert f"event {story[2].pk} (seq 3) comes where seq 2 was expected" in output.err


def test_a_truncated_stream_is_caught_by_its_head(capsys, story, tamper):
    tamper("DELETE FROM narrative_event WHERE id = %s", [story[-1].pk])
    code, output = verify(capsys)
    assert code == 1
    assert "the head says seq 5" in output.err


def test_a_relinked_chain_is_caught(story, tamper):
    tamper(
        "UPDATE narrative_event SET prev_hash = %s WHERE id = %s",
        ["f" * 64, story[3].pk],
    )
    problems = services.verify_stream()
    assert [(p.code, p.event_id) for p in problems] == [("broken_link", story[3].pk)]


def test_events_without_a_stream_head_are_reported(user, story, tamper):
    tamper("DELETE FROM narrative_stream WHERE user_id = %s", [user.pk])
    assert not Stream.objects.filter(user=user).exists()
    codes = {p.code for p in services.verify_stream()}
    assert "no_head" in codes


def test_verify_events_rejects_an_unknown_user(user):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_events", "--user", "nope")
