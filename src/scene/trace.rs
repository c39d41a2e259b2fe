//! The CSV of `optiscope trace`: one row per step, `step,lr,x,y,loss,grad_x,grad_y`, and the
//! columns `--extra` asks for after them (`sharpness`, `precond_sharpness`).
//!
//! Floats are written in Rust's shortest round-trip form, so reading a value back gives the
//! identical `f64` (checks outside the project compare against PyTorch at 1e-10).

use std::io::{self, Write};

use crate::core::analysis::theory::preconditioned_sharpness;
use crate::core::math::Point;
use crate::core::run::simulation::{Recorder, Row};
use crate::core::surface::{AnySurface, Surface};

/// The header line, part of the CLI contract.
pub const CSV_HEADER: &str = "step,lr,x,y,loss,grad_x,grad_y";

/// The header line of `optiscope train`, part of the CLI contract.
pub const TRAIN_CSV_HEADER: &str = "step,lr,loss,test_loss,grad_norm";

/// One row of `optiscope train`, in the same number format as `trace`.
pub fn train_csv_row(row: &crate::core::network::train::TrainRow) -> String {
    format!(
        "{},{:?},{:?},{:?},{:?}",
        row.step, row.lr, row.loss, row.test_loss, row.grad_norm
    )
}

/// A column `trace --extra` appends after `grad_y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// λmax of the Hessian at θ_k: compared with 2/lr (GD), the edge of stability.
    Sharpness,
    /// λmax(P⁻¹H(θ_k)) with P the diagonal update k divides its step by (Adam's √v_hat + eps;
    /// the identity for optimizers that do not rescale, so it equals `sharpness` there). The
    /// last row, which has no update, uses the update before it (Cohen et al. 2022).
    PrecondSharpness,
}

impl Extra {
    pub const ALL: [Extra; 2] = [Extra::Sharpness, Extra::PrecondSharpness];

    /// The column's name, part of the CLI contract.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sharpness => "sharpness",
            Self::PrecondSharpness => "precond_sharpness",
        }
    }

    /// Reads `sharpness,precond_sharpness` (in the order the columns are to appear).
    pub fn parse_list(text: &str) -> Result<Vec<Extra>, ExtraError> {
        let mut extras = Vec::new();
        for word in text.split(',').map(str::trim) {
            let extra = Self::ALL
                .into_iter()
                .find(|e| e.name() == word)
                .ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|e| e.name()).collect();
                    ExtraError::Unknown {
                        word: word.to_owned(),
                        valid: names.join(", "),
                    }
                })?;
            if extras.contains(&extra) {
                return Err(ExtraError::Twice(word.to_owned()));
            }
            extras.push(extra);
        }
        Ok(extras)
    }
}

/// A mistake in `--extra`'s list of columns.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtraError {
    #[error("unknown column '{word}'; --extra takes {valid}")]
    Unknown { word: String, valid: String },
    #[error("column '{0}' is asked for twice")]
    Twice(String),
}

/// What the extra columns need: the surface, and a row waiting for its update's
/// preconditioner.
struct Extras {
    columns: Vec<Extra>,
    surface: AnySurface,
    waiting: Option<Row>,
    last_preconditioner: Option<Point>,
}

/// Streams rows to a writer, keeping every `every`-th step plus the last row.
///
/// A row that is not written costs a comparison and a copy: the latest one is held until it
/// is known whether it is the last (a run of 1e8 steps written every 1e8 writes two rows and
/// keeps nothing else). The first rate below zero is noted on the way, so the negative-rate
/// report needs no table of the run's rates.
pub struct CsvRecorder<W: Write> {
    out: W,
    every: u64,
    /// The next step that is a multiple of `every` (rows come in order of their steps).
    next_written: u64,
    /// The latest row that was not written, so it can be written as the last row.
    held: Option<Row>,
    extras: Option<Extras>,
    /// The extra values of `held`.
    held_extra: Vec<f64>,
    /// The first row whose rate is below zero: its step and rate.
    ascent: Option<(u64, f64)>,
    error: Option<io::Error>,
}

impl<W: Write> CsvRecorder<W> {
    /// Writes the header; `every` of 0 is treated as 1.
    pub fn new(mut out: W, every: u64) -> io::Result<Self> {
        writeln!(out, "{CSV_HEADER}")?;
        Ok(Self::started(out, every, None))
    }

    fn started(out: W, every: u64, extras: Option<Extras>) -> Self {
        Self {
            out,
            every: every.max(1),
            next_written: 0,
            held: None,
            extras,
            held_extra: Vec::new(),
            ascent: None,
            error: None,
        }
    }

