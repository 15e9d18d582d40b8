"""The fake Bot API with files: documents users send, getFile and downloads, sendDocument.

FakeBotApi answers form-encoded calls; a bot sending a file posts multipart/form-data, and a
bot reading a user's file asks getFile for a path, then GETs /file/bot<token>/<path>. This
subclass adds those three, so tests can drive document handlers end to end on 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any, cast
from urllib.parse import parse_qsl, unquote

from tests.support.fake_bot_api import BOT_USER, FakeBotApi, api_error


@dataclass
class SentDocument:
    chat_id: int
    file_name: str
    data: bytes
    params: dict[str, Any]  # the other form fields (caption, reply parameters, ...)
    message_id: int


@dataclass
class StoredFile:
    file_id: str
    file_path: str
    data: bytes


@dataclass
class FakeBotFiles(FakeBotApi):
    documents: list[SentDocument] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)  # file paths fetched, in order
    # What getFile answers instead of the file (Bot API error description), e.g. a file too big.
    get_file_error: str | None = None

    def __post_init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._file_ids = itertools.count(1)
        super().__post_init__()

    @property
    def file_base_url(self) -> str:
        """What PTB's base_file_url must be for downloads to reach this server."""
        return self.base_url.removesuffix("/bot") + "/file/bot"

    # --- what tests do ------------------------------------------------------------------

    def send_document(
        self,
        data: bytes,
        *,
        user_id: int,
        file_name: str,
        mime_type: str = "application/octet-stream",
        file_size: int | None = None,
        language: str = "ru",
        caption: str | None = None,
    ) -> int:
        """Queue a private message carrying a document, as Telegram would deliver it.

        `file_size` is what Telegram announces (the real size unless a test says otherwise).
        """
        number = next(self._file_ids)
        stored = StoredFile(f"doc-{number}", f"documents/file_{number}.bin", data)
        with self._cond:
            self._files[stored.file_id] = stored
        document = {
            "file_id": stored.file_id,
            "file_unique_id": f"unique-{number}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data) if file_size is None else file_size,
        }
        fields: dict[str, Any] = {"document": document}
        if caption is not None:
            fields["caption"] = caption
        chat = {"id": user_id, "type": "private", "first_name": f"user{user_id}"}
        return self.deliver(chat, user_id, language, fields)

    def documents_to(self, chat_id: int) -> list[SentDocument]:
        with self._cond:
            return [d for d in self.documents if d.chat_id == chat_id]

    async def wait_for_documents(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[SentDocument]:
        await self.wait_for(lambda: len(self.documents_to(chat_id)) >= count, timeout)
        return self.documents_to(chat_id)

    # --- the server ---------------------------------------------------------------------

    def _handle_files(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, dict[str, Any]] | None:
        """Answer the file methods; None leaves the call to FakeBotApi."""
        if method == "getFile":
            with self._cond:
                self.calls.append(method)
                stored = self._files.get(str(params.get("file_id")))
                self._cond.notify_all()
            if self.get_file_error is not None:
                return api_error(400, self.get_file_error)
            if stored is None:
                return api_error(400, "Bad Request: invalid file_id")
            result = {
                "file_id": stored.file_id,
                "file_unique_id": "unique-" + stored.file_id,
                "file_size": len(stored.data),
                "file_path": stored.file_path,
            }
            return 200, {"ok": True, "result": result}
        if method == "sendDocument":
            return self._send_document(params, files)
        return None

    def _send_document(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        file_name, data = files.get("document", ("", b""))
        with self._cond:
            self.calls.append("sendDocument")
            message_id = next(self._message_ids)
            self.documents.append(SentDocument(chat_id, file_name, data, params, message_id))
            self._cond.notify_all()
        result = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "document": {
                "file_id": f"sent-{message_id}",
                "file_unique_id": f"sent-unique-{message_id}",
                "file_name": file_name,
                "file_size": len(data),
            },
        }
        if "caption" in params:
            result["caption"] = params["caption"]
        return 200, {"ok": True, "result": result}

    def _download(self, path: str) -> bytes | None:
        with self._cond:
            self.downloads.append(path)
            self._cond.notify_all()
            for stored in self._files.values():
                if stored.file_path == path:
                    return stored.data
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self
        base: Any = super()._handler_class()

        class Handler(base):  # type: ignore[misc]
            def do_GET(self) -> None:
                prefix = f"/file/bot{api.token}/"
                path = unquote(self.path)  # PTB quotes the URL, the token's ':' included
                if not path.startswith(prefix):
                    self.do_POST()
                    return
                data = api._download(path[len(prefix) :])
                self.send_response(200 if data is not None else 404)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

            def do_POST(self) -> None:
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._answer(*api_error(404, "Not Found"))
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                content_type = self.headers.get("Content-Type") or ""
                files: dict[str, tuple[str, bytes]] = {}
                if content_type.startswith("multipart/form-data"):
                    params, files = parse_multipart(content_type, body)
                elif "json" in content_type:
                    params = json.loads(body or b"{}")
                else:
                    params = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
                method = self.path[len(prefix) :]
                answer = api._handle_files(method, params, files)
                if answer is None:
                    assert not files, f"unexpected file upload to {method!r}"
                    answer = api._handle(method, params)
                self._answer(*answer)

        return cast("type[BaseHTTPRequestHandler]", Handler)


def parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """Split a multipart/form-data body into plain fields and files (name -> (filename, data))."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    assert isinstance(message, EmailMessage) and message.is_multipart(), "not multipart"
    params: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        assert isinstance(part, EmailMessage)
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, data)
        else:
            params[name] = data.decode("utf-8")
    return params, files
