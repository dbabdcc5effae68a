//! Variants: the sections each plays (by title) and the exercises it swaps (by id), every
//! swapped step resolved with its new exercise.

use crate::routine::diagnostic::{Diagnostic, Severity};
use crate::routine::format::{RoutineDoc, Sides};
use crate::routine::source_map::ValuePath;
use crate::routine::{Section, Swap, Variant};

use super::super::suggest::closest;
use super::{Context, FileId};

impl Context {
    /// Checks and resolves the routine's variants; `sections` are the routine's, resolved.
    pub(super) fn variants(&mut self, doc: &RoutineDoc, sections: &[Section]) -> Vec<Variant> {
        let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.trim()).collect();
        let mut variants: Vec<Variant> = Vec::new();
        for (i, variant) in doc.variants.iter().enumerate() {
            let path = ValuePath::ROOT.field("variants").index(i);
            let name = variant.name.trim().to_owned();
            self.text(FileId::Main, &path.field("name"), &variant.name, true);
            if variants.iter().any(|v| v.name == name) {
                self.error(
                    FileId::Main,
                    &path.field("name"),
                    format!("two variants are named \"{name}\""),
                    Some("give each variant a different name".to_owned()),
                );
                continue;
            }
            let kept = self.variant_sections(&path, variant.sections.as_deref(), &titles);
            let mut swaps = Vec::new();
            for (from, to) in &variant.replace {
                let at = path.field("replace").key(from);
                let mut known = true;
                for (id, is_key) in [(from, true), (to, false)] {
                    if !self.exercises.contains_key(id.as_str()) {
                        known = false;
                        let Some((message, hint)) = self.unknown_exercise(id) else {
                            continue;
                        };
                        if is_key {
                            self.at_key(Severity::Error, &at, message, hint);
                        } else {
                            self.error(FileId::Main, &at, message, Some(hint));
                        }
                    }
                }
                if !known {
                    continue;
                }
                let mut used = false;
                for &s in &kept {
                    for (t, step) in doc.sections[s].steps.iter().enumerate() {
                        if step.exercise.as_deref() != Some(from.as_str()) {
                            continue;
                        }
                        used = true;
                        let mut swapped = step.clone();
                        swapped.exercise = Some(to.clone());
                        let step_path = ValuePath::ROOT
                            .field("sections")
                            .index(s)
                            .field("steps")
                            .index(t);
                        let two_sided = doc.sections[s].sides == Some(Sides::Both);
                        if let Some(with) = self.step(&step_path, &swapped, two_sided) {
                            swaps.push(Swap {
                                section: s,
                                step: t,
                                with,
                            });
                        }
                    }
                }
                if !used {
                    self.at_key(
                        Severity::Warning,
                        &at,
                        format!("no step of the variant \"{name}\" uses the exercise `{from}`"),
                        "remove it from `replace`".to_owned(),
                    );
                }
            }
            if kept.len() == sections.len() && variant.replace.is_empty() {
                self.warning(
                    FileId::Main,
                    &path,
                    format!("the variant \"{name}\" changes nothing"),
                    Some("list the `sections` it plays, or `replace` an exercise".to_owned()),
                );
            }
            variants.push(Variant {
                name,
                sections: kept,
                swaps,
            });
        }
        variants
    }

    /// A finding about the key of the map entry at `at` (in the main file), placed at the
    /// key itself.
    fn at_key(&mut self, severity: Severity, at: &ValuePath, message: String, hint: String) {
        let cx = &self.main;
        let span = cx.map.key_span(at).or_else(|| cx.map.nearest(at));
        let base = match severity {
            Severity::Error => Diagnostic::error(&cx.path, message),
            Severity::Warning => Diagnostic::warning(&cx.path, message),
        };
        let diagnostic = base.at(span, &cx.source).with_hint(hint);
        self.diagnostics.push(diagnostic);
    }

    /// The indices of the sections a variant names (every section when it names none).
    fn variant_sections(
        &mut self,
        path: &ValuePath,
        written: Option<&[String]>,
        titles: &[&str],
    ) -> Vec<usize> {
        let Some(written) = written else {
            return (0..titles.len()).collect();
        };
        if written.is_empty() {
            self.error(
                FileId::Main,
                &path.field("sections"),
                "`sections` is empty",
                Some("list the titles of the sections it plays, or remove `sections`".to_owned()),
            );
        }
        let mut kept = Vec::new();
        for (j, title) in written.iter().enumerate() {
            match titles.iter().position(|t| *t == title.trim()) {
                Some(index) => kept.push(index),
                None => {
                    let hint = closest(title, titles.iter().copied()).map_or_else(
                        || format!("the sections are \"{}\"", titles.join("\", \"")),
                        |best| format!("did you mean \"{best}\"?"),
                    );
                    self.error(
                        FileId::Main,
                        &path.field("sections").index(j),
                        format!("no section has the title \"{}\"", title.trim()),
                        Some(hint),
                    );
                }
            }
        }
        kept.sort_unstable();
        kept.dedup();
        kept
    }
}
