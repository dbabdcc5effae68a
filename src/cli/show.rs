//! `limberup show`: a routine's timeline, every segment and cue with its time, and its voice
//! script: every phrase with its start, its length and the cue it belongs to.

use std::ffi::OsStr;
use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use serde::Serialize;

use super::args::Pick;
use super::find_selected;
use crate::routine;
use crate::text::{clock, escape_controls_in_line};
use crate::timeline::script::Script;
use crate::timeline::{self, Language, Plan, PlanOptions, SegmentKind};

/// One segment of `show --json`.
#[derive(Serialize)]
struct JsonSegment<'a> {
    index: usize,
    kind: SegmentKind,
    title: &'a str,
    section: &'a str,
    start_ms: u128,
    duration_ms: Option<u128>,
    estimate_ms: u128,
    waits_for_done: bool,
    side: Option<timeline::Side>,
    set: timeline::Ordinal,
    round: timeline::Ordinal,
    reps: Option<u32>,
    /// The step's time as a range, as written ("20-30 s"), beside the value timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<String>,
    /// The count as written when it says more than its number ("5-10 reps", "10 each side",
    /// "3 passes").
    #[serde(skip_serializing_if = "Option::is_none")]
    reps_text: Option<String>,
    /// Whether the count is per side.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    per_side: bool,
    /// The step's distance as written ("80-100 m").
    #[serde(skip_serializing_if = "Option::is_none")]
    distance: Option<String>,
}

/// One cue of `show --json`.
#[derive(Serialize)]
struct JsonCue {
    at_ms: u128,
    segment: usize,
    #[serde(flatten)]
    kind: timeline::CueKind,
    say: Option<String>,
}

#[derive(Serialize)]
struct JsonShow<'a> {
    id: &'a str,
    title: &'a str,
    total_ms: u128,
    estimated: bool,
    segments: Vec<JsonSegment<'a>>,
    cues: Vec<JsonCue>,
    voice: Option<JsonVoice<'a>>,
}

/// The voice script of `show --json`.
#[derive(Serialize)]
struct JsonVoice<'a> {
    /// The language spoken.
    language: &'static str,
    /// "measured" (rendered by espeak-ng) or "estimated" (no voice here).
    lengths: &'static str,
    lines: Vec<JsonLine<'a>>,
    lost: Vec<JsonLost<'a>>,
}

/// One phrase of `show --json`.
#[derive(Serialize)]
struct JsonLine<'a> {
    at_ms: u128,
    due_ms: u128,
    length_ms: u128,
    segment: usize,
    #[serde(flatten)]
    kind: timeline::CueKind,
    text: &'a str,
    shortened_from: Option<&'a str>,
}

/// An announcement not heard in full, in `show --json`.
#[derive(Serialize)]
struct JsonLost<'a> {
    segment: usize,
    #[serde(flatten)]
    kind: timeline::CueKind,
    text: &'a str,
    length_ms: u128,
    room_ms: u128,
    said: Option<&'a str>,
    message: String,
}

