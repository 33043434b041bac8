"""audit_events: the Chinese one-line summaries of sign-in and output events, and None for what they lack."""

from __future__ import annotations

import ast
from pathlib import Path

import xuncha_desktop
from xuncha_desktop.services.security import audit_text
from xuncha_desktop.services.security.audit_events import PRINT_TITLES, detail_value, summary


def test_values_are_named_in_chinese_per_action() -> None:
    assert detail_value("print", "kind", "draft") == "问题底稿"
    assert detail_value("export", "kind", "delta") == "增量"
    assert detail_value("unlock_failed", "where", "unlock") == "锁定后解锁时"
    assert detail_value("print", "kind", "unknown") is None
    assert detail_value("print", "records", "3") is None
    assert detail_value("print", "kind", 3) is None


def test_summaries_pick_their_variant() -> None:
    assert (
        summary("print", {"kind": "问题底稿", "records": "2", "file": "a.pdf"})
        == "打印问题底稿（2 份）：“a.pdf”"
    )
    assert (
        summary("print", {"kind": "问题底稿", "records": "2", "printer": "办公室"})
        == "打印问题底稿（2 份）到打印机“办公室”"
    )
    once = {"login": "li", "where": "登录时", "count": "1", "last": "09:00"}
    assert summary("unlock_failed", once) == "登录名“li”登录时口令错误 1 次（09:00）"
    assert summary("unlock_failed", {**once, "count": "3", "first": "08:00"}) == (
        "登录名“li”登录时口令错误 3 次（08:00 至 09:00）"
    )


def test_unknown_actions_and_older_entries_without_a_detail_have_no_summary() -> None:
    assert summary("save", {}) is None
    assert summary("ledger", {"kind": "问题清单"}) is None


# -- every action the code writes has a Chinese label ---------------------------------------------------
PACKAGE = Path(xuncha_desktop.__file__).parent
# (callable name, index of the action among its positional arguments); `.log` and `.entry` are methods.
ACTION_ARGUMENTS = {"log": 0, "entry": 2, "OutputAudit": 1, "log_output": 1}
ACTION_KEYWORDS = ("action", "audit_action")
# Calls whose `action=` is no audit action: text formatting, argparse, a workflow step's verb, a filter.
NOT_AUDIT = frozenset({"format", "add_argument", "Transition", "AuditQuery"})


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = func.value
        if isinstance(receiver, ast.Name) and receiver.id in ("logging", "logger", "log", "math"):
            return ""
        return func.attr if func.attr in ("log", "entry") else ""
    return func.id if isinstance(func, ast.Name) else ""


