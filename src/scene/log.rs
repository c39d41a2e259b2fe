//! Logs of real training runs, read into one table so a recorded run can be drawn beside the
//! simulated ones: Keras's `CSVLogger` (`epoch`, `learning_rate` or `lr`, `loss`, `val_loss`,
//! metrics), PyTorch Lightning's `CSVLogger` `metrics.csv` (`step`, `epoch`, `lr-<Optimizer>`,
//! rows that fill different columns), TensorBoard's event files (`events.out.tfevents.*`,
//! scalars by tag, [`crate::scene::events`]) and CSV export (`Wall time,Step,Value`), and any CSV
//! with a step or epoch column and numeric columns. Comma, semicolon or tab.
//!
//! The table's columns are `step,epoch,lr,loss,val_loss` and then every other numeric column,
//! as `optiscope log` prints them; a cell a log left empty is `None`.

use std::path::Path;

use thiserror::Error;

/// The most rows a log may have: far above a real run's epochs or logged steps, it keeps a
/// mistaken file (a data set, a dump) from filling memory.
pub const MAX_LOG_ROWS: usize = 1_000_000;

/// The columns every table has first, in this order.
pub const KNOWN: [&str; 5] = ["step", "epoch", "lr", "loss", "val_loss"];

/// Which program wrote the log, as far as its columns tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Keras's `CSVLogger`: an `epoch` column and no `step`.
    Keras,
    /// PyTorch Lightning's `CSVLogger`: `step` and `epoch`, rows filling different columns.
    Lightning,
    /// TensorBoard's event file: scalars by tag.
    TensorBoard,
    /// TensorBoard's *Download CSV*: `Wall time,Step,Value`.
    TensorBoardCsv,
    /// Another CSV with a step or epoch column.
    Csv,
}

impl LogFormat {
    /// The format's name, as `optiscope log` reports it.
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Keras => "Keras CSVLogger",
            LogFormat::Lightning => "PyTorch Lightning CSVLogger",
            LogFormat::TensorBoard => "TensorBoard event file",
            LogFormat::TensorBoardCsv => "TensorBoard CSV export",
            LogFormat::Csv => "CSV",
        }
    }
}

/// A log read into one table.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingLog {
    pub format: LogFormat,
    /// `KNOWN` then the other numeric columns, in the file's order.
    pub columns: Vec<String>,
    /// For each column of the table, the file's column it came from (`None`: not in the file).
    pub sources: Vec<Option<String>>,
    /// One row per step (or epoch), in the file's order; Lightning's rows of one step merged.
    pub rows: Vec<Vec<Option<f64>>>,
}

/// Why a log could not be read: what and where.
#[derive(Debug, Error, PartialEq)]
pub enum LogError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error("{path}, line {line}: {reason}")]
    Malformed {
        path: String,
        line: u64,
        reason: String,
    },
    #[error("{path}, line {line}, column '{column}': '{cell}' is not a number")]
    NotANumber {
        path: String,
        line: u64,
        column: String,
        cell: String,
    },
    #[error(
        "{path}: no step or epoch column (the header is {header}); a training log needs one of `step`, `global_step`, `Step` or `epoch`"
    )]
    NoStep { path: String, header: String },
    #[error("{path}: more than {MAX_LOG_ROWS} rows")]
    TooLong { path: String },
    #[error("{path}: {source}")]
    Events {
        path: String,
        source: crate::scene::events::EventError,
    },
    #[error("{path}: no scalar tagged {tags} (the file has {found})")]
    NoTag {
        path: String,
        tags: String,
        found: String,
    },
}

/// Reads the log at `path`.
pub fn read_log(path: &Path) -> Result<TrainingLog, LogError> {
    read_log_tags(path, &[])
}

/// Reads the log at `path`; of an event file only the scalars tagged `tags` (all when empty).
pub fn read_log_tags(path: &Path, tags: &[String]) -> Result<TrainingLog, LogError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LogError::Read {
        path: name.clone(),
        reason: e.to_string(),
    })?;
    if crate::scene::events::looks_like_events(&bytes) {
        return events_log(&bytes, &name, tags);
    }
    parse_log(&bytes, &name)
}

