"""symback verify: check every claim of an explanation in JSON, on its own."""

from __future__ import annotations

import sys

import click


@click.command("verify")
@click.argument("file", metavar="FILE.json", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-v", "--verbose", is_flag=True, help="List every claim with how it was checked, not only the false ones.")
def command(file, verbose):
    """Check every claim of 'symback explain --format json' with SymPy.

    Each claim is read with its names as real symbols, sigmoid and relu by
    their definitions, and decimals as the exact numbers they spell (0.1 is
    1/10). A claim in numbers must hold exactly, or to the last digit of its
    right-hand side where the step says "approx": true; a claim in symbols must
    be an identity. Exit code 0 when all hold, 1 when one does not, 2 when the
    file cannot be read.

    \b
    Examples:
      symback explain --format json -o lesson.json && symback verify lesson.json
      symback explain --mode batch --format json | symback verify -
    """
    from ..check.claims import summary, verify, verify_file

    if file == "-":
        import json

        from ..errors import SpecError

        try:
            verdicts = verify(json.loads(sys.stdin.read()))
        except json.JSONDecodeError as err:
            raise SpecError(f"the input is not JSON: {err.msg} at line {err.lineno}") from None
    else:
        verdicts = verify_file(file)
    for v in verdicts:
        if verbose or not v.ok:
            mark = "✓" if v.ok else "✗ false:"
            click.echo(f"step {v.index} ({v.rule}{', formula' if v.field == 'formula' else ''}) {mark} {v.claim}"
                       + (f"   [{v.how}]" if v.ok else ""))
    click.echo(summary(verdicts))
    sys.exit(0 if all(v.ok for v in verdicts) else 1)
