//! The sound device: opened on a thread of its own while a routine needs it, closed when
//! nothing will play, reopened (with growing pauses) if it goes away. Closed, the thread
//! sleeps until it is asked for the device again: no stream, no wakeups. Nothing here
//! blocks the UI, panics, or floods stderr.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rodio::mixer::Mixer;
use rodio::{DeviceSinkBuilder, MixerDeviceSink};

use super::bank::lock;
use super::device_clock::{DeviceClock, PullTimer};

/// How long [`Output::open`] waits for the device before returning anyway.
pub const OPEN_WAIT: Duration = Duration::from_secs(2);

/// The first pause before trying again after a failure; it doubles up to [`MAX_RETRY`].
pub const FIRST_RETRY: Duration = Duration::from_secs(2);

/// The longest pause between attempts to open the device.
pub const MAX_RETRY: Duration = Duration::from_mins(2);

/// The device's buffer, in frames: 32 ms at 48 kHz, 35 ms at 44.1 kHz. Measured through
/// `PulseAudio` at 48 kHz: 42-57 ms buffered from a sample to the speaker, against ~80 ms with
/// rodio's default (50 ms); 1,024 frames (~28 ms) glitched in 2 of 8 100-second recordings on
/// a 2-core machine, 1,536 in none of 6. A device that refuses it opens with its own.
pub const BUFFER_FRAMES: u32 = 1536;

/// How often the output thread checks that the device still takes samples.
pub const HEARTBEAT_CHECK: Duration = Duration::from_secs(1);

/// A device that has taken no samples for this long is gone (a sound server that died
/// reports nothing useful; it just stops asking).
pub const STALLED_AFTER: Duration = Duration::from_secs(3);

/// After logging a stream error, further ones are counted for this long, then summed up.
pub const ERROR_LOG_INTERVAL: Duration = Duration::from_secs(30);

/// Whether there is a device to play on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputStatus {
    /// Not needed, so not open (the last attempt, if any, worked).
    Closed,
    /// Asked for, and the attempt has not answered yet.
    Opening,
    /// Playing.
    Open,
    /// No device, and why.
    Failed(String),
}

/// The device as the UI thread sees it.
#[derive(Clone)]
pub struct OutputState {
    /// Where tracks are added, while a device is open.
    pub mixer: Option<Mixer>,
    /// The device's sample rate.
    pub rate_hz: u32,
    /// Changes each time a device is (re)opened: tracks must be added again.
    pub epoch: u64,
    /// The open device's clock, for placing tracks on its frames.
    pub clock: Option<Arc<DeviceClock>>,
    /// Whether it plays.
    pub status: OutputStatus,
}

impl std::fmt::Debug for OutputState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutputState")
            .field("open", &self.mixer.is_some())
            .field("rate_hz", &self.rate_hz)
            .field("epoch", &self.epoch)
            .field("clock", &self.clock)
            .field("status", &self.status)
            .finish()
    }
}

enum Command {
    /// Open the device, or keep it open (a close still pending is called off).
    Open,
    /// Close the device once this long has passed, unless it is asked for again first.
    Close(Duration),
    /// The stream reported that its device is gone.
    Lost,
    /// The engine is dropped.
    Quit,
}

/// The output thread's handle.
pub struct Output {
    state: Arc<Mutex<OutputState>>,
    commands: Option<Sender<Command>>,
    /// Whether the device was last asked to be open.
    wanted: bool,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("state", &*lock(&self.state))
            .finish_non_exhaustive()
    }
}

impl Output {
    /// Starts the output thread with the device closed: it opens when [`Self::want`] asks.
    /// Never fails: if the thread cannot start, the state says why.
    #[must_use]
    pub fn on_demand() -> Self {
        Self::with_opener(open_sink)
    }

    /// [`Self::on_demand`] with `open` opening the device (a fake one in tests).
    fn with_opener<D: Device>(
        open: impl FnMut(ErrorReporter) -> Result<D, String> + Send + 'static,
    ) -> Self {
        let state = Arc::new(Mutex::new(OutputState {
            mixer: None,
            rate_hz: 48_000,
            epoch: 0,
            clock: None,
            status: OutputStatus::Closed,
        }));
        let (tx, rx) = mpsc::channel();
        let thread_state = Arc::clone(&state);
        let thread_tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("limberup-audio-output".to_owned())
            .spawn(move || run(&thread_state, &rx, &thread_tx, open));
        let commands = match spawned {
            Ok(_) => Some(tx),
            Err(e) => {
                lock(&state).status =
                    OutputStatus::Failed(format!("cannot start the audio thread: {e}"));
                None
            }
        };
        Self {
            state,
            commands,
            wanted: false,
        }
    }