/// Which table column a TensorBoard tag is: [`known`]'s names, and the tags PyTorch users
/// and Keras's TensorBoard callback write (`train/loss`, `epoch_loss`, `epoch_learning_rate`).
fn known_tag(tag: &str) -> Option<usize> {
    let lower = tag.trim().to_ascii_lowercase();
    known(&lower).or(match lower.as_str() {
        "train/lr" | "lr/train" | "epoch_learning_rate" | "learning-rate" => Some(2),
        "train/loss" | "loss/train" | "epoch_loss" | "training/loss" => Some(3),
        "val/loss" | "loss/val" | "validation/loss" | "loss/validation" | "test/loss" => Some(4),
        _ => None,
    })
}

/// An event file's scalars as a table: one row per step, a column per tag.
fn events_log(bytes: &[u8], name: &str, tags: &[String]) -> Result<TrainingLog, LogError> {
    let scalars = crate::scene::events::read_scalars(bytes).map_err(|source| LogError::Events {
        path: name.to_owned(),
        source,
    })?;
    let mut seen: Vec<String> = Vec::new();
    for s in &scalars {
        if !seen.contains(&s.tag) {
            seen.push(s.tag.clone());
        }
    }
    let chosen: Vec<&String> = seen
        .iter()
        .filter(|t| tags.is_empty() || tags.contains(t))
        .collect();
    if chosen.is_empty() {
        return Err(LogError::NoTag {
            path: name.to_owned(),
            tags: tags.join(", "),
            found: if seen.is_empty() {
                "no scalars".to_owned()
            } else {
                seen.join(", ")
            },
        });
    }
    let mut columns: Vec<String> = KNOWN.iter().map(|s| (*s).to_owned()).collect();
    let mut sources: Vec<Option<String>> = vec![None; KNOWN.len()];
    sources[0] = Some("the events' step".to_owned());
    let mut slot_of = std::collections::HashMap::new();
    for tag in chosen {
        let slot = match known_tag(tag) {
            Some(k) if k > 1 && sources[k].is_none() => k,
            _ => {
                columns.push(tag.clone());
                sources.push(None);
                columns.len() - 1
            }
        };
        sources[slot] = Some(tag.clone());
        slot_of.insert(tag.as_str(), slot);
    }
    // One row per step, in step order; a tag logged twice at a step keeps its last value.
    let mut by_step: std::collections::BTreeMap<i64, Vec<Option<f64>>> = Default::default();
    for s in &scalars {
        if let Some(&slot) = slot_of.get(s.tag.as_str()) {
            if by_step.len() >= MAX_LOG_ROWS && !by_step.contains_key(&s.step) {
                return Err(LogError::TooLong {
                    path: name.to_owned(),
                });
            }
            let row = by_step.entry(s.step).or_insert_with(|| {
                let mut row = vec![None; columns.len()];
                row[0] = Some(s.step as f64);
                row
            });
            row[slot] = Some(s.value);
        }
    }
    Ok(TrainingLog {
        format: LogFormat::TensorBoard,
        columns,
        sources,
        rows: by_step.into_values().collect(),
    })
}

/// The delimiter of `header`: the one of comma, semicolon and tab it has most of.
fn delimiter(header: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| header.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',')
}

/// Which table column a file's header names, if one of [`KNOWN`].
fn known(header: &str) -> Option<usize> {
    let h = header.trim();
    let lower = h.to_ascii_lowercase();
    Some(match lower.as_str() {
        "step" | "global_step" => 0,
        "epoch" => 1,
        "lr" | "learning_rate" => 2,
        "loss" | "train_loss" | "train_loss_step" => 3,
        "val_loss" | "valid_loss" | "validation_loss" => 4,
        // Lightning's LearningRateMonitor: `lr-SGD`, `lr-Adam`, `lr-AdamW/pg1`.
        _ if lower.starts_with("lr-") => 2,
        _ => return None,
    })
}

