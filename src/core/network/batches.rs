//! Which training rows each update of a network uses: the whole set, or seeded mini-batches
//! drawn anew each epoch, one epoch in memory at a time.

use rand::{RngExt, SeedableRng};

use crate::core::surface::RunRng;

/// The training rows each update uses: the whole set (`batch_size` 0), or mini-batches of a
/// shuffle of it drawn anew each epoch from `seed` (the last batch of an epoch may be short),
/// enough for `updates` updates.
pub fn batches(n: usize, batch_size: usize, updates: usize, seed: u64) -> Vec<Vec<usize>> {
    if batch_size == 0 || batch_size >= n {
        return vec![(0..n).collect(); updates];
    }
    let mut stream = BatchStream::new(n, batch_size, seed);
    (0..updates).map(|_| stream.next_batch().to_vec()).collect()
}

/// The mini-batches of [`batches`] one at a time, an epoch's shuffle at a time, so a long run
/// keeps one epoch in memory rather than every batch it will use.
#[derive(Clone, Debug)]
pub struct BatchStream {
    rng: RunRng,
    order: Vec<usize>,
    batch_size: usize,
    /// Where the next batch starts in `order` (`order.len()`: a new epoch is due).
    at: usize,
}

impl BatchStream {
    /// Batches of `batch_size` rows out of `n` (at least one row each), shuffled from `seed`.
    pub fn new(n: usize, batch_size: usize, seed: u64) -> Self {
        Self {
            rng: RunRng::seed_from_u64(seed),
            order: (0..n).collect(),
            batch_size: batch_size.max(1),
            at: n,
        }
    }

    /// The rows of the next update.
    pub fn next_batch(&mut self) -> &[usize] {
        let n = self.order.len();
        if self.at >= n {
            self.order.iter_mut().enumerate().for_each(|(i, o)| *o = i);
            for i in (1..n).rev() {
                let j = self.rng.random_range(0..=i);
                self.order.swap(i, j);
            }
            self.at = 0;
        }
        let end = (self.at + self.batch_size).min(n);
        let rows = &self.order[self.at..end];
        self.at = end;
        rows
    }
}
