//! The settings screen's sample: a sentence said now in a chosen voice, over whatever plays.

use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use super::bank::lock;
use super::output::{OPEN_WAIT, OutputStatus};
use super::{AudioStatus, CueAudio, voice};
use crate::timeline::Voice;

impl CueAudio {
    /// Says `text` in `voice` now, over whatever plays, at the volume in force (silent when
    /// muted): the settings screen's sample. The device is opened for it (the caller keeps
    /// [`Self::need_device`] on until the sample ends). espeak-ng renders it on a thread of
    /// its own, so this returns at once; the receiver then gets how long the sample plays
    /// once it is mixed into the output, or why it cannot be heard (no device, no espeak-ng).
    pub fn speak_sample(
        &mut self,
        text: &str,
        voice: &Voice,
    ) -> Receiver<Result<Duration, String>> {
        let (sender, receiver) = mpsc::channel();
        self.output.want(true, Duration::ZERO);
        let state = self.output.state();
        self.refresh_status(&state);
        if matches!(state.status, OutputStatus::Failed(_)) {
            let _ = sender.send(Err(self.status.to_string()));
            return receiver;
        }
        let device = self.output.shared_state();
        let gain = self.settings.gain();
        let (text, voice) = (text.to_owned(), voice.clone());
        let reply = sender.clone();
        let spawned = std::thread::Builder::new()
            .name("limberup-voice-sample".to_owned())
            .spawn(move || {
                let said = voice::render(&text, &voice).map_err(|e| e.to_string());
                let said = said.and_then(|clip| {
                    let asked = Instant::now();
                    let mixer = loop {
                        let state = lock(&device).clone();
                        match (state.mixer, state.status) {
                            (Some(mixer), _) => break mixer,
                            (None, OutputStatus::Failed(reason)) => {
                                return Err(AudioStatus::NoOutput(reason).to_string());
                            }
                            _ if asked.elapsed() > OPEN_WAIT => {
                                return Err(AudioStatus::NoOutput(
                                    "the sound device is not answering".to_owned(),
                                )
                                .to_string());
                            }
                            _ => std::thread::sleep(Duration::from_millis(5)),
                        }
                    };
                    if let Some(rate) = rodio::SampleRate::new(clip.rate_hz()) {
                        let samples = clip.samples().into_owned();
                        let source = rodio::buffer::SamplesBuffer::new(
                            rodio::ChannelCount::MIN,
                            rate,
                            samples,
                        );
                        mixer.add(rodio::Source::amplify(source, gain));
                    }
                    Ok(clip.duration())
                });
                let _ = reply.send(said);
            });
        if let Err(error) = spawned {
            let _ = sender.send(Err(format!("cannot start a thread: {error}")));
        }
        receiver
    }
}
