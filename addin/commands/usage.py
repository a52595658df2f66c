"""The command line in the user's language: ``--help``, usage errors, argument explanations.

The language is chosen before the parser is built (``--lang`` among the arguments, else the
environment's locale, else Chinese), because argparse writes its own texts (group titles, the
``-h`` explanation) while the parser is built. The command modules write their explanations in
English; :func:`localize` replaces each with its catalogue entry (``usage.cmd.<command>``,
``usage.arg.<command>.<dest>`` or ``usage.arg.<dest>``, ``usage.meta.<NAME>``), and
:func:`speaking` gives argparse's own messages from the catalogue (``usage.ap.*``).

Options are accepted in any order, before or after the positional arguments
(:class:`IntermixedSubParsers`): ``review agree WB SO1 --comment T FIELD=VALUE`` works.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from addin.i18n import Lang, has, t

_CURRENT: ContextVar[Lang] = ContextVar("usage_lang", default="zh")
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

# argparse's own messages (Python 3.11's msgids) → catalogue keys.
_ARGPARSE = {
    "usage: ": "usage.ap.usage",
    "positional arguments": "usage.ap.positionals",
    "options": "usage.ap.options",
    "show this help message and exit": "usage.ap.help",
    "argument %(argument_name)s: %(message)s": "usage.ap.argument",
    "unrecognized arguments: %s": "usage.ap.unrecognized",
    "the following arguments are required: %s": "usage.ap.required",
    "one of the arguments %s is required": "usage.ap.one_of",
    "expected one argument": "usage.ap.expected_one",
    "expected at most one argument": "usage.ap.expected_at_most_one",
    "expected at least one argument": "usage.ap.expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "usage.ap.ambiguous",
    "invalid %(type)s value: %(value)r": "usage.ap.invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "usage.ap.invalid_choice",
    "%(prog)s: error: %(message)s\n": "usage.ap.error",
    "not allowed with argument %s": "usage.ap.not_allowed_with",
    "ignored explicit argument %r": "usage.ap.ignored_argument",
    "unexpected option string: %s": "usage.ap.unexpected_option",
    "can't open '%(filename)s': %(error)s": "usage.ap.cannot_open",
}


def chosen_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Lang:
    """``--lang`` among the arguments, else the locale's language, else Chinese."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        if value.lower().startswith(("zh", "en")):
            return "en" if value.lower().startswith("en") else "zh"
    environ = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = (environ.get(name) or "").split(":")[0].lower()
        if value.startswith("en"):
            return "en"
        if value.startswith("zh"):
            return "zh"
    return "zh"


def current_lang() -> Lang:
    """The language usage errors are given in while arguments are parsed."""
    return _CURRENT.get()


def usage_error(key: str, **params: Any) -> argparse.ArgumentTypeError:
    """A bad argument value, explained in the chosen language (raise it from a ``type=``)."""
    return argparse.ArgumentTypeError(t(key, current_lang(), **params))


@contextlib.contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """argparse's own messages from the catalogue while building and using a parser."""

    def gettext(message: str) -> str:
        key = _ARGPARSE.get(message)
        return t(key, lang) if key else message

    def ngettext(singular: str, plural: str, count: int) -> str:
        if singular == "expected %s argument":
            return t("usage.ap.expected_n", lang)
        return singular if count == 1 else plural

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    token = _CURRENT.set(lang)
    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
        _CURRENT.reset(token)


class UsageFormatter(argparse.HelpFormatter):
    """argparse's help, its section titles followed by the language's own colon."""

    def format_help(self) -> str:
        text = super().format_help()
        lang = current_lang()
        for key in ("usage.ap.positionals", "usage.ap.options"):
            title = t(key, lang)
            text = text.replace(f"\n{title}:\n", f"\n{t('usage.heading', lang, title=title)}\n")
        return text


class UsageParser(argparse.ArgumentParser):
    """A parser whose subcommands (of every level: they are built of this class too) take
    their options in any order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", UsageFormatter)
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", IntermixedSubParsers)


class IntermixedSubParsers(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose options may come anywhere among their positional arguments."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        name, *rest = values
        if self.dest is not argparse.SUPPRESS:
            setattr(namespace, self.dest, name)
        try:
            chosen = self.choices[name]
        except KeyError:
            choices = ", ".join(self.choices)
            message = t("usage.ap.unknown_command", current_lang(), name=name, choices=choices)
            raise argparse.ArgumentError(self, message) from None
        if any(isinstance(a, argparse._SubParsersAction) for a in chosen._actions):
            sub_namespace, rest = chosen.parse_known_args(rest, None)
        else:
            # argparse keeps the usage for its errors by cutting len("usage: ") characters
            # off it: give it the usage cut at the length of our own word for "usage".
            saved = chosen.usage
            if saved is None:
                chosen.usage = chosen.format_usage()[len(argparse._("usage: ")) :]  # type: ignore[attr-defined]
            try:
                sub_namespace, rest = chosen.parse_known_intermixed_args(rest, None)
            finally:
                chosen.usage = saved
        for key, value in vars(sub_namespace).items():
            setattr(namespace, key, value)
        if rest:
            vars(namespace).setdefault(argparse._UNRECOGNIZED_ARGS_ATTR, [])
            getattr(namespace, argparse._UNRECOGNIZED_ARGS_ATTR).extend(rest)


def localize(parser: argparse.ArgumentParser, lang: Lang, path: tuple[str, ...] = ()) -> None:
    """Every explanation and argument name of ``parser`` and its subcommands from the catalogue."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            if action.metavar is not None:
                action.metavar = _meta(str(action.metavar), lang)
            helps = {choice.dest: choice for choice in action._choices_actions}
            for name, sub in action.choices.items():
                command = (*path, name)
                text = t("usage.cmd." + ".".join(command), lang)
                if name in helps:
                    helps[name].help = text
                sub.description = text
                localize(sub, lang, command)
            continue
        if isinstance(action, argparse._HelpAction):
            continue
        specific = "usage.arg." + ".".join((*path, action.dest))
        key = specific if has(specific) else f"usage.arg.{action.dest}"
        action.help = t(key, lang)
        if action.choices is None and action.nargs != 0:
            # The common options are one action shared by every command: name it once.
            name = getattr(action, "usage_name", None) or str(action.metavar or action.dest.upper())
            action.usage_name = name  # type: ignore[attr-defined]
            action.metavar = _meta(name, lang)


def _meta(name: str, lang: Lang) -> str:
    return t(f"usage.meta.{name}", lang)
