"""Entry point: a subcommand runs the command line; no subcommand opens the counter window."""

from __future__ import annotations

import sys


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--self-check"]:
        from desk_app.selfcheck import run_self_check  # no display, no user data: see its docstring

        return run_self_check()
    wants_window = not args or args[0] in ("--demo",) or (args[0] == "--db" and len(args) == 2)
    if wants_window:
        from desk_app.gui.app import run  # only here: nothing else imports the GUI

        return run(args)
    from desk_app.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
