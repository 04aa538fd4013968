//! Planning `--shard I/N` and `--start-at` for load runs, and what a report says it is of
//! (target, mode, framing, size) so that `netdemo merge` can refuse to mix runs.

use color_eyre::eyre::Result;

use crate::cli::ShardArgs;
use crate::load::Placement;
use crate::load::shard::{Shard, Start};
use crate::report::Provenance;
use crate::request::Request;

use super::refuse::usage;

/// A load run's share of the whole: (connections, requests) for this shard, and where it
/// is placed. Totals are dealt round-robin; a shard left with nothing is refused. The
/// open loop's requests are dealt by the schedule (`pace.rs`).
pub(super) struct Share {
    pub connections: usize,
    pub requests: Option<u64>,
    pub shard: Option<Shard>,
    pub placement: Placement,
}

/// `connections` is `None` for loads without connections (UDP).
pub(super) fn share(
    args: &ShardArgs,
    connections: Option<usize>,
    requests: Option<u64>,
    provenance: Provenance,
) -> Result<Share> {
    if let Some(at) = args.start_at
        && at <= std::time::SystemTime::now()
    {
        return Err(usage(format!(
            "--start-at {} has passed: give a time in the future (every shard the same)",
            humantime::format_rfc3339(at)
        )));
    }
    let Some((index, of)) = args.shard else {
        return Ok(Share {
            connections: connections.unwrap_or(0),
            requests,
            shard: None,
            placement: Placement {
                start: Start { at: args.start_at },
                provenance,
            },
        });
    };
    let shard = Shard { index, of };
    let connections = match connections {
        Some(total) => {
            let part = shard.part(total as u64) as usize;
            if part == 0 {
                return Err(usage(format!(
                    "--shard {shard}: -c {total} leaves this shard no connection (-c is the \
                     total over the shards: give -c {of} or more)"
                )));
            }
            part
        }
        None => 0,
    };
    let requests = match requests {
        Some(total) => {
            let part = shard.part(total);
            if part == 0 {
                return Err(usage(format!(
                    "--shard {shard}: -n {total} leaves this shard no request (-n is the total \
                     over the shards: give -n {of} or more)"
                )));
            }
            Some(part)
        }
        None => None,
    };
    Ok(Share {
        connections,
        requests,
        shard: Some(shard),
        placement: Placement {
            start: Start { at: args.start_at },
            provenance: Provenance {
                shard: Some(shard),
                ..provenance
            },
        },
    })
}

/// What a load run's report says it is of.
pub(super) fn provenance(
    target: crate::event::Peer,
    mode: &str,
    framing: &str,
    message_bytes: usize,
) -> Provenance {
    Provenance {
        target: target.to_string(),
        mode: mode.to_owned(),
        framing: framing.to_owned(),
        message_bytes,
        merged: 1,
        ..Provenance::default()
    }
}

/// A request's size for the report: the bytes of a fixed request, or the length of the
/// text given for a template (whose filled size may vary).
pub(super) fn message_bytes(messages: &[Request], labels: &[String]) -> usize {
    match messages.first() {
        Some(Request::Fixed(bytes)) => bytes.len(),
        _ => labels.first().map_or(0, String::len),
    }
}