pub(super) fn show(
    name: &OsStr,
    json: bool,
    options: PlanOptions,
    extra: Vec<PathBuf>,
    pick: &Pick,
) -> anyhow::Result<ExitCode> {
    let routine = find_selected(name, extra, pick)?;
    let plan = Plan::with_options(Arc::clone(&routine), options);
    let cues = timeline::schedule(&plan);
    let script = plan.voice().map(|voice| {
        let (script, measured, _) = crate::audio::measured_script(&plan);
        (voice.language, script, measured)
    });
    let mut out = io::stdout().lock();
    let section_title = |i: usize| routine.sections.get(i).map_or("", |s| s.title.as_str());
    if json {
        let doc = JsonShow {
            id: &routine.id,
            title: &routine.title,
            total_ms: plan.total().duration.as_millis(),
            estimated: plan.total().estimated,
            segments: plan
                .segments
                .iter()
                .map(|s| JsonSegment {
                    index: s.index,
                    kind: s.kind,
                    title: &s.title,
                    section: section_title(s.section),
                    start_ms: s.offset.as_millis(),
                    duration_ms: s.duration.map(|d| d.as_millis()),
                    estimate_ms: s.estimate.as_millis(),
                    waits_for_done: s.waits_for_done(),
                    side: s.side,
                    set: s.set,
                    round: s.round,
                    reps: s.reps.map(|r| r.value),
                    range: written_range(&plan, s),
                    reps_text: s
                        .reps
                        .filter(|r| !r.is_plain() || r.range.is_some())
                        .map(routine::Count::label),
                    per_side: s.reps.is_some_and(|r| r.per_side),
                    distance: work_step(&plan, s)
                        .and_then(|step| step.distance)
                        .map(|d| d.to_string()),
                })
                .collect(),
            cues: cues
                .iter()
                .map(|c| JsonCue {
                    at_ms: c.offset.as_millis(),
                    segment: c.cue.segment,
                    kind: c.cue.kind,
                    say: timeline::announcement(&plan, &c.cue),
                })
                .collect(),
            voice: script.as_ref().map(|(language, script, measured)| {
                json_voice(&plan, *language, script, *measured)
            }),
        };
        serde_json::to_writer_pretty(&mut out, &doc).context("writing JSON")?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Titles, names and words come from files: shown, never obeyed by the terminal.
    let shown = |text: &str| escape_controls_in_line(text).into_owned();
    writeln!(
        out,
        "{} ({}): {}",
        shown(&routine.title),
        shown(&routine.id),
        plan.total()
    )?;
    if let Some(variant) = &routine.variant {
        writeln!(out, "  variant: {}", shown(variant))?;
    }
    if let Some(levels) = routine.levels_played() {
        writeln!(out, "  {}", routine::selection::levels_label(&levels))?;
    }
    for (section, total) in routine.sections.iter().zip(plan.section_totals()) {
        writeln!(
            out,
            "  {:<40} {:>8}  x{}",
            shown(&section.title),
            total.to_string(),
            section.rounds
        )?;
    }
    writeln!(out)?;
    // A fractional second is shown to the millisecond, so each row's start and length add
    // up to the next row's start; the columns widen for it.
    let fractional = plan
        .segments
        .iter()
        .any(|s| s.offset.subsec_millis() > 0 || s.estimate.subsec_millis() > 0);
    let time = |d: Duration| {
        if d.subsec_millis() > 0 {
            format_ms(d)
        } else {
            clock(d)
        }
    };
    let (start_width, length_width) = if fractional { (11, 10) } else { (7, 6) };
    writeln!(
        out,
        "{:>3}  {:<start_width$}  {:>length_width$}  kind      side   set    round  segment",
        "#", "start", "length"
    )?;
    for s in &plan.segments {
        let length = s
            .duration
            .map_or_else(|| format!("~{}", time(s.estimate)), time);
        let kind = match s.kind {
            SegmentKind::LeadIn => "lead-in",
            SegmentKind::Work if s.waits_for_done() => "done",
            SegmentKind::Work => "work",
            SegmentKind::Switch => "switch",
            SegmentKind::Rest => "rest",
            SegmentKind::Position => "position",
        };
        let side = s.side.map_or_else(String::new, |side| side.to_string());
        let counted = |o: timeline::Ordinal| {
            if o.is_counted() {
                format!("{}/{}", o.index, o.of)
            } else {
                String::new()
            }
        };
        // The dose as written, when it says more than the length does.
        let written: Vec<String> = [
            work_step(&plan, s)
                .and_then(|step| step.distance)
                .map(|d| d.to_string()),
            written_range(&plan, s),
            s.reps
                .filter(|r| !r.is_plain() || r.range.is_some())
                .map(routine::Count::label),
        ]
        .into_iter()
        .flatten()
        .collect();
        let written = if written.is_empty() {
            String::new()
        } else {
            format!("  ({})", written.join(", "))
        };
        writeln!(
            out,
            "{:>3}  {:>start_width$}  {:>length_width$}  {kind:<8}  {side:<5}  {:<5}  {:<5}  {}{written}",
            s.index,
            time(s.offset),
            length,
            counted(s.set),
            counted(s.round),
            shown(&s.title)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "cues:")?;
    for c in &cues {
        let say = timeline::announcement(&plan, &c.cue)
            .map_or_else(String::new, |s| format!("  \"{}\"", shown(&s)));
        let kind = match c.cue.kind {
            timeline::CueKind::RepTick { rep, side: None } => format!("RepTick({rep})"),
            timeline::CueKind::RepTick {
                rep,
                side: Some(side),
            } => format!("RepTick({rep}, {side})"),
            kind => format!("{kind:?}"),
        };
        writeln!(
            out,
            "  {:>9}  #{:<3} {kind}{say}",
            format_ms(c.offset),
            c.cue.segment,
        )?;
    }
    match &script {
        Some((language, script, measured)) => {
            print_voice(&mut out, &plan, *language, script, *measured)?;
        }
        None => writeln!(out, "\nvoice: none (planned without words)")?,
    }
    Ok(ExitCode::SUCCESS)
}

fn json_voice<'a>(
    plan: &Plan,
    language: Language,
    script: &'a Script,
    measured: bool,
) -> JsonVoice<'a> {
    JsonVoice {
        language: language.code(),
        lengths: if measured { "measured" } else { "estimated" },
        lines: script
            .lines
            .iter()
            .map(|l| JsonLine {
                at_ms: l.at.as_millis(),
                due_ms: l.due.as_millis(),
                length_ms: l.length.as_millis(),
                segment: l.cue.segment,
                kind: l.cue.kind,
                text: &l.text,
                shortened_from: l.shortened_from.as_deref(),
            })
            .collect(),
        lost: script
            .lost
            .iter()
            .map(|l| JsonLost {
                segment: l.cue.segment,
                kind: l.cue.kind,
                text: &l.text,
                length_ms: l.length.as_millis(),
                room_ms: l.room.as_millis(),
                said: l.said.as_deref(),
                message: l.message(plan),
            })
            .collect(),
    }
}

