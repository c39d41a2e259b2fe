//! Pictures of a scene: the colormap and the headless renderer behind `optiscope render` and
//! the window's Export menu.

pub mod colormap;
pub mod curves;
pub mod export;
pub mod frame;
pub mod network;
pub mod overlay;
pub mod render;
pub mod scene3d;
pub mod text;
