import pytest
from django.core.exceptions import ImproperlyConfigured

from narrative import types


@pytest.fixture
def registry():
    """Registrations made by a test are undone afterwards."""
    saved = dict(types._registry)
    yield
    types._registry.clear()
    types._registry.update(saved)


@pytest.mark.parametrize(
    "name",
    [
        "cv.ats_scored",
        "cv.optimized",
        "cv.section_improved",
        "letter.generated",
        "mirror_match.analyzed",
        "interview.prepared",
        "user.session_started",
        "user.action_completed",
        "milestone.reached",
        "aube.persona_chosen",
        "energy.consumed",
        "billing.pack_purchased",
        "luna.message_sent",
        "auth.logged_in",
        "narrative.started",
    ],
)
def test_the_phoenix_types_are_registered(name):
    assert types.is_registered(name)
    assert types.describe(name).description


def test_an_unknown_type_has_no_registration():
    assert types.describe("website.page_viewed") is None
    assert types.validate("website.page_viewed", {"anything": [1, {"x": 2}]}) == {}


@pytest.mark.parametrize(
    ("name", "writable"),
    [
        ("energy.consumed", False),
        ("energy.credited", False),
        ("billing.pack_purchased", False),
        ("auth.logged_in", False),
        ("cv.optimized", True),
        ("aube.persona_chosen", True),
        ("luna.message_sent", True),
        ("narrative.started", True),
        ("website.page_viewed", True),
    ],
)
def test_clients_may_not_write_the_hubs_money_and_security_types(name, writable):
    assert types.is_client_writable(name) is writable


def test_the_longest_registration_wins_so_higher_apps_can_tighten_a_family(registry):
    # (luna registers its own hub types; this one is the test's.)
    types.register("luna.tightened", description="A test type.", owner="hub")
    assert types.is_client_writable("luna.tightened") is False
    assert types.is_client_writable("luna.message_sent") is True


def test_registering_a_schema_validates_payloads(registry):
    types.register(
        "billing.pack_purchased",
        description="A pack was bought.",
        owner="hub",
        schema={"pack": types.Field("string", required=True, max_length=20)},
    )
    assert types.validate("billing.pack_purchased", {"pack": "cafe_luna"}) == {}
    assert list(types.validate("billing.pack_purchased", {"pack": 3})) == [
        "payload.pack"
    ]
    assert list(types.validate("billing.pack_purchased", {"pack": "x" * 21})) == [
        "payload.pack"
    ]


def test_a_validator_adds_its_own_rules(registry):
    def even(payload):
        return None if payload.get("n", 0) % 2 == 0 else {"n": ["Must be even."]}

    types.register("luna.counted", description="Counting.", validator=even)
    assert types.validate("luna.counted", {"n": 2}) == {}
    assert types.validate("luna.counted", {"n": 3}) == {"payload.n": ["Must be even."]}


def test_registering_a_name_twice_differently_is_a_configuration_error(registry):
    types.register("luna.twice", description="Once.")
    types.register("luna.twice", description="Once.")  # same: harmless
    with pytest.raises(ImproperlyConfigured):
        types.register("luna.twice", description="Twice.")


@pytest.mark.parametrize("name", ["Bad.Type", "cv", "cv..x", "cv.x-y", "1cv.x", ""])
def test_malformed_type_names_are_refused(name):
    assert types.check_name(name)


def test_a_malformed_registration_is_a_configuration_error(registry):
    with pytest.raises(ImproperlyConfigured):
        types.register("Not valid", description="x")
