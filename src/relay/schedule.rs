//! `--schedule '10s:latency=200ms;30s:reset;45s:clear'`: the default relay's faults over
//! time, without an API. Each step, at its time from the start, changes the relay's toxics
//! as the API would (each fault named replaces the one of its type, in the directions
//! `--direction` gives; `clear` removes them all), so open connections feel it within
//! milliseconds and the relay says what is in force after each step.
//!
//! The text is parsed by the planner (`config/relay.rs`), which owns the value parsers.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::proxies::{DEFAULT_PROXY, Proxies, Relays};
use super::toxics::{Kind, Stream, Toxic, Toxics};

/// The most steps a schedule may have.
pub const MAX_STEPS: usize = 1000;

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Every toxic removed.
    Clear,
    /// A fault in force from now, in place of any of its type.
    Set(Kind),
}

/// One step: at `at` after the start, its actions in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub at: Duration,
    pub actions: Vec<Action>,
}

/// A relay's steps, in time order, and the directions their faults take.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub steps: Vec<Step>,
    pub streams: Vec<Stream>,
}

impl Schedule {
    /// Applies one step's actions to `toxics`.
    pub fn apply(&self, step: &Step, toxics: &mut Toxics) {
        for action in &step.actions {
            match action {
                Action::Clear => toxics.0.clear(),
                Action::Set(kind) => {
                    // Requests go up: a protocol fault is one toxic, whatever the
                    // direction.
                    let streams =
                        if matches!(kind, Kind::FailRequests { .. } | Kind::HoldRequests { .. }) {
                            &[Stream::Upstream][..]
                        } else {
                            &self.streams
                        };
                    for stream in streams {
                        toxics.0.retain(|toxic| {
                            toxic.stream != *stream || toxic.kind.type_name() != kind.type_name()
                        });
                        toxics.0.push(Toxic::new(*kind, *stream));
                    }
                }
            }
        }
    }

    /// Takes each step at its time, until the last or until `closing`.
    pub async fn run<R: Relays>(self, proxies: Arc<Proxies<R>>, closing: CancellationToken) {
        let start = tokio::time::Instant::now();
        for step in &self.steps {
            tokio::select! {
                () = tokio::time::sleep_until(start + step.at) => {}
                () = closing.cancelled() => return,
            }
            let _ = proxies.change_toxics(DEFAULT_PROXY, |toxics, _| {
                self.apply(step, toxics);
                Ok(())
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_replaces_its_own_type_and_clear_removes_all() {
        let schedule = Schedule {
            steps: vec![],
            streams: vec![Stream::Downstream],
        };
        let latency = |ms| {
            Action::Set(Kind::Latency {
                latency: Duration::from_millis(ms),
                jitter: Duration::ZERO,
            })
        };
        let mut toxics = Toxics::default();
        let step = |actions| Step {
            at: Duration::ZERO,
            actions,
        };
        schedule.apply(&step(vec![latency(100)]), &mut toxics);
        schedule.apply(
            &step(vec![
                latency(200),
                Action::Set(Kind::ResetPeer {
                    timeout: Duration::ZERO,
                }),
            ]),
            &mut toxics,
        );
        assert_eq!(
            toxics.describe(Stream::Downstream),
            "latency 200ms, reset when bytes come (reset_peer)"
        );
        assert_eq!(toxics.describe(Stream::Upstream), "");
        schedule.apply(&step(vec![Action::Clear]), &mut toxics);
        assert!(toxics.0.is_empty());
    }
}
