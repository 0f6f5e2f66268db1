import uuid

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User


@pytest.mark.django_db
def test_users_have_uuid_ids_french_by_default_and_email_logins():
    user = User.objects.create_user("Alice@Example.COM ", "a-long-passphrase")
    assert isinstance(user.pk, uuid.UUID)
    assert user.email == "alice@example.com"
    assert user.language == "fr"
    assert User.objects.get_by_natural_key("ALICE@example.com") == user
    assert user.check_password("a-long-passphrase")


@pytest.mark.django_db
def test_email_is_unique_whatever_its_case_even_past_the_manager():
    User.objects.create_user("bob@example.com", "x")
    with pytest.raises(IntegrityError), transaction.atomic():
        # A raw create skips normalisation; the database still refuses it.
        User.objects.create(email="BOB@example.com")
