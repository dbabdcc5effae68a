//! Levels and variants: which version of a routine is played.
//!
//! The loader resolves every level of every step and every step a variant swaps in, so a
//! [`Selection`] is applied without the file: [`Routine::select`] gives the one resolved
//! routine the planner, the player, the sound and the sheet see. The routine as loaded is
//! the default selection (every step at level 1, no variant).

use serde::{Deserialize, Serialize};

use super::loader::closest;
use super::{Routine, Step};

/// The most levels a step may have.
pub const MAX_LEVELS: usize = 9;

/// One level of a step, resolved whole.
#[derive(Clone, Debug, Serialize)]
pub struct Level {
    /// When to move on to the next level ("move up when 3 x 30 s is easy").
    pub progression: Option<String>,
    /// The step at this level (its own `levels` empty).
    pub step: Step,
}

/// A named version of a routine, resolved: the sections it plays and the steps it swaps.
#[derive(Clone, Debug, Serialize)]
pub struct Variant {
    /// Its name ("Match day").
    pub name: String,
    /// The indices of the sections it plays, in order.
    pub sections: Vec<usize>,
    /// The steps whose exercise it swaps, resolved with the other exercise.
    pub swaps: Vec<Swap>,
}

/// One step a variant plays with another exercise.
#[derive(Clone, Debug, Serialize)]
pub struct Swap {
    /// The section it is in.
    pub section: usize,
    /// Its index in the section.
    pub step: usize,
    /// The step with the other exercise merged in.
    pub with: Step,
}

/// Which levels and which variant a routine is played at: what the routine page sets,
/// the settings remember per routine and `--level`/`--variant` give.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Selection {
    /// The level of each step of the routine as loaded, by [`Step::position`], 1 for the
    /// first; a step not listed is at level 1, a level past a step's last is its last.
    pub levels: Vec<u32>,
    /// The variant by name; `None` for the routine as written.
    pub variant: Option<String>,
}

/// Why a selection cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// No variant has that name.
    #[error("the routine `{routine}` has no variant \"{name}\"{}", known_variants(.known))]
    UnknownVariant {
        /// The routine's id.
        routine: String,
        /// The name asked for.
        name: String,
        /// The variants it has.
        known: Vec<String>,
    },
    /// A level past every step's last, or 0.
    #[error("the routine `{routine}` has {}; there is no level {level}", levels_text(*.most))]
    LevelOutOfRange {
        /// The routine's id.
        routine: String,
        /// The level asked for.
        level: u32,
        /// The most levels any of its steps has (0 when none has levels).
        most: usize,
    },
}

