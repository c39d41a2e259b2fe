//! Writing a file so a crash mid-save never destroys the old one: a temporary file, then a
//! rename.

use super::*;

/// Why a file could not be written, in a few words (the caller names the file).
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("it is a directory")]
    IsDirectory,
    #[error("the path has no file name")]
    NoFileName,
    /// The browser did not take the download (its reason, as it words it).
    #[error("the browser refused the download: {0}")]
    Refused(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl WriteError {
    /// The message in the current language; `Display` stays English for the command line.
    /// The system's own reasons stay as it words them.
    pub fn text(&self) -> String {
        match self {
            WriteError::IsDirectory => crate::tr!("error-write-directory"),
            WriteError::NoFileName => crate::tr!("error-write-no-file-name"),
            WriteError::Refused(reason) => {
                crate::tr!("error-write-refused", reason = reason.as_str())
            }
            WriteError::Io(e) => e.to_string(),
        }
    }
}

/// Writes `bytes` to a temporary file next to `path` and renames it over `path`, so a crash
/// mid-write leaves the old file intact.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if path.is_dir() {
        return Err(WriteError::IsDirectory);
    }
    let file_name = path.file_name().ok_or(WriteError::NoFileName)?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_write_error_speaks_the_windows_language_and_keeps_its_english() {
        for e in [
            WriteError::IsDirectory,
            WriteError::NoFileName,
            WriteError::Refused("NotAllowedError".into()),
        ] {
            crate::text::assert_translated(&e, WriteError::text);
        }
        // The system's reason stays as it words it.
        let io = WriteError::Io(std::io::Error::other("disk full"));
        assert_eq!(io.text(), io.to_string());
    }
}
