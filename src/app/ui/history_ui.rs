//! The history screen: the streak against the weekly goal, the back check-ins before and
//! after over time, totals per routine, and every session by ISO week.

use eframe::egui::{self, RichText};
use egui_plot::{Corner, Legend, Line, MarkerShape, Plot, PlotPoints, Points};
use jiff::civil::Date;

use crate::app::keymap::{self, Action, Scope};
use crate::app::theme::{self, Size};
use crate::app::{Command, Screen};
use crate::history::SessionEntry;
use crate::history::stats::{self, AimProgress, CheckInPoint, Progress, RoutineTotal, Week};
use crate::routine::Frequency;
use crate::text::{clock, plural};

/// The AccessKit label of the chart, so tests and screen readers find it.
pub const CHART_LABEL: &str = "Back tightness chart";

/// What the screen shows, computed when the log changes, not every frame.
pub(in crate::app) struct HistoryView {
    sessions: Vec<SessionEntry>,
    weeks: Vec<Week>,
    progress: Progress,
    totals: Vec<RoutineTotal>,
    /// By total: the routine's aim ("2-3 x a week") and where it stands against it.
    aims: Vec<Option<(Frequency, AimProgress)>>,
    points: Vec<CheckInPoint>,
    /// The day it was computed on: the chart ends with it.
    today: Date,
}

/// A routine in the library that says how often it is meant to be done.
pub(in crate::app) struct Aim {
    pub routine_id: String,
    pub title: String,
    pub frequency: Frequency,
}

impl HistoryView {
    /// The view of `sessions` for a goal of `goal` days a week on `today`, each routine
    /// with an aim in `aims` counted against it (listed even before its first session).
    pub(in crate::app) fn new(
        sessions: Vec<SessionEntry>,
        goal: u32,
        today: Date,
        aims: &[Aim],
    ) -> Self {
        let mut totals = stats::routine_totals(&sessions);
        for aim in aims {
            if !totals.iter().any(|t| t.routine_id == aim.routine_id) {
                totals.push(RoutineTotal {
                    routine_id: aim.routine_id.clone(),
                    title: aim.title.clone(),
                    sessions: 0,
                    completed: 0,
                    active: std::time::Duration::ZERO,
                    average_before: None,
                    average_after: None,
                });
            }
        }
        let aims = totals
            .iter()
            .map(|total| {
                let aim = aims.iter().find(|a| a.routine_id == total.routine_id)?;
                let progress =
                    stats::aim_progress(&sessions, &aim.routine_id, &aim.frequency, today);
                Some((aim.frequency.clone(), progress))
            })
            .collect();
        Self {
            weeks: stats::weeks(&sessions),
            progress: stats::progress(&sessions, goal, today),
            totals,
            aims,
            points: stats::check_ins(&sessions),
            sessions,
            today,
        }
    }

    /// The goal it was computed for.
    pub(in crate::app) fn goal(&self) -> u32 {
        self.progress.goal
    }
}

/// Why there is nothing to show, or a message about the log (import, damaged file).
pub(super) struct LogState<'a> {
    /// The log cannot be used, and why.
    pub disabled: Option<&'a str>,
    /// What happened when it was opened.
    pub notices: &'a [String],
}

pub(super) fn history_ui(
    ui: &mut egui::Ui,
    view: Option<&HistoryView>,
    state: &LogState<'_>,
    anew: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Training log");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Back to routines")
                .on_hover_text(keymap::keys_of(Scope::Elsewhere, Action::BackToRoutines))
                .clicked()
            {
                commands.push(Command::Show(Screen::Library));
            }
        });
    });
    if let Some(reason) = state.disabled {
        ui.label(RichText::new(reason).color(theme::WARNING));
    }
    for notice in state.notices {
        ui.label(RichText::new(notice).color(theme::WARNING));
    }
    ui.add_space(8.0);
    let Some(view) = view.filter(|v| !v.sessions.is_empty()) else {
        empty_ui(ui, state.disabled.is_some());
        return;
    };
    super::page_scroll_area("history", anew)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            summary_ui(ui, view);
            ui.add_space(16.0);
            chart_ui(ui, &view.points, view.today);
            ui.add_space(16.0);
            ui.columns(2, |columns| {
                weeks_ui(&mut columns[0], view);
                totals_ui(&mut columns[1], &view.totals, &view.aims);
            });
        });
}

