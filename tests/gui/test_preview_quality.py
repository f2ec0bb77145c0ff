"""The Quality tab as a user sees it: coverage bars, the day chart, problems by reason."""

import dataclasses
import json
from importlib import resources

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from twconv_gui.cli import main as cli_main
from twconv_gui.core.mapping.inspection import inspect_file
from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.diagnostics import CurrencyValues, Diagnostics, ReasonGroup
from twconv_gui.gui.preview import page as page_module
from twconv_gui.gui.preview.model import HEADERS
from twconv_gui.gui.preview.page import PreviewPage
from twconv_gui.gui.preview.quality import NO_FIGURES, QualityView
from twconv_gui.gui.preview.quality_model import GroupRole, ProblemGroupsModel
from twconv_gui.gui.session import Session

RESOURCES = resources.files("twconv_gui.resources")
SAMPLE = RESOURCES / "sample_export.csv"
SAMPLE_MAPPING = RESOURCES / "sample_mapping.json"


def diagnostics():
    return Diagnostics(
        conversions=37,
        with_email=35,
        with_phone=30,
        with_twclid=9,
        with_ip_and_agent=0,
        with_two_or_more=31,
        repeated_ids=2,
        first_day="2026-10-01",
        last_day="2026-10-03",
        per_day={
            "2026-10-01": (12, "980.50"),
            "2026-10-02": (15, "1204.10"),
            "2026-10-03": (10, "655.00"),
        },
        in_future=0,
        older_than_window=4,
        window_days=14,
        currencies=[CurrencyValues("USD", 37, "2839.60", "74.20")],
        left_out_by_filter={"Financial Status is refunded": 2},
        groups=[
            ReasonGroup("error", "email", "Customer Email", "is not an email address", 1, [5]),
            ReasonGroup("error", "", None, "has no identifier", 1, [12]),
            ReasonGroup("error", "conversion_time", "Order Date", "is not a date/time", 1, [19]),
        ],
    )


@pytest.fixture
def session():
    session = Session()
    session.set_inspection(inspect_file(str(SAMPLE)))
    session.set_profile(MappingProfile.load(str(SAMPLE_MAPPING)))
    return session


@pytest.fixture
def prepared(qtbot, session, monkeypatch):
    """The Preview of the sample, its preparation's figures those of diagnostics()."""

    def build_with_figures(*args, **kwargs):
        built = page_module.build.__wrapped__(*args, **kwargs)
        built.result.summary.diagnostics = diagnostics()
        return built

    build_with_figures.__wrapped__ = page_module.build
    monkeypatch.setattr(page_module, "build", build_with_figures)
    widget = PreviewPage(session)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.prepared, timeout=10_000):
        assert widget.prepare()
    return widget


def test_without_figures_the_tab_says_when_they_come(qtbot):
    view = QualityView()
    qtbot.addWidget(view)
    assert view.stack.currentWidget() is view.placeholder
    assert view.placeholder.text() == NO_FIGURES
    assert view.chart.days == []


def test_coverage_bars_dates_and_values(qtbot):
    view = QualityView()
    qtbot.addWidget(view)
    view.set_diagnostics(diagnostics())
    assert view.stack.currentWidget() is not view.placeholder
    assert view.bars["with_email"].text() == "95%  (35 of 37)"
    assert view.bars["with_ip_and_agent"].text() == "0%  (0 of 37)"
    assert view.bars["with_two_or_more"].value() == 31
    assert view.range_label.text() == "2026-10-01 → 2026-10-03 (3 days with conversions)"
    assert view.old_label.text() == "4"
    assert "bold" in view.old_label.styleSheet()  # older than the window: worth a look
    assert view.future_label.styleSheet() == ""
    assert view.window_caption.text() == "Older than 14 days"
    assert view.repeated_label.text() == "2"
    assert view.values_label.text() == "USD: 37 conversions, total 2,839.60, median 74.20"
    assert view.left_out_label.text() == "Left out: Financial Status is refunded: 2"
    assert view.chart.days == ["2026-10-01", "2026-10-02", "2026-10-03"]
    assert view.chart.counts == [12, 15, 10]
    assert view.chart.values == [980.5, 1204.1, 655.0]
    assert "USD" in view.chart.value_plot.titleLabel.text
    assert view.groups_title.text() == "<b>Problems by reason</b> (3 reasons, 3 rows)"
    one = diagnostics()
    one.groups = [ReasonGroup("warning", "conversion_id", "id", "repeats an id", 400, [202])]
    view.set_diagnostics(one)
    assert view.groups_title.text() == "<b>Problems by reason</b> (1 reason, 400 rows)"
    view.set_diagnostics(None)
    assert view.stack.currentWidget() is view.placeholder


