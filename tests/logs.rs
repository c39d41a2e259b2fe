//! Training logs that the real libraries wrote (`tests/reference/logs.py`: Keras 3's
//! `CSVLogger` with a step-decay LearningRateScheduler and with ReduceLROnPlateau, and
//! `torch.utils.tensorboard.SummaryWriter` logging a OneCycleLR run) read back exactly, in the
//! library and through `optiscope log`; damaged copies give a located error; fuzzed files never
//! panic.

use std::path::{Path, PathBuf};
use std::process::Command;

use optiscope::scene::log::{LogError, LogFormat, parse_log, read_log, read_log_tags};
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference/logs")
        .join(name)
}

/// The values by column, as Python's csv and float() read them from the file.
fn truth(name: &str) -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(fixture(&format!("{name}.json"))).expect("the truth");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn keras_csv_logger_files_read_back_exactly() {
    for name in ["keras-step-decay", "keras-plateau"] {
        let log = read_log(&fixture(&format!("{name}.csv"))).expect("a log");
        assert_eq!(log.format, LogFormat::Keras, "{name}");
        let truth = truth(name);
        let epochs = truth["epoch"].as_array().expect("epochs");
        assert_eq!(log.rows.len(), epochs.len(), "{name}: one row per epoch");
        for (key, column) in [
            ("epoch", "epoch"),
            ("learning_rate", "lr"),
            ("loss", "loss"),
            ("val_loss", "val_loss"),
            ("mae", "mae"),
            ("val_mae", "val_mae"),
        ] {
            let c = log
                .columns
                .iter()
                .position(|n| n == column)
                .unwrap_or_else(|| panic!("{name}: no column {column} in {:?}", log.columns));
            let expected: Vec<f64> = truth[key]
                .as_array()
                .expect("values")
                .iter()
                .map(|v| v.as_str().expect("a repr").parse().expect("a number"))
                .collect();
            let read: Vec<f64> = log.rows.iter().map(|r| r[c].expect("a cell")).collect();
            assert_eq!(read, expected, "{name}: {column} (the file's {key})");
        }
    }
    // The schedules are visible in what was read: the step decay halves every 5 epochs.
    let log = read_log(&fixture("keras-step-decay.csv")).expect("a log");
    let lr: Vec<f64> = log.rows.iter().map(|r| r[2].expect("lr")).collect();
    assert_eq!(&lr[..6], [0.1, 0.1, 0.1, 0.1, 0.1, 0.05]);
}

#[test]
fn a_tensorboard_event_file_reads_back_exactly() {
    let log = read_log(&fixture("events.out.tfevents.onecycle")).expect("a log");
    assert_eq!(log.format, LogFormat::TensorBoard);
    assert_eq!(log.columns, ["step", "epoch", "lr", "loss", "val_loss"]);
    assert_eq!(log.sources[3].as_deref(), Some("train/loss"));
    let text = std::fs::read_to_string(fixture("tensorboard-scalars.json")).expect("the truth");
    let truth: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    for (tag, column) in [("lr", 2), ("train/loss", 3)] {
        let expected: Vec<(f64, f64)> = truth[tag]
            .as_array()
            .expect("pairs")
            .iter()
            .map(|p| {
                (
                    p[0].as_f64().expect("a step"),
                    p[1].as_str().expect("a repr").parse().expect("a number"),
                )
            })
            .collect();
        let read: Vec<(f64, f64)> = log
            .rows
            .iter()
            .map(|r| (r[0].expect("a step"), r[column].expect("a value")))
            .collect();
        assert_eq!(read, expected, "{tag}");
    }
    // OneCycleLR starts at max_lr / div_factor = 0.3 / 25 (as float32).
    assert_eq!(log.rows[0][2], Some(f64::from(0.012f32)));
    let only =
        read_log_tags(&fixture("events.out.tfevents.onecycle"), &["lr".to_owned()]).expect("a log");
    assert!(only.sources[3].is_none() && only.rows.iter().all(|r| r[3].is_none()));
    let none = read_log_tags(
        &fixture("events.out.tfevents.onecycle"),
        &["acc".to_owned()],
    );
    assert!(
        matches!(&none, Err(LogError::NoTag { found, .. }) if found == "lr, train/loss"),
        "{none:?}"
    );
}

