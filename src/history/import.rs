//! Reading the previous version's `sessions.jsonl`, one JSON object per line.
//!
//! Those lines name segments by index only, without saying which were steps, so imported
//! sessions keep their totals and check-in but no step details. Their planned length is the
//! sum of the planned lengths of the segments visited (the plan's own total was not written).

use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;

use super::{EntrySource, SessionEntry};

/// The sessions of a `sessions.jsonl` text; lines that are not sessions are skipped with a
/// warning naming `file` and the line.
pub(super) fn parse_jsonl(text: &str, file: &Path, zone: &TimeZone) -> Vec<SessionEntry> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // Parsed as a value: the old writer flattened the record into the line, so its
        // `finished` appears twice, which a derived struct refuses.
        match serde_json::from_str::<Value>(line)
            .ok()
            .and_then(|v| entry(&v, zone))
        {
            Some(entry) => out.push(entry),
            None => log::warn!("{}:{}: not a session, skipped", file.display(), i + 1),
        }
    }
    out
}

fn entry(v: &Value, zone: &TimeZone) -> Option<SessionEntry> {
    let secs = v.get("started_unix_secs")?.as_i64()?;
    let started = Timestamp::from_second(secs).ok()?;
    let wall = duration(v.get("wall")?)?;
    let paused = duration(v.get("paused")?)?;
    let visits = v
        .get("segments")?
        .as_array()?
        .iter()
        .chain(v.get("current").filter(|c| !c.is_null()));
    let planned = visits
        .filter_map(|s| s.get("planned").and_then(duration))
        .sum();
    let check_in = |key: &str| {
        v.get(key)
            .and_then(Value::as_u64)
            .and_then(|c| u8::try_from(c).ok())
            .filter(|&c| c <= super::MAX_CHECK_IN)
    };
    Some(SessionEntry {
        routine_id: v.get("routine")?.as_str()?.to_owned(),
        title: v.get("title")?.as_str()?.to_owned(),
        content_hash: v
            .get("content_hash")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        started,
        offset: zone.to_offset(started),
        planned,
        active: wall.saturating_sub(paused),
        paused,
        finished: v.get("finished")?.as_bool()?,
        check_in_before: None,
        check_in_after: check_in("check_in_after"),
        note: None,
        steps: Vec::new(),
        source: EntrySource::Jsonl,
        levels: None,
        variant: None,
    })
}

/// A serde `Duration`: `{"secs": 12, "nanos": 500000000}`.
fn duration(v: &Value) -> Option<Duration> {
    let secs = v.get("secs")?.as_u64()?;
    let nanos = u32::try_from(v.get("nanos")?.as_u64()?).ok()?;
    Some(Duration::new(secs, nanos))
}