    /// Starts the output thread and opens the device, waiting up to [`OPEN_WAIT`] for it.
    /// Never fails: without a device the state says why, and the thread keeps trying now
    /// and then while the device is wanted.
    #[must_use]
    pub fn open() -> Self {
        let mut output = Self::on_demand();
        output.want(true, Duration::ZERO);
        let asked = Instant::now();
        while lock(&output.state).status == OutputStatus::Opening && asked.elapsed() < OPEN_WAIT {
            std::thread::sleep(Duration::from_millis(2));
        }
        if lock(&output.state).status == OutputStatus::Opening {
            log::warn!(
                "the sound device has not answered in {} s; going on without it for now",
                OPEN_WAIT.as_secs()
            );
        }
        output
    }

    /// Asks for the device open (opening it now if it is closed), or closed once `linger`
    /// has passed (the sound still playing ends first). Only a change is sent to the thread,
    /// so it can be called every frame.
    pub fn want(&mut self, open: bool, linger: Duration) {
        if open == self.wanted {
            return;
        }
        self.wanted = open;
        let Some(commands) = &self.commands else {
            return;
        };
        if open {
            let mut s = lock(&self.state);
            if s.mixer.is_none() {
                s.status = OutputStatus::Opening;
            }
        }
        let _ = commands.send(if open {
            Command::Open
        } else {
            Command::Close(linger)
        });
    }

    /// Whether the device was last asked to be open.
    #[must_use]
    pub fn is_wanted(&self) -> bool {
        self.wanted
    }

    /// The state the output thread keeps up to date, for threads that wait on the device.
    #[must_use]
    pub fn shared_state(&self) -> Arc<Mutex<OutputState>> {
        Arc::clone(&self.state)
    }

    /// An output that never plays, for headless use and tests.
    #[must_use]
    pub fn silent(reason: &str) -> Self {
        let state = OutputState {
            mixer: None,
            rate_hz: 48_000,
            epoch: 0,
            clock: None,
            status: OutputStatus::Failed(reason.to_owned()),
        };
        Self {
            state: Arc::new(Mutex::new(state)),
            commands: None,
            wanted: false,
        }
    }

    /// The device as it is now.
    #[must_use]
    pub fn state(&self) -> OutputState {
        lock(&self.state).clone()
    }

    /// An output whose device is a [`FakeDevice`] the test drives: still opening until the
    /// test opens it, then a real mixer (with the heartbeat clock) whose samples the test
    /// takes as a sound card would.
    #[cfg(test)]
    pub(crate) fn fake(rate_hz: u32) -> (Self, FakeDevice) {
        let state = Arc::new(Mutex::new(OutputState {
            mixer: None,
            rate_hz,
            epoch: 0,
            clock: None,
            status: OutputStatus::Opening,
        }));
        let output = Self {
            state: Arc::clone(&state),
            commands: None,
            wanted: true,
        };
        (
            output,
            FakeDevice {
                state,
                rate_hz,
                out: None,
            },
        )
    }
}

/// The test's side of [`Output::fake`].
#[cfg(test)]
pub(crate) struct FakeDevice {
    state: Arc<Mutex<OutputState>>,
    rate_hz: u32,
    out: Option<rodio::mixer::MixerSource>,
}

#[cfg(test)]
impl FakeDevice {
    /// The device answers: a mixer with the heartbeat in it, as [`Output::open`] makes.
    pub(crate) fn open(&mut self) {
        let rate = std::num::NonZero::new(self.rate_hz).unwrap_or(rodio::SampleRate::MIN);
        let (mixer, out) = rodio::mixer::mixer(rodio::ChannelCount::MIN, rate);
        let heartbeat = Heartbeat::new(self.rate_hz);
        let mut s = lock(&self.state);
        s.clock = Some(heartbeat.clock());
        mixer.add(heartbeat);
        s.mixer = Some(mixer);
        s.epoch += 1;
        s.status = OutputStatus::Open;
        self.out = Some(out);
    }

    /// Its clock now says frame 0 was taken `offset` after the clock's origin (as the
    /// device's bursts would, once settled).
    pub(crate) fn set_clock(&self, offset: Duration) {
        if let Some(clock) = &lock(&self.state).clock {
            clock.set_offset_ns(i64::try_from(offset.as_nanos()).unwrap_or(i64::MAX));
        }
    }

