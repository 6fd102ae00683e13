"""Who may open the chat page: local-only by default, a password for anything else.

Checked by `rectify chat` before the model is loaded, so a refused start is immediate.
With passwords, failed logins are throttled per client (`LoginThrottle`, applied by
`LoginThrottleMiddleware` in front of Gradio's /login), and only `--admin` accounts may
upload: an uploaded report is quoted in everyone's answers.
"""
from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class AuthConfigError(ValueError):
    """Credentials given on the command line or in a file are unusable (Chinese message)."""


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    host = (host or "").strip().strip("[]").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_credentials(auth: str | None = None, auth_file: str | Path | None = None) -> list[tuple[str, str]]:
    """(user, password) pairs from `--auth user:password` and/or `--auth-file` (one
    user:password per line; blank lines and lines starting with # are ignored)."""
    pairs = []
    if auth:
        pairs.append(_pair(auth, "--auth"))
    if auth_file:
        path = Path(auth_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuthConfigError(f"无法读取认证文件 {path}：{exc.strerror or exc}") from exc
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if line and not line.startswith("#"):
                pairs.append(_pair(line, f"{path} 第{number}行"))
        if not pairs:
            raise AuthConfigError(f"认证文件 {path} 中没有 用户名:密码 条目")
    return pairs


def refusal_reason(host: str, credentials: list[tuple[str, str]]) -> str | None:
    """Why the page must not start on `host`, or None when it may."""
    if is_loopback(host) or credentials:
        return None
    return (f"拒绝启动：监听地址 {host} 可被其他机器访问，必须设置登录认证。"
            "请使用 --auth 用户名:密码 或 --auth-file 文件（每行一个 用户名:密码），"
            "或去掉 --host 仅在本机（127.0.0.1）访问。")


def _pair(text: str, where: str) -> tuple[str, str]:
    user, sep, password = text.partition(":")
    if not sep or not user.strip() or not password:
        raise AuthConfigError(f"{where} 的格式应为 用户名:密码")
    return user.strip(), password


def load_admins(admins: list[str] | None) -> list[tuple[str, str]]:
    """(user, password) pairs of `--admin user:password` (repeatable)."""
    return [_pair(a, "--admin") for a in admins or []]


# --- failed logins ----------------------------------------------------------------------

@dataclass(frozen=True)
class LoginThrottleSettings:
    """How failed logins slow down and lock a client (issue 9: lock after 10 failures in
    10 minutes). The first failures are free: they are typos, not guessing."""

    free_failures: int = 3
    base_delay_s: float = 1.0           # then 1, 2, 4, 8 … seconds before the answer
    max_delay_s: float = 16.0
    lock_failures: int = 10
    window_s: float = 600.0


class LoginThrottle:
    """Failed logins per client address within a sliding window."""

    def __init__(self, settings: LoginThrottleSettings = LoginThrottleSettings(),
                 clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        horizon = self.clock() - self.settings.window_s
        while failures and failures[0] < horizon:
            failures.popleft()
        return failures

    def locked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client)) >= self.settings.lock_failures

    def delay(self, client: str) -> float:
        """Seconds to wait before answering this client's next login attempt."""
        with self._lock:
            extra = len(self._recent(client)) - self.settings.free_failures
        if extra < 0:
            return 0.0
        return min(self.settings.base_delay_s * 2 ** extra, self.settings.max_delay_s)

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self.clock())

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


LOCKED_MESSAGE = "登录失败次数过多，请10分钟后再试。"


class LoginThrottleMiddleware:
    """ASGI middleware in front of Gradio's POST /login: waits the throttle's delay, refuses
    a locked client with 429, and counts the outcome (Gradio answers 400 on a wrong password)."""

    def __init__(self, app, throttle: LoginThrottle, sleep=asyncio.sleep):
        self.app = app
        self.throttle = throttle
        self.sleep = sleep

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("method") != "POST" \
                or not scope.get("path", "").rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.throttle.locked(client):
            logger.warning("login from %s refused: too many failures", client)
            await _json_response(send, 429, {"detail": LOCKED_MESSAGE})
            return
        delay = self.throttle.delay(client)
        if delay:
            await self.sleep(delay)
        status = {}

        async def send_and_watch(message):
            if message.get("type") == "http.response.start":
                status["code"] = message.get("status")
            await send(message)

        await self.app(scope, receive, send_and_watch)
        if status.get("code") == 200:
            self.throttle.succeeded(client)
        elif status.get("code") in (400, 401, 403):
            self.throttle.failed(client)


async def _json_response(send, code: int, body: dict) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": code,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