fn empty_ui(ui: &mut egui::Ui, disabled: bool) {
    if disabled {
        return;
    }
    ui.add_space(24.0);
    ui.label(RichText::new("No sessions yet").font(Size::Question.font(ui.style())));
    ui.label(
        "Every routine you play is kept here, finished or stopped early: your weekly streak, \
         time per routine, and a chart of how your lower back feels before and after, so you \
         can see whether the tightness is going down over a few weeks.",
    );
    ui.label(
        RichText::new(
            "Answer \"How does your back feel now?\" with a number key on a routine's page before \
             you start, and again on the finish screen.",
        )
        .weak(),
    );
}

fn card_ui(ui: &mut egui::Ui, value: &str, caption: &str, color: egui::Color32) {
    egui::Frame::group(ui.style())
        .corner_radius(theme::RADIUS)
        .inner_margin(16.0)
        .show(ui, |ui| {
            ui.set_min_width(220.0);
            ui.vertical(|ui| {
                ui.label(
                    RichText::new(value)
                        .font(Size::Figure.font(ui.style()))
                        .strong()
                        .color(color),
                );
                ui.label(RichText::new(caption).weak());
            });
        });
}

fn summary_ui(ui: &mut egui::Ui, view: &HistoryView) {
    let p = view.progress;
    ui.horizontal(|ui| {
        card_ui(
            ui,
            &plural(p.streak_weeks, "week"),
            "streak: weeks in a row meeting your goal",
            theme::WORK,
        );
        let color = if p.this_week >= p.goal {
            theme::WORK
        } else {
            theme::ACCENT
        };
        card_ui(
            ui,
            &format!("{} of {}", p.this_week.min(99), plural(p.goal, "day")),
            "this week",
            color,
        );
        let total: std::time::Duration = view.sessions.iter().map(|s| s.active).sum();
        let sessions = view.sessions.len();
        card_ui(
            ui,
            &plural(sessions, "session"),
            &format!("{} in all", clock(total)),
            theme::REST,
        );
    });
    ui.label(
        RichText::new(format!(
            "Goal: a routine on {} a week (change it in Settings). A session counts when \
             completed, or stopped after at least half its time.",
            plural(p.goal, "day")
        ))
        .weak(),
    );
}

/// The fewest days the chart spans, so a first week's few sessions still read as days.
const CHART_MIN_DAYS: f64 = 7.0;

fn chart_ui(ui: &mut egui::Ui, points: &[CheckInPoint], today: Date) {
    ui.label(
        RichText::new("How your lower back felt: 0 loose and easy, 10 very tight")
            .font(Size::Subheading.font(ui.style()))
            .strong(),
    );
    if points.is_empty() {
        ui.label(
            RichText::new(
                "No check-ins yet: press a number key before you start a routine and on the \
                 finish screen, and the chart fills in.",
            )
            .weak(),
        );
        return;
    }
    let series = |pick: fn(&CheckInPoint) -> Option<u8>| -> Vec<[f64; 2]> {
        points
            .iter()
            .filter_map(|p| pick(p).map(|v| [p.day, f64::from(v)]))
            .collect()
    };
    let before = series(|p| p.before);
    let after = series(|p| p.after);
    // The axis ends with today (its midnight at the end of it): no day to come is shown or
    // labelled. It starts half a day before the first check-in, whole days, a week at least.
    let end = stats::chart_day(today) + 1.0;
    let first = points.first().map_or(end, |p| p.day);
    let start = (first - 0.5).floor().min(end - CHART_MIN_DAYS);
    let response = Plot::new("check-in-chart")
        // By its label, not by where it is drawn: the tests read its bounds.
        .id(egui::Id::unique(CHART_LABEL))
        .height(280.0)
        .legend(
            Legend::default()
                .position(Corner::RightTop)
                .text_style(egui::TextStyle::Body),
        )
        // A little room around 0 and 10, so both labels and points show whole.
        .default_y_bounds(-0.4, 10.4)
        .include_y(-0.4)
        .include_y(10.4)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .y_axis_label("tightness")
        .x_axis_formatter(move |mark, _| {
            // Days at their midnight, up to today's.
            let day = mark.value;
            if day >= end || (day - day.round()).abs() > 1e-6 {
                return String::new();
            }
            stats::chart_date(day)
                .map(|d| d.strftime("%-d %b").to_string())
                .unwrap_or_default()
        })
        .y_axis_formatter(|mark, _| {
            let v = mark.value;
            if (0.0..=10.0).contains(&v) && (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .label_formatter(|hover| {
            // Only a point of the data says something; the empty plot says nothing.
            let egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } = hover
            else {
                return None;
            };
            let date = stats::chart_date(position.x)
                .map(|d| d.strftime("%a %-d %b").to_string())
                .unwrap_or_default();
            Some(format!("{plot_name} {date}: {:.0}", position.y))
        })
        .show(ui, |plot| {
            plot.set_plot_bounds_x(start..=end);
            plot.line(
                Line::new("Before", PlotPoints::from(before.clone()))
                    .color(theme::SWITCH)
                    .width(2.5),
            );
            plot.points(
                Points::new("Before", PlotPoints::from(before))
                    .color(theme::SWITCH)
                    .radius(5.0)
                    .shape(MarkerShape::Circle)
                    .filled(true),
            );
            plot.line(
                Line::new("After", PlotPoints::from(after.clone()))
                    .color(theme::WORK)
                    .width(2.5),
            );
            plot.points(
                Points::new("After", PlotPoints::from(after))
                    .color(theme::WORK)
                    .radius(5.0)
                    .shape(MarkerShape::Diamond)
                    .filled(true),
            );
        })
        .response;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, CHART_LABEL));
}

