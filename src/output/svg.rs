//! Line charts as inline SVG, written by hand: axes (linear or log), grid, ticks, a legend,
//! one polyline per series and labelled vertical marks. No script and no font fetched:
//! the picture is in the file and prints as it shows.

use std::fmt::Write as _;

/// How values map onto an axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    Linear,
    /// Base 10; values at or below 0 are drawn at the axis' low end.
    Log,
}

/// One axis: its range, scale, label and how its ticks read.
#[derive(Debug, Clone)]
pub struct Axis {
    pub label: String,
    pub scale: Scale,
    pub min: f64,
    pub max: f64,
    /// Where the ticks go, and what each says.
    pub ticks: Vec<(f64, String)>,
}

/// One line of a chart.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    /// A CSS colour.
    pub color: &'static str,
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
}

/// A chart: axes, series, and vertical marks (stages, steps) at x with a label.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
    pub marks: Vec<(f64, String)>,
}

const WIDTH: f64 = 860.0;
const HEIGHT: f64 = 300.0;
/// Room left, right, above and below the plot for ticks, labels and the legend.
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 45.0;

impl Axis {
    /// Where `value` falls, from 0 (min) to 1 (max).
    fn fraction(&self, value: f64) -> f64 {
        let (min, max, value) = match self.scale {
            Scale::Linear => (self.min, self.max, value),
            Scale::Log => (
                self.min.max(f64::MIN_POSITIVE).log10(),
                self.max.max(f64::MIN_POSITIVE).log10(),
                value.max(self.min).max(f64::MIN_POSITIVE).log10(),
            ),
        };
        if max <= min {
            return 0.0;
        }
        ((value - min) / (max - min)).clamp(0.0, 1.0)
    }

    /// A linear axis from 0 to a round number above `max`, with five ticks.
    pub fn linear_from_zero(label: &str, max: f64, show: fn(f64) -> String) -> Axis {
        let top = round_up(max.max(1e-9));
        let ticks = (0..=5)
            .map(|i| {
                let v = top * f64::from(i) / 5.0;
                (v, show(v))
            })
            .collect();
        Axis {
            label: label.to_owned(),
            scale: Scale::Linear,
            min: 0.0,
            max: top,
            ticks,
        }
    }

    /// A log axis over whole decades around `min..max`, a tick at each.
    pub fn log_decades(label: &str, min: f64, max: f64, show: fn(f64) -> String) -> Axis {
        let low = min.max(1.0).log10().floor() as i32;
        let high = (max.max(min.max(1.0) * 10.0).log10().ceil() as i32).max(low + 1);
        let ticks = (low..=high)
            .map(|e| {
                let v = 10f64.powi(e);
                (v, show(v))
            })
            .collect();
        Axis {
            label: label.to_owned(),
            scale: Scale::Log,
            min: 10f64.powi(low),
            max: 10f64.powi(high),
            ticks,
        }
    }
}

/// 1, 2 or 5 times a power of ten, at or above `x`.
fn round_up(x: f64) -> f64 {
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|v| *v >= x * 0.999_999)
        .unwrap_or(10.0 * power)
}

impl Chart {
    fn at(&self, x: f64, y: f64) -> (f64, f64) {
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        (
            LEFT + self.x.fraction(x) * plot_w,
            TOP + (1.0 - self.y.fraction(y)) * plot_h,
        )
    }

    /// The chart as an `<svg>` element.
    pub fn svg(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg id="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img">"#,
            escape(&self.id)
        );
        let (left, bottom) = (LEFT, HEIGHT - BOTTOM);
        let (right, top) = (WIDTH - RIGHT, TOP);
        for (value, text) in &self.y.ticks {
            let (_, y) = self.at(self.x.min, *value);
            let _ = write!(
                out,
                r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                y + 4.0,
                escape(text)
            );
        }
        for (value, text) in &self.x.ticks {
            let (x, _) = self.at(*value, self.y.min);
            let _ = write!(
                out,
                r#"<line class="grid" x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{bottom}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                bottom + 16.0,
                escape(text)
            );
        }
        let _ = write!(
            out,
            r#"<rect class="frame" x="{left}" y="{top}" width="{:.1}" height="{:.1}"/>"#,
            right - left,
            bottom - top
        );
        let _ = write!(
            out,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            (left + right) / 2.0,
            HEIGHT - 6.0,
            escape(&self.x.label)
        );
        let _ = write!(
            out,
            r#"<text class="label" transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            (top + bottom) / 2.0,
            escape(&self.y.label)
        );
        for (value, text) in &self.marks {
            let (x, _) = self.at(*value, self.y.min);
            let _ = write!(
                out,
                r#"<line class="mark" x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{bottom}"/><text class="mark-label" x="{:.1}" y="{:.1}">{}</text>"#,
                x + 3.0,
                top + 11.0,
                escape(text)
            );
        }
        for series in &self.series {
            let points: Vec<String> = series
                .points
                .iter()
                .map(|(x, y)| {
                    let (px, py) = self.at(*x, *y);
                    format!("{px:.1},{py:.1}")
                })
                .collect();
            let dash = if series.dashed {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<polyline class="series" data-series="{}" fill="none" stroke="{}" stroke-width="2"{dash} points="{}"/>"#,
                escape(&series.name),
                series.color,
                points.join(" ")
            );
        }
        // The legend, along the top edge.
        let mut x = left;
        for series in &self.series {
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{:.1}" width="14" height="4" fill="{}"/><text class="legend" x="{:.1}" y="{:.1}">{}</text>"#,
                top - 14.0,
                series.color,
                x + 18.0,
                top - 9.0,
                escape(&series.name)
            );
            x += 30.0 + 7.0 * series.name.chars().count() as f64;
        }
        out.push_str("</svg>");
        out
    }
}

/// Text made safe inside HTML and SVG, attributes included.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_and_place_values() {
        assert_eq!(round_up(7.3), 10.0);
        assert_eq!(round_up(1.2), 2.0);
        assert_eq!(round_up(4_100.0), 5_000.0);
        let log = Axis::log_decades("ms", 0.3, 42.0, |v| format!("{v}"));
        assert_eq!(log.min, 1.0);
        assert_eq!(log.max, 100.0);
        assert!((log.fraction(10.0) - 0.5).abs() < 1e-9);
        let linear = Axis::linear_from_zero("x", 9.0, |v| format!("{v}"));
        assert_eq!(linear.max, 10.0);
        assert_eq!(linear.ticks.len(), 6);
    }

    #[test]
    fn text_cannot_break_out_of_the_markup() {
        assert_eq!(
            escape(r#"<script>"a"&'b'</script>"#),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn a_chart_draws_each_series_once() {
        let chart = Chart {
            id: "c".to_owned(),
            x: Axis::linear_from_zero("s", 3.0, |v| format!("{v}")),
            y: Axis::linear_from_zero("ms", 3.0, |v| format!("{v}")),
            series: vec![
                Series {
                    name: "a".to_owned(),
                    color: "#000",
                    dashed: false,
                    points: vec![(0.0, 1.0), (1.0, 2.0)],
                },
                Series {
                    name: "b<".to_owned(),
                    color: "#f00",
                    dashed: true,
                    points: vec![(0.0, 0.0)],
                },
            ],
            marks: vec![(1.5, "stage 2".to_owned())],
        };
        let svg = chart.svg();
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains(r#"data-series="b&lt;""#));
        assert!(svg.contains("stage 2"));
    }
}
