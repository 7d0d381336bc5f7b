"""Reading text files, and writing output files: a reader never sees half a file, and nothing else is touched.

A regular file (or a new one) is written to a temporary file in the same
directory, which then replaces the target with ``os.replace`` (atomic on POSIX
and Windows); a symbolic link keeps pointing where it did, at the new file.
``-`` is standard output, and a character device or FIFO (``/dev/null``, a
named pipe) is written through as a shell's ``>`` would: replacing them would
swap a device for a regular file. A directory, block device or socket is an
error. :func:`write_files` writes several files (notes and their figures) all
or nothing: every temporary file is complete before the first is put in place.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile

from .errors import SpecError, SymbackError

STDOUT = "-"
#: the most read_text reads (a CSV file without NumPy, a lesson file)
MAX_TEXT_BYTES = 200 * 2**20


def read_text(path: str, error: type = SymbackError, hint: str = "", limit: int | None = None) -> str:
    """The UTF-8 text of ``path`` (a byte order mark, as spreadsheets and Windows editors write, is dropped).

    At most ``limit`` bytes (default MAX_TEXT_BYTES): a pipe or a device (``/dev/zero``) has no size
    to check beforehand. Errors are ``error``, naming the file and the line, never its content.
    """
    limit = MAX_TEXT_BYTES if limit is None else limit
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as err:
        raise error(f"cannot read {path}: {err.strerror or err}") from None
    if len(raw) > limit:
        raise error(f"{path} is larger than {limit // 2**20} MiB, more than symback reads as text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise error(f"{path} is not UTF-8 text (line {line}){hint}") from None


def write_atomic(path: str, data) -> None:
    """Write ``data`` (text as UTF-8, bytes, or an iterable of text or bytes pieces, written as they
    come so that a long history is never whole in memory) to ``path``, atomically when it is a regular file."""
    write_files({path: data})


def write_files(files: dict) -> None:
    """Write each {path: data}; on any error no new file is left behind."""
    kinds = {path: check_output(path) for path in files}
    staged: dict[str, str] = {}
    created: list[str] = []
    try:
        for path, data in files.items():
            if kinds[path] == "file":
                staged[path] = _stage(path, data)
        for path, data in files.items():
            if kinds[path] == "file":
                target = os.path.realpath(path)
                existed = os.path.lexists(target)
                _replace(staged.pop(path), target, path)
                if not existed:
                    created.append(target)
            else:
                _write_through(path, data, kinds[path])
    except BaseException:
        for tmp in list(staged.values()) + created:
            _remove(tmp)
        raise


def check_output(path: str) -> str:
    """How ``path`` will be written: "file" (atomic), "device" (written through) or "stdout".

    A SpecError, before any work, for what cannot be an output.
    """
    if path == STDOUT:
        return "stdout"
    if not path:
        raise SpecError("an output file name is empty; give a file name, or '-' for standard output")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise SpecError(f"cannot write {path}: {err.strerror or err}") from None
    if mode is None or stat.S_ISREG(mode):
        directory = os.path.dirname(os.path.realpath(path))
        if not os.path.isdir(directory):
            raise SpecError(f"cannot write {path}: the directory {directory} does not exist")
        return "file"
    if stat.S_ISDIR(mode):
        raise SpecError(f"cannot write {path}: it is a directory")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "device"
    raise SpecError(f"cannot write {path}: it is not a regular file, a character device or a pipe")


def same_file(a: str, b: str) -> bool:
    """Whether the paths name the same file (through links; a missing file is compared by its real path)."""
    if a == STDOUT or b == STDOUT or not a or not b:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_overwriting_inputs(outputs: dict, inputs: dict) -> None:
    """A SpecError when an output ({option: path}) is one of the inputs ({option: path})."""
    for out_option, out in outputs.items():
        for in_option, source in inputs.items():
            if out and source and isinstance(source, str) and same_file(out, source):
                raise SpecError(f"{out_option} {out} is the file given as {in_option}; "
                                f"writing it would overwrite {in_option}: choose another file name")


def _pieces(data):
    """``data`` as bytes pieces: one for text or bytes, else each item of the iterable in turn."""
    for piece in (data,) if isinstance(data, (str, bytes)) else data:
        yield piece.encode("utf-8") if isinstance(piece, str) else piece


def _stage(path: str, payload) -> str:
    """A complete temporary copy of the file beside its (real) target."""
    directory = os.path.dirname(os.path.realpath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".symback-", dir=directory)
    except OSError as err:
        raise SymbackError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in _pieces(payload):
                handle.write(piece)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a handout should be readable as usual
    except BaseException as err:
        _remove(tmp)
        if isinstance(err, OSError):
            raise SymbackError(f"cannot write {path}: {err.strerror or err}") from None
        raise
    return tmp


def _replace(tmp: str, target: str, path: str) -> None:
    try:
        os.replace(tmp, target)
    except OSError as err:
        _remove(tmp)
        raise SymbackError(f"cannot write {path}: {err.strerror or err}") from None


def _write_through(path: str, payload, kind: str) -> None:
    """Standard output, or a device or pipe opened for writing only (never created, truncated or replaced)."""
    if kind == "stdout":
        sys.stdout.flush()
        for piece in _pieces(payload):
            sys.stdout.buffer.write(piece)
        sys.stdout.buffer.flush()
        return
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as handle:
            for piece in _pieces(payload):
                handle.write(piece)
    except OSError as err:
        raise SymbackError(f"cannot write {path}: {err.strerror or err}") from None


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
