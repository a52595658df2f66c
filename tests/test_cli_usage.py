"""The command line speaks the user's language (issue 11 item 12): every --help, usage error and
argument explanation in the chosen language (--lang, else the locale), options in any order."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator

import pytest
from lifecycle_fixtures import (
    OM,
    SALES,
    USERS,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
)

from addin.cli import build_parser, main
from addin.commands.usage import chosen_lang, speaking
from addin.core.enums import REVIEW_DEPARTMENTS, Department
from addin.i18n import LANGS, t

CJK = re.compile("[\u4e00-\u9fff]")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name)
                yield from _commands(sub, (*path, name))


def _all_commands() -> list[tuple[str, ...]]:
    with speaking("en"):
        return [(), *_commands(build_parser("en"))]


@pytest.mark.parametrize("command", _all_commands(), ids=" ".join)
def test_every_help_is_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    for lang in LANGS:
        code, out, _ = run(capsys, *command, "--help", "--lang", lang)
        assert code == 0
        head, _, body = out.partition("\n\n")
        assert head.startswith(t("usage.ap.usage", lang))
        explanations = [line for line in body.splitlines() if line.startswith("  ")]
        assert explanations
        for line in explanations:
            chunks = re.split(r"\s{2,}", line.strip())
            if len(chunks) == 1 and (chunks[0].startswith("-") or " " not in chunks[0]):
                continue  # a long name alone: its explanation follows on the next line
            text = chunks[-1]  # the explanation, after the command or argument it explains
            if lang == "en":
                assert not CJK.search(text), text
            elif not text.startswith("-h"):  # every explanation, and no English words left
                assert CJK.search(text), text
                words = re.sub(r"--?[\w-]+|\{[^}]*\}|\.?\b(xlsx|xlam|OrderDesk\S*)\b", "", text)
                assert not re.search(r"\b[a-z]{4,}\b", words), text
        if lang == "zh":
            assert t("usage.heading", "zh", title=t("usage.ap.options", "zh")) in body


def test_the_locale_chooses_the_language_when_no_lang_is_given() -> None:
    assert chosen_lang(["check"], {"LANG": "en_US.UTF-8"}) == "en"
    assert chosen_lang(["check"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert chosen_lang(["check", "--lang", "en"], {"LANG": "zh_CN.UTF-8"}) == "en"
    assert chosen_lang(["check", "--lang=zh"], {"LANG": "en_US.UTF-8"}) == "zh"
    assert chosen_lang(["check"], {}) == "zh"


def test_help_follows_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert run(capsys, "check", "--help")[1].startswith("usage: orderdesk check")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert run(capsys, "check", "--help")[1].startswith("用法：orderdesk check")


@pytest.mark.parametrize("lang", LANGS)
def test_usage_errors_are_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    code, out, err = run(capsys, "review", "agree", "--lang", lang)
    assert code == 2 and out == ""
    assert err.startswith(t("usage.ap.usage", lang) + "orderdesk review agree")
    missing = t("usage.ap.required", lang) % "--comment"
    assert err.rstrip().endswith(
        f"{t('usage.ap.error', lang) % {'prog': 'orderdesk review agree', 'message': missing}}".rstrip()
    )
    code, _, err = run(capsys, "track", "wb.xlsx", "SO1", "--date", "someday", "--lang", lang)
    assert code == 2 and t("usage.bad_date", lang, text="someday") in err
    code, _, err = run(
        capsys,
        "review",
        "record",
        "wb.xlsx",
        "SO1",
        "--dept",
        "x",
        "--decision",
        "y",
        "--lang",
        lang,
    )
    choices = t("list.sep", lang).join(d.label(lang) for d in Department)
    assert code == 2 and t("usage.bad_choice", lang, text="x", choices=choices) in err
    code, _, err = run(capsys, "nonsense", "--lang", lang)
    assert code == 2 and (CJK.search(err) is not None) == (lang == "zh")
    code, out, _ = run(
        capsys, "report", "wb.xlsx", "--period", "2026-11", "--to", "2026-11-30", "--lang", lang
    )
    assert code == 2 and out.strip() == t("usage.to_needs_from", lang)


def test_options_come_in_any_order() -> None:
    with speaking("en"):
        parser = build_parser("en")
        args = parser.parse_args(
            ["review", "agree", "wb.xlsx", "SO1", "--comment", "T", "quantity=5", "price=2"]
        )
        assert (args.comment, args.terms) == ("T", ["quantity=5", "price=2"])
        args = parser.parse_args(["check", "--json", "wb.xlsx", "SO1", "--lang", "en", "SO2"])
        assert (args.order_nos, args.json, args.lang) == (["SO1", "SO2"], True, "en")


def test_the_readme_review_agree_works(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    """README: ``orderdesk review agree WORKBOOK ORDER_NO --comment T [FIELD=VALUE ...]``."""
    wb = str(desk.path)
    assert run(capsys, "review", "start", wb, "SO-1", "--user", OM)[0] == 0
    for department in REVIEW_DEPARTMENTS:
        conditional = department == REVIEW_DEPARTMENTS[0]
        decision = (
            ["--decision", "有条件", "--comment", "数量减少"]
            if conditional
            else ["--decision", "通过"]
        )
        code, _, err = run(
            capsys, "review", "record", wb, "SO-1", "--dept", department.label("zh"),
            *decision, "--user", USERS[department],
        )  # fmt: skip
        assert code == 0, err
    assert run(capsys, "review", "conclude", wb, "SO-1", "--user", OM)[0] == 0
    code, out, err = run(
        capsys, "review", "agree", wb, "SO-1", "--comment", "customer agreed", "quantity=90",
        "--user", SALES, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["ok"] is True
