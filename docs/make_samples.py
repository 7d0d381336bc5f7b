"""Regenerate the samples in docs/samples/ with the tool itself.

    python docs/make_samples.py

tests/test_docs.py fails when a sample no longer matches what the tool prints.
"""

from __future__ import annotations

import pathlib

HERE = pathlib.Path(__file__).parent / "samples"

#: file name -> symback explain arguments
SAMPLES = {
    "explain-seed.txt": [],
    "explain-seed.zh.txt": ["--lang", "zh"],
    "explain-seed.md": ["--format", "markdown"],
    "explain-seed.tex": ["--format", "latex", "--standalone"],
    "explain-seed.json": ["--format", "json"],
    "explain-batch.txt": ["--mode", "batch"],
    "explain-fanout.txt": ["--model", "w*x + w**2", "--sample", "x=3,y=6"],
    "explain-logistic.txt": ["--model", "sigmoid(w*x + b)", "--loss", "bce", "--param", "w=0.5", "--param", "b=0",
                             "--sample", "x=2,y=1"],
    "explain-network.md": ["--model", "h = tanh(w1*x + b1); y_hat = v*h + c", "--param", "w1=0.5", "--param", "b1=0",
                           "--param", "v=1", "--param", "c=0", "--format", "markdown"],
}


def sample_text(args) -> str:
    from click.testing import CliRunner

    from symback.cli import cli

    result = CliRunner().invoke(cli, ["explain", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.output


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, args in SAMPLES.items():
        (HERE / name).write_text(sample_text(args), encoding="utf-8")
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
