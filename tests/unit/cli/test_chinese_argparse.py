"""cli.chinese_argparse: headings and errors in Chinese, exit code 2, help wrapped by display width."""

from __future__ import annotations

import pytest

from xuncha_desktop.cli.chinese_argparse import ChineseHelpFormatter, ChineseParser
from xuncha_desktop.cli.common import display_width


def _parser() -> ChineseParser:
    parser = ChineseParser(prog="xuncha-desktop")
    parser.add_argument("db", help="工作库文件")
    parser.add_argument("--kind", choices=["full", "delta"], help="工作包类型")
    return parser


def test_headings_and_usage_are_in_chinese() -> None:
    text = _parser().format_help()
    assert text.startswith("用法：xuncha-desktop")
    assert "\n位置参数：\n" in text and "\n选项：\n" in text
    assert "-h, --help" in text and "显示本帮助并退出" in text


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ([], "错误：缺少必需的参数：db"),
        (["a", "--kind", "half"], "错误：参数 --kind 的取值 'half' 无效（可选：'full', 'delta'）"),
        (["a", "--kind"], "错误：参数 --kind 需要一个值"),
        (["a", "b"], "错误：无法识别的参数：b"),
    ],
)
def test_errors_are_translated_and_exit_with_the_usage_code(argv: list[str], said: str, capsys) -> None:
    with pytest.raises(SystemExit) as ended:
        _parser().parse_args(argv)
    assert ended.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"xuncha-desktop：{said}"


def test_help_wraps_by_display_width_and_keeps_punctuation_off_line_starts() -> None:
    formatter = ChineseHelpFormatter("prog")
    lines = formatter._split_lines("巡察组" * 10 + "，完成。", 20)
    # a line may only run over by the punctuation that must not start the next one
    assert all(display_width(line.rstrip("，。")) <= 20 for line in lines)
    assert "".join(lines) == "巡察组" * 10 + "，完成。"
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert formatter._split_lines("use --json to print", 10) == ["use", "--json to", "print"]  # words whole