class Module:
    """One source file: its string constants by name, what it imports, and its functions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.constants: dict[str, str] = {}
        self.imports: dict[str, str] = {}  # name → dotted module
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        self.constants[target.id] = node.value.value
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = node.module
        self.parents = {
            child: parent for parent in ast.walk(self.tree) for child in ast.iter_child_nodes(parent)
        }

    def function_of(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None


class Collector:
    def __init__(self) -> None:
        files = sorted(PACKAGE.rglob("*.py"))
        self.modules = {self._dotted(p): Module(p) for p in files}
        self.actions: dict[str, set[str]] = {}  # action → where it is written
        self.unresolved: list[str] = []
        self.visiting: set[tuple[str, int, str]] = set()

    @staticmethod
    def _dotted(path: Path) -> str:
        return ".".join(("xuncha_desktop", *path.relative_to(PACKAGE).with_suffix("").parts))

    def collect(self) -> dict[str, set[str]]:
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, ast.Call):
                    self._call(module, node)
        return self.actions

    def _call(self, module: Module, call: ast.Call) -> None:
        index = ACTION_ARGUMENTS.get(_called(call))
        if index is not None and len(call.args) > index:
            self._value(module, call.args[index], call)
        for keyword in call.keywords:  # save(…, action="revoke_signoff"), ScoringFamily(audit_action=…)
            if keyword.arg in ACTION_KEYWORDS and _name_of(call.func) not in NOT_AUDIT:
                self._value(module, keyword.value, call)

    def _add(self, module: Module, action: str, node: ast.AST) -> None:
        where = f"{module.path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
        self.actions.setdefault(action, set()).add(where)

    def _value(self, module: Module, expr: ast.expr, at: ast.AST, seen: int = 0) -> None:
        """The string constants `expr` can be: literals, constants by name (here or imported), both sides
        of `a if c else b` / `a or b`, a function's parameter (what its callers pass), a loop over a
        parameter's .items() (the keys of the dicts its callers pass)."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            if expr.value:
                self._add(module, expr.value, at)
        elif isinstance(expr, ast.IfExp):
            for side in (expr.body, expr.orelse):
                self._value(module, side, at, seen)
        elif isinstance(expr, ast.BoolOp):
            for side in expr.values:
                self._value(module, side, at, seen)
        elif isinstance(expr, ast.Attribute) and expr.attr in ("audit_action", "action"):
            pass  # a dataclass field: its values are the `audit_action=` / `action=` keywords collected
        elif isinstance(expr, ast.Name):
            self._name(module, expr.id, at, seen + 1)
        elif isinstance(expr, ast.Call) and self._returns(module, _name_of(expr.func), at, seen):
            pass  # a helper choosing the action: what it returns
        else:
            self.unresolved.append(f"{module.path.relative_to(PACKAGE)}:{getattr(at, 'lineno', 0)}")

    def _returns(self, module: Module, name: str, at: ast.AST, seen: int) -> bool:
        functions = [f for f in ast.walk(module.tree) if isinstance(f, ast.FunctionDef) and f.name == name]
        for function in functions:
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and node.value is not None:
                    self._value(module, node.value, at, seen)
        return bool(functions)

    def _name(self, module: Module, name: str, at: ast.AST, seen: int) -> None:
        if name in module.constants:
            self._add(module, module.constants[name], at)
            return
        if name in module.imports and module.imports[name] in self.modules:
            source = self.modules[module.imports[name]]
            if name in source.constants:
                self._add(source, source.constants[name], at)
                return
        function = module.function_of(at)
        key = (str(module.path), id(function), name)
        if key in self.visiting:
            return  # `action = action or "create"`: its other values are being collected
        self.visiting.add(key)
        if function is None:
            self.unresolved.append(f"{module.path.relative_to(PACKAGE)}:{getattr(at, 'lineno', 0)} {name}")
            return
        found = False
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                self._value(module, node.value, at, seen)
                found = True
            elif isinstance(node, ast.For) and self._loop_over_items(node, name):
                found = self._callers(function, self._loop_source(node), keys=True, seen=seen) or found
        default = _default(function, name)
        if default is not None:
            self._value(module, default, at, seen)
            found = True
        if name in _params(function):
            found = self._callers(function, name, keys=False, seen=seen) or found
        if not found:
            self.unresolved.append(f"{module.path.relative_to(PACKAGE)}:{getattr(at, 'lineno', 0)} {name}")

    @staticmethod
    def _loop_over_items(loop: ast.For, name: str) -> bool:
        target, source = loop.target, loop.iter
        return (
            isinstance(target, ast.Tuple)
            and isinstance(target.elts[0], ast.Name)
            and target.elts[0].id == name
            and isinstance(source, ast.Call)
            and isinstance(source.func, ast.Attribute)
            and source.func.attr == "items"
            and isinstance(source.func.value, ast.Name)
        )

    @staticmethod
    def _loop_source(loop: ast.For) -> str:
        assert isinstance(loop.iter, ast.Call) and isinstance(loop.iter.func, ast.Attribute)
        assert isinstance(loop.iter.func.value, ast.Name)
        return loop.iter.func.value.id

    def _callers(self, function: ast.FunctionDef, param: str, *, keys: bool, seen: int) -> bool:
        """What the calls of `function` (by its name, anywhere) pass for `param`: True when any does."""
        args = function.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        if positional and positional[0] == "self":
            positional = positional[1:]
        found = False
        for module in self.modules.values():
            for call in ast.walk(module.tree):
                if not isinstance(call, ast.Call) or _name_of(call.func) != function.name:
                    continue
                passed = [k.value for k in call.keywords if k.arg == param]
                if param in positional and positional.index(param) < len(call.args):
                    passed.append(call.args[positional.index(param)])
                for value in passed:
                    found = True
                    if keys and isinstance(value, ast.Dict):
                        for key in value.keys:
                            if key is not None:
                                self._value(module, key, call, seen)
                    elif not keys:
                        self._value(module, value, call, seen)
        return found


def _params(function: ast.FunctionDef) -> list[str]:
    args = function.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def _default(function: ast.FunctionDef, name: str) -> ast.expr | None:
    """The default value of parameter `name`, if it has one."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
    return next((d for a, d in pairs if a.arg == name), None)


def _name_of(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def test_every_action_written_by_the_code_has_a_chinese_label() -> None:
    collector = Collector()
    actions = collector.collect()
    assert not collector.unresolved, f"cannot tell which audit action these write: {collector.unresolved}"
    # The collector finds the actions it must (literals, constants, imported constants, parameters).
    for known in ("create", "print", "ledger", "avoidance_override", "passphrase", "wipe", "group_scheme"):
        assert known in actions, known
    unlabelled = {a: sorted(where) for a, where in actions.items() if a not in audit_text.ACTION_LABELS}
    assert not unlabelled, f"audit actions without a Chinese label (audit_events.ACTION_LABELS): {unlabelled}"


def test_statistics_outputs_and_group_scoring_are_named() -> None:
    assert PRINT_TITLES["statistics-brief"] == "统计简报"
    assert PRINT_TITLES["group-scoring"] == "巡察组质效评估结果"
    assert detail_value("ledger", "kind", "group-scoring") == "巡察组质效评估"
    assert audit_text.ACTION_LABELS["group_scheme"] == "保存巡察组质效评估方案"
    assert summary(
        "print", {"kind": "统计简报", "records": "1", "file": "2026年度统计简报-20261207.pdf"}
    ) == ("打印统计简报（1 份）：“2026年度统计简报-20261207.pdf”")
