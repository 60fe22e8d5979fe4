"""Per-configuration result files -> JUnit XML per in-kernel test, and summary tables."""
import json
import xml.etree.ElementTree as ET

from verdict import fact_str

COLUMNS = ("config", "verdict", "outcome", "machine", "cpus", "apic", "clocksource",
           "ktests ok/fail/skip", "wall s")
CONFIG_CASE = "(configuration)"     # the JUnit testcase for the boot as a whole


def load_results(results_dir, names):
    """The result dicts of the named configurations; a missing file is a failure."""
    results = []
    for name in names:
        path = results_dir / f"{name}.json"
        try:
            results.append(json.loads(path.read_text()))
        except (OSError, ValueError) as e:
            results.append({"config": name, "outcome": "no result", "expected": None,
                            "passed": False, "reasons": [f"no result file: {e}"],
                            "ktap": [], "report": None, "wall_s": None, "log_tail": []})
    return results


def verdict(result):
    return {True: "PASS", False: "FAIL", None: "SKIP"}[result["passed"]]


def ktest_counts(result):
    """-> (ok, not ok, skip, not run) counts of the in-kernel tests."""
    results = [r for _, r, _ in result["ktap"]]
    return tuple(results.count(r) for r in ("ok", "not ok", "skip", "not run"))


def row(result):
    report = result["report"] or {}
    ok, failed, skipped, not_run = ktest_counts(result)
    ktests = f"{ok}/{failed}/{skipped}" + (f" ({not_run} not run)" if not_run else "")
    outcome = result["outcome"]
    if result["passed"] is not None and result["expected"] and outcome != result["expected"]:
        outcome += f" (expected {result['expected']})"
    wall = result["wall_s"]
    return (result["config"], verdict(result), outcome,
            *(fact_str(report[k]) if k in report else "-"
              for k in ("machine", "cpus", "apic", "clocksource")),
            ktests if result["ktap"] else "-", "-" if wall is None else f"{wall:.2f}")


def text_table(results):
    rows = [COLUMNS] + [row(r) for r in results]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    return [" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def _problems(results):
    """Reasons of each failed or skipped configuration, for below the tables."""
    return [(r["config"], verdict(r), reason)
            for r in results if r["passed"] is not True for reason in r["reasons"]]


def markdown(results):
    lines = ["# Boot matrix", "", "| " + " | ".join(COLUMNS) + " |",
             "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row(r)) + " |" for r in results]
    problems = _problems(results)
    if problems:
        lines += ["", "## Failures and skips", ""]
        lines += [f"- {name} ({v}): {reason}" for name, v, reason in problems]
    return "\n".join(lines) + "\n"


def text_summary(results):
    counts = {v: sum(verdict(r) == v for r in results) for v in ("PASS", "FAIL", "SKIP")}
    lines = text_table(results)
    lines += [f"{name}: {v}: {reason}" for name, v, reason in _problems(results)]
    lines.append(", ".join(f"{n} {v.lower()}" for v, n in counts.items()))
    return lines


def _testcase(suite, config, name, time=None):
    case = ET.SubElement(suite, "testcase", classname=config, name=name)
    if time is not None:
        case.set("time", f"{time:.3f}")
    return case


def junit_xml(results):
    """One testsuite per configuration; its first testcase is the boot itself, then
    one per in-kernel test. A test that failed or did not run is a failure where its
    configuration failed, and a skip ("expected") where the configuration passed,
    as only expected failures (selftest.fail, a run cut short by an expected
    panic) leave a configuration passing."""
    root = ET.Element("testsuites", name="boot matrix: in-kernel tests")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for result in results:
        config = result["config"]
        suite = ET.SubElement(root, "testsuite", name=config)
        props = ET.SubElement(suite, "properties")
        for key in ("outcome", "expected", "emulator", "arch", "entry", "accel", "detail"):
            if result.get(key) is not None:
                ET.SubElement(props, "property", name=key, value=str(result[key]))
        case = _testcase(suite, config, CONFIG_CASE, result["wall_s"])
        if result["passed"] is None:
            ET.SubElement(case, "skipped", message="; ".join(result["reasons"]))
        elif not result["passed"]:
            failure = ET.SubElement(case, "failure", message=result["reasons"][0])
            failure.text = "\n".join(result["reasons"] + ["", "last console lines:"]
                                     + result["log_tail"])
        for test_id, res, reason in result["ktap"]:
            case = _testcase(suite, config, test_id)
            if res == "skip":
                ET.SubElement(case, "skipped", message=reason)
            elif res in ("not ok", "not run"):
                message = f"{res}: {reason}" if reason else res
                if result["passed"]:
                    ET.SubElement(case, "skipped", message=f"expected: {message}")
                else:
                    ET.SubElement(case, "failure", message=message)
        cases = suite.findall("testcase")
        counts = {"tests": len(cases),
                  "failures": sum(c.find("failure") is not None for c in cases),
                  "skipped": sum(c.find("skipped") is not None for c in cases)}
        for key, n in counts.items():
            suite.set(key, str(n))
            totals[key] += n
        suite.set("errors", "0")
        if result["wall_s"] is not None:
            suite.set("time", f"{result['wall_s']:.3f}")
    for key, n in totals.items():
        root.set(key, str(n))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
