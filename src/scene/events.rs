//! TensorBoard event files (`events.out.tfevents.*`, as `torch.utils.tensorboard.SummaryWriter`
//! and Keras's TensorBoard callback write them): TFRecord framing, each length and payload with
//! its masked CRC-32C checked, and in each record an `Event` protobuf whose `Summary` values are
//! the scalars by tag, as `simple_value` or as a one-element tensor.

use prost::Message;

/// One scalar: the step it was logged at, its tag and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub step: i64,
    pub tag: String,
    pub value: f64,
}

/// Why an event file could not be read: the record's byte offset and what is wrong there.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("the record at byte {offset}: {reason}")]
pub struct EventError {
    pub offset: usize,
    pub reason: String,
}

/// `tensorflow.Event`, the fields a scalar needs (prost skips the others).
#[derive(Clone, PartialEq, Message)]
struct Event {
    #[prost(double, tag = "1")]
    wall_time: f64,
    #[prost(int64, tag = "2")]
    step: i64,
    #[prost(message, optional, tag = "5")]
    summary: Option<Summary>,
}

#[derive(Clone, PartialEq, Message)]
struct Summary {
    #[prost(message, repeated, tag = "1")]
    value: Vec<SummaryValue>,
}

#[derive(Clone, PartialEq, Message)]
struct SummaryValue {
    #[prost(string, tag = "1")]
    tag: String,
    #[prost(float, optional, tag = "2")]
    simple_value: Option<f32>,
    #[prost(message, optional, tag = "8")]
    tensor: Option<TensorProto>,
}

/// `tensorflow.TensorProto`: a scalar in TensorBoard's newer summaries.
#[derive(Clone, PartialEq, Message)]
struct TensorProto {
    #[prost(int32, tag = "1")]
    dtype: i32,
    #[prost(bytes = "vec", tag = "4")]
    tensor_content: Vec<u8>,
    #[prost(float, repeated, tag = "5")]
    float_val: Vec<f32>,
    #[prost(double, repeated, tag = "6")]
    double_val: Vec<f64>,
}

/// TFRecord's CRC: CRC-32C, rotated right by 15 bits and offset.
fn masked_crc(bytes: &[u8]) -> u32 {
    let crc = crc32c::crc32c(bytes);
    (crc.rotate_right(15)).wrapping_add(0xa282_ead8)
}

/// Whether `bytes` start like an event file: a first record whose length's CRC holds.
pub fn looks_like_events(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && {
        let crc = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        masked_crc(&bytes[..8]) == crc
    }
}

/// Every scalar of an event file, in the file's order.
pub fn read_scalars(bytes: &[u8]) -> Result<Vec<Scalar>, EventError> {
    let mut scalars = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let fail = |reason: String| EventError { offset: at, reason };
        let header = bytes.get(at..at + 12).ok_or_else(|| {
            fail(format!(
                "cut short: {} bytes of a 12-byte header",
                bytes.len() - at
            ))
        })?;
        let length = u64::from_le_bytes(header[..8].try_into().unwrap_or_default());
        let length_crc = u32::from_le_bytes(header[8..12].try_into().unwrap_or_default());
        if masked_crc(&header[..8]) != length_crc {
            return Err(fail(
                "the length's CRC does not match (a damaged file)".into(),
            ));
        }
        let start = at + 12;
        let end = usize::try_from(length)
            .ok()
            .and_then(|n| start.checked_add(n))
            .filter(|&end| end.checked_add(4).is_some_and(|e| e <= bytes.len()))
            .ok_or_else(|| fail(format!("cut short: the record says {length} bytes")))?;
        let data = &bytes[start..end];
        let data_crc = u32::from_le_bytes(bytes[end..end + 4].try_into().unwrap_or_default());
        if masked_crc(data) != data_crc {
            return Err(fail(
                "the record's CRC does not match (a damaged file)".into(),
            ));
        }
        let event = Event::decode(data).map_err(|e| fail(format!("not an Event: {e}")))?;
        for value in event.summary.map(|s| s.value).unwrap_or_default() {
            let number = value.simple_value.map(f64::from).or_else(|| {
                let t = value.tensor.as_ref()?;
                t.double_val
                    .first()
                    .copied()
                    .or_else(|| t.float_val.first().map(|&f| f64::from(f)))
                    .or_else(|| match (t.dtype, t.tensor_content.len()) {
                        // DT_FLOAT and DT_DOUBLE scalars packed as little-endian bytes.
                        (1, 4) => Some(f64::from(f32::from_le_bytes(
                            t.tensor_content[..4].try_into().ok()?,
                        ))),
                        (2, 8) => Some(f64::from_le_bytes(t.tensor_content[..8].try_into().ok()?)),
                        _ => None,
                    })
            });
            if let Some(value_f64) = number {
                scalars.push(Scalar {
                    step: event.step,
                    tag: value.tag,
                    value: value_f64,
                });
            }
        }
        at = end + 4;
    }
    Ok(scalars)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record framed as TFRecord does it.
    fn record(data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u64).to_le_bytes().to_vec();
        out.extend(masked_crc(&out).to_le_bytes());
        out.extend(data);
        out.extend(masked_crc(data).to_le_bytes());
        out
    }

    #[test]
    fn the_masked_crc_is_tensorflows() {
        // crc32c("") = 0, crc32c("a") = 0xc1d04330 (RFC 3720's CRC-32C).
        assert_eq!(masked_crc(b""), 0xa282_ead8);
        assert_eq!(
            masked_crc(b"a"),
            0xc1d0_4330u32.rotate_right(15).wrapping_add(0xa282_ead8)
        );
    }

    #[test]
    fn scalars_come_back_and_damage_is_located() {
        let event = Event {
            wall_time: 1.5,
            step: 7,
            summary: Some(Summary {
                value: vec![
                    SummaryValue {
                        tag: "lr".into(),
                        simple_value: Some(0.25),
                        tensor: None,
                    },
                    SummaryValue {
                        tag: "loss".into(),
                        simple_value: None,
                        tensor: Some(TensorProto {
                            dtype: 2,
                            tensor_content: 0.125f64.to_le_bytes().to_vec(),
                            float_val: vec![],
                            double_val: vec![],
                        }),
                    },
                ],
            }),
        };
        let version = Event {
            wall_time: 1.0,
            step: 0,
            summary: None,
        };
        let mut file = record(&version.encode_to_vec());
        let second = file.len();
        file.extend(record(&event.encode_to_vec()));
        assert!(looks_like_events(&file));
        let scalars = read_scalars(&file).expect("scalars");
        assert_eq!(
            scalars,
            [
                Scalar {
                    step: 7,
                    tag: "lr".into(),
                    value: 0.25
                },
                Scalar {
                    step: 7,
                    tag: "loss".into(),
                    value: 0.125
                }
            ]
        );
        let mut flipped = file.clone();
        flipped[second + 14] ^= 1;
        assert_eq!(
            read_scalars(&flipped),
            Err(EventError {
                offset: second,
                reason: "the record's CRC does not match (a damaged file)".into()
            })
        );
        let cut = &file[..file.len() - 3];
        assert!(
            read_scalars(cut).is_err_and(|e| e.offset == second && e.reason.contains("cut short"))
        );
    }
}
