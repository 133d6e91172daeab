"""Accept uploaded bytes only from sessions where a signed-in editor sees the upload page.

Streamlit stores whatever is PUT to ``/_stcore/upload_file/<session id>/<any id>`` in memory for
any live session, with or without a file uploader on its page, until the session ends;
``server.maxUploadSize`` limits each file, not the session. So a signed-out visitor on the
public map could park 20 MB after 20 MB in the server's memory. This wraps the runtime's
uploaded-file manager so a file is refused (403) unless its session has been allowed here, and
the upload page allows only while an editor is signed in (and drops the files on sign-out).
"""

from __future__ import annotations

import threading
from typing import Any

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

_lock = threading.Lock()
_allowed: set[str] = set()  # session ids of signed-in editors on the upload page
_MARK = "_qimap_upload_guard"


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
        with _lock:
            allowed = session_id in _allowed
        if not allowed:
            raise _refuse()
        add_file(session_id=session_id, file=file)

    manager.add_file = guarded_add_file
    setattr(manager, _MARK, True)


def allow_uploads(allowed: bool) -> None:
    """Allow (a signed-in editor) or forbid uploads for this session; forbidding drops its files."""
    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists():
        return
    instance = runtime.get_instance()
    with _lock:
        if allowed:
            _allowed.add(ctx.session_id)
        else:
            _allowed.discard(ctx.session_id)
        # Forget sessions that have ended, so the set stays as small as the editors online.
        _allowed.intersection_update(
            sid for sid in list(_allowed) if instance.is_active_session(sid)
        )
    if not allowed:
        instance.uploaded_file_mgr.remove_session_files(ctx.session_id)
