"""The ``tei`` command line: one sub-command module per verb under ``tei.commands``."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .errors import TeiError

# Each module defines ``register(subparsers)`` which adds its parser and sets ``func``.
COMMANDS = [
    "tei.commands.convert",
    "tei.commands.build",
    "tei.commands.validate",
    "tei.commands.render",
    "tei.commands.align",
]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only`` (a command name), just that command's module is imported
    (``tei validate one.xml`` need not import the converters)."""
    parser = argparse.ArgumentParser(
        prog="tei",
        description="TEI P5 archive-edition suite: convert, align, validate and render.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if only is None or name.rpartition(".")[2] == only:
            importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_in if not a.startswith("-")), None)
    known = {name.rpartition(".")[2] for name in COMMANDS}
    # one command named before any option: only its module is imported
    only = first if first in known and args_in and args_in[0] == first else None
    parser = build_parser(only)
    args = parser.parse_args(args_in)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except TeiError as exc:
        print(f"tei: error: {_one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tei: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # last resort: a bug must not look like a crash to the user
        if os.environ.get("TEI_DEBUG"):
            raise
        print(
            f"tei: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(this is a bug; rerun with TEI_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 3


def run() -> NoReturn:
    """The ``tei`` console script and ``python -m tei``: :func:`main`, then a quick exit.

    Tearing the interpreter down frees a run's compiled schemas and caches one object at a
    time: ~65 ms after validating 2,000 files.  Once the exit hooks have
    run (the schema cache is saved by one) and the output is flushed, nothing is left to do,
    so the process ends there.  With another thread, a child process or Saxon still loaded,
    it leaves the normal way.
    """
    code = main()
    hooks = getattr(atexit, "_run_exitfuncs", None)
    if hooks is None or not _nothing_left(sys.modules):
        sys.exit(code)
    hooks()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away: as main does for the command's output
        code = code or 1
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


def _nothing_left(modules: dict) -> bool:
    """Whether the process holds nothing that needs the normal exit to finish."""
    threading = modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False
    mp = modules.get("multiprocessing")
    if mp is not None and mp.active_children():
        return False
    return "saxonche" not in modules


def _one_line(exc: BaseException) -> str:
    """An error is one line: a message from a library may carry its own line breaks."""
    return " ".join(str(exc).split())


if __name__ == "__main__":  # pragma: no cover
    run()
