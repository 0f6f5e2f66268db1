import pytest

from accounts import services
from accounts.websocket import CookieJWTAuthMiddleware, authenticate_access_token
from tests.websocket import Communicator


async def echo_user_app(scope, receive, send):
    """A tiny websocket app that reports who the middleware found."""
    await receive()
    await send({"type": "websocket.accept"})
    user = scope["user"]
    await send(
        {
            "type": "websocket.send",
            "text": str(user.pk) if user.is_authenticated else "anonymous",
        }
    )


def open_session(user):
    return services.open_session(user, services.Client(ip="127.0.0.1")).tokens


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_access_cookie_authenticates_the_socket(user):
    from asgiref.sync import sync_to_async

    tokens = await sync_to_async(open_session)(user)
    communicator = Communicator(
        CookieJWTAuthMiddleware(echo_user_app),
        "/ws/",
        headers=[(b"cookie", f"phoenix_access={tokens.access}; other=1".encode())],
    )
    assert (await communicator.connect())[0]
    assert await communicator.receive_from() == str(user.pk)
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_no_or_bad_cookie_is_anonymous():
    for headers in (
        [],
        [(b"cookie", b"phoenix_access=garbage")],
        [(b"cookie", b"\xff")],
    ):
        communicator = Communicator(
            CookieJWTAuthMiddleware(echo_user_app), "/ws/", headers=headers
        )
        assert (await communicator.connect())[0]
        assert await communicator.receive_from() == "anonymous"
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_first_message_token_authenticates_and_revocation_stops_it(user):
    from asgiref.sync import sync_to_async

    tokens = await sync_to_async(open_session)(user)
    found, principal = await authenticate_access_token(tokens.access)
    assert found.pk == user.pk and principal.via == "websocket"
    await sync_to_async(services.revoke_all_sessions)(user=user, reason="staff")
    found, principal = await authenticate_access_token(tokens.access)
    assert not found.is_authenticated and principal is None
    found, _ = await authenticate_access_token(None)
    assert not found.is_authenticated
