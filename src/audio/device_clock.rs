//! The sound device's own clock: how many frames it has taken, and where on the system
//! clock each frame plays, so a track added at any moment starts on the right frame.
//!
//! The device takes samples in bursts (one per callback), a buffer ahead of playback, at
//! moments that wander by up to a period. Frame `n` plays at a fixed time plus `n / rate`;
//! a burst starting at frame `n` is taken that long minus what is still queued. A callback
//! can come late (a busy machine) but never before the device has room, so the earliest
//! `burst time - n / rate` of the last two seconds is the steady one: it places every frame
//! on the system clock up to the device's own latency, without the wander, and late bursts
//! do not move it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Pulls are timed once per this many frames.
const TIMED_EVERY: u64 = 8;

/// Two timed pulls further apart than this belong to different bursts (within a burst,
/// frames are taken microseconds apart; bursts come a period apart).
const BURST_GAP_NS: i64 = 1_000_000;

/// The clock's offset is the earliest of the bursts this recent: long enough to hold many
/// on-time bursts when some come late, short enough that a device running slower than the
/// system clock (its offsets growing) is followed within a fraction of a millisecond.
const WINDOW_NS: i64 = 2_000_000_000;

/// The first bursts fill the device's whole buffer at once: they say nothing of the
/// steady pace and are left out.
const WARMUP_NS: i64 = 300_000_000;

/// Bursts seen before the clock answers (until then tracks time their first pull).
const SETTLED_AFTER: u32 = 16;

/// Shared between the audio thread (which pulls) and whoever places tracks.
#[derive(Debug)]
pub struct DeviceClock {
    origin: Instant,
    rate_hz: u32,
    frames: AtomicU64,
    last_pull_ns: AtomicI64,
    offset_ns: AtomicI64,
}

impl DeviceClock {
    /// A clock for a device running at `rate_hz`, nothing pulled yet.
    #[must_use]
    pub fn new(rate_hz: u32) -> Arc<Self> {
        Arc::new(Self {
            origin: Instant::now(),
            rate_hz: rate_hz.max(1),
            frames: AtomicU64::new(0),
            last_pull_ns: AtomicI64::new(0),
            offset_ns: AtomicI64::new(i64::MIN),
        })
    }

    /// The device's sample rate.
    #[must_use]
    pub fn rate_hz(&self) -> u32 {
        self.rate_hz
    }

    /// Frames taken so far.
    #[must_use]
    pub fn frames(&self) -> u64 {
        self.frames.load(Ordering::Relaxed)
    }

    /// How long since the device last took a frame (or since the clock was made).
    #[must_use]
    pub fn silent_for(&self) -> Duration {
        let last = u64::try_from(self.last_pull_ns.load(Ordering::Relaxed)).unwrap_or(0);
        self.origin
            .elapsed()
            .saturating_sub(Duration::from_nanos(last))
    }

    /// Whether it has seen enough of the device to place frames.
    #[must_use]
    pub fn is_settled(&self) -> bool {
        self.offset_ns.load(Ordering::Relaxed) != i64::MIN
    }

    /// The current mapping, as when frame 0 was taken in nanoseconds from the clock's origin
    /// (`None` until settled): two answers apart by more than a few milliseconds mean
    /// sounds placed with the first now play that much off (an underrun delayed every later
    /// frame; the clock follows once the bursts before it leave its window).
    #[must_use]
    pub fn offset_ns(&self) -> Option<i64> {
        let offset = self.offset_ns.load(Ordering::Relaxed);
        (offset != i64::MIN).then_some(offset)
    }

    /// When frame `n` plays, on the system clock, up to the device's constant latency
    /// (`None` until a pull has been timed).
    #[must_use]
    pub fn frame_time(&self, n: u64) -> Option<Instant> {
        let at = self.offset_ns()?.saturating_add(self.frame_ns(n));
        match u64::try_from(at) {
            Ok(after) => self.origin.checked_add(Duration::from_nanos(after)),
            Err(_) => self
                .origin
                .checked_sub(Duration::from_nanos(at.unsigned_abs())),
        }
    }

    /// Settles the clock as if frame 0 were taken `offset_ns` after its origin.
    #[cfg(test)]
    pub(crate) fn set_offset_ns(&self, offset_ns: i64) {
        self.offset_ns.store(offset_ns, Ordering::Relaxed);
    }

    fn frame_ns(&self, n: u64) -> i64 {
        i64::try_from(u128::from(n) * 1_000_000_000 / u128::from(self.rate_hz)).unwrap_or(i64::MAX)
    }

    fn now_ns(&self) -> i64 {
        i64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(i64::MAX)
    }
}

/// The audio thread's side: counts frames and times pulls (kept in the heartbeat source).
#[derive(Debug)]
pub struct PullTimer {
    clock: Arc<DeviceClock>,
    frames: u64,
    last_timed_ns: i64,
    first_ns: Option<i64>,
    bursts: u32,
    /// The bursts of the last [`WINDOW_NS`] that might yet be the earliest, as (time,
    /// offset), offsets rising: the front is the window's minimum.
    earliest: VecDeque<(i64, i64)>,
}

