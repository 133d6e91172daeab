"""A visitor cannot park megabytes in the server's memory over the websocket (issue 9): the
server closes a connection whose message is over .streamlit/config.toml's
server.maxWidgetStateSize (code 1009, "message too big") before reading it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import NetworkLog
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser

# Opens a second websocket to the app, as a script on a visitor's page could, sends ``size``
# bytes in one binary message and resolves with the close code.
SEND = """async (size) => {
    const url = location.origin.replace(/^http/, "ws") + "/_stcore/stream";
    const socket = new WebSocket(url, ["streamlit", "PLACEHOLDER_AUTH_TOKEN"]);
    socket.binaryType = "arraybuffer";
    return await new Promise((resolve) => {
        socket.onopen = () => socket.send(new Uint8Array(size));
        socket.onclose = (event) => resolve(event.code);
        setTimeout(() => resolve("still open"), 20000);
    });
}"""


def test_an_oversized_websocket_message_closes_the_connection(
    page: Page, app_url: str, network: NetworkLog
) -> None:
    page.goto(app_url)
    wait_until_idle(page)
    # 3 MB of zeros: over the 2 MB limit (Streamlit's default, 25 MB, would read and parse it,
    # then close with 1002 because it is no valid message).
    assert page.evaluate(SEND, 3 * 1024 * 1024) == 1009
    # A small invalid message is read, refused as a protocol error: the limit is what differs.
    assert page.evaluate(SEND, 1024) == 1002
    network.assert_local(app_url)
