"""信访件: what a petition must say, named by the field labels, and which disposals need what."""

from __future__ import annotations

from datetime import date

from xuncha_desktop.domain.petitions import Petition, validate_petition
from xuncha_desktop.domain.record_types import PETITION

TODAY = date(2025, 4, 1)
VALID = Petition(
    round_id="r",
    group_id="g",
    target_id="t",
    received_on=date(2025, 3, 10),
    registered_by="李明",
    channel="来电",
    reporter_name="周某某",
    summary="反映其在项目资金拨付中收受好处费。",
)


def _messages(p: Petition) -> dict[str, str]:
    return {e.field: e.message for e in validate_petition(p, TODAY)}


def test_a_complete_petition_is_valid_and_the_registry_knows_it() -> None:
    assert validate_petition(VALID, TODAY) == []
    assert (PETITION.key, PETITION.table, PETITION.label, PETITION.date_field) == (
        "petition",
        "petitions",
        "信访件",
        "received_on",
    )
    assert PETITION.header("decided_by") == "决定人"


def test_messages_name_the_fields_in_chinese() -> None:
    empty = Petition(channel="传真", within_remit="也许", received_on=date(2025, 5, 1))
    messages = _messages(empty)
    assert messages["round_id"] == "请填写巡察轮次"
    assert messages["received_on"] == "收件日期不能晚于今天"
    assert messages["registered_by"] == "请填写登记人"
    assert messages["channel"].startswith("来源渠道“传真”不在可选范围内（来信、来电、来访、网络（码上巡察）")
    assert messages["within_remit"].startswith("受理范围“也许”不在可选范围内")
    assert messages["summary"] == "请填写内容摘要"
    assert "匿名" in messages["reporter_name"]


def test_an_anonymous_petition_needs_no_reporter() -> None:
    assert "reporter_name" not in _messages(Petition(anonymous=True))


def test_a_disposal_needs_its_date_decider_and_for_forwarding_the_receiving_body() -> None:
    import dataclasses

    forwarded = dataclasses.replace(VALID, disposal="转办")
    messages = _messages(forwarded)
    assert messages["disposed_on"] == "请填写处置日期"
    assert messages["decided_by"] == "请填写处置决定人"
    assert messages["forwarded_to"] == "请填写转办单位"
    early = dataclasses.replace(VALID, disposal="留存备查", disposed_on=date(2025, 3, 1), decided_by="张建国")
    assert _messages(early) == {"disposed_on": "处置日期不能早于收件日期"}


def test_out_of_remit_petitions_are_only_forwarded_or_filed() -> None:
    import dataclasses

    out = dataclasses.replace(
        VALID,
        within_remit="不属于",
        disposal="转为问题线索",
        disposed_on=date(2025, 3, 12),
        decided_by="张建国",
        target_id="",
    )
    messages = _messages(out)
    assert messages["disposal"] == "不属于受理范围的信访件只能转办或留存备查"
    assert messages["target_id"] == "转为问题线索须先选定被巡察单位"
