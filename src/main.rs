//! The `optiscope` command: `trace` runs one optimizer headless and prints CSV, `list` shows
//! every surface, optimizer and schedule, `render` draws a preset to a GIF or PNG. Without a
//! subcommand it opens the window.

#![warn(clippy::unwrap_used)]
// The browser build uses only `main` below; the command line is the desktop's.
#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]

use std::process::ExitCode;

use clap::Parser;

mod cli;
use cli::args::*;
use cli::commands::*;

/// In the browser the page starts the app; there is no command line.
#[cfg(target_arch = "wasm32")]
fn main() {
    optiscope::app::platform::start_web();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Trace(args)) => trace(*args),
        Some(Command::Train(args)) => train(*args),
        Some(Command::List(args)) => list(args),
        #[cfg(feature = "picture")]
        Some(Command::Render(args)) => render(args),
        Some(Command::Pytorch(args)) => script(args, optiscope::scene::script::pytorch_script),
        Some(Command::Keras(args)) => script(args, optiscope::scene::script::keras_script),
        Some(Command::Theory(args)) => theory(args),
        Some(Command::Share(args)) => share(args),
        Some(Command::Page(args)) => page(args),
        Some(Command::Log(args)) => log(args),
        #[cfg(feature = "picture")]
        Some(Command::Gallery(args)) => gallery(args),
        None => open_window(
            cli.preset.map(|p| p.display().to_string()).or(cli.file),
            cli.lang,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Exit code 2 is a mistake in what was typed (as clap reports its own); 1 is a
            // failure while doing what was asked.
            if e.downcast_ref::<Usage>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

#[cfg(all(feature = "gui", not(target_arch = "wasm32")))]
fn open_window(preset: Option<String>, lang: Option<optiscope::text::Lang>) -> anyhow::Result<()> {
    use optiscope::app::FileCommand;
    use optiscope::scene::link::{looks_like_link, parse_link};
    // A bad preset or link is reported here, where the user typed it; the window then opens
    // on the last scene and shows the same message, so nothing is silently ignored.
    let initial = preset.map(|text| {
        if looks_like_link(&text) {
            if let Err(e) = parse_link(&text) {
                eprintln!("optiscope: {e}");
            }
            FileCommand::OpenLink(text)
        } else {
            let path = std::path::PathBuf::from(text);
            if let Err(e) = optiscope::scene::preset::load_preset(&path) {
                eprintln!("optiscope: {e}");
            }
            FileCommand::Open(path)
        }
    });
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if cfg!(target_os = "linux") && !has_display {
        anyhow::bail!(
            "there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); \
             `optiscope trace` works without one."
        );
    }
    match optiscope::app::platform::run_native(initial, lang) {
        Ok(()) => Ok(()),
        Err(e) => {
            // winit prefixes its reason with a source location; keep only the reason.
            let text = e.to_string();
            let reason = text
                .rsplit(": ")
                .next()
                .unwrap_or(&text)
                .trim_end_matches('.');
            anyhow::bail!("cannot open the window ({reason}); `optiscope trace` works without one.")
        }
    }
}

#[cfg(any(not(feature = "gui"), target_arch = "wasm32"))]
fn open_window(
    _preset: Option<String>,
    _lang: Option<optiscope::text::Lang>,
) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no window (built without the `gui` feature); \
         see `optiscope --help` for the command line."
    )
}
