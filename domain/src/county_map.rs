//! The county map beside the heat map: the 16 municipalities drawn as SVG, coloured by the
//! chosen theme's heat-map cells, each a link to the municipality's page of the theme, with a
//! legend and a table saying the same in text.
//!
//! The outlines come from `data/kreis-kleve-gemeinden.tsv` (derived from the BKG's VG250 by
//! `tests/county_map_data.rs`, see `data/README.md`), compiled in: nothing is read or fetched
//! at run time, and server and browser draw the same markup.
//!
//! The map takes the heat map's cells as they are, after disclosure control; of a withheld
//! cell it writes the words "zu wenige Antworten" and nothing else, wherever it would write
//! a figure (drawing, titles, table).

use crate::dashboard::{gap_label, HeatCell, GAP_CLASSES, HEAT_NONE};
use crate::locale::{format_decimal, format_percent};
use crate::reference::MUNICIPALITIES;
use crate::stats::{MEAN_PLACES, PERCENT_PLACES, TOO_FEW};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The attribution the licence (dl-de/by-2-0) asks for, shown under every map.
pub const ATTRIBUTION: &str = "© GeoBasis-DE / BKG 2013 (Daten verändert)";

/// The id of the hatching that marks "zu wenige Antworten" (the stylesheet fills with it).
pub const TOO_FEW_PATTERN: &str = "karte-zu-wenige";

const OUTLINES: &str = include_str!("../data/kreis-kleve-gemeinden.tsv");

/// Radius of a number's disc, in the drawing's units (the drawing is about 1000 wide).
const LABEL_RADIUS: i64 = 34;

/// A municipality's outline as the derived file holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outline {
    pub ags: &'static str,
    pub name: &'static str,
    /// Where its number is drawn: inside, away from the border.
    pub label: (i64, i64),
    /// SVG path data, in whole units of the `viewBox`.
    pub path: &'static str,
}

/// The drawing's `viewBox` and the outlines, in the order of the file (by AGS).
pub fn outlines() -> (&'static str, Vec<Outline>) {
    let mut view_box = "0 0 1020 1525";
    let mut found = Vec::new();
    for line in OUTLINES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["viewBox", value] => view_box = value,
            [ags, name, x, y, path] => {
                if let (Ok(x), Ok(y)) = (x.parse(), y.parse()) {
                    found.push(Outline { ags, name, label: (x, y), path });
                }
            }
            _ => {}
        }
    }
    (view_box, found)
}

/// One line of the map's table: what the drawing shows of a municipality, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRow {
    /// The number drawn on the map (the municipalities in alphabetical order, from 1).
    pub number: usize,
    pub ags: String,
    pub name: String,
    /// The municipality's page of the theme, as the heat-map cell links it.
    pub href: String,
    /// "40,0 %", or "–" (withheld, or too few answers for this figure).
    pub stock: String,
    /// "4,20", or "–".
    pub need: String,
    /// "5", or "–" for a withheld cell (its n is withheld too).
    pub n: String,
    /// `heat-0` … `heat-3`, `heat-none`.
    pub class: &'static str,
    /// "große Lücke", or "zu wenige Antworten".
    pub class_label: &'static str,
    /// Number of measures, or "–" while none are recorded for it.
    pub measures: String,
    /// The accessible name of the municipality's link on the map (and its tooltip).
    pub title: String,
}

/// The map of one theme: the SVG markup, the legend and the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyMap {
    /// A complete `<svg>` element (links, outlines, numbers), to be placed as markup.
    pub svg: String,
    /// `(class, meaning)` per colour, as the map uses them.
    pub legend: Vec<(&'static str, String)>,
    /// One row per municipality, in the order of the numbers.
    pub rows: Vec<MapRow>,
    pub attribution: &'static str,
}

