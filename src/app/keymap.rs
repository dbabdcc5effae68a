//! The keys, in one table: it drives the key handler, the buttons' hover texts and the
//! About screen, so the three can never disagree.

use eframe::egui::{self, Key, Modifiers};

use super::command::Command;
use super::state::{Page, Screen, State};

/// Where a binding works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scope {
    /// The player, while a session plays.
    Player,
    /// The player, while "Stop the session?" is asked.
    StopQuestion,
    /// A routine's page.
    Routine,
    /// The finish screen.
    Finish,
    /// The routines.
    Library,
    /// History, Settings and About.
    Elsewhere,
}

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Action {
    TogglePause,
    Next,
    Previous,
    Done,
    AddTime,
    RemoveTime,
    ToggleMute,
    ToggleFullscreen,
    AskStop,
    KeepGoing,
    ConfirmStop,
    Start,
    CheckIn,
    CloseFinish,
    ShowHistory,
    BackToRoutines,
    LevelsDown,
    LevelsUp,
}

/// One row of the table.
pub(super) struct Binding {
    pub scope: Scope,
    /// The keys, any of which does it (no modifier).
    pub keys: &'static [Key],
    pub action: Action,
    /// What it does, for the About screen.
    pub does: &'static str,
}

/// The number keys 0 to 9, in order: the check-in.
const DIGITS: &[Key] = &[
    Key::Num0,
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// Every key binding. The first binding of a scope that matches a key wins.
pub(super) const KEYMAP: &[Binding] = &[
    Binding {
        scope: Scope::Player,
        keys: &[Key::Space],
        action: Action::TogglePause,
        does: "pause or resume",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::ArrowRight, Key::N],
        action: Action::Next,
        does: "next",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::ArrowLeft, Key::P],
        action: Action::Previous,
        does: "back (restart the step when more than 3 s in)",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::Enter],
        action: Action::Done,
        does: "done (jogs and strides); on a timed step, next only if Settings say so",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::Plus, Key::Equals],
        action: Action::AddTime,
        does: "add 10 seconds",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::Minus],
        action: Action::RemoveTime,
        does: "remove 10 seconds",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::M],
        action: Action::ToggleMute,
        does: "sound on or off",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::F11, Key::F],
        action: Action::ToggleFullscreen,
        does: "fullscreen",
    },
    Binding {
        scope: Scope::Player,
        keys: &[Key::Escape],
        action: Action::AskStop,
        does: "stop (asks first)",
    },
    Binding {
        scope: Scope::StopQuestion,
        keys: &[Key::Escape],
        action: Action::KeepGoing,
        does: "keep going",
    },
    Binding {
        scope: Scope::StopQuestion,
        keys: &[Key::Enter],
        action: Action::ConfirmStop,
        does: "stop, keeping what was done",
    },
    Binding {
        scope: Scope::Routine,
        keys: DIGITS,
        action: Action::CheckIn,
        does: "how your back feels before the start (0 loose, 10 very tight)",
    },
    Binding {
        scope: Scope::Routine,
        keys: &[Key::Enter],
        action: Action::Start,
        does: "start the routine",
    },
    Binding {
        scope: Scope::Routine,
        keys: &[Key::Escape],
        action: Action::BackToRoutines,
        does: "back to the routines",
    },
    Binding {
        scope: Scope::Routine,
        keys: &[Key::OpenBracket],
        action: Action::LevelsDown,
        does: "every step with levels one level down",
    },
    Binding {
        scope: Scope::Routine,
        keys: &[Key::CloseBracket],
        action: Action::LevelsUp,
        does: "every step with levels one level up",
    },
    Binding {
        scope: Scope::Finish,
        keys: DIGITS,
        action: Action::CheckIn,
        does: "how your back feels now, kept with the session",
    },
    Binding {
        scope: Scope::Finish,
        keys: &[Key::Enter, Key::Escape],
        action: Action::CloseFinish,
        does: "back to the routines",
    },
    Binding {
        scope: Scope::Library,
        keys: &[Key::H],
        action: Action::ShowHistory,
        does: "the training log",
    },
    Binding {
        scope: Scope::Library,
        keys: &[Key::F11],
        action: Action::ToggleFullscreen,
        does: "fullscreen",
    },
    Binding {
        scope: Scope::Library,
        keys: &[Key::M],
        action: Action::ToggleMute,
        does: "sound on or off",
    },
    Binding {
        scope: Scope::Elsewhere,
        keys: &[Key::Escape],
        action: Action::BackToRoutines,
        does: "back to the routines",
    },
];

impl Scope {
    /// The heading of its keys on the About screen.
    pub(super) fn heading(self) -> &'static str {
        match self {
            Self::Player => "In the player",
            Self::StopQuestion => "When asked whether to stop",
            Self::Routine => "On a routine's page",
            Self::Finish => "On the finish screen",
            Self::Library => "In the routines",
            Self::Elsewhere => "In the log, settings and About",
        }
    }

    /// Every scope, in the About screen's order.
    pub(super) const ALL: [Self; 6] = [
        Self::Player,
        Self::StopQuestion,
        Self::Routine,
        Self::Finish,
        Self::Library,
        Self::Elsewhere,
    ];

    /// The scope the window is in.
    fn of(state: &State) -> Self {
        match &state.page {
            Page::Player(page) if page.confirm_stop => Self::StopQuestion,
            Page::Player(_) => Self::Player,
            Page::Routine(_) => Self::Routine,
            Page::Finish(_) => Self::Finish,
            Page::Library => Self::Library,
            Page::History | Page::Settings | Page::About => Self::Elsewhere,
        }
    }
}

