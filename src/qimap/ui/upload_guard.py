"""Accept uploaded bytes only from sessions where a signed-in editor sees the upload page.

Streamlit stores whatever is PUT to ``/_stcore/upload_file/<session id>/<any id>`` in memory for
any live session, with or without a file uploader on its page, until the session ends;
``server.maxUploadSize`` limits each file, not the session. So a signed-out visitor on the
public map could park 20 MB after 20 MB in the server's memory. This wraps the runtime's
uploaded-file manager so a file is refused (403) unless its session has been allowed here, and
the upload page allows only while an editor is signed in (and drops the files on sign-out).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from qimap.settings import Settings

_MARK = "_qimap_upload_guard"


class Allowance:
    """Which sessions may store uploads, and until when (a signed-in editor's idle deadline).

    The deadline matters because the upload page is what renews it: a sign-in that lapses (or
    an editor removed from the configuration) stops being allowed without that page running.
    Times are passed in, so the rule is tested without a clock or a server.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}  # session id -> monotonic deadline

    def allow(self, session_id: str, until: float) -> None:
        with self._lock:
            self._until[session_id] = until

    def forbid(self, session_id: str) -> None:
        with self._lock:
            self._until.pop(session_id, None)

    def permits(self, session_id: str, now: float) -> bool:
        with self._lock:
            return self._until.get(session_id, -math.inf) > now

    def forget_all_but(self, live: Callable[[str], bool], now: float) -> None:
        """Drop ended sessions and passed deadlines: the table stays as small as the editors."""
        with self._lock:
            self._until = {s: t for s, t in self._until.items() if t > now and live(s)}


ALLOWANCE = Allowance()


class UploadRefused(PermissionError):
    """A file was sent for a session that shows no uploader to a signed-in editor."""


def _refuse() -> Exception:
    # Streamlit's server is Starlette; its HTTPException becomes a plain 403 response
    # instead of a 500 with a traceback in the log.
    try:
        from starlette.exceptions import HTTPException
    except ImportError:  # pragma: no cover - Streamlit ships Starlette
        return UploadRefused("uploads are for signed-in editors")
    return HTTPException(status_code=403, detail="Uploads are for signed-in editors.")


def install() -> None:
    """Wrap the running server's uploaded-file manager once (no-op outside a server, e.g. AppTest)."""
    if not runtime.exists():
        return
    manager: Any = runtime.get_instance().uploaded_file_mgr
    if getattr(manager, _MARK, False):
        return
    add_file = manager.add_file

    def guarded_add_file(session_id: str, file: Any) -> None:
        if not ALLOWANCE.permits(session_id, time.monotonic()):
            raise _refuse()
        add_file(session_id=session_id, file=file)

    manager.add_file = guarded_add_file
    setattr(manager, _MARK, True)


def allow_uploads(allowed: bool, settings: Settings) -> None:
    """Allow this session's uploads (a signed-in editor) until its sign-in would lapse, renewed
    each time the upload page runs; or forbid them and drop its stored files."""
    idle_seconds = settings.editor_idle_minutes * 60
    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists():
        return
    instance, now = runtime.get_instance(), time.monotonic()
    if allowed:
        ALLOWANCE.allow(ctx.session_id, now + idle_seconds)
    else:
        ALLOWANCE.forbid(ctx.session_id)
        instance.uploaded_file_mgr.remove_session_files(ctx.session_id)
    ALLOWANCE.forget_all_but(instance.is_active_session, now)
