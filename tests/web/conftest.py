import pytest
from django.test import Client

from accounts import services as accounts
from accounts.authentication import ACCESS_COOKIE


@pytest.fixture
def page_client(db):
    """A browser-like client signed in through the access cookie."""

    def signed_in(user) -> Client:
        result = accounts.open_session(
            user, accounts.Client(ip="127.0.0.1", user_agent="pytest")
        )
        client = Client()
        client.cookies[ACCESS_COOKIE] = result.tokens.access
        client.user = user
        client.session_row = result.session
        return client

    return signed_in


@pytest.fixture
def browser_client(page_client, user):
    return page_client(user)
