"""RecordTableModel: columns as data, and rows fetched page by page from a service, never all at once."""

from __future__ import annotations

import builtins
import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from tests.builders import Context, interview
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.gui.pages.record_table_model import Column, RecordTableModel
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    held_on: date | None = None
    amount: Decimal = Decimal("0")
    urgent: bool = False
    tags: tuple[str, ...] = ()


class FakeSource:
    """A service stand-in that records every query it answers."""

    def __init__(self, count: int, *, vanish_after: int | None = None) -> None:
        self.items = [Item(f"id-{i}", f"记录{i:05d}") for i in range(count)]
        self.queries: list[ListQuery] = []
        self._vanish_after = vanish_after  # list() pretends later records were deleted meanwhile

    def count(self, query: ListQuery | None = None) -> int:
        return len(self._matching(query or ListQuery()))

    def list(self, query: ListQuery | None = None) -> list[Item]:
        q = query or ListQuery()
        self.queries.append(q)
        items = self._matching(q)
        if self._vanish_after is not None:
            items = items[: self._vanish_after]
        end = None if q.limit is None else q.offset + q.limit
        return items[q.offset : end]

    def _matching(self, q: ListQuery) -> builtins.list[Item]:
        return [i for i in self.items if q.search in i.name]


COLUMNS = (
    Column[Item]("名称", lambda i: i.name),
    Column[Item]("日期", lambda i: i.held_on),
    Column[Item]("金额", lambda i: i.amount, align_right=True),
    Column[Item]("紧急", lambda i: i.urgent),
    Column[Item]("标签", lambda i: i.tags),
)


def _model(source: FakeSource, page_size: int = 100) -> RecordTableModel[Item]:
    model = RecordTableModel(COLUMNS, source, page_size=page_size)
    model.set_query(ListQuery())
    return model


def test_model_loads_only_the_first_page() -> None:
    source = FakeSource(100_000)
    model = _model(source, page_size=200)
    assert model.rowCount() == 200
    assert model.total() == 100_000
    assert model.canFetchMore(QModelIndex())
    assert [(q.offset, q.limit) for q in source.queries] == [(0, 200)]


def test_fetch_more_appends_one_page_at_a_time() -> None:
    source = FakeSource(250)
    model = _model(source)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 200
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 250
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert [(q.offset, q.limit) for q in source.queries] == [(0, 100), (100, 100), (200, 100)]
    assert model.record(249).name == "记录00249"


def test_fetch_stops_when_records_vanished_since_counting() -> None:
    source = FakeSource(300, vanish_after=150)
    model = _model(source)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 150
    assert not model.canFetchMore(QModelIndex())


def test_set_query_starts_again_from_the_first_page_with_the_search() -> None:
    source = FakeSource(500)
    model = _model(source)
    model.fetchMore(QModelIndex())
    model.set_query(ListQuery(search="记录0001", offset=400, limit=5))
    assert model.rowCount() == 10
    assert model.total() == 10
    assert (source.queries[-1].search, source.queries[-1].offset, source.queries[-1].limit) == (
        "记录0001",
        0,
        100,
    )
    assert model.query.search == "记录0001"


def test_an_empty_result_has_no_rows_and_nothing_to_fetch() -> None:
    model = _model(FakeSource(3))
    model.set_query(ListQuery(search="没有这个"))
    assert model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())


def test_cells_are_formatted_for_reading() -> None:
    source = FakeSource(0)
    source.items = [Item("a", "谈话", date(2025, 3, 5), Decimal("126000"), True, ("廉洁纪律", "工作纪律"))]
    model = _model(source)
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == ["谈话", "2025-03-05", "126,000.00", "是", "廉洁纪律、工作纪律"]
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.index(0, 0).data(RecordTableModel.RecordRole) == source.items[0]
    assert model.headerData(1, Qt.Orientation.Horizontal) == "日期"
    assert model.row_of("a") == 0 and model.row_of("b") is None


def test_model_passes_the_qt_model_tester(qtmodeltester: object) -> None:
    model = _model(FakeSource(250))
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    model.fetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


def test_view_fetches_more_when_scrolled_to_the_end(qtbot: QtBot) -> None:
    model = _model(FakeSource(1000), page_size=50)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 50)
    assert model.rowCount() < 1000


@pytest.fixture
def many_interviews(workspace: Workspace, ctx: Context) -> RecordService[InterviewRecord]:
    service = RecordService[InterviewRecord](workspace, INTERVIEW)
    base = interview(ctx)
    service.save_many([dataclasses.replace(base, interviewee_name=f"谈话对象{i:03d}") for i in range(120)])
    return service


def test_model_pages_through_a_real_record_service(many_interviews: RecordService[InterviewRecord]) -> None:
    columns = (Column[InterviewRecord]("谈话对象", lambda r: r.interviewee_name),)
    model = RecordTableModel(columns, many_interviews, page_size=50)
    model.set_query(ListQuery())
    assert (model.rowCount(), model.total()) == (50, 120)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 120
    assert len({model.record(r).id for r in range(120)}) == 120
    model.set_query(ListQuery(search="谈话对象007"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["谈话对象007"]


class LaterCounts:
    """Stands in for the background reader: counts run when the test says so."""

    def __init__(self) -> None:
        self.pending: list[tuple[object, object]] = []

    def __call__(self, job: object, done: object) -> None:
        self.pending.append((job, done))

    def finish(self, index: int = -1) -> None:
        job, done = self.pending[index]
        done(job())  # type: ignore[operator]


def test_a_long_result_is_counted_later_without_blocking(qtbot: QtBot) -> None:
    later = LaterCounts()
    model = RecordTableModel(COLUMNS, FakeSource(1000), page_size=100, count_later=later)
    model.set_query(ListQuery())
    assert (model.rowCount(), model.total(), model.total_known()) == (100, 100, False)
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.total_changed):
        later.finish()
    assert (model.total(), model.total_known()) == (1000, True)


def test_a_short_result_needs_no_count_and_a_stale_count_is_dropped() -> None:
    later = LaterCounts()
    model = RecordTableModel(COLUMNS, FakeSource(1000), page_size=100, count_later=later)
    model.set_query(ListQuery())
    model.set_query(ListQuery(search="记录0001"))  # 10 rows: known at once
    assert len(later.pending) == 1 and (model.total(), model.total_known()) == (10, True)
    later.finish(0)  # the count of the first query arrives late
    assert model.total() == 10


def test_reading_to_the_end_before_the_count_arrives_makes_the_total_known(qtbot: QtBot) -> None:
    later = LaterCounts()
    model = RecordTableModel(COLUMNS, FakeSource(250), page_size=100, count_later=later)
    model.set_query(ListQuery())
    model.fetchMore(QModelIndex())
    with qtbot.waitSignal(model.total_changed):  # the last, short page: the count label can say 共 250 条
        model.fetchMore(QModelIndex())
    assert (model.rowCount(), model.total(), model.total_known()) == (250, 250, True)
    later.finish()  # the count arriving afterwards changes nothing
    assert model.total() == 250
