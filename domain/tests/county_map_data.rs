//! The generator of `data/kreis-kleve-gemeinden.tsv`, the outlines the county map draws, from
//! the committed GeoJSON beside it (see `data/README.md`), and the check that the committed
//! file is exactly what it produces. After a change to the GeoJSON or to the projection:
//!
//! ```sh
//! UPDATE_COUNTY_MAP=1 cargo test -p domain --test county_map_data
//! ```
//!
//! The map is drawn from the derived file alone (`include_str!`), so nothing is read or
//! downloaded at run time.
// Test code: an unwrap that fails is a failed test.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Latitude at which a degree of longitude is as long as drawn: the county's middle (51.35° to
/// 51.91° N), so that its shape is true enough without a real map projection.
const STANDARD_PARALLEL: f64 = 51.7;
/// Width of the drawing in SVG units (the height follows); one unit is about 40 m, so integer
/// coordinates lose nothing visible.
const WIDTH: f64 = 1000.0;
/// Room around the county for the outline's stroke.
const MARGIN: f64 = 10.0;

type Point = (f64, f64);
/// Outer ring first, then holes; each ring closed or not, as the GeoJSON has it.
type Polygon = Vec<Vec<Point>>;

struct Feature {
    ags: String,
    name: String,
    polygons: Vec<Polygon>,
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn ring(value: &Value) -> Vec<Point> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

fn polygon(value: &Value) -> Polygon {
    value.as_array().unwrap().iter().map(ring).collect()
}

fn features(geojson: &str) -> Vec<Feature> {
    let doc: Value = serde_json::from_str(geojson).unwrap();
    let mut out: Vec<Feature> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let geometry = &f["geometry"];
            let coordinates = &geometry["coordinates"];
            let polygons = match geometry["type"].as_str().unwrap() {
                "Polygon" => vec![polygon(coordinates)],
                "MultiPolygon" => coordinates.as_array().unwrap().iter().map(polygon).collect(),
                other => panic!("unexpected geometry {other}"),
            };
            Feature {
                ags: f["properties"]["AGS"].as_str().unwrap().to_string(),
                name: f["properties"]["GEN"].as_str().unwrap().to_string(),
                polygons,
            }
        })
        .collect();
    out.sort_by(|a, b| a.ags.cmp(&b.ags));
    out
}

/// Equirectangular projection, longitude scaled by cos(standard parallel), north up: the
/// county's west edge at x = MARGIN, its north edge at y = MARGIN, WIDTH units wide.
struct Projection {
    west: f64,
    north: f64,
    scale: f64,
    height: f64,
}

impl Projection {
    fn fitting(features: &[Feature]) -> Self {
        let points = features.iter().flat_map(|f| &f.polygons).flatten().flatten();
        let (mut west, mut east, mut south, mut north) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lon, lat) in points {
            west = west.min(lon);
            east = east.max(lon);
            south = south.min(lat);
            north = north.max(lat);
        }
        let squash = STANDARD_PARALLEL.to_radians().cos();
        let scale = WIDTH / ((east - west) * squash);
        Self { west, north, scale, height: (north - south) * scale }
    }

    fn project(&self, (lon, lat): Point) -> Point {
        let squash = STANDARD_PARALLEL.to_radians().cos();
        ((lon - self.west) * squash * self.scale + MARGIN, (self.north - lat) * self.scale + MARGIN)
    }

    fn view_box(&self) -> (i64, i64) {
        ((WIDTH + 2.0 * MARGIN).round() as i64, (self.height + 2.0 * MARGIN).round() as i64)
    }
}

fn rounded((x, y): Point) -> (i64, i64) {
    (x.round() as i64, y.round() as i64)
}

/// One ring as `M x y L x y x y … Z`, in whole units, without the points that rounding
/// made repeat (shared borders round alike, so neighbours still meet).
fn ring_path(points: &[(i64, i64)], out: &mut String) {
    let mut kept: Vec<(i64, i64)> = Vec::new();
    for &p in points {
        if kept.last() != Some(&p) {
            kept.push(p);
        }
    }
    if kept.len() > 1 && kept.first() == kept.last() {
        kept.pop();
    }
    if kept.len() < 3 {
        return;
    }
    for (i, (x, y)) in kept.iter().enumerate() {
        let command = match i {
            0 => "M",
            1 => "L",
            _ => " ",
        };
        write!(out, "{command}{x} {y}").unwrap();
    }
    out.push('Z');
}

