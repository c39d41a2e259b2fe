//! The CSV of `optiscope trace`: one row per step, `step,lr,x,y,loss,grad_x,grad_y`.
//!
//! Floats are written in Rust's shortest round-trip form, so reading a value back gives the
//! identical `f64` (checks outside the project compare against PyTorch at 1e-10).

use std::io::{self, Write};

use crate::core::simulation::{Recorder, Row};

/// The header line, part of the CLI contract.
pub const CSV_HEADER: &str = "step,lr,x,y,loss,grad_x,grad_y";

/// Streams rows to a writer, keeping every `every`-th step plus the last row.
pub struct CsvRecorder<W: Write> {
    out: W,
    every: u64,
    /// The latest row that was not written, so it can be written as the last row.
    held: Option<Row>,
    error: Option<io::Error>,
}

impl<W: Write> CsvRecorder<W> {
    /// Writes the header; `every` of 0 is treated as 1.
    pub fn new(mut out: W, every: u64) -> io::Result<Self> {
        writeln!(out, "{CSV_HEADER}")?;
        Ok(Self {
            out,
            every: every.max(1),
            held: None,
            error: None,
        })
    }

    fn write(&mut self, row: &Row) {
        if self.error.is_some() {
            return;
        }
        let r = writeln!(
            self.out,
            "{},{:?},{:?},{:?},{:?},{:?},{:?}",
            row.step, row.lr, row.point[0], row.point[1], row.loss, row.grad[0], row.grad[1]
        );
        if let Err(e) = r {
            self.error = Some(e);
        }
    }

    /// Writes the held last row and flushes; reports the first write error.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(row) = self.held.take() {
            self.write(&row);
        }
        if let Some(e) = self.error {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Recorder for CsvRecorder<W> {
    fn record(&mut self, row: &Row) {
        if row.step.is_multiple_of(self.every) {
            self.held = None;
            self.write(row);
        } else {
            self.held = Some(*row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(step: u64) -> Row {
        Row {
            step,
            lr: 0.1,
            point: [1.0 / 3.0, -2.0],
            loss: 1e-300,
            grad: [1e20, 0.0],
        }
    }

    #[test]
    fn every_keeps_multiples_and_the_last_row_and_floats_round_trip() {
        let mut rec = CsvRecorder::new(Vec::new(), 3).unwrap();
        for k in 0..=7 {
            rec.record(&row(k));
        }
        let text = String::from_utf8(rec.finish().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CSV_HEADER);
        let steps: Vec<&str> = lines[1..]
            .iter()
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(steps, ["0", "3", "6", "7"]);
        let fields: Vec<f64> = lines[1].split(',').map(|f| f.parse().unwrap()).collect();
        assert_eq!(fields, [0.0, 0.1, 1.0 / 3.0, -2.0, 1e-300, 1e20, 0.0]);
    }
}
