"""The ASGI entry point, loaded in a fresh interpreter."""

import os
import subprocess
import sys

from django.conf import settings


def test_the_entry_point_freezes_what_start_up_loaded():
    """phoenix.asgi leaves the start-up heap out of the garbage collector's
    passes (they stalled every socket ~100 ms), with the views loaded and,
    when a key is set, the model SDK imported before the first message. In a
    fresh interpreter: the test process's own heap says nothing."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys; import phoenix.asgi; "
            "print(gc.get_freeze_count() > 10000, 'google.genai' in sys.modules, "
            "'energy.api' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "GEMINI_API_KEY": "k",
            "DJANGO_SETTINGS_MODULE": "phoenix.settings",
        },
        cwd=settings.BASE_DIR,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "True"]
