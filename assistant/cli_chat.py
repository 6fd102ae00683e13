"""`rectify chat`: serve the chat page.

Authentication is checked before anything heavy is imported, so `--host 0.0.0.0`
without credentials is refused at once (exit code 2) instead of after loading a model.
"""
from __future__ import annotations

import os
import sys

from assistant.config import Config
from assistant.page_auth import AuthConfigError, load_admins, load_credentials, refusal_reason

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def add_chat_command(commands, config: Config) -> None:
    chat = commands.add_parser(
        "chat", help="启动网页问答界面",
        description="启动网页问答界面（默认仅本机 127.0.0.1 可访问）。监听其他地址时必须设置 --auth 或 --auth-file。",
    )
    chat.add_argument("--store", default=config.store, help=f"索引目录（默认 {config.store}）")
    chat.add_argument("--corpus", default=config.corpus,
                      help=f"示例报告目录，只读；数据目录初次创建时复制其中的报告（默认 {config.corpus}）")
    chat.add_argument("--data-dir", default=config.data_dir,
                      help=f"数据目录：网页索引其中的报告，上传的报告存放于此（默认 {config.data_dir}，"
                           "也可用环境变量 RECTIFY_DATA_DIR 设置）")
    chat.add_argument("--host", default=DEFAULT_HOST, help=f"监听地址（默认 {DEFAULT_HOST}）")
    chat.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    credentials = chat.add_mutually_exclusive_group()
    credentials.add_argument("--auth", metavar="用户名:密码", help="登录用户名和密码")
    credentials.add_argument("--auth-file", metavar="FILE", help="认证文件，每行一个 用户名:密码")
    chat.add_argument("--admin", metavar="用户名:密码", action="append",
                      help="可上传报告的管理员账号（可重复）；设置登录后，其他账号只能提问")
    chat.set_defaults(handler=run_chat)


def run_chat(args) -> int:
    # Refuse an unauthenticated public bind before the model is loaded
    try:
        admins = load_admins(args.admin)
        credentials = load_credentials(args.auth, args.auth_file) + admins
    except AuthConfigError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    reason = refusal_reason(args.host, credentials)
    if reason:
        print(reason, file=sys.stderr)
        return 2

    # Gradio reads this when it is imported; the page must not phone home
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    from assistant.assistant import Assistant
    from assistant.page import build_app
    from index.generations import current_generation
    from assistant.page_auth import LoginThrottle, LoginThrottleMiddleware
    from assistant.uploads import prepare_data_dir
    from index.loaded import ModelMismatchError, StoreNotFoundError
    from starlette.middleware import Middleware

    # The page indexes the data folder; the shipped samples are only copied from
    args.data_dir = str(prepare_data_dir(args.data_dir, args.corpus))
    code = _build_at_start(args, first=current_generation(args.store) is None)
    if code:
        return code
    try:
        bot = Assistant.load(args.store, args.config)
    except (StoreNotFoundError, FileNotFoundError) as exc:
        print(f"无法加载索引：{exc}。请先运行 rectify index build。", file=sys.stderr)
        return 1
    except ModelMismatchError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    # Only admin accounts may upload once there is a login; without one, the local operator may
    admin_names = {user for user, _ in admins} if credentials else None
    app = build_app(bot, args.store, args.data_dir, args.config, admins=admin_names)
    print(f"整改问答已启动：http://{_shown_host(args.host)}:{args.port}（按 Ctrl+C 停止）", flush=True)
    throttle = [Middleware(LoginThrottleMiddleware, throttle=LoginThrottle())]
    app.launch(server_name=args.host, server_port=args.port, auth=credentials or None, quiet=True,
               app_kwargs={"middleware": throttle})
    return 0


def _build_at_start(args, first: bool) -> int:
    """Index the data folder before serving: a fresh checkout gets its store, and reports
    an operator copied into the folder are picked up (nothing changed costs milliseconds
    and loads no model)."""
    from index.build import build_index
    from index.embedding import Embedder
    from index.generations import StoreLockedError

    if first:
        print(f"索引 {args.store} 尚未构建，正在从 {args.data_dir} 构建…", file=sys.stderr, flush=True)
    try:
        # The configured model and encoder, or the page would refuse the store it just built
        embedder = Embedder(args.config.embedding_settings())
        result = build_index(args.data_dir, args.store, embedder=embedder, progress=True)
    except StoreLockedError as exc:
        if first:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        print(f"提示：{exc}；先使用现有索引。", file=sys.stderr)
        return 0
    except FileNotFoundError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if not result.reports and first:
        print(f"报告目录 {args.data_dir} 中没有可索引的报告。", file=sys.stderr)
        return 1
    for error in result.errors:
        print(f"提示：{error['file']} 未能索引：{error['error']}", file=sys.stderr)
    return 0


def _shown_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host