/// How a key is written: `Esc`, `Right`, `+`.
fn key_name(key: Key) -> &'static str {
    match key {
        Key::Escape => "Esc",
        Key::ArrowRight => "Right",
        Key::ArrowLeft => "Left",
        other => other.symbol_or_name(),
    }
}

impl Binding {
    /// Its keys as written on the About screen and in hover texts: `Right or N`, `0 to 9`.
    pub(super) fn keys_text(&self) -> String {
        if self.keys == DIGITS {
            return "0 to 9".to_owned();
        }
        self.keys
            .iter()
            .map(|&k| key_name(k))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// The command for `key` (one of its keys) in `state`.
    fn command(&self, key: Key, state: &State) -> Option<Command> {
        Some(match self.action {
            Action::TogglePause => Command::TogglePause,
            Action::Next => Command::Next,
            Action::Previous => Command::Previous,
            Action::Done => Command::Done,
            Action::AddTime => Command::AddTime,
            Action::RemoveTime => Command::RemoveTime,
            Action::ToggleMute => Command::ToggleMute,
            Action::ToggleFullscreen => Command::ToggleFullscreen,
            Action::AskStop => Command::AskStop,
            Action::KeepGoing => Command::CancelStop,
            Action::ConfirmStop => Command::Stop,
            Action::Start => match &state.page {
                Page::Routine(page) => Command::Start(page.id.clone()),
                _ => return None,
            },
            Action::CheckIn => {
                let value = DIGITS.iter().position(|&d| d == key)?;
                let value = u8::try_from(value).ok()?;
                match state.page {
                    Page::Finish(_) => Command::CheckIn(value),
                    _ => Command::CheckInBefore(value),
                }
            }
            Action::CloseFinish => Command::CloseFinish,
            Action::ShowHistory => Command::Show(Screen::History),
            Action::BackToRoutines => Command::Show(Screen::Library),
            Action::LevelsDown => Command::StepAllLevels(false),
            Action::LevelsUp => Command::StepAllLevels(true),
        })
    }
}

/// The keys of `action` in `scope`, for a button's hover text.
pub(super) fn keys_of(scope: Scope, action: Action) -> String {
    KEYMAP
        .iter()
        .find(|b| b.scope == scope && b.action == action)
        .map(Binding::keys_text)
        .unwrap_or_default()
}

/// The commands for the keys pressed this frame, in `state`'s scope, each key consumed so
/// a focused button never sees it twice.
pub(super) fn commands(ctx: &egui::Context, state: &State) -> Vec<Command> {
    // A focused text field or an open drop-down (Esc closes it) keeps its keys.
    if ctx.egui_wants_keyboard_input() || egui::Popup::is_any_open(ctx) {
        return Vec::new();
    }
    let scope = Scope::of(state);
    let mut commands = Vec::new();
    for binding in KEYMAP.iter().filter(|b| b.scope == scope) {
        for &key in binding.keys {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key))
                && let Some(command) = binding.command(key, state)
            {
                commands.push(command);
            }
        }
    }
    commands
}

/// The commands `keys` bring in `state`, as [`commands`] finds them (for tests).
#[cfg(test)]
fn commands_for(keys: &[Key], state: &State) -> Vec<Command> {
    let scope = Scope::of(state);
    KEYMAP
        .iter()
        .filter(|b| b.scope == scope)
        .flat_map(|b| {
            b.keys
                .iter()
                .filter(|k| keys.contains(k))
                .filter_map(move |&k| b.command(k, state))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::app::state::tests::state_with_routine;

    #[test]
    fn no_key_does_two_things_in_one_scope() {
        for scope in Scope::ALL {
            let mut seen = Vec::new();
            for binding in KEYMAP.iter().filter(|b| b.scope == scope) {
                for key in binding.keys {
                    assert!(!seen.contains(key), "{key:?} twice in {scope:?}");
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn keys_are_written_as_the_athlete_reads_them() {
        assert_eq!(keys_of(Scope::Player, Action::Next), "Right or N");
        assert_eq!(keys_of(Scope::Player, Action::AddTime), "+ or =");
        assert_eq!(keys_of(Scope::Player, Action::AskStop), "Esc");
        assert_eq!(keys_of(Scope::Finish, Action::CheckIn), "0 to 9");
        assert_eq!(keys_of(Scope::Routine, Action::LevelsUp), "]");
    }

    #[test]
    fn the_table_drives_the_commands_on_each_page() {
        let mut state = state_with_routine();
        assert_eq!(
            commands_for(&[Key::H], &state),
            [Command::Show(Screen::History)]
        );
        state.page = Page::Routine(crate::app::state::RoutinePage {
            id: "test".to_owned(),
            check_in_before: None,
            plan: None,
        });
        assert_eq!(
            commands_for(&[Key::Num7, Key::Enter], &state),
            [Command::CheckInBefore(7), Command::Start("test".to_owned())]
        );
        assert_eq!(commands_for(&[Key::Space], &state), []);
        assert_eq!(
            commands_for(&[Key::OpenBracket, Key::CloseBracket], &state),
            [Command::StepAllLevels(false), Command::StepAllLevels(true)]
        );
    }

    #[test]
    fn the_about_screen_lists_every_binding_from_the_table() {
        let mut harness = egui_kittest::Harness::builder()
            .with_size(eframe::egui::vec2(1280.0, 3000.0))
            .build_ui(|ui| crate::app::ui::about_ui(ui, false));
        harness.run();
        for scope in Scope::ALL {
            harness.get_by_label(scope.heading());
        }
        for binding in KEYMAP {
            assert!(
                harness.query_all_by_label(&binding.keys_text()).count() > 0,
                "{:?}",
                binding.action
            );
            assert!(
                harness.query_all_by_label(binding.does).count() > 0,
                "{:?}",
                binding.action
            );
        }
    }
}
