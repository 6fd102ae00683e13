"""Who may open the chat page: local-only by default, a password for anything else.

Checked by `rectify chat` before the model is loaded, so a refused start is immediate.
"""
from __future__ import annotations

import ipaddress
from pathlib import Path

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
