"""Moves stored records along their workflow (domain.workflow) as the workspace's current user.

Load, check and apply through the engine, then save through RecordService, which validates, writes the
revision and its audit entry in one transaction. The draft and lead services add what is theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from xuncha_desktop.domain.common import Record
from xuncha_desktop.domain.record_types import RecordType
from xuncha_desktop.domain.workflow import Move, Transition, Workflow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

R = TypeVar("R", bound=Record)


def now() -> datetime:
    return datetime.now().astimezone()


class WorkflowService(Generic[R]):
    def __init__(
        self,
        workspace: Workspace,
        record_type: RecordType,
        workflow: Workflow[R],
        clock: Callable[[], datetime] = now,
    ) -> None:
        self._ws = workspace
        self._records: RecordService[R] = RecordService(workspace, record_type)
        self.workflow = workflow
        self._clock = clock

    def available(self, record: R) -> list[Transition]:
        """The steps the record's state allows (whoever the user is); none before it is saved."""
        if not record.id:
            return []
        return self.workflow.leaving(self.workflow.state_of(record))

    def refusal(self, key: str, record: R) -> str:
        return self.workflow.refusal(self.workflow.transition(key), record, self._ws.user)

    def perform(self, key: str, record_id: str, opinion: str = "") -> R:
        """Take step `key` on the stored record; WorkflowError names the reason when it is not allowed,
        ValidationError the facts the new state still needs."""
        stored = self._records.get(record_id)
        move = Move(self._ws.user, self._clock(), opinion)
        return self._records.save(self.workflow.apply(self.workflow.transition(key), stored, move))
