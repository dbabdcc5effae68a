//! `limberup sheet`: a routine as one printable HTML page for a clipboard at the track.
//!
//! The page is self-contained (styles inline, thumbnails as `data:` URLs) and laid out for
//! A4 and Letter alike: the content is narrower than both, and no step is split across
//! pages. Every value is escaped by `maud`.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::routine::media::decode_fitting;
use crate::routine::{Routine, Section, Sides, Step};
use crate::text::plural;
use crate::timeline::{DEFAULT_LEAD_IN, Plan, PlanOptions};

/// Thumbnails are scaled to fit this box (pixels), enough for 300 dpi at 28 mm wide.
const THUMB: (u32, u32) = (330, 248);

/// The disclaimer printed at the foot of every sheet.
const DISCLAIMER: &str = "Not medical advice. Stop at once if you feel sharp pain, or pain that lasts; \
see a physiotherapist or doctor about pain that keeps coming back.";

/// The sheet for `routine` as HTML text.
#[must_use]
pub fn render(routine: &Arc<Routine>) -> String {
    let plan = Plan::with_options(Arc::clone(routine), PlanOptions::spoken(DEFAULT_LEAD_IN));
    let mut thumbs = Thumbnails::default();
    let steps: usize = routine.sections.iter().map(|s| s.steps.len()).sum();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(concat!("Limber Up ", env!("CARGO_PKG_VERSION")));
                title { (routine.title) " · Limber Up" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    div.brand { "Limber Up" }
                    h1 { (routine.title) }
                    p.meta {
                        span.total { (plan.total()) }
                        " · " (plural(routine.sections.len(), "section")) " · " (plural(steps, "step"))
                        @if let Some(author) = &routine.author { " · by " (author) }
                        @if let Some(frequency) = &routine.frequency { " · meant for " (frequency) }
                        @if let Some(variant) = &routine.variant { " · " (variant) }
                    }
                    @if plan.total().estimated {
                        p.small { "~ Steps you end by pressing Done are counted at their usual time." }
                    }
                    @if !routine.description.is_empty() { p.description { (routine.description) } }
                    div.boxes {
                        @if !routine.equipment.is_empty() {
                            div.box {
                                h3 { "You need" }
                                ul.ticks { @for item in &routine.equipment { li { (item) } } }
                            }
                        }
                        @if let Some(safety) = &routine.safety {
                            div.box.safety { h3 { "Safety" } p { (safety) } }
                        }
                    }
                }
                @for ((index, section), total) in routine.sections.iter().enumerate().zip(plan.section_totals()) {
                    (section_html(index, section, &total.to_string(), &mut thumbs))
                }
                footer {
                    p { (DISCLAIMER) }
                    p.small { (routine.id) " · printed with " code { "limberup sheet" } }
                }
            }
        }
    };
    page.into_string()
}

fn section_html(index: usize, section: &Section, total: &str, thumbs: &mut Thumbnails) -> Markup {
    html! {
        section {
            h2 {
                span { span.number { (index + 1) "." } " " (section.title) }
                span.section-total { (total) @if section.rounds > 1 { " · " (section.rounds) " rounds" } @if section.sides == Sides::Both { " · left, then right" } }
            }
            @if let Some(note) = &section.note { p.note { (note) } }
            @if let Some(setup) = &section.setup { p.setup { "Set up: " (setup) } }
            ol.steps {
                @for step in &section.steps { (step_html(step, thumbs)) }
            }
        }
    }
}

