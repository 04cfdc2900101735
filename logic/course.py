"""The viral-load course on the current regimen, read as a clinician reads it.

Each result gets a band (below the LLOD, low-level, or at the failure level) and a mark, and
runs of results form episodes: confirmed rebound, incomplete response, low-level viremia, and
repeated failure-level results that are not consecutive. The response table in rules.toml then
reads facts about the whole course, so an earlier confirmed failure is never erased by one later
result, and repeated results at the failure level never stay "to be confirmed" for ever.

Everything here follows the source's definitions (guideline.toml): "confirmed" means two
consecutive results; rebound needs an earlier result below the LLOD; incomplete response needs
two consecutive results at the failure level from week 24 on. Where the source gives no rule
(how many non-consecutive results make viremia "persistent"), the course says what it sees and
the rules point to expert advice.
"""

from __future__ import annotations

from typing import Any

# A confirmed failure stands until this many consecutive results below the LLOD follow it
# (suppression is defined as a confirmed result below the LLOD: two in a row).
CONFIRMED = 2

EPISODE_LABELS = {
    "rebound": "Confirmed rebound",
    "incomplete_response": "Incomplete response",
    "low_level_viremia": "Low-level viremia",
    "intermittent_viremia": "Repeated viremia, not consecutive",
}
FAILURE_EPISODES = ("rebound", "incomplete_response")


def band(result: dict | None, failure_copies: float) -> str:
    if result is None:
        return "none"
    if result["below_llod"]:
        return "undetectable"
    return "failure_level" if result["copies"] >= failure_copies else "low_level"


def _runs(bands: list[str], wanted: str) -> list[tuple[int, int]]:
    """(first, last) index of each run of consecutive results in the wanted band."""
    runs, start = [], None
    for index, value in enumerate([*bands, "end"]):
        if value == wanted and start is None:
            start = index
        elif value != wanted and start is not None:
            runs.append((start, index - 1))
            start = None
    return runs


def _failure_episodes(results, bands, week_24: float) -> list[dict]:
    """Confirmed rebound (after a result below the LLOD) or incomplete response (never below
    the LLOD, two consecutive results at the failure level from week 24 on)."""
    episodes: list[dict] = []
    for first, last in _runs(bands, "failure_level"):
        suppressed_before = "undetectable" in bands[:first]
        if episodes and not _resolved(bands, episodes[-1]["points"][-1], before=first):
            # Failure again before suppression was confirmed: the same episode goes on.
            kind, start = episodes[-1]["kind"], episodes[-1]["points"][0]
            episodes[-1] = _episode(kind, results, start, last)
            continue
        if suppressed_before and last > first:
            episodes.append(_episode("rebound", results, first, last))
            continue
        if suppressed_before:
            continue
        start = next(
            (i for i in range(first, last) if results[i]["week"] >= week_24), None
        )  # the pair must start at or after week 24
        if start is not None:
            episodes.append(_episode("incomplete_response", results, start, last))
    return episodes


def _episode(kind: str, results: list[dict], first: int, last: int) -> dict:
    return {
        "kind": kind,
        "label": EPISODE_LABELS[kind],
        "start_week": results[first]["week"],
        "end_week": results[last]["week"],
        "points": list(range(first, last + 1)),
        "confirmed": last > first,
        "ongoing": False,
    }


def _resolved(bands: list[str], after: int, before: int | None = None) -> bool:
    """Suppression confirmed again after index ``after`` (and before ``before``): two
    consecutive results below the LLOD."""
    runs = _runs(bands[:before], "undetectable")
    return any(last - first + 1 >= CONFIRMED for first, last in runs if first > after)


def _intermittent(results, bands, week_24: float, covered: set[int]) -> dict | None:
    """Two or more results at the failure level since the last result below the LLOD, none of
    them part of a confirmed episode and no two consecutive: viremia the source would call
    persistent if it gave a count, which it does not."""
    last_undetectable = max((i for i, b in enumerate(bands) if b == "undetectable"), default=-1)
    since = range(last_undetectable + 1, len(results))
    hits = [
        i
        for i in since
        if bands[i] == "failure_level"
        and i not in covered
        and (last_undetectable >= 0 or results[i]["week"] >= week_24)
    ]
    if len(hits) < CONFIRMED:
        return None
    return _episode("intermittent_viremia", results, hits[0], len(results) - 1) | {
        "points": [i for i in range(hits[0], len(results))],
        "confirmed": False,
    }


