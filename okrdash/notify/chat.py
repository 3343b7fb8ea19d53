"""Team chat: POST a Slack-compatible JSON payload to the team's incoming webhook (Slack, Mattermost, Rocket.Chat).

Redirects are not followed (a webhook that moved must be set again), 2xx is success, 429 and 5xx are retried, other
answers are refused for good. A request that could not be sent is a failure; one sent without an answer may have
been posted, so it is `Uncertain` and not sent again.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from okrdash.errors import ValidationError
from okrdash.notify import webhooks
from okrdash.notify.delivery import Failed, Uncertain, timeout, tls_context


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx answer then surfaces as an HTTPError


def post(url: str, payload: dict[str, Any], team: str, on_handoff: Any) -> None:
    """Post `payload` to the team's webhook `url`; raises Failed or Uncertain, returns on a 2xx answer."""
    try:
        webhooks.check_url(url)
    except ValidationError as error:
        raise Failed(f"{team}'s chat webhook URL is not valid ({error.message}) — its lead or an admin can set it "
                     "again on the Notifications page", transient=False, channel_down=True) from error
    host = urlsplit(url).netloc
    # https only: check_url refused every other scheme above.
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json", "User-Agent": "okrdash"})
    opener = urllib.request.build_opener(_NoRedirects, urllib.request.HTTPSHandler(context=tls_context()))
    on_handoff()
    wait = timeout()
    try:
        with opener.open(request, timeout=wait) as response:
            response.read(1000)
    except urllib.error.HTTPError as error:
        code = error.code
        hint = {404: "the webhook was deleted or the URL is wrong", 403: "the webhook refuses okrdash",
                410: "the webhook was removed"}.get(code, "")
        raise Failed(f"{team}'s chat webhook at {host} answered {code} {error.reason}" + (f": {hint}" if hint else ""),
                     transient=code == 429 or code >= 500) from error
    except urllib.error.URLError as error:  # the request could not be sent: nothing was posted
        reason = getattr(error.reason, "strerror", None) or str(error.reason)
        if isinstance(error.reason, TimeoutError):
            reason = f"no connection within {wait:g} s"
        raise Failed(f"could not reach {team}'s chat webhook at {host} ({reason})", transient=True,
                     channel_down=True) from error
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        how = f"within {wait:g} s" if isinstance(error, TimeoutError) else type(error).__name__
        raise Uncertain(f"{team}'s chat webhook at {host} received the post but did not answer ({how}); it may have "
                        "been posted, so it is not posted again") from error
