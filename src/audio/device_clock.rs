//! The sound device's own clock: how many frames it has taken, and where on the system
//! clock each frame plays, so a track added at any moment starts on the right frame.
//!
//! The device takes samples in bursts (one per callback), a buffer ahead of playback, at
//! moments that wander by up to a period. Frame `n` plays at a fixed time plus `n / rate`;
//! a burst starting at frame `n` is taken that long minus what is still queued. Averaged
//! over many bursts, `burst time - n / rate` settles on a constant, which places every
//! frame on the system clock up to the device's own latency, without the wander.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Pulls are timed once per this many frames.
const TIMED_EVERY: u64 = 8;

/// Two timed pulls further apart than this belong to different bursts (within a burst,
/// frames are taken microseconds apart; bursts come a period apart).
const BURST_GAP_NS: i64 = 1_000_000;

/// The average follows each new burst by this fraction (about a second of bursts), so it
/// follows drift and shrugs off one late callback.
const AVERAGE_OVER: i64 = 64;

/// The first bursts fill the device's whole buffer at once: they say nothing of the
/// steady pace and are left out.
const WARMUP_NS: i64 = 300_000_000;

/// Bursts averaged before the clock answers (until then tracks time their first pull).
const SETTLED_AFTER: i64 = 16;

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

    /// When frame `n` plays, on the system clock, up to the device's constant latency
    /// (`None` until a pull has been timed).
    #[must_use]
    pub fn frame_time(&self, n: u64) -> Option<Instant> {
        let offset = self.offset_ns.load(Ordering::Relaxed);
        if offset == i64::MIN {
            return None;
        }
        let at = offset.saturating_add(self.frame_ns(n));
        match u64::try_from(at) {
            Ok(after) => self.origin.checked_add(Duration::from_nanos(after)),
            Err(_) => self
                .origin
                .checked_sub(Duration::from_nanos(at.unsigned_abs())),
        }
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
    bursts: i64,
    average: i64,
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
            average: 0,
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
        // A plain mean at first, then a moving average.
        self.bursts += 1;
        self.average += (offset - self.average) / self.bursts.min(AVERAGE_OVER);
        if self.bursts >= SETTLED_AFTER {
            self.clock.offset_ns.store(self.average, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_of_pulls_map_frames_to_their_steady_times() {
        // 1 kHz device, 10 frames a burst, bursts 0 to 8 ms early around a steady 5 ms.
        let clock = DeviceClock::new(1_000);
        let mut timer = PullTimer::new(Arc::clone(&clock));
        assert_eq!(clock.frame_time(0), None, "unknown before any pull");
        let early = [5, 1, 9, 5, 3, 7, 5];
        for round in 0..400u64 {
            let ahead_ms = early[usize::try_from(round).unwrap() % early.len()];
            let start = round * 10;
            let pulled_at =
                i64::try_from(start).unwrap() * 1_000_000 + 20_000_000 - ahead_ms * 1_000_000;
            for n in (start..start + 10).step_by(2) {
                timer.timed(n, pulled_at + i64::try_from(n - start).unwrap() * 1_000);
            }
        }
        // Frame n maps to origin + 15 ms + n ms, give or take the average's noise.
        let at = clock
            .frame_time(1_000)
            .unwrap()
            .duration_since(clock.origin);
        let error = at.as_secs_f64() - 1.015;
        assert!(error.abs() < 0.000_5, "steady whatever the burst: {at:?}");
    }
}