fn weeks_ui(ui: &mut egui::Ui, view: &HistoryView) {
    ui.label(
        RichText::new("By week")
            .font(Size::Subheading.font(ui.style()))
            .strong(),
    );
    for week in &view.weeks {
        let monday = week.week.monday();
        let sunday = monday.saturating_add(jiff::Span::new().days(6));
        let met = if week.days >= view.progress.goal {
            " · goal met"
        } else {
            ""
        };
        let title = format!(
            "Week {} · {} – {} · {} of {}{met}",
            week.week.week,
            monday.strftime("%-d %b"),
            sunday.strftime("%-d %b %Y"),
            week.days,
            plural(view.progress.goal, "day")
        );
        egui::CollapsingHeader::new(RichText::new(title).strong())
            .id_salt(("week", week.week.year, week.week.week))
            .default_open(true)
            .show(ui, |ui| {
                ui.spacing_mut().item_spacing.y = 4.0;
                let sessions = week.sessions.iter().map(|&i| &view.sessions[i]);
                let columns = Columns::measure(ui, sessions);
                for &i in &week.sessions {
                    session_row_ui(ui, &view.sessions[i], columns);
                }
            });
    }
}

/// The space between the week lists' columns, in points.
const COLUMN_GAP: f32 = 16.0;

/// The widths of a week's first columns (date, title, time), measured from its sessions'
/// texts, so its list lines up as a grid would and a session's note can run under its row
/// from the title's column to the edge.
#[derive(Clone, Copy)]
struct Columns {
    date: f32,
    title: f32,
    time: f32,
}

impl Columns {
    fn measure<'a>(ui: &egui::Ui, sessions: impl Iterator<Item = &'a SessionEntry>) -> Self {
        let font = egui::TextStyle::Body.resolve(ui.style());
        let width = |text: String| {
            ui.fonts_mut(|fonts| {
                fonts
                    .layout_no_wrap(text, font.clone(), egui::Color32::PLACEHOLDER)
                    .size()
                    .x
            })
        };
        let spacing = ui.spacing().item_spacing.x;
        let mut columns = Self {
            date: 0.0,
            title: 0.0,
            time: 0.0,
        };
        for s in sessions {
            let version = s.version_label().map_or(0.0, |v| spacing + width(v));
            columns.date = columns.date.max(width(date_text(s)));
            columns.title = columns.title.max(width(s.title.clone()) + version);
            columns.time = columns.time.max(width(time_text(s)));
        }
        columns
    }
}

/// When a session started, on the athlete's own clock.
fn date_text(s: &SessionEntry) -> String {
    s.local_start().strftime("%a %-d %b %H:%M").to_string()
}

