"""Output checks, before any work: every output can be written, none is an input, none is named twice.

Outputs are given as {option: path}, the option as the user wrote it (``-o``,
``--history``), so that a refusal names it.
"""

from __future__ import annotations


def check_outputs(outputs: dict, problem_file, data, lesson) -> None:
    """Refuse, before any work, outputs that cannot be written, that are the problem's input files,
    or that name one file twice (the second would replace the first)."""
    from ..io import check_output, refuse_overwriting_inputs

    kinds = {option: check_output(path) for option, path in outputs.items() if path is not None}
    _one_standard_output(outputs)
    files = [option for option, kind in kinds.items() if kind == "file"]
    for i, option in enumerate(files):
        refuse_overwriting_inputs({option: outputs[option]}, {other: outputs[other] for other in files[i + 1:]})
    lesson_data = lesson.get("data") if isinstance(lesson.get("data"), str) else None
    refuse_overwriting_inputs(outputs, {"--problem": problem_file, "--data": data or lesson_data})


def _one_standard_output(outputs: dict) -> None:
    """Refuse two outputs on standard output ('-', or the report when -o is not given): the second
    would be mixed into the first (a PNG inside the report, the report inside --history's JSON)."""
    from ..errors import SpecError
    from ..io import STDOUT

    users = [option for option, path in outputs.items() if path == STDOUT or (option == "-o" and path is None)]
    if len(users) > 1:
        report = "the report" if outputs.get("-o") is None else "-o -"
        names = [report if option == "-o" else f"{option} -" for option in users]
        raise SpecError(f"{', '.join(names[:-1])} and {names[-1]} would {'both' if len(names) == 2 else 'all'} go to standard output, mixed: "
                        "give all but one of them a file name (the report: -o FILE)")
