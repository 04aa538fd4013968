//! One direction of one connection (or UDP session) as it sees the relay's toxics: it
//! watches the shared list, draws once per toxic whether the toxic applies to it (its
//! toxicity), remembers when each began to apply, and works out its current faults from
//! that. toxiproxy keeps the same state on its `ToxicStub`s, one per toxic per link.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::time::Instant;

use super::faults::{DatagramFaults, StreamFaults};
use super::toxics::{Draw, Requests, Stream, Toxic, Toxics};
use crate::template::Rng;

/// What a relay's connections watch: the toxics now, replaced whole on every change.
pub type Watch = watch::Receiver<Arc<Toxics>>;

/// One direction's view of the toxics.
pub struct Feed {
    toxics: Watch,
    stream: Stream,
    rng: Rng,
    /// Per toxic id: whether it applies here, since when, and the bytes moved by then.
    drawn: HashMap<u64, Option<(Instant, u64)>>,
    /// The list can change while the connection lives (`--api`, `--schedule`).
    live: bool,
}

struct Drawing<'a> {
    rng: &'a mut Rng,
    drawn: &'a mut HashMap<u64, Option<(Instant, u64)>>,
    moved: u64,
}

impl Draw for Drawing<'_> {
    fn applies(&mut self, toxic: &Toxic) -> Option<(Instant, u64)> {
        let (rng, moved) = (&mut *self.rng, self.moved);
        *self.drawn.entry(toxic.id).or_insert_with(|| {
            // toxiproxy's test: a toxicity of 1 always applies, 0 never.
            (toxic.toxicity >= 1.0 || rng.unit() < toxic.toxicity).then(|| (Instant::now(), moved))
        })
    }
}

impl Feed {
    pub fn new(toxics: Watch, stream: Stream, rng: Rng, live: bool) -> Feed {
        Feed {
            toxics,
            stream,
            rng,
            drawn: HashMap::new(),
            live,
        }
    }

    /// Whether the faults may change while the connection lives.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// The faults in force now for a TCP direction that has moved `moved` bytes.
    pub fn stream_faults(&mut self, moved: u64) -> StreamFaults {
        let toxics = self.current();
        let mut drawing = Drawing {
            rng: &mut self.rng,
            drawn: &mut self.drawn,
            moved,
        };
        toxics.stream_faults(self.stream, &mut drawing)
    }

    /// The protocol faults in force now (`--framing` relays).
    pub fn request_faults(&mut self) -> Requests {
        let toxics = self.current();
        let mut drawing = Drawing {
            rng: &mut self.rng,
            drawn: &mut self.drawn,
            moved: 0,
        };
        toxics.request_faults(&mut drawing)
    }

    /// The faults in force now for a UDP direction.
    pub fn datagram_faults(&mut self) -> DatagramFaults {
        let toxics = self.current();
        let mut drawing = Drawing {
            rng: &mut self.rng,
            drawn: &mut self.drawn,
            moved: 0,
        };
        toxics.datagram_faults(self.stream, &mut drawing)
    }

    /// The list now, marked seen; draws of toxics no longer there are forgotten.
    fn current(&mut self) -> Arc<Toxics> {
        let toxics = self.toxics.borrow_and_update().clone();
        if self.drawn.len() > toxics.0.len() {
            self.drawn
                .retain(|id, _| toxics.0.iter().any(|toxic| toxic.id == *id));
        }
        toxics
    }

    /// Whether the list changed since it was last read.
    pub fn has_changed(&self) -> bool {
        self.live && self.toxics.has_changed().unwrap_or(false)
    }

    /// Waits for the list to change; never returns for a list that cannot.
    pub async fn changed(&mut self) {
        if !self.live || self.toxics.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
