"""Realistic Chinese text for the demo workspace: names, the fictional county 清河县, issues, interviews,
leads and evaluations. Standard library only; every function takes a random.Random and is deterministic."""

from xuncha_desktop.services.demo.text.evaluations import appraisal, portrait, tallies
from xuncha_desktop.services.demo.text.interviews import interview
from xuncha_desktop.services.demo.text.issues import FAMILIES, issue, money_text
from xuncha_desktop.services.demo.text.leads import lead
from xuncha_desktop.services.demo.text.names import birth_month, distinct_names, gender, person_name
from xuncha_desktop.services.demo.text.units import (
    COUNTY,
    OFFICE,
    all_units,
    full_post,
    jurisdiction,
    leader_post,
    member_home,
    place,
    staff_post,
    target_unit,
    transfer_unit,
    unit_from,
)

__all__ = [
    "COUNTY",
    "FAMILIES",
    "OFFICE",
    "all_units",
    "appraisal",
    "birth_month",
    "distinct_names",
    "full_post",
    "gender",
    "interview",
    "issue",
    "jurisdiction",
    "lead",
    "leader_post",
    "member_home",
    "money_text",
    "person_name",
    "place",
    "portrait",
    "staff_post",
    "tallies",
    "target_unit",
    "transfer_unit",
    "unit_from",
]
