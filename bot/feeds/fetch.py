"""HTTP for feeds and article pages: conditional GET, a size cap, errors as one exception."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

USER_AGENT = "newsbot/0.1 (+https://github.com/; Telegram news bot)"
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class FetchError(Exception):
    """The resource could not be fetched; the message is what an admin should read."""


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def new_client() -> httpx.AsyncClient:
    """The shared client for feeds: redirects followed, a timeout on every request."""
    return httpx.AsyncClient(
        follow_redirects=True,
        timeout=TIMEOUT,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> FetchResult:
    """GET `url`, sending the cache validators we hold; 304 comes back as a result."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return _result(response, b"")
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"too large: {int(declared)} bytes (limit {max_bytes})")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"too large: over {max_bytes} bytes")
            return _result(response, bytes(body))
    except httpx.TimeoutException:
        raise FetchError("timed out") from None
    except httpx.TooManyRedirects:
        raise FetchError("too many redirects") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL: {exc}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"connection failed: {type(exc).__name__}: {exc}".rstrip(": ")) from None


def _result(response: httpx.Response, content: bytes) -> FetchResult:
    return FetchResult(
        url=str(response.url),
        status=response.status_code,
        content=content,
        content_type=response.headers.get("Content-Type"),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )
