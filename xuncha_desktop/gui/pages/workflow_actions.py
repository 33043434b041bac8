"""The buttons of a record's workflow: one per transition of its domain workflow, shown where the record could
take the step, refused with the engine's own reason, and asking for the step's opinion where it has one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xuncha_desktop.domain.workflow import Transition, Workflow
from xuncha_desktop.gui.pages.page_types import PageAction, PageContext
from xuncha_desktop.services.records.workflow import WorkflowService
from xuncha_desktop.services.workspace import Workspace

Service = Callable[[Workspace], WorkflowService[Any]]


def step_action(workflow: Workflow[Any], step: Transition, service: Service) -> PageAction:
    def run(ctx: PageContext) -> Any:
        record = ctx.record
        opinion = str(getattr(record, step.opinion_field)) if step.opinion_field else ""
        if step.asks:
            reason = ctx.ask_text(step.label, step.asks)
            if reason is None:
                return None
            opinion = reason
        return service(ctx.workspace).perform(step.key, record.id, opinion)

    def shown(_ws: Workspace, record: Any) -> bool:
        return bool(record.id) and workflow.offered(step, record)

    def refusal(ws: Workspace, record: Any) -> str:
        return workflow.refusal(step, record, ws.user)

    return PageAction(f"{step.key}Button", step.label, run, shown, refusal, step.hint)


def workflow_actions(workflow: Workflow[Any], service: Service) -> tuple[PageAction, ...]:
    return tuple(step_action(workflow, s, service) for s in workflow.steps)
