//! A capacity search (`--find-max-rate`) for people or programs: each step as it ends,
//! then the answer, on stdout (a `step` event each and a `search` event with `--json`).

use super::Printer;
use super::report::round3;
use super::schema::{BoundJson, EventJson, SearchJson, StepJson};
use crate::report::schema::SummaryJson;
use crate::report::search::{Step, Verdict};
use crate::slo::Slo;

impl Printer {
    /// One step, as it ends.
    pub fn search_step(&self, step: &Step) {
        if self.is_json() {
            self.json_value(&EventJson::Step(step_json(step)));
            return;
        }
        let figures: Vec<String> = step
            .bounds
            .iter()
            .map(|b| format!("{} {}", b.name, b.shown))
            .collect();
        let verdict = match step.verdict {
            Verdict::Kept => "kept".to_owned(),
            Verdict::Broke => format!("broke ({})", step.broken().join(", ")),
        };
        self.text(&format!(
            "step {:>2}  {:>9}/s  achieved {:>9}/s  {}  {verdict}",
            step.number,
            thousands(step.rate),
            thousands(step.achieved),
            figures.join("  "),
        ));
    }

    /// The answer: the highest rate that kept the promise and the step above it that
    /// broke it, or why there is none.
    pub fn search_end(
        &self,
        slo: &Slo,
        steps: &[Step],
        kept: Option<usize>,
        broke: Option<usize>,
        stopped: Option<&str>,
    ) {
        let (kept, broke) = (kept.map(|k| &steps[k]), broke.map(|b| &steps[b]));
        if self.is_json() {
            self.json_value(&EventJson::Search(SearchJson {
                slo: slo.to_string(),
                max_rps: kept.map(|k| k.rate),
                broke_at_rps: broke.map(|b| b.rate),
                broke_by: broke.map(Step::broken).unwrap_or_default(),
                stopped: stopped.map(str::to_owned),
                steps: steps.iter().map(step_json).collect(),
            }));
            return;
        }
        if stopped.is_some() {
            // Why is the error line's to say; what was learnt so far is still an answer.
            if let Some(kept) = kept {
                self.text(&format!(
                    "the search stopped before an answer; the highest rate that kept {slo} so \
                     far: {} requests/s",
                    thousands(kept.rate)
                ));
            }
            return;
        }
        let line = match (kept, broke) {
            (Some(kept), Some(broke)) => format!(
                "highest rate that kept {slo}: {} requests/s (next step {}/s broke it: {})",
                thousands(kept.rate),
                thousands(broke.rate),
                broke.broken().join(", ")
            ),
            (Some(kept), None) => format!(
                "highest rate that kept {slo}: {} requests/s, the top of the range searched \
                 (the service may take more: raise --rate's HIGH)",
                thousands(kept.rate)
            ),
            (None, Some(broke)) => format!(
                "no rate kept {slo}: the lowest, {}/s, broke it ({})",
                thousands(broke.rate),
                broke.broken().join(", ")
            ),
            (None, None) => "no step completed".to_owned(),
        };
        self.text(&line);
    }
}

fn step_json(step: &Step) -> StepJson {
    StepJson {
        step: step.number,
        rate_rps: round3(step.rate),
        achieved_rps: round3(step.achieved),
        requests: step.requests,
        errors: step.errors,
        latency_us: SummaryJson::from(&step.latency),
        bounds: step
            .bounds
            .iter()
            .map(|b| BoundJson {
                bound: b.bound.clone(),
                value: round3(b.value),
                kept: b.kept,
            })
            .collect(),
        kept: step.verdict == Verdict::Kept,
        why: step.why.clone(),
        client_cpu: step.client_busy.map(round3),
    }
}

/// `12,400`: a rate as people read it.
fn thousands(value: f64) -> String {
    let whole = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_read_in_thousands() {
        assert_eq!(super::thousands(12_400.0), "12,400");
        assert_eq!(super::thousands(999.6), "1,000");
        assert_eq!(super::thousands(1_000_000.0), "1,000,000");
        assert_eq!(super::thousands(50.0), "50");
    }
}
