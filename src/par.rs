//! Splitting large inputs across the caller's rayon pool.
//!
//! Below a kernel's `PARALLEL_MIN` elements (`THRESHOLD`, or `CHEAP` for memory-bound
//! kernels), or with one thread, or without the `rayon` feature, a call runs
//! on the calling thread. Above it, the slices are cut into chunks whose length is a multiple
//! of `ALIGN` (a cache line of f32 and a whole number of vectors at every level) and rayon
//! runs them on the pool the caller is in (`ThreadPool::install` chooses another). Elementwise
//! results depend only on each element's own input, so they are bit-identical whatever the
//! split and the thread count.
//!
//! Row-wise kernels (softmax) are split on row boundaries, and a row of at least `LONG_ROW`
//! elements is itself split: its chunks of `driver::ROW_CHUNK` are reduced in parallel, their
//! results folded in order on the calling thread, then the chunks written in parallel. A row's
//! reduction is the same chunk-by-chunk fold on every path, so the results are bit-identical
//! whatever the split and the thread count.

use crate::dispatch::Level;
#[cfg(feature = "rayon")]
use crate::driver::ROW_CHUNK;
use crate::driver::{self, Binary, Rows, StoredRows, Unary};

/// Chunk lengths are multiples of this many elements.
#[cfg(feature = "rayon")]
const ALIGN: usize = 64;

/// Inputs shorter than this run on one thread, for kernels that cost about an exponential per
/// element: 65,536 of them take some 17 µs, well above what waking a second thread costs
/// (see the README for the measurement).
#[cfg(feature = "rayon")]
pub const THRESHOLD: usize = 1 << 16;
/// The same for memory-bound kernels (ReLU, the gradients), which run near copy speed: below
/// about a million elements the wake-up of the second thread costs more than it saves.
#[cfg(feature = "rayon")]
pub const CHEAP: usize = 1 << 20;
/// Without rayon every input runs on the calling thread.
#[cfg(not(feature = "rayon"))]
pub const THRESHOLD: usize = usize::MAX;
/// Without rayon every input runs on the calling thread.
#[cfg(not(feature = "rayon"))]
pub const CHEAP: usize = usize::MAX;

/// The chunk length for `n` elements of a kernel worth splitting from `min` elements on, or
/// `None` to stay on the calling thread.
#[cfg(feature = "rayon")]
fn chunk_len(n: usize, min: usize) -> Option<usize> {
    if n < min {
        return None; // the common case pays no more than this compare
    }
    let threads = rayon::current_num_threads();
    if threads < 2 {
        return None;
    }
    // A few chunks per thread, so a thread that is late (or busy elsewhere) is stolen from.
    let chunks = threads * 4;
    let len = n.div_ceil(chunks).div_ceil(ALIGN) * ALIGN;
    Some(len.max(min / 4))
}

