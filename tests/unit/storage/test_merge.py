"""storage.merge.merge as a pure function over small hand-written revision sets (sync.md §3.6)."""

from __future__ import annotations

from typing import Any

from xuncha_desktop.storage.merge import Rev, _ancestors, _depths, merge


def rev(
    rev_id: str,
    parents: tuple[str, ...] = (),
    *,
    hlc: str = "",
    replica: str = "r1",
    deleted: bool = False,
    **body: Any,
) -> Rev:
    return Rev(rev_id, parents, deleted, body, hlc or f"0000000000001-00000-{rev_id}", replica, f"u-{rev_id}")


def revset(*revs: Rev) -> dict[str, Rev]:
    return {r.rev_id: r for r in revs}


BASE = rev("base", title="甲", basis="依据", suggestion="", hlc="0000000000001-00000-r1")


def two_heads(left: dict[str, Any], right: dict[str, Any], *, base: Rev = BASE) -> dict[str, Rev]:
    """`base` edited apart on two laptops; the right one is later, so it wins a hard conflict."""
    common = dict(base.body)
    a = rev("left", (base.rev_id,), hlc="0000000000002-00000-r1", replica="r1", **{**common, **left})
    b = rev("right", (base.rev_id,), hlc="0000000000003-00000-r2", replica="r2", **{**common, **right})
    return revset(base, a, b)


# -- one head ---------------------------------------------------------------------------------------------
def test_one_revision_is_the_record() -> None:
    m = merge(revset(BASE))
    assert (m.body, m.deleted, m.kind, m.fields, m.hard_fields) == (BASE.body, False, None, (), ())
    assert [h.rev_id for h in m.heads] == ["base"] and m.base is None
    assert (m.creator, m.winner, m.depth) == (BASE, BASE, 1)


def test_an_edit_chain_is_its_last_revision() -> None:
    second = rev("second", ("base",), hlc="0000000000002-00000-r1", title="乙")
    third = rev("third", ("second",), hlc="0000000000003-00000-r2", replica="r2", title="丙")
    m = merge(revset(third, BASE, second))
    assert m.body == {"title": "丙"} and m.kind is None
    assert (m.creator.rev_id, m.winner.rev_id, m.depth) == ("base", "third", 3)


def test_a_deleted_last_revision_deletes_the_record() -> None:
    gone = rev("gone", ("base",), deleted=True, **BASE.body)
    m = merge(revset(BASE, gone))
    assert (m.deleted, m.kind, m.body) == (True, None, BASE.body)


# -- two heads --------------------------------------------------------------------------------------------
def test_a_field_changed_on_one_side_takes_that_change() -> None:
    m = merge(two_heads({"title": "左改"}, {}))
    assert m.body == {"title": "左改", "basis": "依据", "suggestion": ""}
    assert (m.kind, m.fields, m.hard_fields) == ("soft", ("title",), ())
    assert m.base == BASE and not m.deleted


def test_a_field_changed_on_the_losing_side_still_wins_over_the_unchanged_one() -> None:
    m = merge(two_heads({}, {"basis": "右改"}))
    assert m.body["basis"] == "右改" and m.fields == ("basis",)
    m = merge(two_heads({"basis": "左改"}, {}))
    assert m.body["basis"] == "左改" and m.fields == ("basis",)


def test_different_fields_on_each_side_are_both_taken() -> None:
    m = merge(two_heads({"title": "左改"}, {"basis": "右改"}))
    assert m.body == {"title": "左改", "basis": "右改", "suggestion": ""}
    assert (m.kind, m.fields, m.hard_fields) == ("soft", ("basis", "title"), ())


def test_the_same_change_on_both_sides_is_no_conflict_of_fields() -> None:
    m = merge(two_heads({"title": "同改"}, {"title": "同改"}))
    assert m.body["title"] == "同改"
    # Still two heads: one confirmation closes the branch.
    assert (m.kind, m.fields, m.hard_fields) == ("soft", (), ())
    assert {h.rev_id for h in m.heads} == {"left", "right"}