def test_problem_groups_model(qtmodeltester):
    model = ProblemGroupsModel()
    qtmodeltester.check(model)
    model.set_groups(diagnostics().groups)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first == ["Rejected", "Customer Email", "is not an email address", "1", "5"]
    assert model.index(1, 1).data() == ""  # a reason of the whole row
    assert model.index(0, 0).data(GroupRole).reason == "is not an email address"


def test_the_page_shows_the_figures_of_its_preparation(prepared):
    assert prepared.tabs.tabText(1) == "&Quality"
    assert prepared.quality.diagnostics is not None
    assert prepared.quality.bars["with_email"].text() == "95%  (35 of 37)"
    assert prepared.quality.groups_model.rowCount() == 3


def test_show_these_rows_filters_the_table_to_the_reason(prepared, qtbot):
    prepared.tabs.setCurrentIndex(1)
    view = prepared.quality.groups_view
    assert not prepared.quality.show_button.isEnabled()
    view.selectionModel().setCurrentIndex(
        prepared.quality.groups_model.index(2, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert prepared.quality.show_button.isEnabled()
    qtbot.mouseClick(prepared.quality.show_button, Qt.MouseButton.LeftButton)
    assert prepared.tabs.currentIndex() == 0
    assert prepared.filter_combo.currentText().startswith("Order Date: is not a date/time")
    model = prepared.model
    column = HEADERS.index("Row")
    assert [model.index(r, column).data() for r in range(model.rowCount())] == ["19"]


def test_a_reason_no_row_has_says_so(prepared):
    group = ReasonGroup("warning", "twclid", "Landing Site", "has no twclid parameter", 3, [2])
    assert not prepared.show_group_rows(group)
    assert prepared.status_label.text() == "No row of the preview has this reason."
    assert prepared.model.rowCount() == 40


def test_the_value_axis_reads_as_money_not_scientific_notation(qtbot):
    view = QualityView()
    qtbot.addWidget(view)
    view.chart.set_days({"2026-10-01": (12, "8250000.00"), "2026-10-02": (15, "7900000.50")})
    axis = view.chart.value_plot.getAxis("left")
    shown = [axis.tickStrings([v], 1.0, 1_000_000) for v in (2_000_000, 8_000_000)]
    assert shown == [["2M"], ["8M"]]
    assert axis.tickStrings([15_000], 1.0, 5_000) == ["15,000"]
    assert not any("e+" in text for text in axis.tickStrings([8e6, 4e6], 1.0, 2e6))
    counts = view.chart.count_plot.getAxis("left")
    assert counts.tickStrings([1.0, 1.5, 2.0], 1.0, 0.5) == ["1", "", "2"]  # no half sales


def test_the_window_and_twconv_check_give_the_same_figures_for_a_file(qtbot, session, capsys):
    page = PreviewPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.prepared, timeout=10_000):
        assert page.prepare()
    shown = json.loads(json.dumps(dataclasses.asdict(page.quality.diagnostics)))
    assert cli_main(["check", str(SAMPLE), "--mapping", str(SAMPLE_MAPPING), "--json"]) == 1
    checked = json.loads(capsys.readouterr().out)["diagnostics"]
    for figures in (shown, checked):
        figures.pop("prepared_at")  # the moment each was prepared
    assert shown == checked
    assert shown["conversions"] == 37
    assert len(shown["groups"]) == 3
