from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from narrative import capital as projection
from narrative import services
from narrative.models import CapitalNarratif, Event

pytestmark = pytest.mark.django_db


def spend(user, action: str, amount: int, times: int = 1):
    for _ in range(times):
        services.record(
            user=user,
            type="energy.consumed",
            payload={"action": action, "amount": amount},
        )


def letter(user, company="Acme", position="Data analyst"):
    services.record(
        user=user,
        type="letter.generated",
        payload={"company_name": company, "position_title": position},
        app_source="letters",
    )


def record_rich_story(user):
    start = timezone.now() - timedelta(days=30)
    services.record(
        user=user,
        type="narrative.started",
        payload={"motivation": "Changer de voie"},
        occurred_at=start,
    )
    services.record(user=user, type="user.session_started", app_source="website")
    services.record(
        user=user,
        type="cv.ats_scored",
        payload={"ats_score": 61.5, "skills": ["Python", "SQL"], "target_role": "Dev"},
        app_source="cv",
    )
    spend(user, "analyse_cv_complete", 25, times=3)
    spend(user, "lettre_motivation", 15, times=2)
    for n in range(5):
        letter(user, company=f"Company {n}")
    services.record(
        user=user,
        type="energy.refunded",
        payload={"action": "lettre_motivation", "amount": 15},
    )
    services.record(user=user, type="mirror_match.analyzed", payload={"match_pct": 77})
    services.record(user=user, type="aube.persona_chosen", app_source="aube")
    services.record(user=user, type="website.page_viewed", app_source="website")
    services.record_many(
        user=user,
        events=[
            {
                "type": "cv.optimized",
                "payload": {"ats_score": 84, "skills": ["python"]},
            },
            {"type": "milestone.reached", "payload": {"kpi": "ats", "value": 84}},
        ],
    )
    for n in range(120):  # more distinct types than the projection counts
        services.record(user=user, type=f"website.clicked_{n}", app_source="website")


def test_a_user_without_events_has_an_empty_story_and_no_row(user):
    capital = services.capital(user=user)
    assert capital["events_total"] == 0
    assert capital["first_seen"] is None
    assert capital["career_phase"]["code"] == "discovery"
    assert capital["growth_trajectory"]["code"] == "early_user"
    assert [r["code"] for r in capital["recommendations"]] == ["keep_going"]
    assert not CapitalNarratif.objects.filter(user=user).exists()


def test_the_capital_narratif_gathers_the_story_from_real_fields(user):
    record_rich_story(user)
    capital = services.capital(user=user)
    assert capital["last_seq"] == capital["events_total"] == 139
    assert capital["first_seen"] < capital["last_activity"]
    apps = {a["app_source"]: a["events"] for a in capital["apps_used"]}
    assert apps["website"] == 122
    assert apps["letters"] == 5
    assert capital["counts_by_type"]["letter.generated"] == 5
    assert capital["counts_by_type"]["other"] > 0  # capped at 100 distinct types
    assert len(capital["counts_by_type"]) == 101
    assert capital["actions_performed"] == {
        "analyse_cv_complete": 3,
        "lettre_motivation": 2,
    }
    assert capital["most_frequent_action"] == "analyse_cv_complete"
    assert capital["skills"] == ["SQL", "python"]  # case-insensitive, latest spelling
    assert capital["target_roles"] == ["Dev", "Data analyst"]
    assert capital["energy"] == {
        "spent": 105,
        "refunded": 15,
        "net": 90,
        "by_action": {"analyse_cv_complete": 75, "lettre_motivation": 30},
    }
    assert capital["ats"] == {"scores": 2, "latest": 84, "best": 84, "mean": 72.8}
    milestones = capital["milestones"]
    assert milestones[0]["type"] == "milestone.reached"
    assert milestones[0]["details"] == {"kpi": "ats", "value": 84}
    assert len(milestones) == 10
    assert milestones[-1]["type"] == "narrative.started"  # the ten latest, newest first


def test_a_projection_rebuilt_from_scratch_equals_the_incremental_one(user, capsys):
    record_rich_story(user)
    incremental = CapitalNarratif.objects.get(user=user)
    served = services.capital(user=user)
    call_command("rebuild_narrative", "--user", str(user.pk))
    assert f"[1/1] {user.pk}: 139 event(s)" in capsys.readouterr().out
    rebuilt = CapitalNarratif.objects.get(user=user)
    assert rebuilt.state == incremental.state
    assert rebuilt.last_seq == incremental.last_seq
    assert services.capital(user=user) == served
    assert rebuilt.state == projection.fold(
        Event.objects.for_user(user).chronological()
    )


def test_rebuilding_everyone_reports_progress(user, other_user, capsys):
    services.record(user=user, type="luna.note")
    services.record(user=other_user, type="luna.note")
    services.record(user=None, type="luna.model_switched")  # system: no projection
    call_command("rebuild_narrative")
    out = capsys.readouterr().out
    assert "[1/2]" in out and "[2/2]" in out
    assert "Rebuilt 2 projection(s)." in out


def test_a_missing_or_outdated_projection_is_rebuilt_on_read(user):
    record_rich_story(user)
    served = services.capital(user=user)
    CapitalNarratif.objects.filter(user=user).delete()
    assert services.capital(user=user) == served
    CapitalNarratif.objects.filter(user=user).update(
        version=projection.VERSION + 1, state={}
    )
    assert services.capital(user=user) == served


def test_reading_the_capital_narratif_is_one_query_whatever_the_history(
    user, other_user, django_assert_num_queries
):
    services.record(user=user, type="luna.note")
    for n in range(300):
        services.record(user=other_user, type="luna.note", payload={"n": n})
    for owner in (user, other_user):
        with django_assert_num_queries(1):
            services.capital(user=owner)


