//! Desk-break notifications on the desktop (notify-rust), answered on a named thread.
//!
//! Showing a notification talks D-Bus on Linux and may block, so it never runs on the UI
//! thread. Without a notification daemon the call fails: the app already shows its own
//! banner, and says once (on the banner's hover) why the desktop one is missing. Clicking
//! the notification, where the daemon supports actions, opens the desk-break routine.

use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui;

/// What came back from a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum NotifyEvent {
    /// The desktop could not show it.
    Failed(String),
    /// The athlete clicked it (or its "Start desk break" action).
    Clicked,
}

/// Sends desk-break notifications and collects what comes back.
pub(super) struct Notifier {
    enabled: bool,
    sender: Sender<NotifyEvent>,
    events: Receiver<NotifyEvent>,
}

impl Notifier {
    /// A notifier; a disabled one (tests) only ever uses the in-app banner.
    pub(super) fn new(enabled: bool) -> Self {
        let (sender, events) = channel();
        Self {
            enabled,
            sender,
            events,
        }
    }

    /// Shows the desk-break notification, on its own thread.
    pub(super) fn notify(&self, ctx: &egui::Context, minutes: u32) {
        if !self.enabled {
            return;
        }
        let sender = self.sender.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("desk-break-notification".to_owned())
            .spawn(move || show(&sender, &ctx, minutes));
        if let Err(error) = spawned {
            log::warn!("cannot start the notification thread: {error}");
        }
    }

    /// What came back since the last call.
    pub(super) fn events(&self) -> Vec<NotifyEvent> {
        self.events.try_iter().collect()
    }
}

fn show(sender: &Sender<NotifyEvent>, ctx: &egui::Context, minutes: u32) {
    let shown = notify_rust::Notification::new()
        .appname("Limber Up")
        .summary("Time for a desk break")
        .body(&format!(
            "{minutes} minutes at the desk. The desk break takes 3-4 minutes: hip flexors, \
             hamstrings and a rest for your lower back."
        ))
        .action("default", "Start desk break")
        .show();
    match shown {
        Ok(handle) => wait_for_click(handle, sender, ctx),
        Err(error) => {
            let _ = sender.send(NotifyEvent::Failed(error.to_string()));
            ctx.request_repaint();
        }
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn wait_for_click(
    handle: notify_rust::NotificationHandle,
    sender: &Sender<NotifyEvent>,
    ctx: &egui::Context,
) {
    // Blocks this thread until the notification is clicked or closed.
    handle.wait_for_action(|action| {
        if action == "default" {
            let _ = sender.send(NotifyEvent::Clicked);
            ctx.request_repaint();
        }
    });
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn wait_for_click(
    _handle: notify_rust::NotificationHandle,
    _sender: &Sender<NotifyEvent>,
    _ctx: &egui::Context,
) {
    // Other desktops give no click back; the in-app banner offers the routine.
}
