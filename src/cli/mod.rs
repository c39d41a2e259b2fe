//! The `optiscope` command line, by job: [`args`] its shape, [`parse`] the flag values,
//! [`commands`] what each subcommand does.

pub(crate) mod args;
pub(crate) mod commands;
pub(crate) mod parse;
