"""Boot-matrix reporting: JUnit XML per in-kernel test and a summary table.

Each test_matrix.py test writes results/<config>.json and tags its report with the
config name (user property "matrix_config"). Under pytest-xdist the workers' reports
reach the controller, which alone reads the result files of the configurations that
ran in this session and writes junit-ktest.xml and summary.md.
"""
import configs
from report import junit_xml, load_results, markdown, text_summary

_ran = []       # config names seen in this session's test reports
_results = []   # their results, once read by the controller


def _is_worker(config):
    return hasattr(config, "workerinput")


def pytest_runtest_logreport(report):
    for key, value in report.user_properties:
        if key == "matrix_config" and value not in _ran:
            _ran.append(value)


def pytest_sessionfinish(session):
    if _is_worker(session.config) or not _ran:
        return
    try:
        order = [c.name for c in configs.load()]
    except (OSError, configs.ConfigError):
        order = []
    names = sorted(_ran, key=lambda n: order.index(n) if n in order else len(order))
    out = configs.out_dir()
    _results[:] = load_results(out / "results", names)
    out.mkdir(parents=True, exist_ok=True)
    (out / "junit-ktest.xml").write_text(junit_xml(_results))
    (out / "summary.md").write_text(markdown(_results))


def pytest_terminal_summary(terminalreporter, config):
    if _is_worker(config) or not _results:
        return
    terminalreporter.section("boot matrix")
    for line in text_summary(_results):
        terminalreporter.write_line(line)
    out = configs.out_dir()
    terminalreporter.write_line(f"per-test JUnit: {out / 'junit-ktest.xml'}; "
                                f"summary: {out / 'summary.md'}; logs: {out}/<config>/")