/// Reads a log from its bytes; `name` is where it came from, for messages.
pub fn parse_log(bytes: &[u8], name: &str) -> Result<TrainingLog, LogError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LogError::Malformed {
        path: name.to_owned(),
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64,
        reason: "the file is not UTF-8 text".to_owned(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(LogError::Empty {
            path: name.to_owned(),
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(first))
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let malformed = |e: csv::Error| LogError::Malformed {
        path: name.to_owned(),
        line: e.position().map_or(0, |p| p.line()),
        reason: match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} cells where the header has {expected_len}"),
            _ => e.to_string(),
        },
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(malformed)?
        .iter()
        .map(str::to_owned)
        .collect();
    let tensorboard = header.len() == 3
        && header[0].eq_ignore_ascii_case("wall time")
        && header[1].eq_ignore_ascii_case("step")
        && header[2].eq_ignore_ascii_case("value");
    // Where each file column goes: a known column, or an extra one after them.
    let mut columns: Vec<String> = KNOWN.iter().map(|s| (*s).to_owned()).collect();
    let mut sources: Vec<Option<String>> = vec![None; KNOWN.len()];
    let mut place = Vec::with_capacity(header.len());
    for h in &header {
        let slot = match known(h) {
            Some(k) if sources[k].is_none() && !(tensorboard && k != 0) => k,
            _ => {
                let extra = if tensorboard && h.eq_ignore_ascii_case("wall time") {
                    "wall_time".to_owned()
                } else if tensorboard {
                    "value".to_owned()
                } else {
                    h.clone()
                };
                columns.push(extra);
                sources.push(None);
                columns.len() - 1
            }
        };
        sources[slot] = Some(h.clone());
        place.push(slot);
    }
    if sources[0].is_none() && sources[1].is_none() {
        return Err(LogError::NoStep {
            path: name.to_owned(),
            header: header.join(","),
        });
    }
    let format = if tensorboard {
        LogFormat::TensorBoardCsv
    } else if sources[0].is_some() && sources[1].is_some() {
        LogFormat::Lightning
    } else if sources[1].is_some() && (sources[2].is_some() || sources[3].is_some()) {
        LogFormat::Keras
    } else {
        LogFormat::Csv
    };
    let mut rows: Vec<Vec<Option<f64>>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(malformed)?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() >= MAX_LOG_ROWS {
            return Err(LogError::TooLong {
                path: name.to_owned(),
            });
        }
        let mut row = vec![None; columns.len()];
        for (cell, &slot) in record.iter().zip(&place) {
            if cell.is_empty() {
                continue;
            }
            let value = number(cell).ok_or_else(|| LogError::NotANumber {
                path: name.to_owned(),
                line,
                column: header[place.iter().position(|&p| p == slot).unwrap_or(0)].clone(),
                cell: cell.chars().take(40).collect(),
            })?;
            row[slot] = Some(value);
        }
        // Lightning writes a step's training and validation values on rows of their own:
        // one row per (step, epoch), the later cells filling the earlier row's gaps.
        let merged = format == LogFormat::Lightning
            && rows.last_mut().is_some_and(|last| {
                let same = last[0] == row[0] && last[1] == row[1];
                let disjoint = last
                    .iter()
                    .zip(&row)
                    .all(|(a, b)| a.is_none() || b.is_none() || a == b);
                if same && disjoint {
                    for (a, b) in last.iter_mut().zip(&row) {
                        if a.is_none() {
                            *a = *b;
                        }
                    }
                }
                same && disjoint
            });
        if !merged {
            rows.push(row);
        }
    }
    Ok(TrainingLog {
        format,
        columns,
        sources,
        rows,
    })
}

/// A cell as a number: decimals and exponents, and `nan`/`inf` as Python writes them (a run
/// that diverged logs them).
fn number(cell: &str) -> Option<f64> {
    match cell.to_ascii_lowercase().as_str() {
        "nan" => Some(f64::NAN),
        "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        _ => cell.parse().ok(),
    }
}

