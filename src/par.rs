//! Splitting large inputs across the caller's rayon pool.
//!
//! Below `THRESHOLD` elements, or with one thread, or without the `rayon` feature, a call runs
//! on the calling thread. Above it, the slices are cut into chunks whose length is a multiple
//! of `ALIGN` (a cache line of f32 and a whole number of vectors at every level) and rayon
//! runs them on the pool the caller is in (`ThreadPool::install` chooses another). Elementwise
//! results depend only on each element's own input, so they are bit-identical whatever the
//! split and the thread count.

use crate::dispatch::Level;
use crate::driver::{self, Binary, Unary};

/// Chunk lengths are multiples of this many elements.
#[cfg(feature = "rayon")]
const ALIGN: usize = 64;

/// Inputs shorter than this run on one thread (see the README for the measurement).
#[cfg(feature = "rayon")]
pub(crate) const THRESHOLD: usize = 1 << 16;

/// The chunk length for `n` elements, or `None` to stay on the calling thread.
#[cfg(feature = "rayon")]
fn chunk_len(n: usize) -> Option<usize> {
    if n < THRESHOLD {
        return None; // the common case pays no more than this compare
    }
    let threads = rayon::current_num_threads();
    if threads < 2 {
        return None;
    }
    // A few chunks per thread, so a thread that is late (or busy elsewhere) is stolen from.
    let chunks = threads * 4;
    let len = n.div_ceil(chunks).div_ceil(ALIGN) * ALIGN;
    Some(len.max(THRESHOLD / 4))
}

/// `y[i] = k(x[i])`, split across threads when large, streaming the stores when the whole
/// output is at least `driver::STREAM_MIN` elements.
pub(crate) fn unary<K: Unary>(level: Level, k: &K, x: &[f32], y: &mut [f32]) {
    let stream = x.len() >= driver::STREAM_MIN;
    #[cfg(feature = "rayon")]
    if let Some(len) = chunk_len(x.len()) {
        use rayon::prelude::*;
        assert_eq!(x.len(), y.len(), "input and output lengths differ");
        x.par_chunks(len)
            .zip(y.par_chunks_mut(len))
            .for_each(|(x, y)| driver::unary(level, k, x, y, stream));
        return;
    }
    driver::unary(level, k, x, y, stream)
}

/// `x[i] = k(x[i])`, split across threads when large.
pub(crate) fn unary_inplace<K: Unary>(level: Level, k: &K, x: &mut [f32]) {
    #[cfg(feature = "rayon")]
    if let Some(len) = chunk_len(x.len()) {
        use rayon::prelude::*;
        x.par_chunks_mut(len)
            .for_each(|x| driver::unary_inplace(level, k, x));
        return;
    }
    driver::unary_inplace(level, k, x)
}

/// `out[i] = k(a[i], b[i])`, split across threads when large, streaming the stores as
/// `unary` does.
pub(crate) fn binary<K: Binary>(level: Level, k: &K, a: &[f32], b: &[f32], out: &mut [f32]) {
    let stream = a.len() >= driver::STREAM_MIN;
    #[cfg(feature = "rayon")]
    if let Some(len) = chunk_len(a.len()) {
        use rayon::prelude::*;
        assert!(a.len() == b.len() && a.len() == out.len(), "lengths differ");
        a.par_chunks(len)
            .zip(b.par_chunks(len))
            .zip(out.par_chunks_mut(len))
            .for_each(|((a, b), out)| driver::binary(level, k, a, b, out, stream));
        return;
    }
    driver::binary(level, k, a, b, out, stream)
}
