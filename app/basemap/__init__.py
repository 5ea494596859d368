"""Basemaps under the planning layers: Web Mercator tile math, tile sources (MBTiles, XYZ
folders, XYZ and WMS URLs with an on-disk cache) and the built-in offline context. Qt-free;
app/views/basemap.py fetches and draws the tiles."""
