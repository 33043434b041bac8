"""What a new record starts with besides the working context: the signed-in member's name and a date
inside the round (today, or the round's nearest day with a note saying so)."""

from __future__ import annotations

from datetime import date

from xuncha_desktop.domain.organization import InspectionRound, User
from xuncha_desktop.gui.pages.choices import Choices


def signed_in_name(user: User, choices: Choices) -> str:
    """The name the group knows the signed-in person by: the roster's (成员名单) when the account belongs
    to a member, else the account's 姓名; never the 登录名 (a login such as "liming" is no 记录人)."""
    member = choices.member(user.member_id) if user.member_id else None
    if member is not None and member.name:
        return member.name
    name = user.display_name.strip()
    looks_like_login = name == user.login and name.isascii()  # an account never given a real 姓名
    return "" if looks_like_login else name


def day_in_round(today: date, inspection_round: InspectionRound | None) -> tuple[date, str]:
    """Today, or the round's first or last day when today lies outside it; the note says which and why
    ("" when today was kept)."""
    if inspection_round is None:
        return today, ""
    start, end = inspection_round.start_on, inspection_round.end_on
    if start is not None and today < start:
        day = start
    elif end is not None and today > end:
        day = end
    else:
        return today, ""
    span = f"{start.isoformat() if start else '…'} 至 {end.isoformat() if end else '…'}"
    return day, (
        f"今天（{today.isoformat()}）不在“{inspection_round.name}”的日期（{span}）内，"
        f"新记录的日期已填为 {day.isoformat()}，请核对后保存。"
    )
