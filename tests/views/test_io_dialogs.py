"""The import/export dialog in a real window: several layers into one GeoPackage, the Shapefile
long-text choice, CSV for Excel; a multi-layer file's layer picker, CRS and encoding, and saving
the full report of an import with bad rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio import list_layers, raw
from pyproj import Transformer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.project.export import export_layers
from app.project.features import add_feature, iter_features
from app.project.project import Project
from tests.views.conftest import open_and_wait, wait_idle

PARCEL = {"BSM": "320505000001", "XZQDM": "320505", "XZQMC": "虎丘区", "YDYHFLDM": "0101",
          "YDYHFLMC": "水田"}
POINT = {"XMBH": "P1", "XMMC": "示例项目", "XMLX": "JT", "QTDW": "交通委", "SJCS": "320500",
         "JSZT": "规划"}
BOWTIE = shapely.Polygon([(120.0, 31.0), (120.1, 31.1), (120.1, 31.0), (120.0, 31.1)])


@pytest.fixture
def project_file(tmp_path) -> Path:
    """Two parcels (one with a 300-character note) and a project point."""
    path = tmp_path / "p.sqlite"
    with Project.create(path, "320500", "苏州市", author="tester") as p:
        for i in range(2):
            add_feature(p, "GHYDYH", {**PARCEL, "BSM": f"32050500000{i}"},
                        shapely.box(120.5 + 0.01 * i, 31.2, 120.505 + 0.01 * i, 31.204))
        add_feature(p, "XMK_POINT", POINT, shapely.Point(120.6, 31.3))
        p.db.execute("UPDATE GHYDYH SET BZ = ? WHERE BSM = '320505000001'", ["规划" * 150])
    return path


def dialog_for(qtbot, window, project_file, export: bool):
    open_and_wait(qtbot, window, project_file)
    dialog = window.transfer(export)
    qtbot.addWidget(dialog)
    return dialog


def check(dialog, *codes: str) -> None:
    for i in range(dialog.layers.count()):
        item = dialog.layers.item(i)
        wanted = item.data(Qt.ItemDataRole.UserRole) in codes
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def run(qtbot, window, dialog) -> str:
    dialog.run_button.click()
    wait_idle(qtbot, window)
    return dialog.report.toPlainText()


def close(qtbot, window, dialog) -> None:
    """Close the dialog after an import: the window reloads the project (on the worker)."""
    dialog.close()
    wait_idle(qtbot, window)


def test_several_layers_go_into_one_geopackage(qtbot, window, project_file, tmp_path):
    dialog = dialog_for(qtbot, window, project_file, export=True)
    check(dialog, "GHYDYH", "XMK_POINT")
    dialog.path.setText(str(tmp_path / "two.shp"))
    assert not dialog.run_button.isEnabled()  # several layers need a GeoPackage
    assert "GeoPackage" in dialog.hint.text()
    dialog.path.setText(str(tmp_path / "two.gpkg"))
    assert dialog.run_button.isEnabled() and dialog.hint.text() == ""
    assert dialog.checked_layers() == ["GHYDYH", "XMK_POINT"]
    text = run(qtbot, window, dialog)
    assert "3" in text and "GHYDYH 2, XMK_POINT 1" in text
    assert sorted(list_layers(tmp_path / "two.gpkg")[:, 0]) == ["GHYDYH", "XMK_POINT"]


def test_shapefile_long_text_is_refused_or_cut_as_chosen(qtbot, window, project_file, tmp_path):
    dialog = dialog_for(qtbot, window, project_file, export=True)
    check(dialog, "GHYDYH")
    dialog.path.setText(str(tmp_path / "p.shp"))
    assert dialog.long_text.isEnabled() and not dialog.bom.isEnabled()
    text = run(qtbot, window, dialog)
    assert "BSM 320505000001" in text and "GHYDYH.BZ" in text and "900" in text  # either language
    assert not (tmp_path / "p.shp").exists()
    dialog.long_text.setCurrentIndex(dialog.long_text.findData("split"))
    text = run(qtbot, window, dialog)
    assert "BZ, BZ_2, BZ_3, BZ_4" in text
    assert (tmp_path / "p.shp").exists()


def test_csv_has_a_byte_order_mark_unless_unticked(qtbot, window, project_file, tmp_path):
    dialog = dialog_for(qtbot, window, project_file, export=True)
    check(dialog, "XMK_POINT")
    dialog.path.setText(str(tmp_path / "a.csv"))
    assert dialog.bom.isEnabled() and dialog.bom.isChecked() and not dialog.long_text.isEnabled()
    run(qtbot, window, dialog)
    dialog.bom.setChecked(False)
    dialog.path.setText(str(tmp_path / "b.csv"))
    dialog.crs.setText("EPSG:4549")
    dialog.encoding.setEditText("GBK")
    run(qtbot, window, dialog)
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbflon,lat,uuid")
    b = (tmp_path / "b.csv").read_bytes()
    assert b.startswith(b"x,y,uuid") and "示例项目".encode("gbk") in b


def test_import_picks_a_layer_of_a_multi_layer_file(qtbot, window, project_file, tmp_path):
    with Project.open(project_file) as p:
        export_layers(p, ["GHYDYH", "XMK_POINT"], tmp_path / "both.gpkg")
        p.db.execute("DELETE FROM XMK_POINT")
    dialog = dialog_for(qtbot, window, project_file, export=False)
    dialog.layer.setCurrentIndex(dialog.layer.findData("XMK_POINT"))
    dialog.path.setText(str(tmp_path / "both.gpkg"))
    dialog.path.editingFinished.emit()
    wait_idle(qtbot, window)
    assert dialog.form.isRowVisible(dialog.source_layer)
    assert [dialog.source_layer.itemData(i) for i in range(dialog.source_layer.count())] == \
        ["GHYDYH", "XMK_POINT"]
    dialog.source_layer.setCurrentIndex(1)
    run(qtbot, window, dialog)
    assert dialog.imported is not None and dialog.imported.imported == 1
    close(qtbot, window, dialog)
    with Project.open(project_file) as p:
        assert [f.attrs["XMMC"] for f in iter_features(p, "XMK_POINT")] == ["示例项目"]


def test_import_with_crs_encoding_and_bad_rows_saves_the_full_report(qtbot, window, project_file,
                                                                     tmp_path, monkeypatch):
    # A Shapefile in GBK without .cpg or .prj, in Gauss-Krüger metres (EPSG:4549), one bowtie.
    to_gk = Transformer.from_crs(4490, 4549, always_xy=True)
    geoms = [shapely.transform(g, lambda xy: np.c_[to_gk.transform(xy[:, 0], xy[:, 1])])
             for g in (shapely.box(120.5, 31.2, 120.505, 31.204),
                       shapely.box(120.6, 31.2, 120.605, 31.204), BOWTIE)]
    rows = [{**PARCEL, "BSM": f"32050500010{i}", "XZQMC": "虎丘区"} for i in range(3)]
    names = list(rows[0])
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        raw.write(tmp_path / "gk.shp", shapely.to_wkb(np.array(geoms, dtype=object)),
                  [np.array([r[n] for r in rows], dtype=object) for n in names], names,
                  driver="ESRI Shapefile", geometry_type="Polygon", crs=None, encoding="GBK")
    (tmp_path / "gk.cpg").unlink(missing_ok=True)
    dialog = dialog_for(qtbot, window, project_file, export=False)
    dialog.layer.setCurrentIndex(dialog.layer.findData("GHYDYH"))
    dialog.path.setText(str(tmp_path / "gk.shp"))
    dialog.crs.setText("EPSG:4549")
    dialog.encoding.setEditText("GBK")
    dialog.skip_invalid.setChecked(True)
    text = run(qtbot, window, dialog)
    assert dialog.imported.imported == 2 and len(dialog.imported.skipped) == 1, text
    assert dialog.save_button.isVisible()
    saved = tmp_path / "bad-rows.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    dialog.save_button.click()
    wait_idle(qtbot, window)
    assert "32050500010" in saved.read_text(encoding="utf-8-sig")
    assert str(saved) in dialog.report.toPlainText()
    close(qtbot, window, dialog)
    with Project.open(project_file) as p:
        names = [f.attrs["XZQMC"] for f in iter_features(p, "GHYDYH")]
    assert names == ["虎丘区"] * 4  # GBK read as GBK, two rows imported beside the two there
