"""Command line: ``autograder release | check | grade | merge | similarity``.

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
from autograder.escape import escape
from autograder.grading import Shard, summary
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
    report = api.check(notebook=args.notebook, timeout=args.timeout, sandbox=args.sandbox)
    width = max(len(part.name) for part in report.parts)
    for part in report.parts:
        verdict = "PASS" if part.passed else "FAIL"
        line = f"{verdict}  {part.name:<{width}}  {part.points:g}/{part.max_points:g}"
        print(f"{line}  {part.message}" if part.message else line)
    for problem in report.problems:
        print(f"ERROR {problem}")
    passing = sum(part.passed for part in report.parts)
    print(f"TOTAL {report.score:g}/{report.max_score:g}: "
          f"{passing} of {len(report.parts)} parts pass (visible cases; grading adds hidden ones)")
    return 0 if report.passed else 1


def _grade(args: argparse.Namespace) -> int:
    if not args.sandbox:
        print("autograder grade: WARNING: --no-sandbox runs every learner notebook with your "
              "rights, network and files. Use it only for notebooks you trust.", file=sys.stderr)
    feedback = args.feedback or args.out.parent / "feedback"
    run = api.grade(submissions=args.submissions, out=args.out, feedback=feedback, lms=args.lms,
                    gradebook=args.gradebook, jobs=args.jobs, seed=args.seed, shard=args.shard,
                    sandbox=args.sandbox, timeout=args.timeout, progress=True)
    print(f"{summary(run.records)}; seed {run.seed}; wrote {args.out} and feedback in {feedback}")
    return 1 if any(record.status != "ok" for record in run.records) else 0


def _merge(args: argparse.Namespace) -> int:
    rows = api.merge(inputs=args.inputs, out=args.out, lms=args.lms, gradebook=args.gradebook,
                     submissions=args.submissions)
    wrote = ", ".join(str(path) for path in (args.out, args.lms, args.gradebook) if path)
    print(f"merged all {len(args.inputs)} shards, {rows} rows (one per submission); wrote {wrote} "
          f"and feedback in {args.out.parent / 'feedback'}")
    return 0


def _similarity(args: argparse.Namespace) -> int:
    found = api.similarity(submissions=args.submissions, threshold=args.threshold)
    for skip in found.skipped:
        print(escape(f"skipped {skip.student}/{skip.assignment}: {skip.reason}"))
    for pair in found.pairs:
        print(escape(f"{pair.similarity:4.0%}  {pair.assignment}:{pair.part}  {pair.first}  "
                     f"{pair.second}"))
    print(f"{len(found.pairs)} pairs at or above {args.threshold:.0%}; "
          f"{len(found.skipped)} submissions skipped")
    return 0


def _share(text: str) -> float:
    """Argparse type: a share between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number between 0 and 1, got {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value}")
    return value


def _shard(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected 0 <= seed < 2**63, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``autograder`` command group."""
    parser = argparse.ArgumentParser(
        prog="autograder", description="Release, self-check and grade the course's exercises.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    release = commands.add_parser(
        "release", help="regenerate exercises/ from the manifests and autograder/source/",
        description="Write each manifest's visible tests into its instructor notebook, then "
                    "regenerate exercises/<assignment>/ with nbgrader.")
    release.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                         help="assignments to release (default: all)")
    release.set_defaults(handler=_release)

    check = commands.add_parser(
        "check", help="judge a notebook on its visible cases (for learners)",
        description="Execute a notebook, call its functions on the visible cases and report "
                    "each graded part. Exits 0 only when every part passes.")
    check.add_argument("notebook", type=Path, metavar="NOTEBOOK", help="your .ipynb file")
    check.add_argument("--sandbox", action="store_true",
                       help="run the notebook under bubblewrap, as grading does")
    check.set_defaults(handler=_check)

    grade = commands.add_parser(
        "grade", help="grade a class in sandboxes, hidden cases included (for instructors)",
        description="Grade SUBMISSIONS_DIR/<student_id>/<assignment>/<notebook>.ipynb: each "
                    "notebook runs in a sandbox, its functions are called on visible and "
                    "hidden cases, and the outcomes are judged outside the learner's kernel.")
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    grade.add_argument("--out", type=Path, required=True, metavar="CSV",
                       help="grades file to write")
    grade.add_argument("--feedback", type=Path, metavar="DIR",
                       help="folder for one feedback page per submission "
                            "(default: feedback/ beside the CSV)")
    grade.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                       help=f"notebooks graded at once (default: twice the number of CPUs, "
                            f"{api.default_jobs()} here)")
    grade.add_argument("--seed", type=_seed, default=None, metavar="N",
                       help="seed of the hidden cases (default: random; printed and in the CSV)")
    grade.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                       help="grade only share K of N of the submissions; also writes the "
                            "shard's record (grades.shard.json for grades.csv) that merge needs")
    grade.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                       help="UNSAFE: run learner notebooks without bubblewrap")
    grade.set_defaults(handler=_grade)

    for sub in (check, grade):
        sub.add_argument("--timeout", type=_positive_int, default=DEFAULT_TIMEOUT, metavar="S",
                         help=f"seconds one cell may run (default {DEFAULT_TIMEOUT})")

    merge = commands.add_parser(
        "merge", help="join the CSVs of all the shards of one grading run",
        description="Join the CSVs that `grade --shard K/N` wrote (and the feedback/ folders "
                    "beside them) into what one unsharded run with the same seed writes. Each "
                    "shard writes a record beside its CSV (grades.shard.json); merge refuses, "
                    "naming what is wrong, unless it is given all N shards of one run, each "
                    "once and complete. A CSV without its record is refused.")
    merge.add_argument("inputs", nargs="+", type=Path, metavar="CSV",
                       help="the shards' grades files, K = 1 to N")
    merge.add_argument("--out", type=Path, required=True, metavar="CSV",
                       help="merged grades file to write (feedback/ goes beside it)")
    merge.add_argument("--submissions", type=Path, metavar="SUBMISSIONS_DIR",
                       help="also check that every submission in this folder has a row")
    merge.set_defaults(handler=_merge)

    for sub in (grade, merge):
        sub.add_argument("--lms", type=Path, metavar="CSV",
                         help="also write student_id,assignment,total,max for an LMS")
        sub.add_argument("--gradebook", type=Path, metavar="DB",
                         help="record the scores in this nbgrader SQLite gradebook")

    similarity = commands.add_parser(
        "similarity", help="pairs of students whose answers closely match",
        description="Compare every two students' answers to each part (copydetect, MOSS-style "
                    "fingerprints; names, comments and formatting ignored).")
    similarity.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    similarity.add_argument("--threshold", type=_share, default=0.8, metavar="SHARE",
                            help="report pairs sharing at least this share (default 0.8)")
    similarity.set_defaults(handler=_similarity)
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