/// The voice script as a table: every phrase's start, length, segment and words.
fn print_voice(
    out: &mut impl io::Write,
    plan: &Plan,
    language: Language,
    script: &Script,
    measured: bool,
) -> io::Result<()> {
    let how = if measured {
        "lengths measured with espeak-ng"
    } else {
        "lengths estimated: espeak-ng is not available"
    };
    writeln!(out, "\nvoice ({language}, {how}):")?;
    for line in &script.lines {
        let moved = if line.at < line.due {
            format!("  (from {})", format_ms(line.due))
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {:>9}  {:>6.2} s  #{:<3} \"{}\"{moved}",
            format_ms(line.at),
            line.length.as_secs_f64(),
            line.cue.segment,
            escape_controls_in_line(&line.text)
        )?;
    }
    for lost in &script.lost {
        writeln!(
            out,
            "  not heard in full: {}",
            escape_controls_in_line(&lost.message(plan))
        )?;
    }
    Ok(())
}

/// The step a work segment plays.
fn work_step<'a>(plan: &'a Plan, segment: &timeline::Segment) -> Option<&'a routine::Step> {
    plan.step(segment)
        .filter(|_| segment.kind == SegmentKind::Work)
}

/// A work segment's time as a range, as written: "20-30 s".
fn written_range(plan: &Plan, segment: &timeline::Segment) -> Option<String> {
    match &work_step(plan, segment)?.work {
        routine::Work::Timed { time, .. }
        | routine::Work::UntilDone {
            suggested: Some(time),
            ..
        } => time.range_text(),
        _ => None,
    }
}

/// `1:05.250`: a clock with milliseconds, for cue times.
fn format_ms(duration: Duration) -> String {
    format!("{}.{:03}", clock(duration), duration.subsec_millis())
}
