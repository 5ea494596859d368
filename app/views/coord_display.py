"""The status bar's cursor coordinates: CGCS2000 lon/lat (default) or X/Y metres in a 3°
Gauss–Krüger zone (CM 120°E, CM 123°E, or the project city's zone); the choice is a View-menu
submenu remembered in QSettings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel

from app.model import coords
from app.views import settings
from app.views.i18n import tr

if TYPE_CHECKING:
    from app.views.loader import ProjectData
    from app.views.main_window import MainWindow

SETTING = "map/coordinates"
LABEL_MIN_WIDTH = 330  # px: "X(北) 3,430,974.32 m  Y(东) 500,000.00 m  EPSG:4549" stays put


def mode() -> str:
    value = str(settings.settings().value(SETTING, "lonlat"))
    return value if value in coords.MODES else "lonlat"


def set_mode(value: str) -> None:
    settings.settings().setValue(SETTING, value)


def texts() -> dict[str, str]:
    """The submenu and its actions in the current language (names as in menus.texts())."""
    return {"m_coords": tr("Coordinate display"),
            "coords_lonlat": tr("Longitude/latitude (CGCS2000)"),
            "coords_auto": tr("Gauss–Krüger, the project city's zone"),
            "coords_4549": tr("Gauss–Krüger CM 120°E (EPSG:4549)"),
            "coords_4550": tr("Gauss–Krüger CM 123°E (EPSG:4550)")}


def format_position(lon: float, lat: float, shown: str, party: str | None = None,
                    centre_lon: float | None = None) -> str:
    """The cursor's position as the status bar shows it in mode `shown`; "auto" takes the zone of
    the party's city, else of `centre_lon` (the project's centre: one zone, not one per cursor)."""
    epsg = coords.mode_epsg(shown, party, lon if centre_lon is None else centre_lon)
    if epsg is None:
        return tr("lon {:.5f}°  lat {:.5f}°").format(lon, lat)
    x, y = coords.to_gk(lon, lat, epsg)
    # X is the northing and Y the easting, as Chinese survey drawings name them.
    return tr("X(N) {:,.2f} m  Y(E) {:,.2f} m  EPSG:{}").format(x, y, epsg)


class CoordinateReadout:
    """Writes the cursor position into `label` in the chosen mode; remembers the last one so a
    mode switch shows at once."""

    def __init__(self, label: QLabel, project: Callable[[], ProjectData | None]) -> None:
        self.label, self._project = label, project
        self.mode = mode()
        self._last: tuple[float, float] | None = None
        label.setMinimumWidth(LABEL_MIN_WIDTH)

    def show(self, lon: float, lat: float) -> None:
        self._last = (lon, lat)
        data = self._project()
        party, centre = (data.party, (data.home[0] + data.home[2]) / 2) if data else (None, None)
        self.label.setText(format_position(lon, lat, self.mode, party, centre))

    def reset(self) -> None:
        """The last position again in the current language (or dashes before the first move)."""
        if self._last is not None:
            self.show(*self._last)
        else:
            self.label.setText(tr("lon —  lat —") if self.mode == "lonlat" else tr("X(N) —  Y(E) —"))

    def set_mode(self, value: str) -> None:
        self.mode = value
        set_mode(value)
        if self._last is not None:
            self.show(*self._last)


def add_coordinate_menu(w: MainWindow) -> dict[str, QAction]:
    """The View menu's coordinate-display submenu; returns its actions by name."""
    w.menus["m_view"].addSeparator()
    submenu = w.menus["m_view"].addMenu("")
    w.menus["m_coords"] = submenu
    group, out, current = QActionGroup(w), {}, mode()
    for value in coords.MODES:
        action = QAction(w)
        action.setObjectName(f"coords_{value}")
        action.setCheckable(True)
        action.setChecked(value == current)
        action.triggered.connect(lambda _=False, v=value: w.coords.set_mode(v))
        group.addAction(action)
        submenu.addAction(action)
        out[f"coords_{value}"] = action
    return out
