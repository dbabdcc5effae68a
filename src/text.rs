//! How the app and the CLI write counts and clock times, in one place.

use std::time::Duration;

/// `1 file`, `3 files`, `0 routines`: a count with its noun (the nouns used take an `s`).
#[must_use]
pub fn plural<N>(count: N, noun: &str) -> String
where
    N: Copy + std::fmt::Display + PartialEq + From<u8>,
{
    if count == N::from(1) {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `0:30`, `12:05`, `1:02:03`: a clock time or a total, whole seconds (truncated).
#[must_use]
pub fn clock(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_an_s_except_one() {
        assert_eq!(plural(0, "routine"), "0 routines");
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(12_u64, "error"), "12 errors");
    }

    #[test]
    fn clocks_show_hours_only_from_an_hour_on() {
        assert_eq!(clock(Duration::ZERO), "0:00");
        assert_eq!(clock(Duration::from_millis(30_999)), "0:30");
        assert_eq!(clock(Duration::from_secs(725)), "12:05");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
    }
}
