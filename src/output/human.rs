//! Human text for what is not a single line of peer data.

use crate::event::Rates;

/// A `--stats` line.
pub(super) fn rates(rates: &Rates) -> String {
    let mib = |b: f64| b / (1024.0 * 1024.0);
    let connections = match rates.open {
        Some(open) => format!("{open} connections, {:.0} new/s, ", rates.accepted_per_s),
        None => String::new(),
    };
    let dropped = match rates.dropped {
        Some(dropped) => format!(", dropped {dropped}"),
        None => String::new(),
    };
    format!(
        "stats: {connections}{:.0} messages/s, in {:.2} MiB/s, out {:.2} MiB/s{dropped}",
        rates.messages_per_s,
        mib(rates.bytes_in_per_s),
        mib(rates.bytes_out_per_s)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_one_line() {
        let figures = Rates {
            open: Some(3),
            accepted_per_s: 1.0,
            messages_per_s: 1500.0,
            bytes_in_per_s: 1048576.0,
            bytes_out_per_s: 2097152.0,
            dropped: None,
        };
        assert_eq!(
            rates(&figures),
            "stats: 3 connections, 1 new/s, 1500 messages/s, in 1.00 MiB/s, out 2.00 MiB/s"
        );
        let json = |r: &Rates| serde_json::to_value(super::super::json::rates(r)).unwrap();
        assert_eq!(json(&figures)["connections"], 3);
        let relay = Rates {
            open: None,
            dropped: Some(7),
            ..figures
        };
        assert!(rates(&relay).ends_with(", dropped 7"), "{}", rates(&relay));
        assert_eq!(json(&relay)["dropped"], 7);
        assert!(json(&relay).get("connections").is_none());
    }
}