def test_different_changes_to_one_field_are_a_hard_conflict_won_provisionally_by_the_later() -> None:
    m = merge(two_heads({"title": "左改", "basis": "左依据"}, {"title": "右改"}))
    assert m.body == {"title": "右改", "basis": "左依据", "suggestion": ""}
    assert (m.kind, m.fields, m.hard_fields) == ("hard", ("basis", "title"), ("title",))
    assert m.winner.rev_id == "right"


def test_the_winner_of_equal_clocks_is_the_larger_replica_then_revision() -> None:
    a = rev("a", ("base",), hlc="0000000000005-00000-x", replica="r2", **{**BASE.body, "title": "左"})
    b = rev("b", ("base",), hlc="0000000000005-00000-x", replica="r1", **{**BASE.body, "title": "右"})
    assert merge(revset(BASE, a, b)).body["title"] == "左"
    c = rev("c", ("base",), hlc="0000000000005-00000-x", replica="r2", **{**BASE.body, "title": "后"})
    assert merge(revset(BASE, a, c)).body["title"] == "后"


def test_a_field_added_on_one_side_is_taken() -> None:
    m = merge(two_heads({"note": "新增"}, {}))
    assert m.body["note"] == "新增" and m.fields == ("note",)


def test_the_lowest_common_ancestor_is_the_base() -> None:
    """Against the older ancestor both sides changed the title; against the newer only the right did."""
    older = rev("older", title="原", basis="")
    newer = rev("newer", ("older",), hlc="0000000000002-00000-r1", title="甲", basis="")
    left = rev("left", ("newer",), hlc="0000000000003-00000-r1", title="甲", basis="左依据")
    right = rev("right", ("newer",), hlc="0000000000004-00000-r2", replica="r2", title="右", basis="")
    m = merge(revset(older, newer, left, right))
    assert m.base == newer
    assert m.body == {"title": "右", "basis": "左依据"}
    assert (m.kind, m.hard_fields) == ("soft", ())
    assert (m.creator.rev_id, m.depth) == ("older", 3)


def test_three_heads_merge_field_by_field() -> None:
    revs = two_heads({"title": "左改"}, {"basis": "右改"})
    third = rev(
        "third", ("base",), hlc="0000000000004-00000-r3", replica="r3", **{**BASE.body, "suggestion": "建议"}
    )
    m = merge({**revs, "third": third})
    assert m.body == {"title": "左改", "basis": "右改", "suggestion": "建议"}
    assert (m.kind, m.fields) == ("soft", ("basis", "suggestion", "title"))


def test_a_resolution_with_every_head_as_parent_ends_the_conflict() -> None:
    revs = two_heads({"title": "左改"}, {"title": "右改"})
    done = rev("done", ("left", "right"), hlc="0000000000009-00000-r1", **{**BASE.body, "title": "裁决"})
    m = merge({**revs, "done": done})
    assert (m.kind, m.body["title"], m.depth, m.base) == (None, "裁决", 3, None)


# -- set-valued fields ------------------------------------------------------------------------------------
SET_BASE = rev("base", disciplines=["政治纪律", "廉洁纪律", "工作纪律"], title="甲")


def test_set_adds_and_removals_from_both_sides_are_combined() -> None:
    m = merge(
        two_heads(
            {"disciplines": ["廉洁纪律", "工作纪律", "组织纪律"]},  # removes 政治纪律, adds 组织纪律
            {"disciplines": ["政治纪律", "工作纪律", "群众纪律"]},  # removes 廉洁纪律, adds 群众纪律
            base=SET_BASE,
        )
    )
    assert sorted(m.body["disciplines"]) == sorted(["工作纪律", "组织纪律", "群众纪律"])
    assert (m.kind, m.fields, m.hard_fields) == ("soft", ("disciplines",), ())


def test_set_merge_is_sorted_and_adds_an_item_added_on_both_sides_once() -> None:
    m = merge(
        two_heads(
            {"disciplines": ["政治纪律", "廉洁纪律", "工作纪律", "生活纪律", "组织纪律"]},
            {"disciplines": ["政治纪律", "工作纪律", "生活纪律"]},
            base=SET_BASE,
        )
    )
    expected = sorted(["政治纪律", "工作纪律", "生活纪律", "组织纪律"], key=lambda s: f'"{s}"')
    assert m.body["disciplines"] == expected


