//! Any bytes as a routine file: parse, validate, plan, play a little. Nothing may panic,
//! hang or allocate without bound. Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run parse_plan`.
#![no_main]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use limberup::routine::{self, LoadOptions};
use limberup::timeline::{self, Plan, Player};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A folder with no media in it: paths resolve, and are missing or refused.
    let loaded = routine::loader::parse_with(
        text,
        Path::new("/nonexistent/fuzz/routine.ron"),
        LoadOptions::default(),
    );
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.to_string();
    }
    let Some(routine) = loaded.routine else {
        return;
    };
    let plan = Arc::new(Plan::new(Arc::new(routine), timeline::DEFAULT_LEAD_IN));
    let _ = timeline::schedule(&plan);
    let mut player = Player::new(Arc::clone(&plan), timeline::DEFAULT_LEAD_IN);
    player.start(Duration::ZERO);
    let mut now = Duration::ZERO;
    for step in 0..64_u64 {
        now += Duration::from_millis(1 + step * 997 % 5_000);
        let _ = player.tick(now);
        let _ = player.status(now);
        let _ = player.upcoming(now);
        match step % 7 {
            0 => player.next(now),
            3 => player.done(now),
            5 => player.add_time(Duration::from_secs(10), now),
            _ => {}
        }
    }
    let _ = player.record(now);
});
