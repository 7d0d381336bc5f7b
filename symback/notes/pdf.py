r"""Compile the notes' LaTeX to PDF with latexmk, safely.

pdflatex for English, xelatex for Chinese. The run happens in a fresh
temporary directory, with shell escape off (``-no-shell-escape`` given to
the engine, and ``-norc`` so no latexmkrc can turn it back on), TeX's
paranoid file access (``openin_any=p``, ``openout_any=p``: no dot files, no
writing outside the directory), a minimal environment (no TEXINPUTS or other
search paths from the caller), and a time limit after which the whole process
group is killed; SIGTERM or Ctrl-C stops TeX and removes the directory too.

``openin_any=p`` does not bind every primitive: pdfTeX's ``\pdfobj stream
file {…}`` and ``\pdffiledump`` read any file the user can read. So before
compiling, :func:`check_source` refuses a source with any command that reads
or writes a file, or with ``^^`` (which could spell one). User text reaches
the source only through the escapes of :mod:`symback.notes.latex`, so this
never fires unless those have a bug. Without TeX, or without a Chinese font,
the error names the Debian packages to install.
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
#: commands that read or write files (or change how TeX reads): never in a source symback writes
FILE_COMMANDS = ("input", "include", "InputIfFileExists", "openin", "read", "readline", "openout", "write",
                 "immediate", "special", "pdfobj", "pdffiledump", "pdfmdfivesum", "pdffilesize", "pdffilemoddate",
                 "pdfximage", "XeTeXpdffile", "XeTeXpicfile", "includegraphics", "catcode", "scantokens",
                 "directlua", "lstinputlisting", "verbatiminput", "endlinechar")
_FILE_COMMAND = re.compile(r"\\(" + "|".join(FILE_COMMANDS) + r")(?![A-Za-z])|\^\^")
#: the environment variables TeX is given (besides its file-access settings): no search paths
KEPT_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE")


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
    check_source(tex)
    return _compile(tex, engine, timeout)


def _compile(tex: str, engine: str, timeout: float) -> tuple[bytes, str]:
    """latexmk on ``tex`` (its own barriers only: the tests call it to check them without check_source)."""
    with _stopped_cleanly(), tempfile.TemporaryDirectory(prefix="symback-notes-") as work:
        with open(os.path.join(work, "notes.tex"), "w", encoding="utf-8") as handle:
            handle.write(tex)
        flag = "-xelatex" if engine == "xelatex" else "-pdf"
        command = ["latexmk", "-norc", flag, f"-{engine}={engine} -no-shell-escape %O %S",
                   "-interaction=nonstopmode", "-halt-on-error", "notes.tex"]
        env = {k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}
        env.update(openout_any="p", openin_any="p", TEXMFOUTPUT=work)
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
        _kill(process)
        raise SymbackError(f"LaTeX did not finish within {timeout:g} seconds; write FILE.tex to see the source")
    except BaseException:  # SIGTERM, Ctrl-C: TeX stops with us
        _kill(process)
        raise
    return process.returncode, output.decode("utf-8", "replace")


def _kill(process) -> None:
    """Kill latexmk and the engine it started (its own process group), and wait for them."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


def check_source(tex: str) -> None:
    """Refuse LaTeX source with a command that reads or writes files (see the module's docstring)."""
    found = _FILE_COMMAND.search(tex)
    if found:
        raise SymbackError(f"the LaTeX source holds '{found.group(0)}', which symback never writes; not compiled "
                           "(please report this as a bug, with the command you ran)")


class _stopped_cleanly:
    """Within it, SIGTERM raises SystemExit (exit code 143), so the temporary directory is removed
    and TeX killed as for Ctrl-C; the previous handler comes back afterwards (main thread only)."""

    def __enter__(self):
        import threading

        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, _terminate)
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
        return False


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


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
