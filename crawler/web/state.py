"""What every route of the web app reads: the database, its dialect, the exchange rates and the templates.

:func:`crawler.web.app.create_app` puts one :class:`WebState` on ``app.state.web``; the routers
(:mod:`crawler.web.api`, :mod:`crawler.web.pages`) take it from the request with :func:`web_state`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

SessionFactory = Callable[[], Session]


@dataclass(frozen=True)
class WebState:
    session_factory: SessionFactory
    dialect: str
    templates: Jinja2Templates
    rates: Any = None  # storage.fx.Rates; None: the shipped ECB rates


def web_state(request: Request) -> WebState:
    return request.app.state.web
