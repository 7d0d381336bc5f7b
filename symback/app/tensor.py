"""Use cases of matrix models: which input needs the matrix engine, and the problem from the options.

A problem is a matrix problem when a parameter or a sample value is a list (``W=[[0.1, 0.2]]``),
the model uses ``@`` or a function of whole vectors (sum, mean, transpose, softmax, log_softmax),
or the loss is ``ce``. Scalar input never gets here: its output does not change.
"""

from __future__ import annotations


def is_matrix(model, loss, params, sample, lesson: dict | None = None) -> bool:
    """Does this input need the matrix engine? Each of model, loss, params and sample as given
    (texts, or values), else the lesson file's."""
    from ..model.tensor_spec import is_tensor_input

    lesson = lesson or {}
    return is_tensor_input(model if model is not None else lesson.get("model", "w*x"),
                           loss if loss is not None else lesson.get("loss", "mse"),
                           params or lesson.get("params"), sample if sample is not None else lesson.get("sample"))


def sample_values(sample, model, loss, params, lesson: dict):
    """--sample as {name: value}: numbers, or nested lists for a matrix model; None without one."""
    from ..model.spec import parse_assignments
    from ..model.tensor_parse import split_assignments

    if not sample:
        return None
    parse = split_assignments if is_matrix(model, loss, params, sample, lesson) else parse_assignments
    return parse(sample, "sample value")


def explain_matrix(problem, mode: str = "sample", entries: str | None = None):
    """The TensorDerivation of the problem's first sample, or (mode 'batch') the TensorBatch of every sample."""
    from ..core.tensor.derive import explain_tensor
    from ..errors import SpecError

    if mode == "batch":
        if entries:
            raise SpecError("--entries shows one entry of one sample's gradient; use it with --mode sample")
        from ..core.tensor.batch import explain_tensor_batch

        return explain_tensor_batch(problem)
    derivation = explain_tensor(problem, 0)
    if entries:
        from ..core.tensor.entries import explain_entry

        derivation = explain_entry(derivation, entries)
    return derivation


def scalar_only(problem, command: str) -> None:
    """A SpecError for a matrix problem in a command that does not cover matrix models yet."""
    if hasattr(problem, "samples"):
        from ..errors import SpecError

        raise SpecError(f"symback {command} does not cover matrix models yet; symback explain, train, check "
                        "and notes do")