    /// Like [`CsvRecorder::new`], with `columns` after `grad_y`, computed on `surface`.
    pub fn with_extras(
        mut out: W,
        every: u64,
        columns: Vec<Extra>,
        surface: AnySurface,
    ) -> io::Result<Self> {
        if columns.is_empty() {
            return Self::new(out, every);
        }
        let names: Vec<&str> = columns.iter().map(|c| c.name()).collect();
        writeln!(out, "{CSV_HEADER},{}", names.join(","))?;
        let extras = Extras {
            columns,
            surface,
            waiting: None,
            last_preconditioner: None,
        };
        Ok(Self::started(out, every, Some(extras)))
    }

    /// The first recorded step whose learning rate is below zero, and that rate: where the
    /// update starts to climb the loss (see [`crate::core::run::simulation::ascent_text`]).
    pub fn ascent(&self) -> Option<(u64, f64)> {
        self.ascent
    }

    #[cold]
    #[inline(never)]
    fn write(&mut self, row: &Row, extra: &[f64]) {
        if self.error.is_some() {
            return;
        }
        let mut r = write!(
            self.out,
            "{},{:?},{:?},{:?},{:?},{:?},{:?}",
            row.step, row.lr, row.point[0], row.point[1], row.loss, row.grad[0], row.grad[1]
        );
        for v in extra {
            r = r.and_then(|()| write!(self.out, ",{v:?}"));
        }
        if let Err(e) = r.and_then(|()| writeln!(self.out)) {
            self.error = Some(e);
        }
    }

    /// Writes the row if its step is a multiple of `every`, else holds it for the end.
    ///
    /// The row comes by value and only the cold path takes its address: a row kept in
    /// registers is held with plain stores (a reference into the hot loop would put it on the
    /// stack and copy it back every step).
    #[inline(always)]
    fn emit(&mut self, row: Row, extra: Vec<f64>) {
        if row.step >= self.next_written {
            self.written(row, extra);
        } else {
            self.held = Some(row);
            if self.extras.is_some() {
                self.held_extra = extra;
            }
        }
    }

    /// The row at or past `next_written`: written when it is a multiple of `every`.
    #[cold]
    #[inline(never)]
    fn written(&mut self, row: Row, extra: Vec<f64>) {
        // The next multiple of `every` after this step (saturating: u64::MAX is never reached).
        self.next_written = (row.step / self.every)
            .saturating_add(1)
            .saturating_mul(self.every);
        if row.step.is_multiple_of(self.every) {
            self.held = None;
            self.write(&row, &extra);
        } else {
            self.held = Some(row);
            self.held_extra = extra;
        }
    }

    /// The extra values of `row` with `preconditioner`.
    fn extra_values(extras: &Extras, row: &Row, preconditioner: Option<Point>) -> Vec<f64> {
        let h = extras.surface.hessian(row.point);
        extras
            .columns
            .iter()
            .map(|c| match c {
                Extra::Sharpness => preconditioned_sharpness(h, None),
                Extra::PrecondSharpness => preconditioned_sharpness(h, preconditioner),
            })
            .collect()
    }

    /// Writes the held last row and flushes; reports the first write error.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(extras) = &mut self.extras
            && let Some(row) = extras.waiting.take()
        {
            let values = Self::extra_values(extras, &row, extras.last_preconditioner);
            self.emit(row, values);
        }
        if let Some(row) = self.held.take() {
            let extra = std::mem::take(&mut self.held_extra);
            self.write(&row, &extra);
        }
        if let Some(e) = self.error {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Recorder for CsvRecorder<W> {
    #[inline(always)]
    fn record(&mut self, row: &Row) {
        if row.lr < 0.0 && self.ascent.is_none() {
            self.ascent = Some((row.step, row.lr));
        }
        match &mut self.extras {
            None => self.emit(*row, Vec::new()),
            // The preconditioner of this row's update is known once it is applied.
            Some(extras) if extras.columns.contains(&Extra::PrecondSharpness) => {
                extras.waiting = Some(*row)
            }
            Some(extras) => {
                let values = Self::extra_values(extras, row, None);
                self.emit(*row, values);
            }
        }
    }

    fn wants_preconditioner(&self) -> bool {
        self.extras
            .as_ref()
            .is_some_and(|e| e.columns.contains(&Extra::PrecondSharpness))
    }

    fn stepped(&mut self, step: u64, preconditioner: Option<Point>) {
        let Some(extras) = &mut self.extras else {
            return;
        };
        extras.last_preconditioner = preconditioner;
        if let Some(row) = extras.waiting.take_if(|r| r.step == step) {
            let values = Self::extra_values(extras, &row, preconditioner);
            self.emit(row, values);
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
