//! Toasts: the short message after an action (an export finished or failed, a script was
//! copied) at the bottom of the surface, with a progress bar and Cancel while it works.

use crate::tr;
use std::path::PathBuf;

use super::platform::{self, Instant};

/// A message for the user after an action: shown as a toast at the bottom of the window for
/// a few seconds (errors longer, in red), so a lecture sees that an export worked and where
/// it went.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    /// Still working (an export in the background): shown until replaced, with a progress
    /// bar (done, of) and Cancel.
    pub working: bool,
    pub progress: Option<(usize, usize)>,
    pub at: Instant,
    /// The folder a file was just saved to, which the toast offers to open.
    pub folder: Option<PathBuf>,
}

/// What a click on the toast asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ToastClick {
    Nothing,
    Cancel,
    OpenFolder,
}

impl Notice {
    pub(super) fn done(text: String) -> Self {
        Self {
            text,
            error: false,
            working: false,
            progress: None,
            at: Instant::now(),
            folder: None,
        }
    }

    /// Offers to open `folder` (where a file was saved) when the platform has folders.
    pub(super) fn with_folder(mut self, folder: Option<&std::path::Path>) -> Self {
        self.folder = folder
            .filter(|_| platform::CAN_OPEN_FOLDER)
            .filter(|f| !f.as_os_str().is_empty())
            .map(std::path::Path::to_path_buf);
        self
    }

    pub(super) fn failed(text: String) -> Self {
        Self {
            error: true,
            ..Self::done(text)
        }
    }

    pub(super) fn working(text: String) -> Self {
        Self {
            working: true,
            ..Self::done(text)
        }
    }

    /// How long it stays on screen.
    fn lifetime(&self) -> f64 {
        if self.error || self.folder.is_some() {
            10.0
        } else {
            5.0
        }
    }

    pub(super) fn expired(&self) -> bool {
        !self.working && self.at.elapsed().as_secs_f64() > self.lifetime()
    }

    /// Draws the toast at the bottom of `within` (the surface plot's frame, clear of its axis
    /// labels; the window when there is none); what its buttons were clicked for.
    pub(super) fn toast_ui(&self, ctx: &egui::Context, within: Option<egui::Rect>) -> ToastClick {
        let mut click = ToastClick::Nothing;
        if self.expired() {
            return click;
        }
        let (fill, text) = if self.error {
            (
                egui::Color32::from_rgb(120, 24, 24),
                egui::Color32::from_rgb(255, 230, 230),
            )
        } else {
            (
                egui::Color32::from_rgb(24, 60, 44),
                egui::Color32::from_rgb(225, 255, 240),
            )
        };
        let window = ctx.content_rect();
        let (offset, max_width) = match within {
            Some(r) => (
                [
                    r.center().x - window.center().x,
                    r.bottom() - window.bottom() - 10.0,
                ],
                (r.width() - 24.0).max(160.0),
            ),
            None => ([0.0, -28.0], window.width() * 0.6),
        };
        egui::Area::new(egui::Id::unique("optiscope-toast"))
            .anchor(egui::Align2::CENTER_BOTTOM, offset)
            .order(egui::Order::Foreground)
            .interactable(self.working || self.folder.is_some())
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(fill)
                    .corner_radius(6.0)
                    .inner_margin(egui::Margin::symmetric(14, 10))
                    .show(ui, |ui| {
                        ui.set_max_width(max_width - 28.0);
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(&self.text).size(15.0).color(text),
                            )
                            .wrap(),
                        );
                        if self.working {
                            ui.horizontal(|ui| {
                                let (done, of) = self.progress.unwrap_or((0, 0));
                                let bar =
                                    match of {
                                        0 => egui::ProgressBar::new(0.0).animate(true),
                                        _ => egui::ProgressBar::new(done as f32 / of as f32)
                                            .text(tr!("toast-progress", done = done, of = of)),
                                    };
                                ui.add(bar.desired_width(220.0));
                                if ui.button(tr!("toast-cancel")).clicked() {
                                    click = ToastClick::Cancel;
                                }
                            });
                        }
                        if let Some(folder) = &self.folder
                            && ui
                                .button(tr!("toast-open-folder"))
                                .on_hover_text(folder.display().to_string())
                                .clicked()
                        {
                            click = ToastClick::OpenFolder;
                        }
                    });
            });
        if !self.working {
            let left = self.lifetime() - self.at.elapsed().as_secs_f64();
            ctx.request_repaint_after(platform::Duration::from_secs_f64(left.max(0.05)));
        }
        click
    }
}
