//! Weeks, streaks, the weekly goal, per-routine totals and the check-in series: pure
//! functions of plain [`SessionEntry`] values, with "today" passed in.
//!
//! The definitions, as the history screen states them:
//!
//! - A session belongs to the calendar day on the athlete's own clock when it started (its
//!   start plus the UTC offset stored with it): a warm-up at 23:30 on Sunday in Auckland is
//!   a Sunday, wherever the log is read later.
//! - Weeks are ISO weeks, Monday to Sunday.
//! - A session counts toward the goal when it was completed, or stopped after at least half
//!   of its planned time.
//! - The weekly goal is a number of days ("warm up before every run: 3 days a week"), so a
//!   warm-up and a cool-down on the same day count once.
//! - The streak is the number of consecutive weeks that met the goal, up to last week, plus
//!   this week once it meets the goal: an unfinished week never breaks a streak.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};

use super::SessionEntry;

/// An ISO week: year and week number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    /// The ISO week-numbering year (may differ from the calendar year around New Year).
    pub year: i16,
    /// 1 to 53.
    pub week: i8,
}

impl IsoWeek {
    /// The week `date` falls in.
    #[must_use]
    pub fn of(date: Date) -> Self {
        let iso = date.iso_week_date();
        Self {
            year: iso.year(),
            week: iso.week(),
        }
    }

    /// Its Monday.
    #[must_use]
    pub fn monday(self) -> Date {
        ISOWeekDate::new(self.year, self.week, Weekday::Monday).map_or(Date::MIN, ISOWeekDate::date)
    }

    /// The week before.
    #[must_use]
    pub fn previous(self) -> Self {
        Self::of(self.monday().checked_sub(7.days()).unwrap_or(Date::MIN))
    }
}

/// One week of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Week {
    /// Which week.
    pub week: IsoWeek,
    /// Indexes of its sessions in the input, newest first.
    pub sessions: Vec<usize>,
    /// Days with a session that counts toward the goal.
    pub days: u32,
}

/// Where the athlete stands against the weekly goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The goal: days a week.
    pub goal: u32,
    /// Days so far this week with a session that counts.
    pub this_week: u32,
    /// Consecutive weeks meeting the goal (see the module's definition).
    pub streak_weeks: u32,
}

/// Count, time and average check-ins of one routine.
#[derive(Clone, Debug, PartialEq)]
pub struct RoutineTotal {
    /// The routine's id.
    pub routine_id: String,
    /// Its title in the latest session.
    pub title: String,
    /// Sessions, finished or not.
    pub sessions: usize,
    /// Of which completed.
    pub completed: usize,
    /// Time spent, pauses excluded.
    pub active: Duration,
    /// Average check-in before, when any was given.
    pub average_before: Option<f32>,
    /// Average check-in after, when any was given.
    pub average_after: Option<f32>,
}

/// One session's check-ins for the chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckInPoint {
    /// When: days since 1970-01-01 on the athlete's own clock (fractional: the time of day).
    pub day: f64,
    /// Before the routine.
    pub before: Option<u8>,
    /// After it.
    pub after: Option<u8>,
}

/// The calendar day of `session` on the athlete's own clock.
#[must_use]
pub fn local_date(session: &SessionEntry) -> Date {
    session.local_start().date()
}

/// Today in `zone`.
#[must_use]
pub fn today(now: Timestamp, zone: &TimeZone) -> Date {
    now.to_zoned(zone.clone()).date()
}

/// Whether `session` counts toward the weekly goal: completed, or stopped after at least
/// half of its planned time.
#[must_use]
pub fn counts_toward_goal(session: &SessionEntry) -> bool {
    session.finished || session.active.saturating_mul(2) >= session.planned
}

/// The sessions by ISO week, newest week first, each week's sessions newest first.
#[must_use]
pub fn weeks(sessions: &[SessionEntry]) -> Vec<Week> {
    let mut by_week: BTreeMap<IsoWeek, Vec<usize>> = BTreeMap::new();
    for (i, session) in sessions.iter().enumerate() {
        by_week
            .entry(IsoWeek::of(local_date(session)))
            .or_default()
            .push(i);
    }
    by_week
        .into_iter()
        .rev()
        .map(|(week, mut indexes)| {
            indexes.sort_by_key(|&i| std::cmp::Reverse((sessions[i].started, i)));
            let days = counted_days(indexes.iter().map(|&i| &sessions[i]));
            Week {
                week,
                sessions: indexes,
                days,
            }
        })
        .collect()
}

fn counted_days<'a>(sessions: impl Iterator<Item = &'a SessionEntry>) -> u32 {
    let days: BTreeSet<Date> = sessions
        .filter(|s| counts_toward_goal(s))
        .map(local_date)
        .collect();
    u32::try_from(days.len()).unwrap_or(u32::MAX)
}

