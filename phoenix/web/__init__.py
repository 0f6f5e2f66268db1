"""The hub's own web pages: server-rendered templates over the apps' services.

The browser is signed in by the HttpOnly access cookie (the API's cookie
mode); forms post to these views under Django's CSRF check, and the few live
parts (chat, payment, gauge) call the JSON API with the same cookie and the
CSRF header. Tokens never reach JavaScript.
"""
