"""The operator command line, `python -m okrdash COMMAND`: thin commands over the library, as sqlite-utils keeps them.

Each command parses its arguments, makes one library call and prints what happened. Library errors meant for people
(`OkrError`: a locked file, a refused value, a conflict) become one line on stderr and exit code 1; a wrong
command line exits 2 (argparse). Nothing prints a traceback to an operator.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from okrdash.errors import OkrError

# name -> (help, add_arguments(parser), run(args) -> exit code)
Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
COMMANDS: dict[str, Command] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda _: None):
    """Register `run(args) -> int` as `python -m okrdash NAME`."""
    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = (help_text, arguments, run)
        return run
    return register


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m okrdash", description="okrdash operator commands.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, arguments, _run) in COMMANDS.items():
        arguments(sub.add_parser(name, help=help_text, description=help_text))
    return top


def main(argv: Sequence[str] | None = None) -> int:
    _load_commands()
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command][2](args)
    except OkrError as error:
        print(f"okrdash {args.command}: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"okrdash {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # an operator gets one line, never a traceback
        line = (str(error).strip().splitlines() or [error.__class__.__name__])[0]
        print(f"okrdash {args.command}: failed: {line}", file=sys.stderr)
        return 1


def _load_commands() -> None:
    """Import the modules whose commands register themselves (late: each pulls in what it needs)."""
    from okrdash import commands  # noqa: F401
