//! The settings screen's sample: a sentence said now in a chosen voice, over whatever plays.

use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use super::{CueAudio, voice};
use crate::timeline::Voice;

impl CueAudio {
    /// Says `text` in `voice` now, over whatever plays, at the volume in force (silent when
    /// muted): the settings screen's sample. espeak-ng renders it on a thread of its own, so
    /// this returns at once; the receiver then gets how long the sample plays once it is
    /// mixed into the output, or why it cannot be heard (no device, no espeak-ng).
    pub fn speak_sample(
        &mut self,
        text: &str,
        voice: &Voice,
    ) -> Receiver<Result<Duration, String>> {
        let (sender, receiver) = mpsc::channel();
        let state = self.output.state();
        self.refresh_status(&state);
        let Some(mixer) = state.mixer else {
            let _ = sender.send(Err(self.status.to_string()));
            return receiver;
        };
        let gain = self.settings.gain();
        let (text, voice) = (text.to_owned(), voice.clone());
        let reply = sender.clone();
        let spawned = std::thread::Builder::new()
            .name("limberup-voice-sample".to_owned())
            .spawn(move || {
                let said = voice::render(&text, &voice).map(|clip| {
                    if let Some(rate) = rodio::SampleRate::new(clip.rate_hz()) {
                        let samples = clip.samples().to_vec();
                        let source = rodio::buffer::SamplesBuffer::new(
                            rodio::ChannelCount::MIN,
                            rate,
                            samples,
                        );
                        mixer.add(rodio::Source::amplify(source, gain));
                    }
                    clip.duration()
                });
                let _ = reply.send(said.map_err(|e| e.to_string()));
            });
        if let Err(error) = spawned {
            let _ = sender.send(Err(format!("cannot start a thread: {error}")));
        }
        receiver
    }
}
