"""Command line: ``autograder release | check | grade`` (also ``python -m autograder``).

Each subcommand parses its arguments, calls one function of
:mod:`autograder.api` and prints the result. Exit status: 0 when everything
passed, 1 when something failed (a test, a submission), 2 for a usage error.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from autograder import api
from autograder.errors import UsageError
from autograder.kernel import DEFAULT_TIMEOUT

__all__ = ["build_parser", "main"]


def _positive_int(text: str) -> int:
    """Argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _release(args: argparse.Namespace) -> int:
    for path in api.release(assignments=args.assignments):
        print(f"released {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    report = api.check(notebook=args.notebook, timeout=args.timeout)
    width = max(len(part.name) for part in report.parts)
    for part in report.parts:
        verdict = "PASS" if part.passed else "FAIL"
        line = f"{verdict}  {part.name:<{width}}  {part.points:g}/{part.max_points:g}"
        print(f"{line}  {part.message}" if part.message else line)
    for problem in report.problems:
        print(f"ERROR {problem}")
    passing = sum(part.passed for part in report.parts)
    print(f"TOTAL {report.score:g}/{report.max_score:g}: "
          f"{passing} of {len(report.parts)} parts pass")
    return 0 if report.passed else 1


def _grade(args: argparse.Namespace) -> int:
    feedback = args.feedback or args.out.parent / "feedback"
    records = api.grade(submissions=args.submissions, out=args.out, feedback=feedback,
                        jobs=args.jobs, timeout=args.timeout,
                        progress=lambda line: print(line, file=sys.stderr, flush=True))
    problems = [record for record in records if record.status != "ok"]
    print(f"graded {len(records)} submissions, {len(problems)} not graded normally "
          f"(see the status column); wrote {args.out} and feedback in {feedback}")
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``autograder`` command group."""
    parser = argparse.ArgumentParser(
        prog="autograder", description="Release, self-check and grade the course's exercises.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    release = commands.add_parser(
        "release", help="regenerate exercises/ from autograder/source/",
        description="Regenerate exercises/<assignment>/ from the instructor notebooks.")
    release.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                         help="assignments to release (default: all)")
    release.set_defaults(handler=_release)

    check = commands.add_parser(
        "check", help="run a notebook's visible tests (for learners)",
        description="Execute a notebook, run its visible tests and report each graded part. "
                    "Exits 0 only when every part passes.")
    check.add_argument("notebook", type=Path, metavar="NOTEBOOK", help="your .ipynb file")
    check.set_defaults(handler=_check)

    grade = commands.add_parser(
        "grade", help="autograde a class with nbgrader (for instructors)",
        description="Autograde SUBMISSIONS_DIR/<student_id>/<assignment>/<notebook>.ipynb "
                    "with hidden tests and write a CSV "
                    "(student_id,assignment,score,max_score,status).")
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    grade.add_argument("--out", type=Path, required=True, metavar="CSV",
                       help="grades file to write")
    grade.add_argument("--feedback", type=Path, metavar="DIR",
                       help="folder for one feedback HTML per submission "
                            "(default: feedback/ beside the CSV)")
    grade.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                       help=f"parallel workers (default: the number of CPUs, "
                            f"{api.default_jobs()} here)")
    grade.set_defaults(handler=_grade)

    for sub in (check, grade):
        sub.add_argument("--timeout", type=_positive_int, default=DEFAULT_TIMEOUT, metavar="S",
                         help=f"seconds one cell may run (default {DEFAULT_TIMEOUT})")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` when None.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return int(exit_.code or 0)
    try:
        return args.handler(args)
    except UsageError as err:
        print(f"autograder {args.command}: error: {err}", file=sys.stderr)
        return 2
