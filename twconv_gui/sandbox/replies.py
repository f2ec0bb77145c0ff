"""HTTP replies the sandbox sends, and X's error body format."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Reply:
    """One complete response: status, body and the headers beyond Content-Type/-Length."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)

    def with_headers(self, extra: dict[str, str]) -> Reply:
        return Reply(self.status, self.body, self.content_type, {**self.headers, **extra})


@dataclass(frozen=True)
class Drop:
    """Close the connection without answering (what a dying proxy does)."""


def json_reply(
    status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> Reply:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Reply(status, body, JSON_TYPE, dict(headers or {}))


def html_reply(status: int, title: str, body_html: str) -> Reply:
    page = (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head>\n<body>{body_html}</body></html>\n"
    )
    return Reply(status, page.encode(), HTML_TYPE)


class ApiError(Exception):
    """An error answer in X's format: `{"errors": [{code, message, parameter?}], "request"}`."""

    def __init__(self, status: int, code: str, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.more: list[ApiError] = []  # further errors X lists in the same answer

    def errors(self) -> list[dict[str, str]]:
        """This error and the ones added to it, in X's format."""
        listed = []
        for error in (self, *self.more):
            item = {"code": error.code, "message": error.message}
            if error.parameter is not None:
                item["parameter"] = error.parameter
            listed.append(item)
        return listed

    def reply(self) -> Reply:
        return json_reply(self.status, {"errors": self.errors(), "request": {"params": {}}})

    @classmethod
    def together(cls, errors: list[ApiError]) -> ApiError:
        """One answer listing every error (X names each bad conversion of a batch, not by
        index); its status is the first one's."""
        first = cls(errors[0].status, errors[0].code, errors[0].message, errors[0].parameter)
        first.more = [e for error in errors for e in ([error, *error.more])][1:]
        return first


def invalid(message: str, parameter: str = "conversions") -> ApiError:
    return ApiError(400, "INVALID_PARAMETER", message, parameter)


def unauthorized() -> Reply:
    error = {"code": "UNAUTHORIZED_ACCESS", "message": "This request is not properly authenticated"}
    return json_reply(401, {"errors": [error], "request": {"params": {}}})


def route_not_found() -> Reply:
    return ApiError(404, "ROUTE_NOT_FOUND", "The requested resource could not be found").reply()
