//! The espeak-ng voice variants on this machine, for the settings screen: listed once, on a
//! thread of their own, the first time the screen is shown. Without espeak-ng the list is
//! empty and the screen offers the standard voice only.

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use crate::timeline::speech::is_variant_name;

/// How often the window looks whether the listing has come back.
const LISTING_POLL: Duration = Duration::from_millis(50);

/// A variant espeak-ng offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct VoiceVariant {
    /// What espeak-ng takes after the language and `+` (`m3`, `klatt`): its file's name.
    pub id: String,
    /// Its name in the listing (`male3`, `klatt`), for the settings screen.
    pub name: String,
}

/// Where the listing is.
enum Listing {
    /// Not asked for yet.
    NotAsked,
    /// espeak-ng is being asked.
    Asking(Receiver<Vec<VoiceVariant>>),
    /// The variants, by name (empty without espeak-ng).
    Listed(Vec<VoiceVariant>),
}

/// The variants, listed once per run.
pub(super) struct VoiceVariants {
    listing: Listing,
}

impl VoiceVariants {
    /// Nothing listed yet.
    pub(super) fn new() -> Self {
        Self {
            listing: Listing::NotAsked,
        }
    }

    /// Asks espeak-ng the first time, then takes its answer when it comes; returns when to
    /// look again while it has not.
    pub(super) fn poll(&mut self) -> Option<Duration> {
        match &self.listing {
            Listing::NotAsked => {
                let (sender, receiver) = mpsc::channel();
                let spawned = std::thread::Builder::new()
                    .name("limberup-voice-variants".to_owned())
                    .spawn(move || {
                        let _ = sender.send(list_variants());
                    });
                self.listing = match spawned {
                    Ok(_) => Listing::Asking(receiver),
                    Err(error) => {
                        log::warn!("voice variants not listed: cannot start a thread: {error}");
                        Listing::Listed(Vec::new())
                    }
                };
                Some(LISTING_POLL)
            }
            Listing::Asking(receiver) => match receiver.try_recv() {
                Ok(variants) => {
                    self.listing = Listing::Listed(variants);
                    None
                }
                Err(TryRecvError::Empty) => Some(LISTING_POLL),
                Err(TryRecvError::Disconnected) => {
                    self.listing = Listing::Listed(Vec::new());
                    None
                }
            },
            Listing::Listed(_) => None,
        }
    }

    /// The variants listed so far (none while espeak-ng is being asked, or without it).
    pub(super) fn listed(&self) -> &[VoiceVariant] {
        match &self.listing {
            Listing::Listed(variants) => variants,
            Listing::NotAsked | Listing::Asking(_) => &[],
        }
    }
}

/// Asks `espeak-ng --voices=variant`; nothing when it is missing or fails.
fn list_variants() -> Vec<VoiceVariant> {
    let output = Command::new("espeak-ng")
        .arg("--voices=variant")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => {
            parse_variants(&String::from_utf8_lossy(&output.stdout))
        }
        Ok(output) => {
            log::info!("espeak-ng --voices=variant failed: {}", output.status);
            Vec::new()
        }
        Err(error) => {
            log::info!("espeak-ng cannot be started to list its variants: {error}");
            Vec::new()
        }
    }
}

/// The variants in the output of `espeak-ng --voices=variant`: a header, then a line per
/// variant whose file is `!v/ID` and whose name comes just before it, as in
///
/// ```text
/// Pty Language       Age/Gender VoiceName          File                 Other Languages
///  5  variant         --/M      male3              !v/m3
/// ```
///
/// A file name espeak-ng could not take after `+` (a space, a `/`) is left out; the list
/// is sorted by name, each id once.
pub(super) fn parse_variants(listing: &str) -> Vec<VoiceVariant> {
    let mut seen = HashSet::new();
    let mut variants: Vec<VoiceVariant> = listing
        .lines()
        .filter_map(|line| {
            let (before, file) = line.split_once("!v/")?;
            // The file column is padded with spaces: a single space belongs to the name.
            let id = file.split("  ").next().unwrap_or_default().trim();
            if !is_variant_name(id) {
                return None;
            }
            let name = before.split_whitespace().last().unwrap_or(id);
            let name = if name.contains('/') { id } else { name };
            Some(VoiceVariant {
                id: id.to_owned(),
                name: name.to_owned(),
            })
        })
        .filter(|variant| seen.insert(variant.id.clone()))
        .collect();
    variants.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of espeak-ng 1.51's listing, with its odd ones.
    const LISTING: &str = "\
Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  variant         --/M      Adam               !v/adam              
 5  variant         --/M      Half-LifeAnnouncementSystem !v/announcer         
 5  variant         --/M      Mr_Serious         !v/Mr serious        
 5  variant         --/M      Storm              !v/Storm             (en-us 5)
 5  variant         --/F      female2            !v/f2                
 5  variant         --/M      klatt              !v/klatt             
 5  variant         70/M      male1              !v/m1
 5  variant         --/M      evil               !v/../../etc/passwd  
 5  variant         --/M      male1again         !v/m1
";

    #[test]
    fn the_listing_gives_each_usable_variant_by_name() {
        let variants = parse_variants(LISTING);
        let pairs: Vec<(&str, &str)> = variants
            .iter()
            .map(|v| (v.id.as_str(), v.name.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("adam", "Adam"),
                ("f2", "female2"),
                ("announcer", "Half-LifeAnnouncementSystem"),
                ("klatt", "klatt"),
                ("m1", "male1"),
                ("Storm", "Storm"),
            ],
            "sorted by name; a file with a space or a path left out; each id once"
        );
    }

    #[test]
    fn no_listing_gives_no_variants() {
        assert_eq!(parse_variants(""), []);
        assert_eq!(
            parse_variants("Pty Language Age/Gender VoiceName File Other Languages\n"),
            []
        );
    }
}
