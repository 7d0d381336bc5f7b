"""The command's start-up: SymPy's tensor module stands aside until something needs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from symback.cli import cli

ROOT = Path(__file__).parents[1]


def _python(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT)] + sys.path))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout


def test_the_command_explains_without_importing_sympys_tensors():
    out = _python("import sys\nfrom symback.cli import main\ntry:\n    main(['explain', '--model', 'tanh(w*x + b)', "
                  "'--param', 'w=0.5', '--param', 'b=0.1', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
                  "print('combinatorics' in ' '.join(sys.modules))")
    body, imported = out.rsplit("\n", 2)[0], out.rsplit("\n", 2)[1]
    expected = CliRunner().invoke(cli, ["explain", "--model", "tanh(w*x + b)", "--param", "w=0.5", "--param", "b=0.1",
                                        "--format", "json"]).output
    assert json.loads(body) == json.loads(expected)
    assert imported == "False"


def test_tensors_still_work_after_the_stand_in():
    out = _python("from symback.cli.startup import defer_sympy_tensor\ndefer_sympy_tensor()\nimport sympy\n"
                  "x = sympy.Symbol('x')\nx + 1\n"
                  "from sympy.tensor.tensor import TensorIndexType, tensor_indices, tensor_heads\n"
                  "L = TensorIndexType('L'); i = tensor_indices('i', L); A, B = tensor_heads('A B', [L])\n"
                  "print(A(i) + B(i) + A(i))")
    assert out.strip() == "2*A(i) + B(i)"
