//! Where Limber Up keeps the athlete's own things, in one place: the routines they add, the
//! training log and the settings (XDG folders on Linux, `Application Support` on macOS,
//! `AppData` on Windows, through `directories`). Everything else reads them from here.

use std::path::{Path, PathBuf};

/// The settings file's name, in [`UserPlaces::config`].
pub const SETTINGS_FILE_NAME: &str = "settings.ron";

/// The training log's file name, in [`UserPlaces::data`].
pub const LOG_FILE_NAME: &str = "history.sqlite3";

/// The folder of the athlete's own routines, in [`UserPlaces::data`].
pub const ROUTINES_FOLDER_NAME: &str = "routines";

/// The athlete's folders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPlaces {
    data: PathBuf,
    config: PathBuf,
}

impl UserPlaces {
    /// This user's folders; `None` on a system without a home folder.
    #[must_use]
    pub fn of_this_user() -> Option<Self> {
        directories::ProjectDirs::from("io.github", "limberup", "limberup").map(|dirs| Self {
            data: dirs.data_dir().to_path_buf(),
            config: dirs.config_dir().to_path_buf(),
        })
    }

    /// Folders under `root` (for tests and portable set-ups).
    #[must_use]
    pub fn under(root: &Path) -> Self {
        Self {
            data: root.join("data"),
            config: root.join("config"),
        }
    }

    /// The data folder: routines and the training log.
    #[must_use]
    pub fn data(&self) -> &Path {
        &self.data
    }

    /// The configuration folder: the settings.
    #[must_use]
    pub fn config(&self) -> &Path {
        &self.config
    }

    /// The athlete's routines, imported or written.
    #[must_use]
    pub fn routines(&self) -> PathBuf {
        self.data.join(ROUTINES_FOLDER_NAME)
    }

    /// The training log.
    #[must_use]
    pub fn training_log(&self) -> PathBuf {
        self.data.join(LOG_FILE_NAME)
    }

    /// The settings file.
    #[must_use]
    pub fn settings_file(&self) -> PathBuf {
        self.config.join(SETTINGS_FILE_NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routines_and_the_log_are_data_and_the_settings_configuration() {
        let places = UserPlaces::under(Path::new("/home/a"));
        assert_eq!(places.routines(), Path::new("/home/a/data/routines"));
        assert_eq!(
            places.training_log(),
            Path::new("/home/a/data/history.sqlite3")
        );
        assert_eq!(
            places.settings_file(),
            Path::new("/home/a/config/settings.ron")
        );
    }
}