def test_set_removal_on_one_side_is_kept_when_the_other_side_adds() -> None:
    m = merge(
        two_heads(
            {"disciplines": ["政治纪律"]},
            {"disciplines": [*SET_BASE.body["disciplines"], "群众纪律"]},
            base=SET_BASE,
        )
    )
    assert sorted(m.body["disciplines"]) == sorted(["政治纪律", "群众纪律"])


def test_an_ordinary_list_changed_on_both_sides_is_a_hard_conflict() -> None:
    base = rev("base", evidence=[{"name": "凭证"}])
    m = merge(two_heads({"evidence": [{"name": "左"}]}, {"evidence": [{"name": "右"}]}, base=base))
    assert (m.kind, m.hard_fields, m.body["evidence"]) == ("hard", ("evidence",), [{"name": "右"}])


def test_a_set_field_changed_on_one_side_only_takes_that_side_unsorted() -> None:
    m = merge(two_heads({"disciplines": ["工作纪律", "政治纪律"]}, {}, base=SET_BASE))
    assert m.body["disciplines"] == ["工作纪律", "政治纪律"]


# -- delete against edit ----------------------------------------------------------------------------------
def test_delete_against_edit_keeps_the_edit_visible() -> None:
    revs = two_heads({}, {"title": "右改"})
    gone = rev("left", ("base",), hlc="0000000000002-00000-r1", deleted=True, **BASE.body)
    m = merge({**revs, "left": gone})
    assert (m.deleted, m.kind, m.body["title"]) == (False, "delete_edit", "右改")
    assert m.winner.rev_id == "right" and m.hard_fields == ()


def test_delete_against_a_later_unchanged_head_is_still_delete_edit() -> None:
    revs = two_heads({}, {})
    gone = rev("right", ("base",), hlc="0000000000009-00000-r2", deleted=True, **BASE.body)
    m = merge({**revs, "right": gone})
    assert (m.deleted, m.kind) == (False, "delete_edit")


def test_deleted_on_both_sides_is_deleted_without_conflict() -> None:
    a = rev("a", ("base",), hlc="0000000000002-00000-r1", deleted=True, title="左")
    b = rev("b", ("base",), hlc="0000000000003-00000-r2", replica="r2", deleted=True, title="右")
    m = merge(revset(BASE, a, b))
    assert (m.deleted, m.kind, m.fields, m.body, m.winner.rev_id) == (True, None, (), {"title": "右"}, "b")
    assert ([h.rev_id for h in m.heads], m.hard_fields, m.creator, m.depth) == (["a", "b"], (), BASE, 2)


# -- no base ----------------------------------------------------------------------------------------------
def test_a_missing_parent_gives_no_base_and_every_difference_is_hard() -> None:
    """The common ancestor has not arrived yet: no side can be said to be the one that changed."""
    left = rev("left", ("absent",), hlc="0000000000002-00000-r1", title="甲", basis="左")
    right = rev("right", ("absent",), hlc="0000000000003-00000-r2", replica="r2", title="甲", basis="右")
    m = merge(revset(left, right))
    assert m.base is None
    assert m.body == {"title": "甲", "basis": "右"}
    assert (m.kind, m.fields, m.hard_fields) == ("hard", ("basis",), ("basis",))


def test_two_roots_have_no_base_and_set_fields_are_not_merged() -> None:
    left = rev("left", hlc="0000000000002-00000-r1", disciplines=["政治纪律"])
    right = rev("right", hlc="0000000000003-00000-r2", replica="r2", disciplines=["廉洁纪律"])
    m = merge(revset(left, right))
    assert (m.base, m.kind, m.hard_fields, m.body) == (
        None,
        "hard",
        ("disciplines",),
        {"disciplines": ["廉洁纪律"]},
    )
    assert m.creator.rev_id == "left"


