//! Limber Up: guided warm-up, stretching and mobility routines for runners.
//!
//! The pure core is [`routine`] (the format, loader and diagnostics), [`library`] (finding
//! routines on disk) and [`timeline`] (planning and playing against a clock). None of them
//! knows about the window or the sound card; see `ARCHITECTURE.md`. [`audio`] plays the cues
//! and depends on them, never the reverse.
//! [`watch`] reports saves in routine folders; [`bundle`] packs and unpacks `.limberup` files.

pub mod app;
pub mod audio;
pub mod bundle;
pub mod cli;
pub mod history;
pub mod launch;
pub mod library;
pub mod media_controls;
pub mod places;
pub mod reminder;
pub mod routine;
pub mod safe_file;
pub mod session;
pub mod settings;
pub mod sheet;
pub mod text;
pub mod timeline;
pub mod watch;
