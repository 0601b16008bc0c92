"""Natural Earth outlines of the region, vendored (see SOURCE.md), and the script that makes
the compact basemap from them (:mod:`graph.maps.basemap.prepare`)."""
