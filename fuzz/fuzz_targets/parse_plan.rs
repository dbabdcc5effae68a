//! Any bytes as a routine file: parse, validate, plan, play a little (the body is shared
//! with the CI replay in `tests/hardening.rs`). Run:
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run parse_plan --fuzz-dir fuzz`.
#![no_main]

#[path = "../parse_plan_body.rs"]
#[allow(dead_code, reason = "each target calls one of the entry points")]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::parse_plan(data);
});
