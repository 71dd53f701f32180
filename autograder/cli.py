"""Command line: ``autograder release | check | grade | merge | report | similarity``.

Each subcommand parses its arguments, calls one function of
:mod:`autograder.api` and prints the result. Exit status:

0 (:data:`OK`)
    Everything passed: every part (``check``), every row ``ok`` (``grade``).
1 (:data:`NOT_OK`)
    The command did its work, but something it judged did not pass: a part
    (``check``), a row whose status is not ``ok`` (``grade``; every output was
    written, each such row says why).
2 (:data:`USAGE`)
    A usage error: a missing file or option, bubblewrap missing, shards that are
    not one run. Nothing was graded.
3 (:data:`FAILED`)
    The run itself failed: an error the grader did not expect, in the run or
    for one submission (its row says ``grading failed``), or an output it could
    not write. Every output that could be written was; fix the cause and run again.

Names and texts are printed escaped (:mod:`autograder.escape`), one line each.
"""

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from autograder import api
from autograder.errors import UsageError
from autograder.escape import escape
from autograder.grading import Shard, summary
from autograder.kernel import DEFAULT_TIMEOUT, NOTEBOOK_TIMEOUT
from autograder.limits import DEFAULT_LIMITS, describe_limits
from autograder.lms import LAYOUTS
from autograder.roster import NOT_SUBMITTED, roster_summary
from autograder.runkey import RunKey, key_path
from autograder.selfcheck import report_lines

__all__ = ["FAILED", "NOT_OK", "OK", "USAGE", "build_parser", "main"]

OK, NOT_OK, USAGE, FAILED = 0, 1, 2, 3


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
    return OK


def _check(args: argparse.Namespace) -> int:
    report = api.check(notebook=args.notebook, timeout=args.timeout, sandbox=args.sandbox,
                       progress=not args.quiet)
    print("\n".join(report_lines(report)))
    return OK if report.passed else NOT_OK


def _grade(args: argparse.Namespace) -> int:
    if (args.out is None) == (args.update is None):
        raise UsageError("give --out CSV for a run, or --update DIR (with --only ID ...) to "
                         "regrade students of an earlier run")
    if args.only and args.update is None:
        raise UsageError("--only regrades students of an earlier run: give --update DIR")
    if args.update is not None and (args.seed, args.key, args.shard) != (None, None, None):
        raise UsageError("--update regrades with the earlier run's own key (DIR/grades.key): "
                         "--seed, --key and --shard are for a new run")
    if not args.sandbox:
        print("autograder grade: WARNING: --no-sandbox runs every learner notebook with your "
              "rights, network and files. Use it only for notebooks you trust.", file=sys.stderr)
    else:
        limits = describe_limits(DEFAULT_LIMITS, timeout=args.timeout,
                                 notebook_timeout=NOTEBOOK_TIMEOUT)
        print(f"autograder grade: {limits}", file=sys.stderr)
    out = args.out or args.update / "grades.csv"
    feedback = args.feedback or out.parent / "feedback"
    common = {"submissions": args.submissions, "feedback": feedback, "lms": args.lms,
              "gradebook": args.gradebook, "jobs": args.jobs, "roster": args.roster,
              "lms_layout": args.lms_layout, "percent": args.percent,
              "late_policy": args.late_policy, "due": args.due, "book_url": args.book_url,
              "sandbox": args.sandbox,
              "timeout": args.timeout, "progress": True}
    if args.update is not None:
        run = api.regrade(update=args.update, only=args.only, **common)
    else:
        run = api.grade(out=out, seed=args.seed, key=args.key, shard=args.shard, **common)
    for failure in run.failures:
        print(f"autograder grade: failed: {escape(failure)}", file=sys.stderr)
    handed_in = [record for record in run.records if record.status != NOT_SUBMITTED]
    what = "regraded" if args.update is not None else "wrote"
    print(escape(f"{summary(handed_in)}; key {RunKey(run.seed).id} (the key itself, private, "
                 f"in {key_path(out)}); {what} {out} and feedback in {feedback}"))
    if args.roster is not None:
        print(escape(roster_summary(run.records)))
    if run.failures:
        return FAILED
    return NOT_OK if any(record.status != "ok" for record in run.records) else OK


def _merge(args: argparse.Namespace) -> int:
    rows = api.merge(inputs=args.inputs, out=args.out, lms=args.lms, gradebook=args.gradebook,
                     submissions=args.submissions, roster=args.roster,
                     lms_layout=args.lms_layout, percent=args.percent, book_url=args.book_url)
    wrote = ", ".join(str(path) for path in (args.out, args.lms, args.gradebook) if path)
    print(f"merged all {len(args.inputs)} shards, {rows} rows (one per submission); wrote {wrote} "
          f"and feedback in {args.out.parent / 'feedback'}")
    return OK


def _report(args: argparse.Namespace) -> int:
    page, table = api.report(out=args.out)
    print(escape(f"wrote {page} and {table}"))
    return OK


