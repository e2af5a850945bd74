"""The action server as Veiviser runs it: ``python -m actions.server --port 5055``.

rasa-sdk's own server answers anyone who can reach it, lets any web page call it (CORS "*"), and
on an error sends back the request, which is the whole tracker. Here only Rasa may call it: each
request carries the shared token (``VEIVISER_ACTION_TOKEN``; Rasa sends it as ``?token=`` from
endpoints.yml), compared in constant time; no CORS; an error is answered with its type only.
"""
from __future__ import annotations

if __name__ == "__main__":  # the action server's own process, not a test that imports this module
    import knowledge.without_tensorflow  # noqa: F401 - before anything imports spaCy

import argparse  # noqa: E402, I001
import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from knowledge.config import ConfigError, load_settings
from knowledge.language_detection import warm_up
from knowledge.redaction import vocabulary

logger = logging.getLogger(__name__)
TOKEN_VARIABLE = "VEIVISER_ACTION_TOKEN"


def action_token() -> str:
    token = os.environ.get(TOKEN_VARIABLE, "")
    if len(token) < 16:
        raise ConfigError(f"{TOKEN_VARIABLE} must be set to a shared secret of at least 16 characters "
                          "(the same for Rasa and the action server; `make run` makes one)")
    return token


#: Longer than any client keeps an idle connection (aiohttp: 15 s), so Rasa always closes an idle
#: connection first and never sends a request into one the server is closing ("Cannot write to
#: closing transport" lost families' turns under load).
KEEP_ALIVE_SECONDS = 75


def create(token: str) -> Sanic:
    app = create_app("actions", cors_origins=None)
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_SECONDS

    @app.on_request
    async def only_rasa(request: Request):
        if request.path == "/health":
            return None
        given = request.args.get("token", "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            logger.warning("action server: refused a request without the shared token")
            return response.json({"error": "unauthorised"}, status=401)
        return None

    async def failed(request: Request, exception: Exception):
        logger.error("action server: %s", type(exception).__name__)  # never the request: it is the tracker
        return response.json({"error": type(exception).__name__}, status=getattr(exception, "status_code", 500))

    app.error_handler.add(Exception, failed)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    args = parser.parse_args()
    load_settings()  # refuse to start with a broken configuration
    vocabulary()  # the redaction's word list and the language models take seconds to load:
    warm_up()     # before the first family, not during
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    create(action_token()).run(host=args.host, port=args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