impl PullTimer {
    /// The timer feeding `clock`.
    #[must_use]
    pub fn new(clock: Arc<DeviceClock>) -> Self {
        Self {
            clock,
            frames: 0,
            last_timed_ns: i64::MIN,
            first_ns: None,
            bursts: 0,
            earliest: VecDeque::new(),
        }
    }

    /// The clock it feeds.
    #[must_use]
    pub fn clock(&self) -> &Arc<DeviceClock> {
        &self.clock
    }

    /// The device is taking the next frame now.
    pub fn pull(&mut self) {
        let n = self.frames;
        self.frames += 1;
        self.clock.frames.store(self.frames, Ordering::Relaxed);
        if n.is_multiple_of(TIMED_EVERY) {
            self.timed(n, self.clock.now_ns());
        }
    }

    /// Frame `n` was taken at `now_ns` (from the clock's origin).
    fn timed(&mut self, n: u64, now_ns: i64) {
        let burst = now_ns.saturating_sub(self.last_timed_ns) > BURST_GAP_NS;
        self.last_timed_ns = now_ns;
        self.clock.last_pull_ns.store(now_ns, Ordering::Relaxed);
        let first = *self.first_ns.get_or_insert(now_ns);
        if !burst || now_ns.saturating_sub(first) < WARMUP_NS {
            return;
        }
        let offset = now_ns.saturating_sub(self.clock.frame_ns(n));
        // The sliding window's minimum: a burst no earlier than a newer one never will be.
        while self.earliest.back().is_some_and(|&(_, o)| o >= offset) {
            self.earliest.pop_back();
        }
        self.earliest.push_back((now_ns, offset));
        while self
            .earliest
            .front()
            .is_some_and(|&(at, _)| at < now_ns.saturating_sub(WINDOW_NS))
        {
            self.earliest.pop_front();
        }
        self.bursts = self.bursts.saturating_add(1);
        if self.bursts >= SETTLED_AFTER
            && let Some(&(_, earliest)) = self.earliest.front()
        {
            self.clock.offset_ns.store(earliest, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `timer` bursts of 10 frames at 1 kHz from `first` on: frame `n` is needed at
    /// 20 ms + n ms (times `rate` for a device off the system clock), each burst `late(round)`
    /// ms after that.
    fn bursts(
        timer: &mut PullTimer,
        rounds: std::ops::Range<u64>,
        rate: f64,
        late: impl Fn(u64) -> i64,
    ) {
        for round in rounds {
            let start = round * 10;
            let needed = Duration::from_secs_f64((start as f64 + 20.0) / rate / 1e3);
            let needed = i64::try_from(needed.as_nanos()).unwrap();
            let pulled_at = needed + late(round) * 1_000_000;
            for n in (start..start + 10).step_by(2) {
                timer.timed(n, pulled_at + i64::try_from(n - start).unwrap() * 1_000);
            }
        }
    }

    /// Where frame `n` is placed, in ms from the clock's origin.
    fn placed_ms(clock: &DeviceClock, n: u64) -> f64 {
        clock
            .frame_time(n)
            .unwrap()
            .duration_since(clock.origin)
            .as_secs_f64()
            * 1e3
    }

    #[test]
    fn bursts_of_pulls_map_frames_to_their_steady_times() {
        // Callbacks on time or up to 8 ms late: frames map to when the device needed them.
        let clock = DeviceClock::new(1_000);
        let mut timer = PullTimer::new(Arc::clone(&clock));
        assert_eq!(clock.frame_time(0), None, "unknown before any pull");
        let late = [0, 4, 8, 0, 2, 6, 5];
        let jitter = |round: u64| late[usize::try_from(round).unwrap() % late.len()];
        bursts(&mut timer, 0..400, 1.0, jitter);
        let at = placed_ms(&clock, 5_000);
        assert!(
            (at - 5_020.0).abs() < 0.5,
            "steady whatever the burst: {at} ms"
        );
        // A busy second: every callback 3 to 12 ms late. The on-time bursts before it still
        // hold the clock, so tracks built meanwhile are placed as before.
        bursts(&mut timer, 400..500, 1.0, |round| {
            3 + i64::try_from(round % 4).unwrap() * 3
        });
        let busy = placed_ms(&clock, 5_000);
        assert!(
            (busy - 5_020.0).abs() < 0.5,
            "late callbacks do not move it: {busy} ms"
        );
        // Back to normal; the busy bursts have left the window.
        bursts(&mut timer, 500..800, 1.0, jitter);
        assert!((placed_ms(&clock, 5_000) - 5_020.0).abs() < 0.5, "still");
    }

    #[test]
    fn a_device_off_the_system_clock_is_followed() {
        // 100 ppm either way: the mapping follows within a fraction of a millisecond.
        for ppm in [100.0, -100.0] {
            let rate = 1.0 + ppm * 1e-6;
            let clock = DeviceClock::new(1_000);
            let mut timer = PullTimer::new(Arc::clone(&clock));
            bursts(&mut timer, 0..6_000, rate, |round| {
                i64::from(round % 3 == 1) * 4
            });
            let n = 59_990;
            let expected = (n as f64 + 20.0) / rate;
            let at = placed_ms(&clock, n);
            assert!(
                (at - expected).abs() < 0.5,
                "{ppm} ppm: frame {n} at {at} ms, needed at {expected} ms"
            );
        }
    }
}