fn known_variants(known: &[String]) -> String {
    if known.is_empty() {
        return " (it has no variants)".to_owned();
    }
    let list = known
        .iter()
        .map(|k| format!("\"{k}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(" (it has {list})")
}

fn levels_text(most: usize) -> String {
    match most {
        0 => "no levels".to_owned(),
        1 => "1 level".to_owned(),
        n => format!("levels 1 to {n}"),
    }
}

impl Selection {
    /// Every step at `level` (steps with fewer levels at their last).
    #[must_use]
    pub fn all_at(routine: &Routine, level: u32) -> Self {
        Self {
            levels: routine.steps().map(|_| level.max(1)).collect(),
            variant: None,
        }
    }

    /// The level of the step at `position` (1 when not listed).
    #[must_use]
    pub fn level(&self, position: usize) -> u32 {
        self.levels.get(position).copied().unwrap_or(1).max(1)
    }

    /// Sets the level of the step at `position`, listing the steps before it at 1.
    pub fn set_level(&mut self, position: usize, level: u32) {
        if self.levels.len() <= position {
            self.levels.resize(position + 1, 1);
        }
        self.levels[position] = level.max(1);
    }

    /// Each levelled step of `routine` (as loaded) one level up (`up`) or down, within its
    /// levels.
    pub fn step_all(&mut self, routine: &Routine, up: bool) {
        for (_, step) in routine.steps() {
            let count = level_count(step);
            if count > 1 {
                let now = self.level(step.position).min(count);
                let next = if up { now + 1 } else { now.saturating_sub(1) };
                self.set_level(step.position, next.clamp(1, count));
            }
        }
    }

    /// The selection without levels past what `routine` has and without a variant it does
    /// not name: what a remembered choice becomes after the file changed.
    #[must_use]
    pub fn fitted(mut self, routine: &Routine) -> Self {
        let steps = routine.steps().count();
        self.levels.truncate(steps);
        for (_, step) in routine.steps() {
            if let Some(level) = self.levels.get_mut(step.position) {
                *level = (*level).clamp(1, level_count(step).max(1));
            }
        }
        while self.levels.last() == Some(&1) {
            self.levels.pop();
        }
        if let Some(name) = &self.variant
            && !routine.variants.iter().any(|v| &v.name == name)
        {
            self.variant = None;
        }
        self
    }
}

/// How many levels a step has (0 without levels).
fn level_count(step: &Step) -> u32 {
    u32::try_from(step.levels.len()).unwrap_or(u32::MAX)
}

impl Routine {
    /// The most levels any step has, in any variant (0 when no step has levels).
    #[must_use]
    pub fn most_levels(&self) -> usize {
        self.steps()
            .map(|(_, s)| s)
            .chain(
                self.variants
                    .iter()
                    .flat_map(|v| v.swaps.iter().map(|s| &s.with)),
            )
            .map(|s| s.levels.len())
            .max()
            .unwrap_or(0)
    }

    /// Whether a step has levels.
    #[must_use]
    pub fn has_levels(&self) -> bool {
        self.most_levels() > 0
    }

    /// The routine at `selection`, from the routine as loaded: the variant's sections and
    /// swapped steps, each step at its level, the equipment those steps need.
    ///
    /// # Errors
    /// The variant is not one of the routine's.
    pub fn select(&self, selection: &Selection) -> Result<Self, SelectError> {
        let mut routine = self.clone();
        if let Some(name) = &selection.variant {
            let Some(variant) = self.variants.iter().find(|v| &v.name == name) else {
                let known: Vec<String> = self.variants.iter().map(|v| v.name.clone()).collect();
                // The nearest name first, so the message leads with the one meant.
                let mut known_sorted = known.clone();
                if let Some(best) = closest(name, known.iter().map(String::as_str)) {
                    let best = best.to_owned();
                    known_sorted.retain(|k| k != &best);
                    known_sorted.insert(0, best);
                }
                return Err(SelectError::UnknownVariant {
                    routine: self.id.clone(),
                    name: name.clone(),
                    known: known_sorted,
                });
            };
            for swap in &variant.swaps {
                if let Some(step) = routine
                    .sections
                    .get_mut(swap.section)
                    .and_then(|s| s.steps.get_mut(swap.step))
                {
                    let position = step.position;
                    *step = swap.with.clone();
                    step.position = position;
                }
            }
            let mut index = 0;
            routine.sections.retain(|_| {
                index += 1;
                variant.sections.contains(&(index - 1))
            });
            if let Some(last) = routine.sections.last_mut() {
                last.rest_after = std::time::Duration::ZERO;
            }
            routine.variant = Some(name.clone());
        }
        for step in routine.sections.iter_mut().flat_map(|s| &mut s.steps) {
            let count = level_count(step);
            if count == 0 {
                continue;
            }
            let level = selection.level(step.position).min(count);
            let index = usize::try_from(level - 1).unwrap_or_default();
            if let Some(at_level) = step.levels.get(index) {
                let mut resolved = at_level.step.clone();
                resolved.levels = std::mem::take(&mut step.levels);
                resolved.level = level;
                resolved.position = step.position;
                *step = resolved;
            }
        }
        let mut equipment = routine.listed_equipment.clone();
        for item in routine.steps().flat_map(|(_, s)| &s.equipment) {
            if !equipment.iter().any(|e| e.eq_ignore_ascii_case(item)) {
                equipment.push(item.clone());
            }
        }
        routine.equipment = equipment;
        Ok(routine)
    }

    /// The levels played, as the log keeps them: `"2"` when every levelled step is at
    /// level 2, `"1,2,1"` (one per levelled step, in order) otherwise; `None` without
    /// levelled steps.
    #[must_use]
    pub fn levels_played(&self) -> Option<String> {
        let levels: Vec<u32> = self
            .steps()
            .filter(|(_, s)| !s.levels.is_empty())
            .map(|(_, s)| s.level)
            .collect();
        let first = *levels.first()?;
        if levels.iter().all(|&l| l == first) {
            return Some(first.to_string());
        }
        Some(
            levels
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
    }

    /// Checks that `level` is one the routine has (1 always is): for `--level`.
    ///
    /// # Errors
    /// `level` is 0 or past every step's last level.
    pub fn check_level(&self, level: u32) -> Result<(), SelectError> {
        let most = self.most_levels();
        if level == 0 || usize::try_from(level).unwrap_or(usize::MAX) > most.max(1) {
            return Err(SelectError::LevelOutOfRange {
                routine: self.id.clone(),
                level,
                most,
            });
        }
        Ok(())
    }
}

/// `"Level 2"` or `"Levels 1,2,1"`: the levels a session was played at, for the history.
#[must_use]
pub fn levels_label(levels: &str) -> String {
    if levels.contains(',') {
        format!("Levels {levels}")
    } else {
        format!("Level {levels}")
    }
}
