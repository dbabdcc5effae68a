//! Clocks: the only way time enters the engine.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// A monotonic clock: time since an arbitrary origin, and the wall clock beside it.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Duration;

    /// The wall-clock time, for the log and for noticing a sleep (the monotonic clock
    /// stands still while the machine sleeps; this one does not).
    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The real monotonic clock, counting from its creation.
#[derive(Clone, Copy, Debug)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock reading zero now.
    #[must_use]
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// A clock running `speed` times faster than its base, from the base's zero (the hidden
/// `limberup play --clock-speed`, so a benchmark can play a whole routine in minutes). Its
/// wall clock is the base's: the log and sleep detection stay on real time.
#[derive(Clone, Debug)]
pub struct ScaledClock<C> {
    base: C,
    speed: f64,
}

impl<C: Clock> ScaledClock<C> {
    /// The slowest and fastest speeds accepted.
    pub const SPEEDS: std::ops::RangeInclusive<f64> = 1.0..=100.0;

    /// A clock `speed` times faster than `base`; `speed` is clamped to [`Self::SPEEDS`]
    /// (a non-number is 1).
    #[must_use]
    pub fn new(base: C, speed: f64) -> Self {
        let speed = if speed.is_nan() {
            1.0
        } else {
            speed.clamp(*Self::SPEEDS.start(), *Self::SPEEDS.end())
        };
        Self { base, speed }
    }

    /// How many times faster than its base it runs.
    #[must_use]
    pub fn speed(&self) -> f64 {
        self.speed
    }
}

impl<C: Clock> Clock for ScaledClock<C> {
    fn now(&self) -> Duration {
        self.base.now().mul_f64(self.speed)
    }

    fn wall(&self) -> SystemTime {
        self.base.wall()
    }
}

/// A clock that moves only when told: for tests and offline rendering. Clones share time.
///
/// Its wall clock starts at [`ManualClock::WALL_START`] and moves with it, and further
/// by [`ManualClock::sleep`], as a machine's does while it sleeps.
#[derive(Clone, Debug, Default)]
pub struct ManualClock {
    micros: Arc<AtomicU64>,
    slept_micros: Arc<AtomicU64>,
    wall_start_secs: Arc<AtomicU64>,
}

impl ManualClock {
    /// Where the wall clock starts unless [`Self::set_wall_start`] says otherwise:
    /// Monday 3 March 2025, 07:00 UTC.
    pub const WALL_START: Duration = Duration::from_hours(483_607);

    /// A clock reading zero.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.micros.fetch_add(micros(by), Ordering::SeqCst);
    }

    /// Moves only the wall clock forward by `by`: the machine slept.
    pub fn sleep(&self, by: Duration) {
        self.slept_micros.fetch_add(micros(by), Ordering::SeqCst);
    }

    /// Starts the wall clock at `secs` after the Unix epoch instead.
    pub fn set_wall_start(&self, secs: u64) {
        self.wall_start_secs.store(secs, Ordering::SeqCst);
    }

    /// Sets the clock to `to` (never backwards: a monotonic clock does not go back).
    pub fn set(&self, to: Duration) {
        self.micros.fetch_max(micros(to), Ordering::SeqCst);
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        Duration::from_micros(self.micros.load(Ordering::SeqCst))
    }

    fn wall(&self) -> SystemTime {
        let start = match self.wall_start_secs.load(Ordering::SeqCst) {
            0 => Self::WALL_START,
            secs => Duration::from_secs(secs),
        };
        SystemTime::UNIX_EPOCH
            + start
            + self.now()
            + Duration::from_micros(self.slept_micros.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scaled_clock_runs_its_speed_times_faster_than_its_base() {
        let base = ManualClock::new();
        let fast = ScaledClock::new(base.clone(), 20.0);
        assert_eq!(fast.now(), Duration::ZERO, "both start at zero");
        base.advance(Duration::from_millis(1500));
        assert_eq!(fast.now(), Duration::from_secs(30), "1.5 s at 20x");
        base.advance(Duration::from_micros(50));
        assert_eq!(
            fast.now(),
            Duration::from_millis(30_001),
            "fractions scale too"
        );
    }

    #[test]
    fn a_scaled_clock_keeps_its_base_wall_clock() {
        let base = ManualClock::new();
        let fast = ScaledClock::new(base.clone(), 10.0);
        base.advance(Duration::from_secs(2));
        assert_eq!(fast.wall(), base.wall(), "the wall clock is not sped up");
    }

    #[test]
    fn a_scaled_clock_clamps_its_speed() {
        let base = ManualClock::new();
        assert!(
            (ScaledClock::new(base.clone(), 0.5).speed() - 1.0).abs() < f64::EPSILON,
            "never slower than real time"
        );
        assert!(
            (ScaledClock::new(base.clone(), 1e6).speed() - 100.0).abs() < f64::EPSILON,
            "at most 100x"
        );
        assert!(
            (ScaledClock::new(base, f64::NAN).speed() - 1.0).abs() < f64::EPSILON,
            "a non-number is real time"
        );
    }
}
