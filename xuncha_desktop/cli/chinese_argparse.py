"""argparse in Chinese: usage, headings and error messages translated, help wrapped by display width (a CJK
character takes two columns), and the small argument types the sub-commands share."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from xuncha_desktop.cli.common import display_width
from xuncha_desktop.cli.failures import EXIT_USAGE

# Wrapping units for help text: an ASCII word (with its trailing space) or a single other character.
_TOKENS = re.compile(r"[\x21-\x7e]+ ?| |.")
_NO_LINE_START = frozenset("，。、：；！？）」”’》")  # Chinese punctuation never begins a line

# argparse's own English messages in Chinese; the last pattern wraps our own ArgumentTypeError texts.
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.*)\)", r"参数 \1 的取值 \2 无效（可选：\3）"),
    (r"argument (.+?): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (.+?): invalid \S+ value: (.*)", r"参数 \1 的取值 \2 无效"),
    (r"argument (.+?): not allowed with argument (.*)", r"参数 \1 不能与参数 \2 同时使用"),
    (r"argument (.+?): ignored explicit argument (.*)", r"参数 \1 不接受值 \2"),
    (r"ambiguous option: (.+?) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"one of the arguments (.*) is required", r"必须提供以下参数之一：\1"),
    (r"argument (.+?): (.*)", r"参数 \1：\2"),
)


def _translate(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, replacement, message, count=1, flags=re.DOTALL)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Chinese usage prefix, and wrapping and alignment by display width (a CJK character is two columns)."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines, line = [], ""
        for token in _TOKENS.findall(" ".join(text.split())):
            if line and display_width(line + token) > width and token not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return [*lines, line.rstrip()] if line.strip() else lines

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            width = display_width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        head = " " * self._current_indent + self._format_action_invocation(action)
        first, newline, rest = text.partition("\n")
        help_part = first[len(head) :].lstrip()
        if display_width(head) == len(head) or not first.startswith(head) or not help_part:
            return text
        help_position = min(self._action_max_length + 2, self._max_help_position)
        if display_width(head) + 2 <= help_position:
            return f"{head}{' ' * (help_position - display_width(head))}{help_part}{newline}{rest}"
        return f"{head}\n{' ' * help_position}{help_part}{newline}{rest}"


class ChineseParser(argparse.ArgumentParser):
    """ArgumentParser that speaks Chinese: headings, the -h option and its error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def format_help(self) -> str:
        # argparse ends section headings with an ASCII colon; Chinese text takes the full-width one.
        return re.sub(r"^(\S[^\n]*?):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{_translate(message)}\n")


def positive_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {value}")
    return value


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None


def db_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--db", required=True, metavar="路径", help=help_text)