fn area(ring: &[Point]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

fn inside(polygon: &[Vec<Point>], (x, y): Point) -> bool {
    let mut odd = false;
    for ring in polygon {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            if (a.1 > y) != (b.1 > y) && x < a.0 + (y - a.1) * (b.0 - a.0) / (b.1 - a.1) {
                odd = !odd;
            }
        }
    }
    odd
}

fn distance_to_border(polygon: &[Vec<Point>], (x, y): Point) -> f64 {
    let mut best = f64::MAX;
    for ring in polygon {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let length = dx * dx + dy * dy;
            let t = if length == 0.0 {
                0.0
            } else {
                (((x - a.0) * dx + (y - a.1) * dy) / length).clamp(0.0, 1.0)
            };
            let (px, py) = (a.0 + t * dx, a.1 + t * dy);
            best = best.min(((x - px).powi(2) + (y - py).powi(2)).sqrt());
        }
    }
    best
}

/// Where the number of a municipality goes: the point inside its largest part farthest from
/// its border (a grid search, refined twice), so that a label never sits in a neighbour, as a
/// centroid of a bent outline could.
fn label_point(polygon: &[Vec<Point>]) -> Point {
    let outer = &polygon[0];
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in outer {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let mut step = (x1 - x0).max(y1 - y0) / 64.0;
    let mut best = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let mut best_distance = -1.0;
    let mut search = |from: Point, to: Point, step: f64, best: &mut Point| {
        let mut y = from.1;
        while y <= to.1 {
            let mut x = from.0;
            while x <= to.0 {
                if inside(polygon, (x, y)) {
                    let d = distance_to_border(polygon, (x, y));
                    if d > best_distance {
                        best_distance = d;
                        *best = (x, y);
                    }
                }
                x += step;
            }
            y += step;
        }
    };
    search((x0, y0), (x1, y1), step, &mut best);
    for _ in 0..2 {
        let around = best;
        search(
            (around.0 - step, around.1 - step),
            (around.0 + step, around.1 + step),
            step / 8.0,
            &mut best,
        );
        step /= 8.0;
    }
    best
}

/// The derived file: a header, the `viewBox`, then per municipality (by AGS) its AGS, name,
/// label point and SVG path, separated by tabs.
fn generate(geojson: &str) -> String {
    let features = features(geojson);
    let projection = Projection::fitting(&features);
    let (width, height) = projection.view_box();
    let mut out = String::new();
    out.push_str(
        "# The 16 municipalities of Kreis Kleve as SVG paths, for the county map of the dashboards.\n\
         # Derived from kreis-kleve-gemeinden.geojson by domain/tests/county_map_data.rs: do not edit.\n\
         # Equirectangular projection, longitude scaled by cos(51.7°), north up, whole units.\n\
         # Source: VG250 of the BKG; © GeoBasis-DE / BKG 2013 (Daten verändert);\n\
         # licence: Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0).\n\
         # Columns: AGS, name, label x, label y, path.\n",
    );
    writeln!(out, "viewBox\t0 0 {width} {height}").unwrap();
    for f in &features {
        let projected: Vec<Vec<Vec<Point>>> = f
            .polygons
            .iter()
            .map(|p| p.iter().map(|r| r.iter().map(|&q| projection.project(q)).collect()).collect())
            .collect();
        let mut path = String::new();
        for polygon in &projected {
            for ring in polygon {
                let points: Vec<(i64, i64)> = ring.iter().map(|&p| rounded(p)).collect();
                ring_path(&points, &mut path);
            }
        }
        let largest = projected
            .iter()
            .max_by(|a, b| area(&a[0]).abs().total_cmp(&area(&b[0]).abs()))
            .unwrap();
        let (lx, ly) = rounded(label_point(largest));
        writeln!(out, "{}\t{}\t{lx}\t{ly}\t{path}", f.ags, f.name).unwrap();
    }
    out
}

#[test]
fn the_committed_outlines_are_what_the_generator_makes() {
    let geojson =
        std::fs::read_to_string(data_dir().join("kreis-kleve-gemeinden.geojson")).unwrap();
    let made = generate(&geojson);
    let target = data_dir().join("kreis-kleve-gemeinden.tsv");
    if std::env::var_os("UPDATE_COUNTY_MAP").is_some() {
        std::fs::write(&target, &made).unwrap();
    }
    let committed = std::fs::read_to_string(&target).unwrap_or_default();
    assert!(
        committed == made,
        "{} differs from what the generator makes; run UPDATE_COUNTY_MAP=1 cargo test -p domain --test county_map_data",
        target.display()
    );
}

#[test]
fn the_source_names_its_licence_and_attribution() {
    let geojson =
        std::fs::read_to_string(data_dir().join("kreis-kleve-gemeinden.geojson")).unwrap();
    let doc: Value = serde_json::from_str(&geojson).unwrap();
    assert_eq!(doc["source"], "© GeoBasis-DE / BKG 2013 (Daten verändert)");
    assert!(doc["licence"].as_str().unwrap().contains("dl-de/by-2-0"));
    let readme = std::fs::read_to_string(data_dir().join("README.md")).unwrap();
    for needed in ["© GeoBasis-DE / BKG 2013 (Daten verändert)", "dl-de/by-2-0", "VG250"] {
        assert!(readme.contains(needed), "{needed}");
    }
    assert_eq!(
        doc["source"].as_str().unwrap(),
        domain::county_map::ATTRIBUTION,
        "the map shows the attribution the data asks for"
    );
}

#[test]
fn the_projection_keeps_the_county_in_shape() {
    let geojson =
        std::fs::read_to_string(data_dir().join("kreis-kleve-gemeinden.geojson")).unwrap();
    let features = features(&geojson);
    assert_eq!(features.len(), 16);
    let projection = Projection::fitting(&features);
    let (west, north) = (projection.west, projection.north);
    // The north-west corner of the bounding box is the drawing's top left, inside the margin.
    assert_eq!(rounded(projection.project((west, north))), (10, 10));
    // A kilometre east and a kilometre south are drawn the same length (within rounding).
    let km_lat = 1.0 / 111.2;
    let km_lon = km_lat / STANDARD_PARALLEL.to_radians().cos();
    let (x, _) = projection.project((west + km_lon, north));
    let (_, y) = projection.project((west, north - km_lat));
    assert!(((x - MARGIN) - (y - MARGIN)).abs() < 1e-9, "{x} {y}");
    // About 41 km wide and 61 km tall: taller than wide, as the county is.
    let (width, height) = projection.view_box();
    assert_eq!(width, 1020);
    assert!((1500..1550).contains(&height), "{height}");
    // North is up: Emmerich (north-east) above Wachtendonk (south).
    let centre = |ags: &str| {
        let f = features.iter().find(|f| f.ags == ags).unwrap();
        let ring = &f.polygons[0][0];
        let n = ring.len() as f64;
        projection.project((
            ring.iter().map(|p| p.0).sum::<f64>() / n,
            ring.iter().map(|p| p.1).sum::<f64>() / n,
        ))
    };
    assert!(centre("05154008").1 < centre("05154060").1);
    // Kranenburg lies west of Rees.
    assert!(centre("05154040").0 < centre("05154044").0);
}

#[test]
fn labels_lie_inside_their_municipality() {
    let geojson =
        std::fs::read_to_string(data_dir().join("kreis-kleve-gemeinden.geojson")).unwrap();
    let features = features(&geojson);
    let projection = Projection::fitting(&features);
    for f in &features {
        let polygon: Vec<Vec<Point>> = f.polygons[0]
            .iter()
            .map(|r| r.iter().map(|&q| projection.project(q)).collect())
            .collect();
        let label = label_point(&polygon);
        assert!(inside(&polygon, label), "{}", f.name);
        assert!(
            distance_to_border(&polygon, label) > 40.0,
            "{}: room for the number (radius 34)",
            f.name
        );
    }
}
