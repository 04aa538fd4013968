//! Planning the stdio programs' client side (`tcp connect --mode stdio`, `unix connect
//! --mode stdio`: netcat), and how the datagram stdio programs show what they carry.

use std::sync::Arc;

use color_eyre::eyre::Result;

use crate::cli::ConnectArgs;
use crate::encoding::Encoding;
use crate::net::dial::Endpoint;
use crate::output::{Display, Look};
use crate::stdio::{self, DatagramFraming};
use crate::tls::ClientTls;

use super::Plan;
use super::encode::expectations;

/// A stream client that joins stdin and stdout to the connection.
pub(super) fn stream_client(
    args: &ConnectArgs,
    endpoint: Endpoint,
    tls: Option<Arc<ClientTls>>,
    encoding: Encoding,
    program: &str,
) -> Result<(Plan, Display)> {
    // Replies are the user's to read here: refuse what would check them.
    expectations(
        &args.expect,
        args.mode,
        encoding,
        Some(args.messages.len()),
        program,
    )?;
    let cfg = stdio::TcpConnectConfig {
        endpoint,
        on_eof: args.on_eof.unwrap_or_default(),
        timeout: args.timeout,
        wait: args.wait,
        idle_timeout: args.idle_timeout,
        tls,
    };
    let display = Display {
        encoding,
        look: Look::Stream,
    };
    Ok((Plan::TcpStdio(cfg), display))
}

/// How a datagram stdio program shows what it carries: a line per datagram, or the bytes.
pub(super) fn datagram_look(framing: DatagramFraming) -> Look {
    match framing {
        DatagramFraming::Line => Look::Lines,
        DatagramFraming::Raw => Look::Stream,
    }
}
