"""``python -m helpers.local start | stop | status | serve``: the offline server's lifecycle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import lifecycle, state


def _status(folder: Path) -> int:
    running = lifecycle.find(folder)
    if running is None:
        print(f"not running (state folder {folder})")
        return 3
    print(f"running at {running.url} (pid {running.pid}, state folder {folder})")
    from .inventory import describe_everything

    for line in describe_everything(running.url):
        print(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.local", description=__doc__)
    parser.add_argument("--state-dir", type=Path, help="state folder (default: .local-aws/)")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start in the background (idempotent)")
    start.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    commands.add_parser("stop", help="stop the model servers and the server")
    commands.add_parser("status", help="show the server, its training jobs and endpoints")
    serve = commands.add_parser("serve", help="run in the foreground")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--token", default="foreground")
    args = parser.parse_args(argv)
    folder = args.state_dir.resolve() if args.state_dir else state.state_dir()
    folder.mkdir(parents=True, exist_ok=True)

    if args.command == "start":
        try:
            running = lifecycle.start(port=args.port, folder=folder)
        except lifecycle.LocalServerError as error:
            print(error, file=sys.stderr)
            return 1
        print(running.url)
        return 0
    if args.command == "stop":
        print("stopped" if lifecycle.stop(folder) else "not running")
        return 0
    if args.command == "status":
        return _status(folder)
    from .server import serve as run

    run(folder, port=args.port, token=args.token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