#[test]
fn a_damaged_event_file_names_the_record() {
    let bytes = std::fs::read(fixture("events.out.tfevents.onecycle")).expect("the file");
    let dir = tempfile::tempdir().expect("a folder");
    let mut flipped = bytes.clone();
    let middle = bytes.len() / 2;
    flipped[middle] ^= 0x10;
    let path = dir.path().join("events.out.tfevents.flipped");
    std::fs::write(&path, &flipped).expect("written");
    let e = read_log(&path).expect_err("damaged");
    let LogError::Events { source, .. } = &e else {
        panic!("{e}")
    };
    assert!(
        source.offset <= middle && middle - source.offset < 200,
        "the record holding byte {middle}: {e}"
    );
    assert!(source.reason.contains("CRC"), "{e}");
    let cut = dir.path().join("events.out.tfevents.cut");
    std::fs::write(&cut, &bytes[..bytes.len() - 5]).expect("written");
    let out = optiscope_log(&cut);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(stderr.contains("cut short"), "{stderr}");
}

fn optiscope_log(path: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .arg("log")
        .arg(path)
        .output()
        .expect("optiscope runs")
}

#[test]
fn optiscope_log_prints_the_table_and_names_each_column_it_mapped() {
    let path = fixture("keras-plateau.csv");
    let out = optiscope_log(&path);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some("step,epoch,lr,loss,val_loss,mae,val_mae")
    );
    // Every printed number is the file's, read back to the same double.
    let file = std::fs::read_to_string(&path).expect("the file");
    for (printed, original) in lines.zip(file.lines().skip(1)) {
        let p: Vec<&str> = printed.split(',').collect();
        let o: Vec<&str> = original.split(',').collect();
        assert_eq!(p[0], "", "Keras logs no step");
        // The file's order is epoch,learning_rate,loss,mae,val_loss,val_mae.
        for (pi, oi) in [(1, 0), (2, 1), (3, 2), (4, 4), (5, 3), (6, 5)] {
            assert_eq!(
                p[pi].parse::<f64>().expect("printed"),
                o[oi].parse::<f64>().expect("original"),
                "{printed} vs {original}"
            );
        }
    }
    assert!(stderr.contains("Keras CSVLogger, 25 rows"), "{stderr}");
    assert!(stderr.contains("lr <- learning_rate"), "{stderr}");
    assert!(stderr.contains("val_loss <- val_loss"), "{stderr}");
}

#[test]
fn hand_damaged_copies_give_a_located_error_and_exit_2() {
    let text = std::fs::read_to_string(fixture("keras-step-decay.csv")).expect("the file");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let dir = tempfile::tempdir().expect("a folder");
    // Line 5 loses its last cell; line 8's loss is garbled.
    lines[4] = lines[4].rsplit_once(',').expect("cells").0.to_owned();
    let short = dir.path().join("short.csv");
    std::fs::write(&short, lines.join("\n")).expect("written");
    let e = read_log(&short).expect_err("damaged");
    assert!(matches!(&e, LogError::Malformed { line: 5, .. }), "{e}");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut cells: Vec<&str> = lines[7].split(',').collect();
    cells[2] = "0.0x3";
    lines[7] = cells.join(",");
    let garbled = dir.path().join("garbled.csv");
    std::fs::write(&garbled, lines.join("\n")).expect("written");
    let e = read_log(&garbled).expect_err("damaged");
    assert_eq!(
        e.to_string(),
        format!(
            "{}, line 8, column 'loss': '0.0x3' is not a number",
            garbled.display()
        )
    );
    let out = optiscope_log(&garbled);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(stderr.contains("line 8, column 'loss'"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing half-printed");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random bytes, and random edits of a real log, are read or refused, never a panic.
    #[test]
    fn fuzzed_logs_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        at in 0usize..2000,
        cut in 0usize..2000,
        insert in proptest::collection::vec(prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'\n'), Just(b'"'), any::<u8>()], 0..20),
    ) {
        let _ = parse_log(&bytes, "random.csv");
        let mut real = std::fs::read(fixture("keras-step-decay.csv")).expect("the file");
        let at = at.min(real.len());
        let end = (at + cut % 50).min(real.len());
        real.splice(at..end, insert);
        let _ = parse_log(&real, "edited.csv");
    }

    /// Random edits of a real event file are read or refused, never a panic or a hang.
    #[test]
    fn fuzzed_event_files_never_panic(
        at in 0usize..4000,
        cut in 0usize..64,
        insert in proptest::collection::vec(any::<u8>(), 0..24),
    ) {
        let mut real = std::fs::read(fixture("events.out.tfevents.onecycle")).expect("the file");
        let at = at.min(real.len());
        let end = (at + cut).min(real.len());
        real.splice(at..end, insert);
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("events.out.tfevents.fuzz");
        std::fs::write(&path, &real).expect("written");
        let _ = read_log(&path);
        let _ = optiscope::scene::events::read_scalars(&real);
    }
}