impl TrainingLog {
    /// The table as CSV: the header, then a line per row with empty cells where the log had
    /// none; numbers in Rust's shortest form that reads back to the same value.
    pub fn to_csv(&self) -> String {
        let mut out = self.columns.join(",");
        out.push('\n');
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|v| v.map_or_else(String::new, |v| format!("{v}")))
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// One line per table column that came from the file: which file column it is.
    pub fn mapping(&self) -> Vec<String> {
        self.columns
            .iter()
            .zip(&self.sources)
            .filter_map(|(c, s)| s.as_ref().map(|s| format!("{c} <- {s}")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keras_log_maps_epoch_learning_rate_and_losses() {
        let log = parse_log(
            b"epoch,accuracy,learning_rate,loss,val_loss\n0,0.5,0.1,0.693,0.70\n1,0.75,0.05,0.5,0.61\n",
            "k.csv",
        )
        .expect("a log");
        assert_eq!(log.format, LogFormat::Keras);
        assert_eq!(
            log.columns,
            ["step", "epoch", "lr", "loss", "val_loss", "accuracy"]
        );
        assert_eq!(
            log.rows[1],
            [
                None,
                Some(1.0),
                Some(0.05),
                Some(0.5),
                Some(0.61),
                Some(0.75)
            ]
        );
        assert_eq!(
            log.to_csv(),
            "step,epoch,lr,loss,val_loss,accuracy\n,0,0.1,0.693,0.7,0.5\n,1,0.05,0.5,0.61,0.75\n"
        );
    }

    #[test]
    fn lightning_rows_of_one_step_are_merged() {
        let text = "epoch,lr-SGD,step,train_loss,val_loss\n\
                    0,0.1,0,,\n0,,0,2.5,\n0,,9,,2.0\n1,0.05,10,1.5,\n";
        let log = parse_log(text.as_bytes(), "metrics.csv").expect("a log");
        assert_eq!(log.format, LogFormat::Lightning);
        assert_eq!(log.sources[2].as_deref(), Some("lr-SGD"));
        assert_eq!(
            log.rows,
            [
                vec![Some(0.0), Some(0.0), Some(0.1), Some(2.5), None],
                vec![Some(9.0), Some(0.0), None, None, Some(2.0)],
                vec![Some(10.0), Some(1.0), Some(0.05), Some(1.5), None],
            ]
        );
    }

    #[test]
    fn tensorboards_export_and_other_delimiters() {
        let log = parse_log(
            b"Wall time,Step,Value\n1700000000.5,0,0.25\n1700000001.5,10,0.125\n",
            "run-tag.csv",
        )
        .expect("a log");
        assert_eq!(log.format, LogFormat::TensorBoardCsv);
        assert_eq!(
            log.columns,
            [
                "step",
                "epoch",
                "lr",
                "loss",
                "val_loss",
                "wall_time",
                "value"
            ]
        );
        assert_eq!(log.rows[1][0], Some(10.0));
        assert_eq!(log.rows[1][6], Some(0.125));
        let semi = parse_log(b"step;lr;loss\n0;0,5;1\n", "s.csv");
        // A decimal comma is not a number: named with its line and column.
        assert_eq!(
            semi,
            Err(LogError::NotANumber {
                path: "s.csv".into(),
                line: 2,
                column: "lr".into(),
                cell: "0,5".into()
            })
        );
        let tab = parse_log(b"step\tloss\n0\t1.5\n1\tnan\n", "t.tsv").expect("a log");
        assert_eq!(tab.rows[0][3], Some(1.5));
        assert!(tab.rows[1][3].is_some_and(f64::is_nan));
    }

    #[test]
    fn damaged_logs_say_what_and_where() {
        assert_eq!(
            parse_log(b"", "e.csv"),
            Err(LogError::Empty {
                path: "e.csv".into()
            })
        );
        assert!(matches!(
            parse_log(b"time,loss\n0,1\n", "n.csv"),
            Err(LogError::NoStep { .. })
        ));
        let short = parse_log(b"epoch,loss\n0,1\n1\n", "c.csv");
        assert!(
            matches!(&short, Err(LogError::Malformed { line: 3, reason, .. }) if reason.contains("1 cells where the header has 2")),
            "{short:?}"
        );
        assert!(matches!(
            parse_log(b"epoch,loss\n0,\xff\n", "b.csv"),
            Err(LogError::Malformed { line: 2, .. })
        ));
    }
}