fn step_html(step: &Step, thumbs: &mut Thumbnails) -> Markup {
    let picture = step
        .illustration
        .as_ref()
        .and_then(|i| i.paths().first())
        .and_then(|path| thumbs.data_url(path));
    let side = match step.sides {
        Sides::Both => Some("L + R"),
        Sides::Left => Some("Left"),
        Sides::Right => Some("Right"),
        Sides::Alternating => Some("L / R"),
        Sides::Neither => None,
    };
    html! {
        li.step {
            span.tick {}
            div.picture {
                @if let Some(url) = picture { img src=(url) alt=(step.name); }
            }
            div.text {
                p.name {
                    (step.name)
                    @if let Some(side) = side { " " span.side { (side) } }
                }
                p.dose { (step.dose()) }
                @if let Some(setup) = &step.setup { p.setup { "Set up: " (setup) } }
                @if let Some(partner) = &step.partner { p.partner { "With a partner: " (partner) } }
                @if let Some(instruction) = &step.instruction { p.instruction { (instruction) } }
                @if !step.cues.is_empty() {
                    ul.cues { @for cue in &step.cues { li { (cue) } } }
                }
                @if !step.levels.is_empty() {
                    // Every level, the one timed above marked, with when to move up.
                    ol.levels {
                        @for (number, level) in (1..).zip(&step.levels) {
                            li.chosen[number == step.level] {
                                span.level { "Level " (number) } " "
                                b { (level.step.name) } " · " (level.step.dose())
                                @if let Some(progression) = &level.progression {
                                    " · " span.progression { (progression) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Thumbnails by file, each decoded and scaled once.
#[derive(Default)]
struct Thumbnails {
    made: HashMap<PathBuf, Option<String>>,
}

impl Thumbnails {
    /// A PNG `data:` URL of the image scaled to fit [`THUMB`]; `None` if it cannot be read.
    fn data_url(&mut self, path: &Path) -> Option<String> {
        self.made
            .entry(path.to_path_buf())
            .or_insert_with(|| thumbnail(path))
            .clone()
    }
}

fn thumbnail(path: &Path) -> Option<String> {
    let image = decode_fitting(path, THUMB.0, THUMB.1).ok()?;
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// The page's styles: print first (mm and pt), and a centred column on screen.
const STYLE: &str = r"
@page { margin: 12mm 12mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 9.5pt;
       line-height: 1.35; color: #1a1a1a; margin: 0 auto; max-width: 184mm; padding: 6mm 0; }
@media print { body { padding: 0; max-width: none; } }
.brand { color: #1f7ae0; font-weight: bold; letter-spacing: .08em; text-transform: uppercase;
         font-size: 8pt; }
h1 { font-size: 20pt; margin: 1mm 0 1mm; }
.meta { margin: 0 0 2mm; color: #444; }
.meta .total { font-weight: bold; color: #1f7ae0; font-size: 12pt; }
.small { font-size: 8pt; color: #555; margin: 0 0 2mm; }
.description { margin: 0 0 3mm; }
.boxes { display: flex; gap: 4mm; margin-bottom: 3mm; }
.box { border: 0.3mm solid #bbb; border-radius: 2mm; padding: 2mm 3mm; flex: 1; }
.box h3 { font-size: 9pt; margin: 0 0 1mm; text-transform: uppercase; letter-spacing: .05em; }
.box p { margin: 0; }
.safety { border-color: #c77700; background: #fff6e8; }
ul.ticks { list-style: none; padding: 0; margin: 0; columns: 2; }
ul.ticks li::before { content: ''; display: inline-block; width: 3mm; height: 3mm;
                      border: 0.3mm solid #333; margin-right: 1.5mm; vertical-align: -0.4mm; }
section { margin-top: 3mm; }
h2 { font-size: 12.5pt; margin: 0 0 1mm; padding-bottom: 0.8mm; border-bottom: 0.5mm solid #1f7ae0;
     display: flex; justify-content: space-between; align-items: baseline;
     break-after: avoid; page-break-after: avoid; }
h2 .number { color: #1f7ae0; }
h2 .section-total { font-size: 9.5pt; font-weight: normal; color: #444; }
.note { margin: 0 0 1mm; color: #444; font-style: italic; break-after: avoid; }
.setup { margin: 0 0 1mm; }
.partner { margin: 0.5mm 0 0; color: #1f5fa8; }
ol.steps { list-style: none; padding: 0; margin: 0; }
li.step { display: flex; gap: 3mm; align-items: flex-start; padding: 1.6mm 0;
          border-bottom: 0.2mm solid #ddd; break-inside: avoid; page-break-inside: avoid; }
.tick { flex: none; width: 4.5mm; height: 4.5mm; border: 0.35mm solid #333; border-radius: 0.8mm;
        margin-top: 0.6mm; }
.picture { flex: none; width: 28mm; height: 21mm; display: flex; align-items: center;
           justify-content: center; }
.picture img { max-width: 28mm; max-height: 21mm; }
.text { flex: 1; }
.text p { margin: 0; }
.name { font-weight: bold; font-size: 10.5pt; }
.side { font-size: 7.5pt; font-weight: bold; color: #fff; background: #1f7ae0; border-radius: 1mm;
        padding: 0.2mm 1.2mm; vertical-align: 0.3mm; }
.dose { color: #1f7ae0; font-weight: bold; }
.instruction { color: #222; }
ul.cues { margin: 0.5mm 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 1mm 4mm;
          color: #555; font-size: 8.5pt; }
ul.cues li::before { content: '› '; color: #1f7ae0; font-weight: bold; }
ol.levels { margin: 0.5mm 0 0; padding: 0; list-style: none; font-size: 8.5pt; color: #333; }
ol.levels li.chosen { font-weight: bold; }
ol.levels .level { color: #1f7ae0; font-weight: bold; }
ol.levels .progression { font-style: italic; color: #555; }
footer { margin-top: 4mm; padding-top: 2mm; border-top: 0.3mm solid #bbb; font-size: 8pt; color: #444; }
footer p { margin: 0 0 1mm; }
";
