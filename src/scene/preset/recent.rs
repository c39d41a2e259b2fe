//! File names for menus and titles, and the recent-files list.

use super::*;

/// Where a path points, for window titles and menus: the file name without directories.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A file dropped on the window or given on the command line is opened if it looks like a
/// preset; anything else is reported by the loader itself.
pub fn is_preset_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// A recent-files list: most recent first, no duplicates, at most `max` entries.
pub fn push_recent(recent: &mut Vec<PathBuf>, path: &Path, max: usize) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_path_buf());
    recent.truncate(max);
}
