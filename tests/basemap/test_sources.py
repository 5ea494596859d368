"""Tile sources: MBTiles (read-only, TMS rows), XYZ folders, XYZ and WMS addresses against a real
local HTTP server (with the on-disk cache working offline), and the stored configuration."""

from __future__ import annotations

import sqlite3
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from app.basemap.sources import (
    BasemapConfig,
    BasemapError,
    FolderSource,
    MBTilesSource,
    UrlSource,
    open_source,
)
from app.basemap.tiles import Tile, tile_at
from tests.basemap.mbtiles import checker, solid_png, write_folder, write_mbtiles
from tests.basemap.tileserver import WMS_COLOUR, TileHandler, tile_server

SUZHOU = (120.3, 31.1, 120.9, 31.5)


def suzhou_tile(z: int) -> Tile:
    x, y = tile_at(120.6, 31.3, z)
    return Tile(z, int(x), int(y))


@pytest.fixture
def mbtiles(tmp_path):
    return write_mbtiles(tmp_path / "base.mbtiles", SUZHOU, [9, 10])


def test_mbtiles_reads_tiles_with_rows_flipped(mbtiles):
    source = MBTilesSource(mbtiles)
    tile = suzhou_tile(10)
    assert (source.min_zoom, source.max_zoom) == (9, 10)
    assert source.tile(tile) == solid_png(checker(tile))
    below = Tile(10, tile.x, tile.y + 1)  # the row south: another colour, unless rows were mixed up
    assert source.tile(below) in (None, solid_png(checker(below)))
    assert source.tile(Tile(10, 0, 0)) is None
    source.close()


def test_mbtiles_is_opened_read_only(mbtiles):
    source = MBTilesSource(mbtiles)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        source._db().execute("DELETE FROM tiles")
    source.close()


def test_mbtiles_zoom_range_without_metadata(tmp_path):
    source = MBTilesSource(write_mbtiles(tmp_path / "bare.mbtiles", SUZHOU, [8, 11], metadata=False))
    assert (source.min_zoom, source.max_zoom) == (8, 11)
    source.close()


def test_mbtiles_can_be_read_from_several_threads(mbtiles):
    source, results = MBTilesSource(mbtiles), []
    threads = [threading.Thread(target=lambda: results.append(source.tile(suzhou_tile(10))))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(results)
    source.close()


def test_a_file_that_is_not_mbtiles_is_refused(tmp_path):
    path = tmp_path / "plain.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(BasemapError, match="Not an MBTiles"):
        MBTilesSource(path)
    with pytest.raises(BasemapError, match="not found"):
        open_source(BasemapConfig("mbtiles", str(tmp_path / "missing.mbtiles")))


def test_vector_mbtiles_are_refused_by_name(tmp_path):
    path = write_mbtiles(tmp_path / "vector.mbtiles", SUZHOU, [10])
    db = sqlite3.connect(path)
    db.execute("UPDATE metadata SET value = 'pbf' WHERE name = 'format'")
    db.commit()
    db.close()
    with pytest.raises(BasemapError, match="Vector MBTiles .* vector.mbtiles"):
        MBTilesSource(path)


def test_folder_source(tmp_path):
    folder = write_folder(tmp_path / "tiles", SUZHOU, [10])
    source = open_source(BasemapConfig("folder", str(folder)))
    assert isinstance(source, FolderSource) and source.max_zoom == 10
    tile = suzhou_tile(10)
    assert source.tile(tile) == solid_png(checker(tile))
    assert source.tile(Tile(10, 0, 0)) is None
    with pytest.raises(BasemapError, match="z/x/y"):
        FolderSource(tmp_path)


@pytest.fixture
def server():
    with tile_server() as address:
        yield address


def test_xyz_url_fetches_and_caches(server, tmp_path):
    source = open_source(BasemapConfig("xyz", server + "/{z}/{x}/{y}.png"), tmp_path / "cache")
    tile = suzhou_tile(10)
    assert source.tile(tile) == solid_png(checker(tile))
    assert source.tile(tile) == solid_png(checker(tile))
    assert len(TileHandler.requests) == 1  # the second came from the disk cache
    assert source.tile(Tile(16, 0, 0)) is None  # 404: no tile, no error


def test_cached_tiles_work_offline(server, tmp_path):
    source = UrlSource(server + "/{z}/{x}/{y}.png", tmp_path / "cache")
    tile = suzhou_tile(10)
    source.tile(tile)
    offline = UrlSource("http://127.0.0.1:9/{z}/{x}/{y}.png", tmp_path / "cache")
    offline.cache = source.cache  # the same cache, the server gone
    assert offline.tile(tile) == solid_png(checker(tile))
    with pytest.raises(BasemapError, match="127.0.0.1:9"):
        offline.tile(Tile(10, 0, 0))


def test_tms_template_rows(server, tmp_path):
    source = UrlSource(server + "/{z}/{x}/{-y}.png", None)
    tile = suzhou_tile(10)
    assert source.url(tile).endswith(f"/10/{tile.x}/{tile.tms_row()}.png")


def test_server_errors_and_non_images_are_basemap_errors(server):
    for path in ("/broken/{z}/{x}/{y}.png", "/text/{z}/{x}/{y}.png"):
        with pytest.raises(BasemapError, match="without an image"):
            UrlSource(server + path, None).tile(suzhou_tile(10))


def test_wms_asks_getmap_in_web_mercator(server, tmp_path):
    source = open_source(BasemapConfig("wms", server + "/wms", layer="base"), tmp_path)
    tile = suzhou_tile(10)
    assert source.tile(tile) == solid_png(WMS_COLOUR)
    query = parse_qs(urlsplit(TileHandler.requests[-1]).query)
    bbox = [float(v) for v in query["BBOX"][0].split(",")]
    assert bbox == pytest.approx(tile.mercator_bounds(), abs=0.01)
    assert query["LAYERS"] == ["base"] and query["WIDTH"] == ["256"]


def test_bad_addresses_are_refused():
    with pytest.raises(BasemapError, match="http"):
        open_source(BasemapConfig("xyz", "ftp://tiles/{z}/{x}/{y}.png"))
    with pytest.raises(BasemapError, match="placeholders"):
        open_source(BasemapConfig("xyz", "http://tiles/base.png"))
    with pytest.raises(BasemapError, match="layer"):
        open_source(BasemapConfig("wms", "http://tiles/wms"))


def test_config_round_trips_and_defaults():
    config = BasemapConfig("wms", "http://gis.office/wms", "底图", 0.6)
    assert BasemapConfig.from_json(config.to_json()) == config
    assert BasemapConfig.from_json(None) == BasemapConfig()
    assert BasemapConfig.from_json("{broken") == BasemapConfig()
    assert BasemapConfig.from_json('{"kind": "bing"}') == BasemapConfig()
    assert open_source(BasemapConfig("builtin")) is None and open_source(BasemapConfig("none")) is None
