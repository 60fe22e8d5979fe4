"""Parse a kernel's console: KTAP results, BOOT-REPORT, BENCH, PANIC, KERNEL-EXIT.

The console may carry noise around the contract lines (firmware, Xen's "(XEN) "
lines); lines of dom0 output under Xen carry a "(d0) " prefix, which is removed.
"""
import json
import re
from dataclasses import dataclass, field

EXIT_STATUSES = ("pass", "fail", "panic", "unsupported-cpu")
GUEST_PREFIX = "(d0) "
INDENT = 4
VERSION_RE = re.compile(r"KTAP version 1")
PLAN_RE = re.compile(r"1\.\.(\d+)(?:\s+#.*)?")
# "ok 3 name # SKIP reason": the directive starts at the first " #".
RESULT_RE = re.compile(r"(ok|not ok) (\d+)(?: -)?(?: (.*?))?(?:\s+#\s*(.*))?")
SKIP_RE = re.compile(r"skip\b\s*(.*)", re.IGNORECASE)


def clean_lines(text):
    """Console text -> lines without line ends, trailing blanks or the "(d0) " prefix."""
    lines = []
    for line in text.splitlines():
        line = line.rstrip()
        if line.startswith(GUEST_PREFIX):
            line = line[len(GUEST_PREFIX):]
        lines.append(line)
    return lines


@dataclass
class Ktap:
    present: bool = False
    results: list = field(default_factory=list)   # [(test id, result, reason)]
    errors: list = field(default_factory=list)    # structural problems, e.g. cut short

    def result_of(self, test_id):
        return next((r for i, r, _ in self.results if i == test_id), None)

    def failed(self):
        return [i for i, r, _ in self.results if r in ("not ok", "not run")]


@dataclass
class _Frame:
    """One KTAP document level: the top level (suites) or a suite's tests."""
    indent: int
    parent: "_Frame" = None
    number: int = 0             # this suite's number in its parent
    name: str = None            # from "# Subtest: NAME"
    plan: int = None            # KUnit prints no plan for parameterised tests
    seen: int = 0               # result lines read at this level
    failed: bool = False        # something under this level failed or did not run
    diags: list = field(default_factory=list)   # "# ..." lines since the last result

    def path(self):
        """This level's own id: "" for the top level, "boot" for suite boot."""
        if self.parent is None:
            return ""
        return self.parent.test_id(self.name or f"#{self.number}")

    def test_id(self, name):
        """A test's id: the suite names down to this level, then the test's name."""
        return f"{self.path()}.{name}" if self.parent else name

    def label(self):
        return self.path() or "top level"


