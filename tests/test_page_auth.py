"""Failed logins: a growing delay per client, a lock after 10 failures in 10 minutes."""
from __future__ import annotations

import asyncio
import json

import pytest

from assistant.page_auth import (LOCKED_MESSAGE, LoginThrottle, LoginThrottleMiddleware, LoginThrottleSettings,
                                 load_admins)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_first_failures_cost_nothing_then_the_delay_grows(clock):
    throttle = LoginThrottle(clock=clock)
    delays = []
    for _ in range(7):
        delays.append(throttle.delay("1.2.3.4"))
        throttle.failed("1.2.3.4")
    assert delays[:3] == [0, 0, 0] and delays[3:] == sorted(delays[3:]) and delays[3] < delays[6]
    assert max(delays) <= LoginThrottleSettings().max_delay_s


def test_ten_failures_in_ten_minutes_lock_the_client_only(clock):
    throttle = LoginThrottle(clock=clock)
    for _ in range(10):
        assert not throttle.locked("1.2.3.4")
        throttle.failed("1.2.3.4")
        clock.now += 30
    assert throttle.locked("1.2.3.4") and not throttle.locked("5.6.7.8")


def test_the_lock_ends_when_the_failures_leave_the_window(clock):
    throttle = LoginThrottle(clock=clock)
    for _ in range(10):
        throttle.failed("c")
    clock.now += 601
    assert not throttle.locked("c") and throttle.delay("c") == 0


def test_a_success_clears_the_count(clock):
    throttle = LoginThrottle(clock=clock)
    for _ in range(5):
        throttle.failed("c")
    throttle.succeeded("c")
    assert throttle.delay("c") == 0


def _login(middleware, status: int, client="9.9.9.9", path="/login"):
    sent = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    middleware.app = app
    scope = {"type": "http", "method": "POST", "path": path, "client": (client, 5000)}
    asyncio.run(middleware(scope, receive, send))
    return sent


def test_middleware_counts_failed_logins_and_then_refuses_in_chinese(clock):
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    middleware = LoginThrottleMiddleware(None, LoginThrottle(clock=clock), sleep=sleep)
    for _ in range(10):
        assert _login(middleware, 400)[0]["status"] == 400
    refused = _login(middleware, 200)
    assert refused[0]["status"] == 429 and json.loads(refused[1]["body"])["detail"] == LOCKED_MESSAGE
    assert slept and slept == sorted(slept)


def test_middleware_leaves_other_requests_alone(clock):
    middleware = LoginThrottleMiddleware(None, LoginThrottle(clock=clock))
    for _ in range(12):
        _login(middleware, 400, path="/gradio_api/queue/join")
    assert _login(middleware, 200)[0]["status"] == 200


def test_admin_accounts_are_user_password_pairs():
    assert load_admins(["boss:pw:1", "b2:x"]) == [("boss", "pw:1"), ("b2", "x")]
