"""Output people read, not program syntax (issue 11 item 12): a line's field, the next step of a
review, the inspection progress, times to the minute, one meaning of 最早交货期, show's headers."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from lifecycle_fixtures import (
    MANAGER,
    OM,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
)

from addin.cli import main
from addin.core.changes import FieldChange
from addin.core.enums import TrackKind
from addin.core.schema import TABLES
from addin.i18n import CATALOGUE, LANGS, t


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_lines_field_reads_as_words() -> None:
    change = FieldChange("lines", "delivery_date", None, 1)
    zh = TABLES["lines"].column("delivery_date").label("lines", "zh")
    en = TABLES["lines"].column("delivery_date").label("lines", "en")
    assert change.label("zh") == f"第 1 行{zh}"
    assert change.label("en") == f"{en} (line 1)"
    assert change.token("zh").startswith(f"{zh}@1=")  # what is typed stays what is parsed


@pytest.mark.parametrize("lang", LANGS)
def test_an_approved_change_names_the_line_in_words(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    wb = str(desk.path)
    desk.released("SO-1")
    code, out, err = run(
        capsys, "change", "request", wb, "SO-1", "--by", "customer", "--reason", "more",
        "quantity=120", "--user", SALES, "--json",
    )  # fmt: skip
    assert code == 0, err
    change_no = json.loads(out)["data"]["change_no"]
    code, _, err = run(
        capsys, "change", "review", wb, change_no, "--necessity", "yes", "--feasibility", "yes",
        "--delivery", "none", "--cost", "none", "--quality", "none", "--user", OM,
    )  # fmt: skip
    assert code == 0, err
    desk.opinions(change_no)  # the concerned departments agree
    code, out, err = run(
        capsys, "change", "approve", wb, change_no, "--user", MANAGER, "--lang", lang
    )
    assert code == 0, err
    details = [r.values["details"] or "" for r in desk.rows("ledger")]
    with desk.open() as store:
        book = store.lang  # the ledger speaks the workbook's language
    quantity = TABLES["lines"].column("quantity").label("lines", book)
    assert any(t("change.field_of_line", book, field=quantity, line=1) in d for d in details)
    assert not any("@" in d for d in details)
    assert "@" not in out


@pytest.mark.parametrize("lang", LANGS)
def test_no_command_syntax_in_the_next_step_of_a_review(lang: str) -> None:
    text = t("review.next.negotiating", lang, round=1)
    assert "review agree" not in text and "(" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_inspection_progress_reads_inspected_then_passed(desk: Desk, lang: str) -> None:
    desk.released("SO-1")
    desk.track("SO-1", TrackKind.PRODUCTION, quantity=100)
    desk.track("SO-1", TrackKind.INSPECTION, quantity=60, passed=58, cause="burrs")
    order = desk.read().orders["SO-1"]
    with desk.open() as store:
        book = store.lang  # the orders sheet speaks the workbook's language
    shown = t("tracking.inspection_partial", book, inspected=60, passed=58, rejected=2, ordered=100)
    assert order.inspection == shown
    text = t("tracking.inspection_partial", lang, inspected=60, passed=58, rejected=2, ordered=100)
    words = ("已检验 60", "合格 58") if lang == "zh" else ("inspected 60", "passed 58")
    assert text.index(words[0]) < text.index(words[1])


@pytest.mark.parametrize("lang", LANGS)
def test_times_are_shown_to_the_minute(lang: str) -> None:
    text = t("dashboard.refreshed", lang, time=datetime(2026, 12, 2, 18, 25, 41), user="u")
    assert "2026-12-02 18:25" in text and "18:25:41" not in text and "T18" not in text


def test_earliest_delivery_means_one_thing() -> None:
    for lang, index in (("zh", 0), ("en", 1)):
        word = "最早交货期" if lang == "zh" else "earliest delivery"
        keys = [
            k for k, pair in CATALOGUE.items() if word in pair[index].lower() or word in pair[index]
        ]
        assert keys == ["col.orders.due_date"], (lang, keys)


@pytest.mark.parametrize("lang", LANGS)
def test_show_prints_each_tables_headers_and_minutes(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    desk.released("SO-1")
    desk.track("SO-1", TrackKind.PRODUCTION, quantity=40)
    code, out, err = run(capsys, "show", str(desk.path), "SO-1", "--lang", lang)
    assert code == 0, err
    lines = out.splitlines()
    for table in ("tracking", "ledger"):
        title = t("show.history", lang) if table == "ledger" else t(f"sheet.{table}", lang)
        at = next(i for i, line in enumerate(lines) if line.startswith(f"-- {title}"))
        header = lines[at + 1]
        for key in ("recorded_by", "recorded_at") if table == "tracking" else ("time", "user"):
            assert TABLES[table].column(key).label(table, lang) in header
    times = re.findall(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?", out)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", x) for x in times), times