/// `y[i] = k(x[i])`, split across threads when large, streaming the stores when the whole
/// output is at least `driver::STREAM_MIN` elements.
pub(crate) fn unary<K: Unary>(level: Level, k: &K, x: &[f32], y: &mut [f32]) {
    let stream = x.len() >= driver::STREAM_MIN;
    #[cfg(feature = "rayon")]
    if let Some(len) = chunk_len(x.len(), K::PARALLEL_MIN) {
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
    if let Some(len) = chunk_len(x.len(), K::PARALLEL_MIN) {
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
    if let Some(len) = chunk_len(a.len(), K::PARALLEL_MIN) {
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

/// Rows of at least this many elements are split into chunks across threads; shorter rows are
/// spread across threads whole.
#[cfg(feature = "rayon")]
const LONG_ROW: usize = 2 * ROW_CHUNK;

/// How a row-wise call of `n` elements is split.
#[cfg(feature = "rayon")]
enum RowSplit {
    /// Groups of whole rows of this many elements.
    Rows(usize),
    /// Each row in chunks.
    Chunks,
}

#[cfg(feature = "rayon")]
fn row_split(n: usize, row_len: usize) -> Option<RowSplit> {
    let threads = rayon::current_num_threads();
    if n < THRESHOLD || threads < 2 {
        return None;
    }
    if row_len >= LONG_ROW {
        return Some(RowSplit::Chunks);
    }
    let rows = n / row_len;
    if rows < 2 {
        return None;
    }
    let per_task = rows
        .div_ceil(threads * 4)
        .max((THRESHOLD / 4).div_ceil(row_len));
    Some(RowSplit::Rows(per_task * row_len))
}

/// The statistics of one long row, its chunks reduced in parallel and folded in order.
#[cfg(feature = "rayon")]
fn long_row_stats<K: Rows>(level: Level, k: &K, a: &[f32], b: &[f32]) -> K::Stats {
    use rayon::prelude::*;
    let parts: Vec<K::Partial> = a
        .par_chunks(ROW_CHUNK)
        .zip(b.par_chunks(ROW_CHUNK))
        .map(|(a, b)| driver::partial(level, k, a, b))
        .collect();
    k.finish(driver::fold_partials(k, parts))
}

/// Both passes of a row-wise kernel over every row, split across threads when large.
pub(crate) fn rows<K: Rows>(
    level: Level,
    k: &K,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    row_len: usize,
) {
    rows_with(level, k, a, b, out, row_len, |a, b, out| {
        driver::rows(level, k, a, b, out, row_len)
    })
}

/// As `rows`, with the stored path for short rows (see `driver::StoredRows`).
pub(crate) fn rows_stored<K: StoredRows>(
    level: Level,
    k: &K,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    row_len: usize,
) {
    #[cfg(feature = "rayon")]
    const {
        assert!(
            K::MAX_ROW < LONG_ROW,
            "a row split in chunks takes the `Rows` path"
        )
    };
    rows_with(level, k, a, b, out, row_len, |a, b, out| {
        driver::rows_stored(level, k, a, b, out, row_len)
    })
}

/// Splits a row-wise call: groups of whole rows go to `run`; a long row is reduced and written
/// chunk by chunk (`Rows` path).
fn rows_with<K: Rows>(
    level: Level,
    k: &K,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    row_len: usize,
    run: impl Fn(&[f32], &[f32], &mut [f32]) + Sync,
) {
    #[cfg(feature = "rayon")]
    if let Some(split) = row_split(a.len(), row_len) {
        use rayon::prelude::*;
        assert!(
            a.len() == b.len() && a.len() == out.len() && a.len().is_multiple_of(row_len),
            "bad row-wise lengths"
        );
        match split {
            RowSplit::Rows(len) => a
                .par_chunks(len)
                .zip(b.par_chunks(len))
                .zip(out.par_chunks_mut(len))
                .for_each(|((a, b), out)| run(a, b, out)),
            RowSplit::Chunks => {
                let rows = a.chunks(row_len).zip(b.chunks(row_len));
                for ((a, b), out) in rows.zip(out.chunks_mut(row_len)) {
                    let s = long_row_stats(level, k, a, b);
                    a.par_chunks(ROW_CHUNK)
                        .zip(b.par_chunks(ROW_CHUNK))
                        .zip(out.par_chunks_mut(ROW_CHUNK))
                        .for_each(|((a, b), out)| driver::write(level, k, &s, a, b, out));
                }
            }
        }
        return;
    }
    #[cfg(not(feature = "rayon"))]
    let _ = (level, k, row_len);
    run(a, b, out)
}

/// Both passes of a one-input row-wise kernel over every row of `x`, in place, split across
/// threads when large.
pub(crate) fn rows_inplace<K: Rows>(level: Level, k: &K, x: &mut [f32], row_len: usize) {
    rows_inplace_with(level, k, x, row_len, |x| {
        driver::rows_inplace(level, k, x, row_len)
    })
}

/// As `rows_inplace`, with the stored path for short rows.
pub(crate) fn rows_stored_inplace<K: StoredRows>(
    level: Level,
    k: &K,
    x: &mut [f32],
    row_len: usize,
) {
    #[cfg(feature = "rayon")]
    const {
        assert!(
            K::MAX_ROW < LONG_ROW,
            "a row split in chunks takes the `Rows` path"
        )
    };
    rows_inplace_with(level, k, x, row_len, |x| {
        driver::rows_stored_inplace(level, k, x, row_len)
    })
}

/// As `rows_with`, in place.
fn rows_inplace_with<K: Rows>(
    level: Level,
    k: &K,
    x: &mut [f32],
    row_len: usize,
    run: impl Fn(&mut [f32]) + Sync,
) {
    #[cfg(feature = "rayon")]
    if let Some(split) = row_split(x.len(), row_len) {
        use rayon::prelude::*;
        assert!(x.len().is_multiple_of(row_len), "bad row-wise lengths");
        match split {
            RowSplit::Rows(len) => x.par_chunks_mut(len).for_each(&run),
            RowSplit::Chunks => {
                for x in x.chunks_mut(row_len) {
                    let s = long_row_stats(level, k, x, x);
                    x.par_chunks_mut(ROW_CHUNK)
                        .for_each(|x| driver::write_inplace(level, k, &s, x));
                }
            }
        }
        return;
    }
    #[cfg(not(feature = "rayon"))]
    let _ = (level, k, row_len);
    run(x)
}