def _similarity(args: argparse.Namespace) -> int:
    found = api.similarity(submissions=args.submissions, threshold=args.threshold)
    for skip in found.skipped:
        print(escape(f"skipped {skip.student}/{skip.assignment}: {skip.reason}"))
    for pair in found.pairs:
        print(escape(f"{pair.similarity:4.0%}  {pair.assignment}:{pair.part}  {pair.first}  "
                     f"{pair.second}"))
    print(f"{len(found.pairs)} pairs at or above {args.threshold:.0%}; "
          f"{len(found.skipped)} submissions skipped")
    return OK


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
    check.add_argument("--quiet", "-q", action="store_true",
                       help="print only the verdicts, not which cell or part is running "
                            "(shown on stderr by default)")
    check.set_defaults(handler=_check)

    grade = commands.add_parser(
        "grade", help="grade a class in sandboxes, hidden cases included (for instructors)",
        description="Grade SUBMISSIONS_DIR/<student_id>/<assignment>/<notebook>.ipynb: each "
                    "notebook runs in a sandbox, its functions are called on visible and "
                    "hidden cases, and the outcomes are judged outside the learner's kernel.")
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    grade.add_argument("--out", type=Path, metavar="CSV",
                       help="grades file to write (required unless --update)")
    grade.add_argument("--update", type=Path, metavar="DIR",
                       help="regrade the --only students of the earlier run in DIR with its "
                            "key (DIR/grades.key), rewriting their rows, feedback and gradebook "
                            "entries in place; every other row is kept as it was")
    grade.add_argument("--only", nargs="+", default=[], metavar="ID",
                       help="the student ids to regrade (with --update)")
    grade.add_argument("--late-policy", type=Path, metavar="TOML",
                       help="due dates and late penalty ([late] penalty_per_day, cap, "
                            "grace_minutes; [due] ASSIGNMENT = date-time): adds the columns "
                            "submitted, late_hours, penalty and takes the penalty off scores")
    grade.add_argument("--due", action="append", default=[], metavar="ASSIGNMENT=WHEN",
                       help="a due date (ISO 8601 with its offset), adding to or overriding "
                            "the policy's; repeat for several assignments")
    grade.add_argument("--feedback", type=Path, metavar="DIR",
                       help="folder for one feedback page per submission "
                            "(default: feedback/ beside the CSV)")
    grade.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                       help=f"notebooks graded at once (default: twice the number of CPUs, "
                            f"{api.default_jobs()} here)")
    drawn = grade.add_mutually_exclusive_group()
    drawn.add_argument("--seed", type=_seed, default=None, metavar="N",
                       help="a fixed run key, for reproducible tests; keep it private: whoever "
                            "guesses it (a date) rebuilds the hidden cases (default: a fresh "
                            "128-bit key, kept in grades.key beside the CSV)")
    drawn.add_argument("--key", type=Path, default=None, metavar="FILE",
                       help="the run key file of an earlier run (its grades.key), for a regrade "
                            "or every shard of one run; a new FILE gets a fresh key first")
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
                    "beside them) into what one unsharded run with the same key writes. Each "
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
        sub.add_argument("--roster", type=Path, metavar="CSV",
                         help="the course's roster (columns id,name[,email,section]): every "
                              "rostered student gets a row per assignment, 'not submitted' "
                              "where nothing came in; ids not on it are graded and flagged")
        sub.add_argument("--lms", type=Path, metavar="CSV",
                         help="also write the grades for an LMS, laid out as --lms-layout says")
        sub.add_argument("--lms-layout", choices=("rows", *LAYOUTS), default="rows",
                         help="rows: student_id,assignment,total,max, a row per submission "
                              "(default); canvas: Canvas's gradebook CSV; moodle: for Moodle's "
                              "CSV grade import; wide: student_id,name,email,section and a "
                              "column per assignment")
        sub.add_argument("--book-url", default="", metavar="URL",
                         help="the published book's address (e.g. https://course.example.edu/"
                              "dl): feedback pages link each book reference to its section")
        sub.add_argument("--percent", action="store_true",
                         help="LMS scores out of 100 instead of points (not with rows)")
        sub.add_argument("--gradebook", type=Path, metavar="DB",
                         help="record the scores in this nbgrader SQLite gradebook, and make "
                              "its folder a course folder for formgrader (submitted/ and "
                              "autograded/ entries with each learner's notebook, outputs "
                              "removed)")

    report = commands.add_parser(
        "report", help="the class report of a grading run: scores, pass rates, mistakes",
        description="Read OUT/grades.csv and write OUT/report.html (score distribution, each "
                    "part's pass rate and most matched mistakes, flags, students with no "
                    "score; figures embedded, opens offline) and OUT/report.csv (one row "
                    "per part).")
    report.add_argument("out", type=Path, metavar="OUT", help="the folder holding grades.csv")
    report.set_defaults(handler=_report)

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
        print(f"autograder {args.command}: error: {escape(str(err))}", file=sys.stderr)
        return USAGE
    except Exception as err:  # the run itself failed: never the 1 of "some rows not ok"
        for line in traceback.format_exc().splitlines():
            print(escape(line), file=sys.stderr)
        print(f"autograder {args.command}: failed: {escape(f'{type(err).__name__}: {err}')}",
              file=sys.stderr)
        return FAILED
