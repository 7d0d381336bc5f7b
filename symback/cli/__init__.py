"""The command line: one click group; each command lives in its own module.

Only click is imported at start-up, so ``symback --help`` is instant; each
command imports the library (and SymPy) when it runs. Every SymbackError
becomes one line on stderr and its exit code (2 for bad input), and so does
every usage error click finds. While a command runs, the library's messages
spell settings by their flags (``--lr``, see :func:`flags`).
"""

from __future__ import annotations

import os
import sys

import click


class SymbackGroup(click.Group):
    """A click group whose errors are one line each, never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from ..errors import spelled

        try:
            with spelled(flags(self)):
                code = super().main(args, prog_name or "symback", complete_var, standalone_mode=False, **extra)
            # Without standalone mode click returns ctx.exit(n)'s code instead of exiting.
            sys.exit(code if isinstance(code, int) else 0)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("symback: aborted", err=True)
            sys.exit(130)
        except click.ClickException as err:
            hint = f" (see '{err.ctx.command_path} --help')" if getattr(err, "ctx", None) else ""
            _fail(err.format_message() + hint, 2)
        except KeyboardInterrupt:
            click.echo("symback: aborted", err=True)
            sys.exit(130)
        except Exception as err:  # noqa: BLE001 - the one place errors become messages
            from ..errors import SymbackError

            if isinstance(err, SymbackError):
                _fail(err.message, err.exit_code)
            _last_line(err, sys.argv[1:] if args is None else args)


def flags(group: click.Group) -> dict[str, str]:
    """The library's name of each setting -> its flag (params -> --param), read from the commands'
    options; a name two commands spell differently (--answer, --answers) is left out."""
    spellings: dict[str, set] = {}
    for command in group.commands.values():
        for param in command.params:
            spellings.setdefault(param.name, set()).update(o for o in param.opts if o.startswith("--"))
    return {name: flag.pop() for name, flag in spellings.items() if len(flag) == 1}


def _last_line(err: Exception, args) -> None:
    """The last line of defence: an exception nobody turned into a SymbackError.

    Running out of memory or stack is the input's size (exit 2); an operating-system
    error is the machine's (a full disk: exit 2); anything else is a bug in symback
    (exit 1). Each is one line naming the command; SYMBACK_TRACEBACK=1 shows the traceback.
    """
    if os.environ.get("SYMBACK_TRACEBACK"):
        raise err
    import shlex

    command = shlex.join(["symback", *map(str, args)])
    command = command if len(command) <= 160 else command[:157] + "..."
    if isinstance(err, (MemoryError, RecursionError)):
        what = "more memory" if isinstance(err, MemoryError) else "deeper recursion"
        _fail(f"this input needs {what} than symback allows ({command}); make the model or data smaller, "
              "and if the input is small please report it as a bug", 2)
    if isinstance(err, OSError):
        _fail(f"{err.strerror or type(err).__name__}{': ' + str(err.filename) if err.filename else ''} "
              f"({command})", 2)
    _fail(f"internal error ({type(err).__name__}) in {command}; this is a bug in symback: please report it "
          "with this command and its input files (SYMBACK_TRACEBACK=1 shows the details)", 1)


def _fail(message: str, code: int):
    click.echo("symback: error: " + " ".join(message.split()), err=True)
    sys.exit(code)


@click.group(cls=SymbackGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="symback", prog_name="symback")
def cli():
    """symback: backpropagation, derived exactly and explained step by step.

    Give a model, a loss, parameter values and data; symback builds the
    computational graph, derives every gradient with SymPy, explains the
    chain rule with the numbers filled in, trains the model and writes
    lecture notes. Every default is the classic lesson: y_hat = w*x,
    loss (y_hat - y)^2, w = 1, data (1,2), (2,4), (3,6), learning rate 0.01.

    \b
    Examples:
      symback explain
      symback explain --model "w1*x**2 + w2*x + b" --param w1=0 --param w2=1 --param b=0
      symback explain --mode batch --format markdown
      symback explain --lang zh
    """


def main(argv=None):
    """Console entry point."""
    from .startup import defer_sympy_tensor

    defer_sympy_tensor()  # a tenth of SymPy's start-up that no command needs
    cli.main(args=argv, prog_name="symback")


def _register():
    from . import check, explain, export, notes, train, verify

    for module in (explain, train, check, notes, export, verify):
        cli.add_command(module.command)


_register()