/// Draws the county for the theme `theme_title`.
///
/// `cells` are the theme's heat-map cells per AGS, exactly as the heat map shows them (after
/// the minimum group size and the audit of combined views); a municipality without a cell is
/// drawn as withheld. `href` gives a municipality's page of the theme. `measures` counts the
/// measures per AGS; a municipality missing from it shows "–" (pass 0 for "none").
pub fn county_map(
    theme_title: &str,
    cells: &[(String, HeatCell)],
    href: &dyn Fn(&str) -> String,
    measures: &BTreeMap<String, u32>,
    min_group: u64,
) -> CountyMap {
    let (view_box, outlines) = outlines();
    let withheld = HeatCell { suppressed: true, ..HeatCell::default() };
    let rows: Vec<MapRow> = MUNICIPALITIES
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let cell = cells.iter().find(|(ags, _)| ags == m.ags).map(|(_, c)| c);
            row(i + 1, m.ags, m.name, cell.unwrap_or(&withheld), href(m.ags), measures)
        })
        .collect();

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{}\" class=\"county-map-svg\" role=\"group\" aria-label=\"{}\">",
        escape(view_box),
        escape(&format!("Karte des Kreises Kleve: {theme_title}, Bedarf gegen Bestand je Kommune"))
    );
    // Diagonal hatching for "zu wenige Antworten", so that it differs from every colour
    // by more than its hue.
    let _ = write!(
        svg,
        "<defs><pattern id=\"{TOO_FEW_PATTERN}\" width=\"24\" height=\"24\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"24\" height=\"24\" class=\"hatch-ground\"/><rect width=\"5\" height=\"24\" class=\"hatch-line\"/></pattern></defs>"
    );
    svg.push_str("<g class=\"areas\">");
    for outline in &outlines {
        let Some(r) = rows.iter().find(|r| r.ags == outline.ags) else { continue };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"area {}\" aria-label=\"{title}\"><title>{title}</title><path d=\"{}\"/></a>",
            escape(&r.href),
            r.class,
            escape(outline.path),
            title = escape(&r.title),
        );
    }
    svg.push_str("</g>");
    // The numbers on top of every outline (a later outline would cover an earlier one's
    // number), outside the links: the table is their key, the links are named in full.
    svg.push_str("<g class=\"labels\" aria-hidden=\"true\">");
    for outline in &outlines {
        let Some(r) = rows.iter().find(|r| r.ags == outline.ags) else { continue };
        let (x, y) = outline.label;
        let _ = write!(
            svg,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"{LABEL_RADIUS}\"/><text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text>",
            r.number
        );
    }
    svg.push_str("</g></svg>");

    let mut legend: Vec<(&'static str, String)> =
        GAP_CLASSES.iter().map(|(class, label)| (*class, label.to_string())).collect();
    legend.push((
        HEAT_NONE,
        format!("{TOO_FEW} (keine, unter {min_group} oder aus Ansichten errechenbar)"),
    ));
    CountyMap { svg, legend, rows, attribution: ATTRIBUTION }
}

fn row(
    number: usize,
    ags: &str,
    name: &str,
    cell: &HeatCell,
    href: String,
    measures: &BTreeMap<String, u32>,
) -> MapRow {
    let class = cell.gap_class();
    let class_label = gap_label(class);
    let measures = measures.get(ags).map(|n| n.to_string());
    let measures_said = match &measures {
        Some(n) => format!("Maßnahmen: {n}"),
        None => "Maßnahmen: keine erfasst".to_string(),
    };
    // A withheld cell gives nothing but its state: not its n, not a figure.
    let (stock, need, n, title) = if cell.withheld() {
        let dash = || "–".to_string();
        (dash(), dash(), dash(), format!("{name}: {TOO_FEW}. {measures_said}"))
    } else {
        let stock = cell
            .stock_percent
            .map(|v| format_percent(v, PERCENT_PLACES))
            .unwrap_or_else(|| "–".into());
        let need = cell
            .need_mean
            .map(|v| format_decimal(v, MEAN_PLACES, true))
            .unwrap_or_else(|| "–".into());
        let n = cell.n.to_string();
        let title = format!(
            "{name}: {class_label}. Bestand {stock}, Bedarf {need}, n = {n}. {measures_said}"
        );
        (stock, need, n, title)
    };
    MapRow {
        number,
        ags: ags.to_string(),
        name: name.to_string(),
        href,
        stock,
        need,
        n,
        class,
        class_label,
        measures: measures.unwrap_or_else(|| "–".to_string()),
        title,
    }
}

