//! Desk-break reminders: when to offer the desk-break routine, as a pure decision over two
//! clocks.
//!
//! Time at the desk is measured on the monotonic clock, which on Linux (`CLOCK_MONOTONIC`)
//! and macOS stands still while the machine sleeps. The wall clock keeps going. So when,
//! between two looks, the wall clock moved much further than the monotonic one, the laptop
//! was closed: the athlete was away from the desk, and the interval starts again. A wall
//! clock set backwards (a time-zone or NTP correction) only ever shows as less wall time,
//! which changes nothing.

use std::time::{Duration, SystemTime};

/// The bundled routine the reminder offers.
pub const DESK_BREAK_ROUTINE: &str = "desk-break";

/// The default interval, in minutes.
pub const DEFAULT_INTERVAL_MINS: u32 = 60;

/// Wall time running ahead of monotonic time by more than this between two looks means the
/// machine slept. NTP slews by well under a second a minute; a real sleep is minutes.
pub const SLEEP_JUMP: Duration = Duration::from_mins(1);

/// The longest the app sleeps between looks, so that a wake from sleep (which only shows at
/// the next look) restarts the interval within this long of the athlete's return.
pub const LOOK_EVERY: Duration = Duration::from_mins(5);

/// What to do now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Nothing yet; look again after this long (for `request_repaint_after`).
    Wait(Duration),
    /// Offer the desk break now (the interval has started again).
    Remind,
}

/// Counts desk time toward the next reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderTimer {
    interval: Duration,
    /// Monotonic time the current interval started.
    since: Duration,
    /// The previous look, on both clocks.
    last_mono: Duration,
    last_wall: SystemTime,
}

impl ReminderTimer {
    /// A timer whose first interval starts at `mono`/`wall`.
    #[must_use]
    pub fn new(interval: Duration, mono: Duration, wall: SystemTime) -> Self {
        Self {
            interval: interval.max(Duration::from_mins(1)),
            since: mono,
            last_mono: mono,
            last_wall: wall,
        }
    }

    /// The interval.
    #[must_use]
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Starts the interval again (a routine was just played, the reminder was answered).
    pub fn restart(&mut self, mono: Duration, wall: SystemTime) {
        self.since = mono;
        self.last_mono = mono;
        self.last_wall = wall;
    }

    /// Looks at both clocks and decides.
    pub fn poll(&mut self, mono: Duration, wall: SystemTime) -> Decision {
        let mono_step = mono.saturating_sub(self.last_mono);
        let wall_step = wall
            .duration_since(self.last_wall)
            .unwrap_or(Duration::ZERO);
        if wall_step > mono_step + SLEEP_JUMP {
            // The lid was closed: that was no time at the desk.
            self.restart(mono, wall);
            return Decision::Wait(self.interval.min(LOOK_EVERY));
        }
        self.last_mono = mono;
        self.last_wall = wall;
        let at_desk = mono.saturating_sub(self.since);
        if at_desk >= self.interval {
            self.restart(mono, wall);
            Decision::Remind
        } else {
            Decision::Wait(self.interval.saturating_sub(at_desk).min(LOOK_EVERY))
        }
    }
}