def test_criss_cross_ancestors_give_no_single_base() -> None:
    """Two merges that each took both sides: two lowest common ancestors, so no base."""
    a = rev("a", ("base",), hlc="0000000000002-00000-r1", title="甲", basis="甲")
    b = rev("b", ("base",), hlc="0000000000003-00000-r2", replica="r2", title="乙", basis="甲")
    x = rev("x", ("a", "b"), hlc="0000000000004-00000-r1", title="甲", basis="左")
    y = rev("y", ("a", "b"), hlc="0000000000005-00000-r2", replica="r2", title="甲", basis="右")
    m = merge(revset(BASE, a, b, x, y))
    assert m.base is None and (m.kind, m.hard_fields) == ("hard", ("basis",))
    assert m.depth == 3


def test_set_items_that_are_objects_compare_by_content_whatever_their_key_order() -> None:
    """A removal on one side removes the item however the other side spells it; objects sort by content."""
    person = {"name": "赵有才", "post": "股长"}
    spelled_otherwise = {"post": "股长", "name": "赵有才"}
    base = rev("base", disciplines=[spelled_otherwise, {"name": "钱某", "post": "科员"}])
    left = rev(
        "left", ("base",), hlc="0000000000002-00000-r1", disciplines=[{"name": "钱某", "post": "科员"}]
    )
    right = rev(
        "right",
        ("base",),
        hlc="0000000000003-00000-r2",
        replica="r2",
        disciplines=[person, {"name": "钱某", "post": "科员"}, {"name": "孙某", "post": "主任"}],
    )
    m = merge(revset(base, left, right))
    assert m.body["disciplines"] == [{"name": "孙某", "post": "主任"}, {"name": "钱某", "post": "科员"}]


# -- the revision graph ------------------------------------------------------------------------------------
def test_ancestors_cover_every_branch_and_say_when_a_parent_is_missing() -> None:
    """A head over three branches that meet again: every branch is walked although the common one is met
    twice; a missing parent met early does not stop the walk either."""
    a = rev("a", ("base",))
    b = rev("b", ("base",))
    c = rev("c", ("absent", "base"))
    head = rev("head", ("a", "b", "c"))
    revs = revset(BASE, a, b, c, head)
    assert _ancestors(revs, "head") == ({"head", "a", "b", "c", "base"}, False)
    assert _ancestors(revset(BASE, a, b, rev("d", ("a", "b"))), "d") == ({"d", "a", "b", "base"}, True)
    assert _ancestors(revset(BASE, a, rev("z", ("absent", "a"))), "z")[1] is False


def test_depth_counts_from_the_oldest_revision_held() -> None:
    """A revision whose parent has not arrived counts as the first; a missing parent among others does
    not stop the count of the rest."""
    assert _depths(revset(rev("x", ("absent",)), rev("y", ("x",)))) == {"x": 1, "y": 2}
    revs = revset(BASE, rev("a", ("base",)), rev("m", ("absent", "a")), rev("n", ("m",)))
    assert _depths(revs) == {"base": 1, "a": 2, "m": 3, "n": 4}
    # Walked from the newest first, the missing parent is met before the ones that are held.
    newest_first = revset(rev("m", ("a", "absent")), rev("a", ("base",)), BASE)
    assert _depths(newest_first) == {"m": 3, "a": 2, "base": 1}
    left = rev("left", ("absent",), hlc="0000000000002-00000-r1", title="甲")
    right = rev("right", ("absent",), hlc="0000000000003-00000-r2", replica="r2", title="乙")
    assert merge(revset(left, right)).depth == 1


def test_a_field_of_the_base_that_both_sides_dropped_is_kept_empty() -> None:
    """A body written by an older version without a field the base had: the field stays, empty."""
    base = rev("base", title="甲", note="旧字段")
    left = rev("left", ("base",), hlc="0000000000002-00000-r1", title="左")
    right = rev("right", ("base",), hlc="0000000000003-00000-r2", replica="r2", title="甲")
    m = merge(revset(base, left, right))
    assert m.body == {"title": "左", "note": None}
