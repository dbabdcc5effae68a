//! The integration tests: one binary, a module per area (as ripgrep does).

mod app;
mod architecture;
mod audio;
mod authoring;
mod cli;
mod common;
mod docs;
mod done_steps;
mod exercise_library;
mod frame_cost;
mod golden;
mod history;
mod levels;
mod library;
mod loader;
mod packaging;
mod player;
mod player_layout;
mod routines;
mod screens;
mod speech;
mod voice;