    /// The next `frames` samples the device plays (silence while it is not open).
    pub(crate) fn take(&mut self, frames: usize) -> Vec<f32> {
        match &mut self.out {
            Some(out) => out.by_ref().take(frames).collect(),
            None => vec![0.0; frames],
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // The thread closes the device and ends; nobody waits for it (a hung driver must not
        // hang the app on exit).
        if let Some(commands) = &self.commands {
            let _ = commands.send(Command::Quit);
        }
    }
}

/// The output thread: opens the device when asked, keeps it (checking every
/// [`HEARTBEAT_CHECK`] that it still takes samples, reopening it if it went away) until asked
/// to close it, then sleeps until the next request.
fn run<D: Device>(
    state: &Mutex<OutputState>,
    commands: &Receiver<Command>,
    tx: &Sender<Command>,
    mut open: impl FnMut(ErrorReporter) -> Result<D, String>,
) {
    #[cfg(target_os = "linux")]
    let alsa_messages = alsa::Output::local_error_handler().ok();
    let mut sink: Option<D> = None;
    let mut clock: Option<Arc<DeviceClock>> = None;
    let mut retry = FIRST_RETRY;
    // While the device is wanted and not open: when to try next.
    let mut next_attempt: Option<Instant> = None;
    // While it is no longer wanted but still open: when to close it.
    let mut close_at: Option<Instant> = None;
    let mut wanted = false;
    loop {
        if sink.is_none() && next_attempt.is_some_and(|at| at <= Instant::now()) {
            let reporter = ErrorReporter::new(tx.clone());
            match open(reporter) {
                Ok(opened) => {
                    // Added first, so it is pulled before any track in each frame.
                    let heartbeat = Heartbeat::new(opened.rate_hz());
                    clock = Some(heartbeat.clock());
                    opened.mixer().add(heartbeat);
                    let mut s = lock(state);
                    s.clock.clone_from(&clock);
                    s.mixer = Some(opened.mixer().clone());
                    s.rate_hz = opened.rate_hz();
                    s.epoch += 1;
                    s.status = OutputStatus::Open;
                    sink = Some(opened);
                    retry = FIRST_RETRY;
                    next_attempt = None;
                }
                Err(reason) => {
                    #[cfg(target_os = "linux")]
                    let reason = with_alsa_detail(reason, alsa_messages.as_ref());
                    let mut s = lock(state);
                    if s.status != OutputStatus::Failed(reason.clone()) {
                        log::warn!("no audio output: {reason}");
                    }
                    s.mixer = None;
                    s.clock = None;
                    s.status = OutputStatus::Failed(reason);
                    next_attempt = Some(Instant::now() + retry);
                    retry = (retry * 2).min(MAX_RETRY);
                }
            }
        }
        if sink.is_some() && close_at.is_some_and(|at| at <= Instant::now()) {
            sink = None;
            clock = None;
            close_at = None;
            let mut s = lock(state);
            s.mixer = None;
            s.clock = None;
            s.status = OutputStatus::Closed;
        }
        // Open: look at the device every second; closed and not wanted: sleep until asked.
        let wake = [
            next_attempt,
            close_at,
            sink.is_some().then(|| Instant::now() + HEARTBEAT_CHECK),
        ]
        .into_iter()
        .flatten()
        .min();
        let command = match wake {
            Some(at) => commands.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => commands.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let stalled = sink.is_some()
            && clock
                .as_ref()
                .is_some_and(|c| c.silent_for() > STALLED_AFTER);
        if stalled {
            log::warn!(
                "the sound device took no samples for {} s",
                STALLED_AFTER.as_secs()
            );
        }
        match command {
            Ok(Command::Open) => {
                wanted = true;
                close_at = None;
                if sink.is_none() {
                    next_attempt = Some(Instant::now());
                    retry = FIRST_RETRY;
                }
            }
            Ok(Command::Close(linger)) => {
                wanted = false;
                next_attempt = None;
                if sink.is_some() {
                    close_at = Some(Instant::now() + linger);
                } else {
                    // Never opened (or failed): a failure stays said until the next attempt.
                    let mut s = lock(state);
                    if s.status == OutputStatus::Opening {
                        s.status = OutputStatus::Closed;
                    }
                }
            }
            // A device nobody wants any more is not reopened.
            _ if stalled => {
                sink = None;
                close_at = None;
                let mut s = lock(state);
                s.mixer = None;
                s.status = OutputStatus::Failed(
                    "the sound device stopped; trying to reopen it".to_owned(),
                );
                next_attempt = wanted.then(|| Instant::now() + FIRST_RETRY);
            }
            Ok(Command::Lost) if sink.is_some() => {
                sink = None;
                close_at = None;
                let mut s = lock(state);
                s.mixer = None;
                s.status = OutputStatus::Failed(
                    "the sound device went away; trying to reopen it".to_owned(),
                );
                log::warn!("the sound device went away; trying to reopen it");
                next_attempt = wanted.then(|| Instant::now() + retry);
                retry = (retry * 2).min(MAX_RETRY);
            }
            Ok(Command::Lost) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Command::Quit) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
}

/// A silent source that stays in the device's mixer, counts the frames the device takes
/// and times the pulls ([`DeviceClock`]): the device's pulse and its clock, whether or not
/// a track plays.
struct Heartbeat {
    timer: PullTimer,
}

impl Heartbeat {
    fn new(rate_hz: u32) -> Self {
        Self {
            timer: PullTimer::new(DeviceClock::new(rate_hz)),
        }
    }

    fn clock(&self) -> Arc<DeviceClock> {
        Arc::clone(self.timer.clock())
    }
}

impl Iterator for Heartbeat {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        self.timer.pull();
        Some(0.0)
    }
}

impl rodio::Source for Heartbeat {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        rodio::ChannelCount::MIN
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        rodio::SampleRate::new(self.timer.clock().rate_hz()).unwrap_or(rodio::SampleRate::MIN)
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// An open device as the output thread holds it: its stream closes when it is dropped.
trait Device {
    /// Where sources are added.
    fn mixer(&self) -> &Mixer;
    /// The rate it plays at.
    fn rate_hz(&self) -> u32;
}

impl Device for MixerDeviceSink {
    fn mixer(&self) -> &Mixer {
        Self::mixer(self)
    }

    fn rate_hz(&self) -> u32 {
        self.config().sample_rate().get()
    }
}

/// Opens the default device with our error callback, trying its other configurations if
/// the default one fails.
fn open_sink(reporter: ErrorReporter) -> Result<MixerDeviceSink, String> {
    let builder = DeviceSinkBuilder::from_default_device()
        .map_err(|e| describe(&e))?
        .with_error_callback(move |e: rodio::CpalError| reporter.report(&e))
        // rodio asks for 50 ms by default, which the sound server turns into ~80 ms from a
        // sample to the speaker: the cue due at a press would come ~30 ms later than now.
        .with_buffer_size(rodio::cpal::BufferSize::Fixed(BUFFER_FRAMES));
    let mut sink = builder.open_sink_or_fallback().map_err(|e| describe(&e))?;
    sink.log_on_drop(false);
    Ok(sink)
}

/// An error with its causes: "Could not find any output device".
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What ALSA wanted to print while the device was being opened, added to the reason (and
/// kept off stderr).
#[cfg(target_os = "linux")]
fn with_alsa_detail(
    reason: String,
    messages: Option<&std::rc::Rc<std::cell::RefCell<alsa::Output>>>,
) -> String {
    let Some(messages) = messages else {
        return reason;
    };
    let detail = messages.borrow().to_string();
    // Empty the buffer for the next attempt.
    if let Ok(fresh) = alsa::Output::buffer_open() {
        *messages.borrow_mut() = fresh;
    }
    match detail.lines().map(str::trim).rfind(|l| !l.is_empty()) {
        Some(last) => format!("{reason} ({last})"),
        None => reason,
    }
}

/// The stream's error callback: notes a lost device, logs the rest sparingly.
#[derive(Clone)]
struct ErrorReporter {
    tx: Sender<Command>,
    lost_sent: Arc<AtomicBool>,
    log: Arc<Mutex<ErrorLog>>,
}

#[derive(Default)]
struct ErrorLog {
    last: Option<Instant>,
    suppressed: u64,
}

impl ErrorReporter {
    fn new(tx: Sender<Command>) -> Self {
        Self {
            tx,
            lost_sent: Arc::new(AtomicBool::new(false)),
            log: Arc::new(Mutex::new(ErrorLog::default())),
        }
    }

    fn report(&self, error: &rodio::CpalError) {
        use rodio::CpalErrorKind as Kind;
        let lost = matches!(
            error.kind(),
            Kind::DeviceNotAvailable | Kind::StreamInvalidated | Kind::HostUnavailable
        );
        if lost && !self.lost_sent.swap(true, Ordering::SeqCst) {
            let _ = self.tx.send(Command::Lost);
        }
        // Never wait on the audio thread: if the log is busy, this error goes uncounted.
        let Ok(mut log) = self.log.try_lock() else {
            return;
        };
        let due = log.last.is_none_or(|at| at.elapsed() >= ERROR_LOG_INTERVAL);
        if due {
            if log.suppressed > 0 {
                log::warn!(
                    "audio output error: {error} (and {} more in the last {} s)",
                    log.suppressed,
                    ERROR_LOG_INTERVAL.as_secs()
                );
            } else {
                log::warn!("audio output error: {error}");
            }
            log.last = Some(Instant::now());
            log.suppressed = 0;
        } else {
            log.suppressed += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_lost_device_is_reported_once_and_errors_are_logged_sparingly() {
        let (tx, rx) = mpsc::channel();
        let reporter = ErrorReporter::new(tx);
        for _ in 0..100 {
            reporter.report(&rodio::CpalError::new(rodio::CpalErrorKind::Xrun));
        }
        assert_eq!(
            lock(&reporter.log).suppressed,
            99,
            "one logged, the rest counted"
        );
        assert!(rx.try_recv().is_err(), "an underrun is not a lost device");
        for _ in 0..3 {
            reporter.clone().report(&rodio::CpalError::new(
                rodio::CpalErrorKind::DeviceNotAvailable,
            ));
        }
        assert!(matches!(rx.try_recv(), Ok(Command::Lost)), "lost");
        assert!(rx.try_recv().is_err(), "once");
    }

    #[test]
    fn the_heartbeat_counts_frames_and_notes_the_last_pull() {
        let mut heartbeat = Heartbeat::new(48_000);
        let clock = heartbeat.clock();
        assert_eq!(
            heartbeat.by_ref().take(100).collect::<Vec<f32>>(),
            vec![0.0; 100],
            "silence"
        );
        assert_eq!(clock.frames(), 100, "counted");
        assert!(clock.silent_for() < Duration::from_secs(1), "just pulled");
        assert!(clock.frame_time(0).is_none(), "not settled after one burst");
    }

    /// A device that counts how often it is opened and closed.
    struct Counted {
        mixer: Mixer,
        closed: Arc<AtomicUsize>,
    }

    impl Device for Counted {
        fn mixer(&self) -> &Mixer {
            &self.mixer
        }

        fn rate_hz(&self) -> u32 {
            48_000
        }
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.closed.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// An output on [`Counted`] devices, with the number opened and the number closed.
    fn counted() -> (Output, Arc<AtomicUsize>, Arc<AtomicUsize>) {
        let opened = Arc::new(AtomicUsize::new(0));
        let closed = Arc::new(AtomicUsize::new(0));
        let (opens, closes) = (Arc::clone(&opened), Arc::clone(&closed));
        let output = Output::with_opener(move |_| {
            opens.fetch_add(1, Ordering::SeqCst);
            let rate = rodio::SampleRate::new(48_000).unwrap_or(rodio::SampleRate::MIN);
            let (mixer, _) = rodio::mixer::mixer(rodio::ChannelCount::MIN, rate);
            Ok(Counted {
                mixer,
                closed: Arc::clone(&closes),
            })
        });
        (output, opened, closed)
    }

    fn wait_for(what: &str, done: impl Fn() -> bool) {
        let asked = Instant::now();
        while !done() {
            assert!(asked.elapsed() < Duration::from_secs(2), "{what}");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn the_device_opens_only_while_wanted_and_closes_after_lingering() {
        let (mut output, opened, closed) = counted();
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(opened.load(Ordering::SeqCst), 0, "not opened until wanted");
        assert_eq!(output.state().status, OutputStatus::Closed);

        output.want(true, Duration::ZERO);
        wait_for("opened", || output.state().status == OutputStatus::Open);
        assert!(output.state().mixer.is_some(), "tracks have a mixer");
        let epoch = output.state().epoch;

        output.want(false, Duration::from_millis(300));
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(
            closed.load(Ordering::SeqCst),
            0,
            "open while the last sound plays"
        );
        wait_for("closed after lingering", || {
            closed.load(Ordering::SeqCst) == 1
        });
        let state = output.state();
        assert_eq!(state.status, OutputStatus::Closed);
        assert!(
            state.mixer.is_none() && state.clock.is_none(),
            "nothing to play on"
        );

        // Wanted again while lingering: the close is called off.
        output.want(true, Duration::ZERO);
        wait_for("reopened", || output.state().status == OutputStatus::Open);
        assert!(output.state().epoch > epoch, "tracks are added again");
        output.want(false, Duration::from_millis(200));
        output.want(true, Duration::ZERO);
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(
            (opened.load(Ordering::SeqCst), closed.load(Ordering::SeqCst)),
            (2, 1),
            "kept open, not closed and reopened"
        );
    }

    #[test]
    fn a_silent_output_says_why() {
        let output = Output::silent("testing");
        let state = output.state();
        assert!(state.mixer.is_none(), "nowhere to play");
        assert_eq!(
            state.status,
            OutputStatus::Failed("testing".to_owned()),
            "the reason"
        );
    }
}
