"""Build newsreader/data/world.json, the country outlines the map draws, from Natural
Earth's 1:110m countries (public domain).

The shapefile is the one geopandas 0.14 ships as ``naturalearth_lowres`` (Natural Earth
2.0.0, with geopandas' fixes to a few country codes). Run once, when the data should
change; the result is committed, so nothing is fetched when newsreader runs or is tested.

    pip download --no-deps geopandas==0.14.4 pyshp      # then unzip the geopandas wheel
    pip install pyshp pycountry
    python scripts/build_world.py .../geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Points are rounded to 0.1° (about 11 km, finer than the 1:110m source draws), and a
ring's repeated points are dropped.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "newsreader" / "data" / "world.json"


def main(path: str) -> None:
    import pycountry
    import shapefile  # pyshp

    countries = []
    for shape_record in shapefile.Reader(path).iterShapeRecords():
        record, shape = shape_record.record.as_dict(), shape_record.shape
        found = pycountry.countries.get(alpha_3=record["iso_a3"])
        parts = list(shape.parts) + [len(shape.points)]
        rings = []
        for start, end in zip(parts, parts[1:]):
            ring: list[float] = []
            for lon, lat in shape.points[start:end]:
                point = [round(lon, 1), round(lat, 1)]
                if ring[-2:] != point:
                    ring += point
            if len(ring) >= 6:  # three points at least
                rings.append(ring)
        countries.append({
            "name": record["name"], "iso_a3": record["iso_a3"], "iso_a2": found.alpha_2 if found else None,
            "continent": record["continent"], "rings": rings,
        })
    data = {
        "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries, version 2.0.0 "
                  "(naturalearthdata.com), as shipped by geopandas 0.14 (naturalearth_lowres)",
        "licence": "Public domain. Made with Natural Earth.",
        "format": "rings are flat lists of longitude, latitude pairs in degrees, rounded to 0.1",
        "countries": sorted(countries, key=lambda c: c["name"]),
    }
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