/// This week's count and the streak, for a goal of `goal` days a week, on `today`.
#[must_use]
pub fn progress(sessions: &[SessionEntry], goal: u32, today: Date) -> Progress {
    let goal = goal.max(1);
    let mut days: BTreeMap<IsoWeek, BTreeSet<Date>> = BTreeMap::new();
    for session in sessions.iter().filter(|s| counts_toward_goal(s)) {
        let date = local_date(session);
        days.entry(IsoWeek::of(date)).or_default().insert(date);
    }
    let count = |week: IsoWeek| {
        days.get(&week)
            .map_or(0, |d| u32::try_from(d.len()).unwrap_or(u32::MAX))
    };
    let this = IsoWeek::of(today);
    let this_week = count(this);
    let mut streak_weeks = u32::from(this_week >= goal);
    let mut week = this.previous();
    let oldest = days.keys().next().copied().unwrap_or(this);
    while week >= oldest && count(week) >= goal {
        streak_weeks += 1;
        week = week.previous();
    }
    Progress {
        goal,
        this_week,
        streak_weeks,
    }
}

/// The complete weeks, before this one, that [`aim_progress`] looks back over.
pub const AIM_WEEKS: u32 = 4;

/// A routine's sessions against how often it is meant to be done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AimProgress {
    /// Sessions this week that count (see [`counts_toward_goal`]).
    pub this_week: usize,
    /// Of the [`AIM_WEEKS`] weeks before this one, those with enough sessions.
    pub weeks_met: u32,
}

/// How the sessions of `routine_id` stand against `aim` on `today`: this week's count,
/// and how many of the [`AIM_WEEKS`] complete weeks before it met the aim. A session counts
/// as it does for the weekly goal; two on one day count twice (a routine meant "daily" or
/// "3 times a week" is about sessions, not days).
#[must_use]
pub fn aim_progress(
    sessions: &[SessionEntry],
    routine_id: &str,
    aim: &crate::routine::Frequency,
    today: Date,
) -> AimProgress {
    let mut by_week: BTreeMap<IsoWeek, usize> = BTreeMap::new();
    for session in sessions
        .iter()
        .filter(|s| s.routine_id == routine_id && counts_toward_goal(s))
    {
        *by_week.entry(IsoWeek::of(local_date(session))).or_default() += 1;
    }
    let count = |week: &IsoWeek| by_week.get(week).copied().unwrap_or(0);
    let this = IsoWeek::of(today);
    let mut week = this;
    let mut weeks_met = 0;
    for _ in 0..AIM_WEEKS {
        week = week.previous();
        weeks_met += u32::from(aim.is_met_by(count(&week)));
    }
    AimProgress {
        this_week: count(&this),
        weeks_met,
    }
}

/// Totals per routine, the most played first (ties by id).
#[must_use]
pub fn routine_totals(sessions: &[SessionEntry]) -> Vec<RoutineTotal> {
    let mut by_id: BTreeMap<&str, Vec<&SessionEntry>> = BTreeMap::new();
    for session in sessions {
        by_id.entry(&session.routine_id).or_default().push(session);
    }
    let average = |values: Vec<u8>| {
        (!values.is_empty())
            .then(|| values.iter().map(|&v| f32::from(v)).sum::<f32>() / values.len() as f32)
    };
    let mut totals: Vec<RoutineTotal> = by_id
        .into_iter()
        .map(|(id, list)| RoutineTotal {
            routine_id: id.to_owned(),
            title: list
                .iter()
                .max_by_key(|s| s.started)
                .map(|s| s.title.clone())
                .unwrap_or_default(),
            sessions: list.len(),
            completed: list.iter().filter(|s| s.finished).count(),
            active: list.iter().map(|s| s.active).sum(),
            average_before: average(list.iter().filter_map(|s| s.check_in_before).collect()),
            average_after: average(list.iter().filter_map(|s| s.check_in_after).collect()),
        })
        .collect();
    totals.sort_by(|a, b| {
        b.sessions
            .cmp(&a.sessions)
            .then_with(|| a.routine_id.cmp(&b.routine_id))
    });
    totals
}

/// The check-ins of every session that has one, oldest first.
#[must_use]
pub fn check_ins(sessions: &[SessionEntry]) -> Vec<CheckInPoint> {
    let mut points: Vec<CheckInPoint> = sessions
        .iter()
        .filter(|s| s.check_in_before.is_some() || s.check_in_after.is_some())
        .map(|s| {
            let local_secs = s.started.as_second() + i64::from(s.offset.seconds());
            CheckInPoint {
                day: local_secs as f64 / 86_400.0,
                before: s.check_in_before,
                after: s.check_in_after,
            }
        })
        .collect();
    points.sort_by(|a, b| a.day.total_cmp(&b.day));
    points
}

/// The chart position of the start of `date` (its midnight on the athlete's own clock): the
/// inverse of [`chart_date`].
#[must_use]
pub fn chart_day(date: Date) -> f64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    f64::from(date.since(epoch).map_or(0, |span| span.get_days()))
}

/// The date of a chart position ([`CheckInPoint::day`]).
#[must_use]
pub fn chart_date(day: f64) -> Option<Date> {
    let secs = (day * 86_400.0).floor();
    if !secs.is_finite() || secs.abs() > 1e12 {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "finite and within ±1e12 s, checked above"
    )]
    let secs = secs as i64;
    Timestamp::from_second(secs)
        .ok()
        .map(|t| t.to_zoned(TimeZone::UTC).date())
}
