"""Compile the notes' LaTeX to PDF with latexmk, safely.

pdflatex for English, xelatex for Chinese. The run happens in a fresh
temporary directory, with shell escape off (``-no-shell-escape`` given to
the engine, and ``-norc`` so no latexmkrc can turn it back on), TeX's
paranoid file access (no writing or reading outside the directory), and a
time limit after which the whole process group is killed. Without TeX, or
without a Chinese font, the error names the Debian packages to install.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile

from ..errors import MissingExtra, SymbackError

#: the packages the notes need, as .ci/run and the README install them
TEX_PACKAGES = ("texlive-latex-base texlive-latex-recommended texlive-pictures texlive-xetex latexmk")
FONT_PACKAGE = "fonts-wqy-microhei"
TIMEOUT = 300.0


def require_tex(engine: str) -> None:
    """A one-line MissingExtra unless latexmk, the engine and (xelatex) a CJK font are installed."""
    missing = [tool for tool in ("latexmk", engine) if shutil.which(tool) is None]
    if missing:
        raise MissingExtra(
            f"compiling PDF needs TeX ({' and '.join(missing)} not found); on Debian or Ubuntu: "
            f"sudo apt-get install {TEX_PACKAGES} {FONT_PACKAGE} (or write FILE.tex and compile it yourself)")
    if engine == "xelatex" and not has_cjk_font():
        raise MissingExtra(f"no Chinese font for xelatex; on Debian or Ubuntu: sudo apt-get install {FONT_PACKAGE} "
                           "(or fonts-noto-cjk)")


def has_cjk_font() -> bool:
    """Whether fontconfig knows a font with Chinese characters (assume so without fc-list)."""
    if shutil.which("fc-list") is None:
        return True
    result = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    return bool(result.stdout.strip())


def compile_pdf(tex: str, engine: str = "pdflatex", timeout: float = TIMEOUT) -> bytes:
    """The PDF of the LaTeX source ``tex``, compiled by latexmk with ``engine``."""
    return compile_with_log(tex, engine, timeout)[0]


def compile_with_log(tex: str, engine: str = "pdflatex", timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """The PDF and TeX's log (which lists any overfull box)."""
    require_tex(engine)
    with tempfile.TemporaryDirectory(prefix="symback-notes-") as work:
        with open(os.path.join(work, "notes.tex"), "w", encoding="utf-8") as handle:
            handle.write(tex)
        flag = "-xelatex" if engine == "xelatex" else "-pdf"
        command = ["latexmk", "-norc", flag, f"-{engine}={engine} -no-shell-escape %O %S",
                   "-interaction=nonstopmode", "-halt-on-error", "notes.tex"]
        env = dict(os.environ, openout_any="p", openin_any="p", TEXMFOUTPUT=work)
        code, output = _run(command, work, env, timeout)
        pdf = os.path.join(work, "notes.pdf")
        if code != 0 or not os.path.exists(pdf):
            raise SymbackError(_failure(work, output))
        with open(pdf, "rb") as handle:
            data = handle.read()
        with open(os.path.join(work, "notes.log"), encoding="utf-8", errors="replace") as handle:
            return data, handle.read()


def _run(command, cwd, env, timeout):
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # latexmk and the engine it started
        process.communicate()
        raise SymbackError(f"LaTeX did not finish within {timeout:g} seconds; write FILE.tex to see the source")
    return process.returncode, output.decode("utf-8", "replace")


def _failure(work: str, output: str) -> str:
    """The first TeX error of the run, as one line."""
    log_path = os.path.join(work, "notes.log")
    log = ""
    if os.path.exists(log_path):
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            log = handle.read()
    if "No Chinese font found" in log:
        return f"no Chinese font for xelatex; on Debian or Ubuntu: sudo apt-get install {FONT_PACKAGE}"
    match = re.search(r"^! (.*)$", log or output, re.M)
    missing = re.search(r"File `([^']+\.sty)' not found", log)
    if missing:
        return f"LaTeX package {missing.group(1)} is missing; on Debian or Ubuntu: sudo apt-get install {TEX_PACKAGES}"
    reason = match.group(1).strip() if match else "see the log by compiling FILE.tex yourself"
    return f"LaTeX failed: {reason} (write FILE.tex to see the source)"