class _KtapParser:
    def __init__(self):
        self.ktap = Ktap()
        self.stack = []

    def feed(self, line):
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if VERSION_RE.fullmatch(body):
            self._version(indent)
        elif not self.stack:
            return                                  # noise before or after the document
        elif body.startswith("# Subtest:"):
            self._subtest(indent, body[len("# Subtest:"):].strip())
        elif PLAN_RE.fullmatch(body) and self.stack[-1].indent == indent:
            self.stack[-1].plan = int(PLAN_RE.fullmatch(body)[1])
        elif RESULT_RE.fullmatch(body):
            self._result(indent, RESULT_RE.fullmatch(body))
        elif body.startswith("#"):
            # Diagnostics belong to the next result at their level (or the one
            # above: newer KUnit indents a test's log one level deeper).
            frame = next((f for f in reversed(self.stack) if f.indent <= indent), None)
            if frame:
                frame.diags.append(body.lstrip("# "))

    def _version(self, indent):
        if indent == 0 and self.ktap.present:
            self.ktap.errors.append("a second top-level 'KTAP version 1' (ignored)")
            self.finish()
        elif indent == 0:
            self.ktap.present = True
            self.stack = [_Frame(0)]
        elif self.stack:
            top = self.stack[-1]
            if not (top.indent == indent and top.parent and top.plan is None and not top.seen):
                self._push(indent)              # else "# Subtest:" came first and opened it

    def _subtest(self, indent, name):
        top = self.stack[-1]
        if top.indent == indent and top.parent and top.name is None:
            top.name = name                         # "KTAP version 1" came first
        elif self._push(indent):
            self.stack[-1].name = name

    def _push(self, indent):
        top = self.stack[-1]
        if indent != top.indent + INDENT:
            self.ktap.errors.append(f"subtest at indent {indent} under level {top.indent}")
            return False
        self.stack.append(_Frame(indent, parent=top, number=top.seen + 1))
        return True

    def _result(self, indent, m):
        frame = next((f for f in self.stack if f.indent == indent), None)
        if frame is None:
            self.ktap.errors.append(f"result line at indent {indent}: {m[0]!r}")
            return
        child = None
        while self.stack[-1] is not frame:
            child = self._close(self.stack.pop(), open_child=child is not None)
        frame.seen += 1
        number = int(m[2])
        if number != frame.seen:
            self.ktap.errors.append(f"{frame.label()}: test {number} out of order, "
                                    f"expected {frame.seen}")
        name = m[3] or (child and child.name) or f"#{number}"
        result, reason = m[1], " / ".join(frame.diags)
        skip = SKIP_RE.fullmatch(m[4] or "")
        if skip:
            result, reason = "skip", skip[1]
        frame.diags = []
        # A suite's own line only summarises its tests, unless it says more than
        # they did: failed with no failing test, or skipped before any test ran.
        if child is None or (result == "not ok" and not child.failed) or \
                (result == "skip" and child.seen == 0):
            self._add(frame.test_id(name), result, reason)

    def _close(self, frame, open_child=False):
        """End a level that got no result line (or the input ended): what its plan
        promised and did not appear did not run. open_child: the level under it
        was cut short too, and counts as its next test."""
        if frame.plan is None:
            if frame.parent is None:
                self.ktap.errors.append("top level: no plan")
            return frame
        done = frame.seen + (1 if open_child else 0)
        for n in range(done + 1, frame.plan + 1):
            self._add(frame.test_id(f"#{n}"), "not run", "run cut short")
        if done < frame.plan:
            frame.failed = True
            self.ktap.errors.append(f"{frame.label()}: planned {frame.plan}, "
                                    f"{frame.seen} finished: run cut short")
        elif frame.seen > frame.plan:
            self.ktap.errors.append(f"{frame.label()}: planned {frame.plan}, "
                                    f"got {frame.seen} results")
        return frame

    def _add(self, test_id, result, reason):
        if result in ("not ok", "not run"):
            for f in self.stack:
                f.failed = True
        self.ktap.results.append((test_id, result, reason))

    def finish(self):
        child = None
        while self.stack:
            child = self._close(self.stack.pop(), open_child=child is not None)
        return self.ktap


def parse_ktap(lines):
    parser = _KtapParser()
    for line in lines:
        parser.feed(line)
    return parser.finish()


@dataclass
class Console:
    lines: list
    ktap: Ktap
    report: dict = None         # the BOOT-REPORT object (the first, if several)
    bench: list = field(default_factory=list)
    exit_status: str = None     # from the last valid KERNEL-EXIT line
    panic: list = field(default_factory=list)   # PANIC: lines
    errors: list = field(default_factory=list)  # broken contract lines: always a failure

    @property
    def text(self):
        return "\n".join(self.lines)


def _json_object(kind, text, errors):
    try:
        value = json.loads(text)
    except ValueError as e:
        errors.append(f"{kind}: invalid JSON ({e}): {text[:200]!r}")
        return None
    if not isinstance(value, dict):
        errors.append(f"{kind}: not a JSON object: {text[:200]!r}")
        return None
    return value


def parse_console(text):
    lines = clean_lines(text)
    console = Console(lines=lines, ktap=parse_ktap(lines))
    reports, exits = [], []
    for line in lines:
        head, _, rest = line.partition(" ")
        if head == "BOOT-REPORT":
            reports.append(_json_object("BOOT-REPORT", rest, console.errors))
        elif head == "BENCH":
            bench = _json_object("BENCH", rest, console.errors)
            if bench is not None and not {"name", "unit", "value"} <= bench.keys():
                console.errors.append(f"BENCH: needs name, unit and value: {rest!r}")
            elif bench is not None:
                console.bench.append(bench)
        elif line.startswith("KERNEL-EXIT:"):
            status = line[len("KERNEL-EXIT:"):].strip()
            if status in EXIT_STATUSES:
                exits.append(status)
            else:
                console.errors.append(f"KERNEL-EXIT: unknown status {status!r}")
        elif line.startswith("PANIC:"):
            console.panic.append(line)
    if len(reports) > 1:
        console.errors.append(f"{len(reports)} BOOT-REPORT lines, expected exactly one")
    console.report = next((r for r in reports if r is not None), None)
    if len(exits) > 1:
        console.errors.append(f"{len(exits)} KERNEL-EXIT lines: {', '.join(exits)}")
    console.exit_status = exits[-1] if exits else None
    return console
