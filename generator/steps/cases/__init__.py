"""The trainee case library: ``docs/cases/``.

Each case is a TOML file in ``generator/content/cases/`` (``_library.toml`` there holds the
library's vocabulary). A case is a short vignette, its input for :func:`logic.evaluate` and a
list of questions that step through the reasoning. The right answers are never written in a
case file: they are whatever ``logic`` concludes. A case file may state the answers its author
``expected``; the build compares them with ``logic`` and stops, naming the file, the case and
the question, when they differ.

Pages written:

* ``cases/index.md`` — the library, filterable by topic and difficulty (a plain list without
  JavaScript), and a table of what the library covers;
* ``cases/<id>.md`` — the case, with its questions as a form that ``cases-page.mjs`` shows; the
  answers are graded by ``logic.grading`` in the walkthrough's Pyodide worker;
* ``cases/print/<id>.md`` — the printable sheet, without answers;
* ``cases/teacher/<id>.md`` — the teacher's sheet: every answer as ``logic`` computes it, with the
  rules that fired, their inputs, ratings and links to the source sections on this site.

What the browser needs to explain an answer (what a wrong choice would have implied, where each
section lives) is embedded in the case page as JSON, built from ``logic``'s data here — never
retyped. Answers are graded by ``logic.grading`` (here, and in the browser's worker) and worded by
``logic.vocabulary``.

Modules: ``library`` (_library.toml), ``choices`` (what each answer implies), ``casefile`` (one
case file, checked), ``coverage`` (what the library covers), ``render`` (links, sheets, page data).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import Context, Output
from generator.steps.cases.casefile import (
    CASE_KEYS,
    KINDS,
    Case,
    CaseFile,
    Question,
    load_cases,
)
from generator.steps.cases.coverage import coverage, coverage_targets, covered_by
from generator.steps.cases.library import INDEX_PAGE, LIBRARY_FILE, Library, load_library
from generator.steps.cases.render import (
    Links,
    Sheet,
    case_facts,
    course_chart,
    data_attribute,
    page_data,
    viral_load_rows,
)
from logic import __version__
from logic.grading import explaining_rules
from logic.vocabulary import vocabulary

__all__ = [
    "CASE_KEYS",
    "INDEX_PAGE",
    "KINDS",
    "LIBRARY_FILE",
    "Case",
    "CaseFile",
    "Library",
    "Question",
    "covered_by",
    "data_attribute",
    "load_cases",
    "load_library",
    "page_data",
    "step",
]


def step(context: Context) -> Iterator[Output]:
    library = load_library(context)
    cases = load_cases(context, library)
    guideline = context.guideline
    common = {
        "library": library,
        "words": vocabulary(guideline),
        "guideline": guideline,
        "logic_version": __version__,
        "updated": guideline.source["last_updated"],
    }
    index_links = Links(INDEX_PAGE, context)
    yield (
        INDEX_PAGE,
        context.render(
            "cases/index.md.j2",
            cases=cases,
            coverage=coverage(cases, guideline),
            targets=coverage_targets(guideline),
            links=index_links,
            **common,
        ),
    )
    for case in cases:
        links = Links(case.page, context)
        yield (
            case.page,
            context.render(
                "cases/case.md.j2",
                case=case,
                links=links,
                viral_loads=viral_load_rows(case),
                chart=course_chart(case, classified=False),
                data=data_attribute(page_data(case, links)),
                **common,
            ),
        )
        yield (
            case.print_page,
            context.render(
                "cases/print.md.j2",
                case=case,
                links=Links(case.print_page, context),
                viral_loads=viral_load_rows(case),
                chart=course_chart(case, classified=False),
                **common,
            ),
        )
        teacher = Links(case.teacher_page, context)
        yield (
            case.teacher_page,
            context.render(
                "cases/teacher.md.j2",
                case=case,
                links=teacher,
                viral_loads=viral_load_rows(case),
                chart=course_chart(case, classified=True),
                facts=case_facts(case, guideline),
                sheet=Sheet(teacher),
                explaining_rules=explaining_rules,
                **common,
            ),
        )