/// The time a session took, and whether it was stopped.
fn time_text(s: &SessionEntry) -> String {
    let time = clock(s.active);
    if s.finished {
        time
    } else {
        format!("{time} stopped")
    }
}

/// A cell `width` wide, its content at the left.
fn cell_ui(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    let size = egui::vec2(width, ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(
        size,
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            add(ui);
        },
    );
}

/// A session: when, what (with the level and variant played), how long, the check-ins,
/// and its note under them.
fn session_row_ui(ui: &mut egui::Ui, s: &SessionEntry, columns: Columns) {
    // The default fonts have no arrow: words say it as well.
    let back = match (s.check_in_before, s.check_in_after) {
        (None, None) => String::new(),
        (Some(before), None) => format!("back before {before}"),
        (None, Some(after)) => format!("back after {after}"),
        (Some(before), Some(after)) => format!("back {before}, after {after}"),
    };
    // Between the title and its version, as measured.
    let gap = ui.spacing().item_spacing.x;
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = COLUMN_GAP;
        cell_ui(ui, columns.date, |ui| {
            ui.label(date_text(s));
        });
        cell_ui(ui, columns.title, |ui| {
            ui.spacing_mut().item_spacing.x = gap;
            ui.label(&s.title);
            // The level and variant played ("Level 2 · Match day") beside the title.
            if let Some(version) = s.version_label() {
                ui.label(RichText::new(version).weak());
            }
        });
        cell_ui(ui, columns.time, |ui| {
            if s.finished {
                ui.label(time_text(s));
            } else {
                ui.label(RichText::new(time_text(s)).color(theme::WARNING));
            }
        });
        if !back.is_empty() {
            ui.label(back);
        }
    });
    // The note under the row, from the title's column to the edge.
    if let Some(note) = s.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        ui.horizontal(|ui| {
            ui.add_space(columns.date + COLUMN_GAP);
            note_ui(ui, note);
        });
    }
}

/// The most rows of a session's note the history shows; the rest is cut with "…" (and the
/// whole note shows on hover).
const NOTE_ROWS: usize = 3;

/// A session's note, wrapped to the space left and cut at [`NOTE_ROWS`]. Its accessible
/// name is the whole note.
fn note_ui(ui: &mut egui::Ui, note: &str) {
    let format = egui::TextFormat {
        font_id: egui::TextStyle::Body.resolve(ui.style()),
        color: ui.visuals().weak_text_color(),
        italics: true,
        ..egui::TextFormat::default()
    };
    let mut job = egui::text::LayoutJob::single_section(note.to_owned(), format);
    job.wrap.max_rows = NOTE_ROWS;
    job.wrap.overflow_character = Some('…');
    ui.add(egui::Label::new(job).wrap()).on_hover_text(note);
}

fn totals_ui(
    ui: &mut egui::Ui,
    totals: &[RoutineTotal],
    aims: &[Option<(Frequency, AimProgress)>],
) {
    ui.label(
        RichText::new("By routine")
            .font(Size::Subheading.font(ui.style()))
            .strong(),
    );
    egui::Grid::new("routine-totals")
        .num_columns(5)
        .spacing([16.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            for header in ["routine", "sessions", "time", "back after", "aim"] {
                ui.label(RichText::new(header).weak());
            }
            ui.end_row();
            for (t, aim) in totals.iter().zip(aims) {
                ui.label(&t.title);
                ui.label(if t.completed == t.sessions {
                    t.sessions.to_string()
                } else {
                    format!("{} ({} stopped)", t.sessions, t.sessions - t.completed)
                });
                ui.label(clock(t.active));
                ui.label(
                    t.average_after
                        .map_or_else(|| "–".to_owned(), |a| format!("{a:.1} avg")),
                );
                match aim {
                    // The last column: it wraps at the column's edge, clear of the scroll bar.
                    Some((frequency, progress)) => {
                        let aim = format!(
                            "{frequency}: {} this week, met {} of the last {} weeks",
                            progress.this_week,
                            progress.weeks_met,
                            stats::AIM_WEEKS
                        );
                        ui.add(egui::Label::new(aim).wrap());
                    }
                    None => {
                        ui.label("–");
                    }
                }
                ui.end_row();
            }
        });
}