@pytest.mark.parametrize(
    ("events", "phase"),
    [
        ([("user.session_started", None)] * 4 + [("aube.x_done", None)], "discovery"),
        (
            [("aube.persona_chosen", None)] * 2 + [("cv.optimized", None)] * 3,
            "transition",
        ),
        (
            [("interview.prepared", None)] * 3 + [("cv.optimized", None)] * 2,
            "acceleration",
        ),
        (
            [("cv.optimized", None)] * 2
            + [("mirror_match.analyzed", {"match_pct": 50})] * 2
            + [("user.session_started", None)],
            "growth",
        ),
        (
            [("user.session_started", None)] * 4 + [("cv.optimized", None)] * 2,
            "discovery",
        ),
    ],
)
def test_the_career_phase_follows_the_documented_rules(user, events, phase):
    for type, payload in events:
        services.record(user=user, type=type, payload=payload)
    assert services.capital(user=user)["career_phase"]["code"] == phase


def test_hub_bookkeeping_does_not_count_towards_the_phase(user):
    for _ in range(10):
        services.record(user=user, type="auth.logged_in")
    services.record(user=user, type="aube.persona_chosen")
    signals = services.capital(user=user)["career_phase"]["signals"]
    assert sum(signals.values()) == 1


@pytest.mark.parametrize(
    ("actions", "trajectory"),
    [
        (["mirror_match", "mirror_match"], "early_user"),
        (["conseil_rapide"] * 3, "beginner"),
        (["conseil_rapide"] * 5 + ["lettre_motivation"] * 5, "progressing"),
        (
            ["conseil_rapide"] * 10 + ["mirror_match", "strategie_candidature"] * 3,
            "advanced_user",
        ),
    ],
)
def test_the_growth_trajectory_looks_at_the_five_latest_actions(
    user, actions, trajectory
):
    for action in actions:
        services.record(
            user=user, type="user.action_completed", payload={"action": action}
        )
    assert services.capital(user=user)["growth_trajectory"]["code"] == trajectory


def codes(user):
    return [r["code"] for r in services.capital(user=user)["recommendations"]]


def test_many_letters_suggest_an_application_strategy_until_the_user_has_one(user):
    for _ in range(4):
        letter(user)
    assert codes(user)[0] == "strategie_candidature"
    spend(user, "strategie_candidature", 35)
    assert "strategie_candidature" not in codes(user)


def test_several_cv_analyses_suggest_mirror_match_until_it_is_used(user):
    spend(user, "analyse_cv_complete", 25, times=3)
    assert codes(user) == ["mirror_match", "explore"]
    services.record(user=user, type="mirror_match.analyzed", payload={"match_pct": 60})
    assert codes(user) == ["explore"]


def test_a_low_ats_score_suggests_optimising_the_cv(user):
    services.record(user=user, type="cv.ats_scored", payload={"ats_score": 79})
    assert codes(user) == ["optimisation_cv"]
    services.record(user=user, type="cv.ats_scored", payload={"ats_score": 80})
    assert codes(user) == ["keep_going"]


def test_a_tech_profile_gets_the_tech_templates_and_at_most_three_suggestions(user):
    spend(user, "analyse_cv_complete", 25, times=3)
    services.record(
        user=user,
        type="cv.ats_scored",
        payload={"ats_score": 50, "target_role": "Développeur Python"},
    )
    for _ in range(4):
        letter(user)
    assert codes(user) == ["strategie_candidature", "mirror_match", "optimisation_cv"]
    recommendations = services.capital(user=user)["recommendations"]
    assert recommendations[0]["action"] == "strategie_candidature"
    assert recommendations[0]["message"]


def test_labels_and_messages_follow_the_active_language(user):
    from django.utils import translation

    services.record(user=user, type="cv.ats_scored", payload={"ats_score": 40})
    with translation.override("en"):
        english = services.capital(user=user)
    assert english["career_phase"]["label"] == "Discovery"
    assert english["recommendations"][0]["message"].startswith("Your ATS score")


def test_the_append_paths_sql_names_the_models_tables_and_columns():
    # narrative.heads writes Stream and CapitalNarratif in plain SQL; a renamed
    # table or column must fail here, not in production.
    from narrative import heads
    from narrative.models import Stream

    sql = " ".join(
        heads.LOCK.split() + heads.ADVANCE.split() + heads.SAVE_CAPITAL.split()
    )
    assert Stream._meta.db_table == "narrative_stream"
    assert CapitalNarratif._meta.db_table == "narrative_capitalnarratif"
    # insert_row sends the concrete fields in order: the INSERT names them so.
    columns = [field.column for field in Event._meta.concrete_fields]
    assert f"INSERT INTO {Event._meta.db_table} ({', '.join(columns)})" in " ".join(
        heads.INSERT_EVENT.split()
    )
    for model, alias, names in (
        (Stream, "s", ["id", "user", "last_seq", "last_hash", "updated_at"]),
        (CapitalNarratif, "c", ["id", "user", "version", "last_seq", "state"]),
    ):
        for name in names:
            column = model._meta.get_field(name).column
            assert f"{alias}.{column}" in sql or f" {column} = %s" in sql


def test_the_projection_moves_with_each_event_in_one_locked_read(user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spend(user, "optimisation_cv", 12)
    with CaptureQueriesContext(connection) as queries:
        spend(user, "optimisation_cv", 12)
    reads = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(reads) == 1  # the stream head and the projection row together
    row = CapitalNarratif.objects.get(user=user)
    assert row.last_seq == 2
    assert services.capital(user=user) == {"user_id": str(user.pk), "last_seq": 2} | (
        projection.render(row.state)
    )
    assert projection.render(row.state)["energy"]["spent"] == 24
