//! `--shard I/N` as a report names it, and the arithmetic of a shard's part of a run
//! (scheduled in `load/shard.rs`).

/// `--shard I/N`: this process is shard `index` (1-based) of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub of: u32,
}

impl Shard {
    /// This shard's part of `total` things dealt round-robin (requests, connections):
    /// those numbered k with k mod N = I-1.
    pub fn part(self, total: u64) -> u64 {
        let before = u64::from(self.index - 1);
        let of = u64::from(self.of);
        if total <= before {
            0
        } else {
            (total - before).div_ceil(of)
        }
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.of)
    }
}