/// Text for SVG markup: the five characters with a meaning there, as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KLEVE: &str = "05154036";
    const GOCH: &str = "05154016";
    const WEEZE: &str = "05154064";

    fn href(ags: &str) -> String {
        format!("/auswertung/thema_x?fragebogen=1&gemeinde={ags}")
    }

    fn shown(stock: f64, need: f64, n: u64) -> HeatCell {
        HeatCell { stock_percent: Some(stock), need_mean: Some(need), n, suppressed: false }
    }

    /// Goch shown, Kleve withheld (as the backend leaves it), Weeze with stock only, and the
    /// rest without any cell.
    fn sample() -> Vec<(String, HeatCell)> {
        vec![
            (GOCH.into(), shown(37.5, 4.625, 8)),
            (KLEVE.into(), HeatCell { suppressed: true, ..Default::default() }),
            (
                WEEZE.into(),
                HeatCell { stock_percent: Some(66.66), need_mean: None, n: 4, suppressed: false },
            ),
        ]
    }

    fn draw(cells: &[(String, HeatCell)], measures: &BTreeMap<String, u32>) -> CountyMap {
        county_map("Frühe Bildung & Schule", cells, &href, measures, 3)
    }

    #[test]
    fn the_derived_file_holds_every_municipality_once() {
        let (view_box, outlines) = outlines();
        assert_eq!(view_box, "0 0 1020 1525");
        let size: Vec<i64> = view_box.split(' ').map(|v| v.parse().unwrap()).collect();
        assert_eq!(outlines.len(), 16);
        for (outline, m) in outlines.iter().zip(MUNICIPALITIES.iter()) {
            assert_eq!((outline.ags, outline.name), (m.ags, m.name));
            assert!(outline.path.starts_with('M') && outline.path.ends_with('Z'), "{}", m.name);
            let (x, y) = outline.label;
            assert!(x > 0 && x < size[2] && y > 0 && y < size[3], "{}", m.name);
            let numbers: Vec<i64> = outline
                .path
                .split(|c: char| !c.is_ascii_digit() && c != '-')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            assert!(numbers.len() >= 40, "{}", m.name);
            for pair in numbers.chunks(2) {
                assert!((0..=size[2]).contains(&pair[0]) && (0..=size[3]).contains(&pair[1]));
            }
        }
    }

    #[test]
    fn every_municipality_is_a_named_link_to_its_theme_page() {
        let map = draw(&sample(), &BTreeMap::new());
        assert_eq!(map.svg.matches("<a href=").count(), 16);
        assert_eq!(map.svg.matches("<title>").count(), 16);
        assert_eq!(map.svg.matches("<path d=\"M").count(), 16);
        for m in MUNICIPALITIES.iter() {
            assert!(
                map.svg.contains(&format!(
                    "<a href=\"/auswertung/thema_x?fragebogen=1&amp;gemeinde={}\"",
                    m.ags
                )),
                "{}",
                m.name
            );
            assert!(map.svg.contains(&format!("<title>{}: ", m.name)), "{}", m.name);
        }
        assert!(map.svg.starts_with("<svg ") && map.svg.ends_with("</svg>"));
        assert!(
            map.svg.contains("aria-label=\"Karte des Kreises Kleve: Frühe Bildung &amp; Schule,"),
            "the theme is named, escaped"
        );
        assert!(!map.svg.contains("style="), "the Content-Security-Policy allows no inline style");
        // Numbers 1 to 16 on the map, a key to the table.
        assert_eq!(
            map.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            (1..=16).collect::<Vec<_>>()
        );
        for n in 1..=16 {
            assert!(map.svg.contains(&format!("dominant-baseline=\"central\">{n}</text>")));
        }
        assert_eq!(map.rows[0].name, "Bedburg-Hau");
    }

    #[test]
    fn shown_cells_carry_their_class_and_figures() {
        let mut measures = BTreeMap::new();
        measures.insert(GOCH.to_string(), 3);
        let map = draw(&sample(), &measures);
        let goch = map.rows.iter().find(|r| r.ags == GOCH).unwrap();
        assert_eq!(
            (goch.stock.as_str(), goch.need.as_str(), goch.n.as_str()),
            ("37,5\u{a0}%", "4,63", "8")
        );
        assert_eq!(
            (goch.class, goch.class_label, goch.measures.as_str()),
            ("heat-3", "große Lücke", "3")
        );
        assert_eq!(
            goch.title,
            "Goch: große Lücke. Bestand 37,5\u{a0}%, Bedarf 4,63, n = 8. Maßnahmen: 3"
        );
        assert!(map.svg.contains(&format!(
            "class=\"area heat-3\" aria-label=\"{0}\"><title>{0}</title>",
            goch.title
        )));
        // A cell with one figure only is drawn like the heat map draws it: no class, the
        // figure it has.
        let weeze = map.rows.iter().find(|r| r.ags == WEEZE).unwrap();
        assert_eq!(
            (weeze.stock.as_str(), weeze.need.as_str(), weeze.class),
            ("66,7\u{a0}%", "–", "heat-none")
        );
        // Measures not recorded read "–"; in a title, in words.
        let bedburg = &map.rows[0];
        assert_eq!(bedburg.measures, "–");
        assert!(bedburg.title.ends_with("Maßnahmen: keine erfasst"));
    }

    #[test]
    fn a_withheld_cell_shows_no_figure_anywhere() {
        // Even if a withheld cell still held figures, none of them would be written.
        let leaky =
            HeatCell { stock_percent: Some(12.3), need_mean: Some(4.56), n: 2, suppressed: true };
        let cells = vec![(KLEVE.to_string(), leaky), (GOCH.to_string(), shown(37.5, 4.625, 8))];
        let map = draw(&cells, &BTreeMap::new());
        let kleve = map.rows.iter().find(|r| r.ags == KLEVE).unwrap();
        assert_eq!(
            (
                kleve.stock.as_str(),
                kleve.need.as_str(),
                kleve.n.as_str(),
                kleve.class,
                kleve.class_label
            ),
            ("–", "–", "–", "heat-none", "zu wenige Antworten")
        );
        assert_eq!(kleve.title, "Kleve: zu wenige Antworten. Maßnahmen: keine erfasst");
        for leaked in ["12,3", "12.3", "4,56", "4.56", "n = 2"] {
            assert!(!map.svg.contains(leaked), "{leaked}");
            assert!(!format!("{kleve:?}").contains(leaked), "{leaked}");
        }
        assert!(map.svg.contains(&format!(
            "class=\"area heat-none\" aria-label=\"{0}\"><title>{0}</title>",
            kleve.title
        )));
        // Municipalities without a cell read the same.
        let bedburg = &map.rows[0];
        assert_eq!((bedburg.class, bedburg.n.as_str()), ("heat-none", "–"));
        assert!(bedburg.title.starts_with("Bedburg-Hau: zu wenige Antworten."));
        // The hatching of "zu wenige Antworten" is defined for the stylesheet to fill with.
        assert!(map.svg.contains(&format!("<pattern id=\"{TOO_FEW_PATTERN}\"")));
    }

    #[test]
    fn the_legend_and_the_attribution_come_with_the_map() {
        let map = draw(&sample(), &BTreeMap::new());
        assert_eq!(
            map.legend.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            ["heat-0", "heat-1", "heat-2", "heat-3", "heat-none"]
        );
        assert_eq!(
            map.legend[4].1,
            "zu wenige Antworten (keine, unter 3 oder aus Ansichten errechenbar)"
        );
        assert_eq!(map.attribution, "© GeoBasis-DE / BKG 2013 (Daten verändert)");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(escape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&#39;");
    }
}