def read_course(results: list[dict], thresholds: dict[str, Any], llod: float) -> dict[str, Any]:
    """The course: each result with its band and mark, the episodes, and when suppression was
    first reached. ``results`` are validated and chronological (logic.case)."""
    failure_copies = thresholds["failure_copies"]
    week_24 = thresholds["incomplete_response_week"]
    bands = [band(r, failure_copies) for r in results]
    episodes = _failure_episodes(results, bands, week_24)
    for first, last in _runs(bands, "low_level"):
        if last > first:
            episodes.append(_episode("low_level_viremia", results, first, last))
    covered = {i for e in episodes if e["kind"] in FAILURE_EPISODES for i in e["points"]}
    intermittent = _intermittent(results, bands, week_24, covered)
    if intermittent:
        episodes.append(intermittent)
    for episode in episodes:
        episode["ongoing"] = not _resolved(bands, episode["points"][-1])
    episodes.sort(key=lambda e: (e["start_week"], e["kind"]))
    marks = _marks(bands, episodes)
    below = [r["week"] for r, b in zip(results, bands, strict=True) if b == "undetectable"]
    first_suppressed = below[0] if below else None
    return {
        "llod": llod,
        "failure_copies": failure_copies,
        "resistance_test_copies": thresholds["resistance_test_copies"],
        "points": [
            {
                "week": r["week"],
                "date": r.get("date"),
                "copies": r["copies"],
                "below_llod": r["below_llod"],
                "detected": r.get("detected", False),
                "band": b,
                "mark": m,
            }
            for r, b, m in zip(results, bands, marks, strict=True)
        ],
        "episodes": episodes,
        "first_suppressed_week": first_suppressed,
    }


def _marks(bands: list[str], episodes: list[dict]) -> list[str]:
    marks = []
    in_episode = {i for e in episodes for i in e["points"] if e["kind"] != "low_level_viremia"}
    in_low = {i for e in episodes if e["kind"] == "low_level_viremia" for i in e["points"]}
    seen_undetectable = False
    for index, value in enumerate(bands):
        isolated = (
            0 < index < len(bands) - 1
            and bands[index - 1] == "undetectable"
            and bands[index + 1] == "undetectable"
        )
        if value == "undetectable":
            marks.append("suppressed")
            seen_undetectable = True
        elif index in in_episode:
            marks.append("episode")
        elif isolated:
            marks.append("blip")
        elif index in in_low:
            marks.append("low_level")
        elif not seen_undetectable:
            marks.append("before_suppression")
        else:
            marks.append("unconfirmed")
    return marks


def course_facts(course: dict[str, Any]) -> dict[str, Any]:
    """What the response table reads about the whole course (see rules.toml's header)."""
    points = course["points"]
    bands = [p["band"] for p in points]
    latest = points[-1]
    previous = points[-2] if len(points) > 1 else None
    open_failure = [e for e in course["episodes"] if e["kind"] in FAILURE_EPISODES and e["ongoing"]]
    return {
        "latest_band": bands[-1],
        "previous_band": bands[-2] if len(bands) > 1 else "none",
        "before_previous_band": bands[-3] if len(bands) > 2 else "none",
        "latest_copies": latest["copies"],
        "latest_week": latest["week"],
        "previous_week": previous["week"] if previous else None,
        "ever_undetectable": "undetectable" in bands,
        "suppressed_earlier": "undetectable" in bands[:-2],
        "open_failure": open_failure[-1]["kind"] if open_failure else "none",
        "intermittent_viremia": any(
            e["kind"] == "intermittent_viremia" and e["ongoing"] for e in course["episodes"]
        ),
    }


def course_summary(course: dict[str, Any]) -> list[str]:
    """The course in short sentences, in time order, for the answer and for print."""
    first = course["first_suppressed_week"]
    if first is None:
        return ["No result below the LLOD on this regimen.", *_events(course)]
    return [f"First below the LLOD at week {_week(first)}.", *_events(course)]


def _events(course: dict[str, Any]) -> list[str]:
    events = []
    for episode in course["episodes"]:
        state = (
            "continuing" if episode["ongoing"] else "followed by a confirmed return below the LLOD"
        )
        events.append((episode["start_week"], f"{episode['label']} {_span(episode)}, {state}."))
    for point in course["points"]:
        if point["mark"] == "blip":
            line = f"Isolated detectable result (blip) at week {_week(point['week'])}."
            events.append((point["week"], line))
    return [line for _, line in sorted(events)]


def _week(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _span(episode: dict) -> str:
    first, last = _week(episode["start_week"]), _week(episode["end_week"])
    return f"at week {first}" if first == last else f"at weeks {first}–{last}"
