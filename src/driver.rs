//! The loop driver: runs a kernel over slices, a vector at a time.
//!
//! ```text
//! for each tile of MAP_UNROLL vectors: load them, apply the kernel, store them
//! for each remaining whole vector:   load, apply, store
//! for the last n % LANES elements:   partial load (other lanes 0.0), apply, partial store
//! ```
//! The tail runs the same kernel on the same vector type as the body, so an element's result
//! depends only on its own value, never on the slice length, its position or alignment.
//! In place is the same loop with `y == x`: each vector is loaded before it is stored.
//!
//! The raw loops are generic over the vector type and `#[inline(always)]`; `arch` wraps each
//! in one `#[target_feature]` entry function per level. The safe functions at the bottom take
//! a `Level`, which proves the CPU has the level, and pick the entry function.

use crate::dispatch::{Isa, Level};
use crate::vector::Vector;

/// An elementwise kernel of one input: `y = f(x)`.
pub(crate) trait Unary: Sync {
    /// Inputs shorter than this stay on the calling thread (`par`). The default suits kernels
    /// that cost about an exponential per element; memory-bound kernels set `par::CHEAP`.
    const PARALLEL_MIN: usize = crate::par::THRESHOLD;
    /// The kernel on one vector. Implementations are `#[inline(always)]`.
    fn apply<V: Vector>(&self, x: V) -> V;
}

/// An elementwise kernel of two inputs, for gradients: `dx = f(saved, dy)`.
pub(crate) trait Binary: Sync {
    /// As `Unary::PARALLEL_MIN`; gradients are a few multiplies per element, memory-bound.
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))] // only the rayon split reads it
    const PARALLEL_MIN: usize = crate::par::CHEAP;
    /// The kernel on one vector of each input. Implementations are `#[inline(always)]`.
    fn apply<V: Vector>(&self, saved: V, dy: V) -> V;
}

/// Accumulators per reduction: enough independent chains to hide the latency of the adds.
pub(crate) const UNROLL: usize = 4;

/// Vectors per tile of the elementwise loop. Two independent chains already keep the FMA
/// units busy once out-of-order execution overlaps iterations, and a kernel as long as sigmoid
/// (about 20 live vectors each) then fits the register file without spilling or reloading
/// its constants; four measured about 4% slower (tour, AVX-512).
const MAP_UNROLL: usize = 2;

/// A row-wise kernel (the softmax family): a reduction over each row, then an elementwise pass
/// that writes the row from the reduction's result.
///
/// ```text
/// for each row:
///     p = partial(first chunk); for each later chunk: p = combine(p, partial(chunk))
///     s = finish(p)
///     out[i] = write(s, a[i], b[i])            (the elementwise loop of `binary_raw`)
/// ```
/// Chunks are `ROW_CHUNK` elements (the last may be shorter). A row is always reduced chunk by
/// chunk and folded left to right, whether the chunks run on one thread or on many (`par`), so
/// its result does not depend on the thread count. Kernels of one input get it as both `a` and
/// `b` and ignore `b`.
pub(crate) trait Rows: Sync {
    /// The reduction of one chunk.
    type Partial: Copy + Send;
    /// What the writing pass needs, made once per row.
    type Stats: Copy + Send + Sync;
    /// Reduces one chunk (`a.len() == b.len() > 0`), reading it through the slice primitives
    /// below (`fold`, `lanes`). Implementations are `#[inline(always)]` and use no closures
    /// over vectors (see `Accumulate`).
    fn partial<V: Vector>(&self, a: &[f32], b: &[f32]) -> Self::Partial;
    /// The reduction of two adjacent chunks, `p` first.
    fn combine(&self, p: Self::Partial, q: Self::Partial) -> Self::Partial;
    /// The row's statistics from the reduction of all its chunks.
    fn finish(&self, p: Self::Partial) -> Self::Stats;
    /// One output vector from a vector of each input. Implementations are `#[inline(always)]`.
    fn write<V: Vector>(&self, s: &Self::Stats, a: V, b: V) -> V;
}

/// Elements per chunk of a row's reduction: the unit of work when one long row is split
/// across threads. A multiple of every level's block of vectors.
pub(crate) const ROW_CHUNK: usize = 1 << 16;

/// Folds chunk reductions left to right: the order every path uses (`rows_raw` writes the
/// same fold out as a loop).
#[cfg_attr(not(feature = "rayon"), allow(dead_code))] // for `par`'s long rows
pub(crate) fn fold_partials<K: Rows>(
    k: &K,
    parts: impl IntoIterator<Item = K::Partial>,
) -> K::Partial {
    let mut parts = parts.into_iter();
    let first = parts.next().expect("a row has at least one chunk");
    parts.fold(first, |p, q| k.combine(p, q))
}

/// The largest number of lanes of any level (the size of `lanes`' array).
pub(crate) const MAX_LANES: usize = 16;

/// `0.0, 1.0, 2.0, ...`: compared with the count of valid lanes to pad a partial vector.
static LANE_INDEX: [f32; MAX_LANES] = [
    0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
];

/// The lanes of `v`, in order, in the first `V::LANES` entries (the rest are 0.0).
#[inline(always)]
pub(crate) fn lanes<V: Vector>(v: V) -> [f32; MAX_LANES] {
    const { assert!(V::LANES <= MAX_LANES) };
    let mut buf = [0.0; MAX_LANES];
    // SAFETY: `buf` holds `MAX_LANES >= V::LANES` values.
    unsafe { v.store(buf.as_mut_ptr()) };
    buf
}

/// The first `n < LANES` values at `p`, the other lanes set to `pad`.
///
/// # Safety
/// `p` readable for `n` values.
#[inline(always)]
unsafe fn load_padded<V: Vector>(p: *const f32, n: usize, pad: f32) -> V {
    const { assert!(V::LANES <= MAX_LANES) };
    // SAFETY: `LANE_INDEX` holds `MAX_LANES >= V::LANES` values; `p` as the caller guarantees.
    let (index, v) = unsafe { (V::load(LANE_INDEX.as_ptr()), V::load_partial(p, n)) };
    V::select(index.lt(V::splat(n as f32)), v, V::splat(pad))
}

/// A per-vector accumulator of a row reduction (a lane-wise maximum, a compensated sum...).
///
/// A trait rather than a closure: a closure is a function of its own, compiled without the
/// entry point's `#[target_feature]`s, so the vector operations inlined into it would stay
/// calls; `#[inline(always)]` methods are inlined into the entry point itself.
pub(crate) trait Accumulate<V: Vector>: Copy {
    /// Takes one vector of each input. Implementations are `#[inline(always)]`.
    fn step(self, a: V, b: V) -> Self;
}

/// Runs `init.step` over `a` and `b` a vector of each at a time, into `UNROLL` accumulators
/// that all start as `init`; returns them for the kernel to combine in its own fixed order.
///
/// Vector `j` of each tile goes to accumulator `j`; the whole vectors after the last tile go
/// to accumulators `0, 1, ...` in turn, and the tail to the next one, padded with `pad` (a
/// value that leaves the accumulator as it is, such as -inf for a maximum or 0 for a sum). The
/// tail runs the same `step` as every other vector, so the result depends only on the
/// contents of the slices.
///
/// # Panics
/// If the lengths differ.
#[inline(always)]
pub(crate) fn fold<V: Vector, S: Accumulate<V>>(
    a: &[f32],
    b: &[f32],
    pad: f32,
    init: S,
) -> [S; UNROLL] {
    assert_eq!(a.len(), b.len(), "fold: lengths differ");
    let (n, lanes) = (a.len(), V::LANES);
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [init; UNROLL];
    let mut i = 0;
    // Every offset read below is below `n`, the length of both slices.
    while i + UNROLL * lanes <= n {
        for (j, acc) in acc.iter_mut().enumerate() {
            let k = i + j * lanes;
            // SAFETY: `k + lanes <= i + UNROLL * lanes <= n`.
            let (va, vb) = unsafe { (V::load(pa.add(k)), V::load(pb.add(k))) };
            *acc = acc.step(va, vb);
        }
        i += UNROLL * lanes;
    }
    let mut j = 0;
    while i + lanes <= n {
        // SAFETY: `i + lanes <= n`.
        let (va, vb) = unsafe { (V::load(pa.add(i)), V::load(pb.add(i))) };
        acc[j] = acc[j].step(va, vb);
        i += lanes;
        j += 1;
    }
    if i < n {
        // SAFETY: `load_padded` reads the `n - i` values from `i`, all in bounds.
        let (va, vb) = unsafe {
            (
                load_padded::<V>(pa.add(i), n - i, pad),
                load_padded::<V>(pb.add(i), n - i, pad),
            )
        };
        acc[j] = acc[j].step(va, vb);
    }
    acc
}

/// A row kernel with a faster path for rows short enough to stay in cache (softmax): its
/// reduction also stores one value per element in the output (`e^(x - max)`), and a last pass
/// maps the output in place (`* 1/S`). That reads the row twice and the output once, where
/// `Rows` reads the row twice and computes the stored value again. Rows longer than
/// `MAX_ROW` take the `Rows` path; which path a row takes depends only on `row_len`.
pub(crate) trait StoredRows: Rows {
    /// Rows of at most this many elements take the stored path.
    const MAX_ROW: usize;
    /// Fills the lanes past the end of the row in the storing pass (they are not stored).
    const PAD: f32;
    /// The storing pass's accumulator.
    type Acc<V: Vector>: Store<V>;
    /// The storing pass's accumulator for a row, from a first look at it (softmax: its
    /// maximum). `#[inline(always)]`.
    fn start<V: Vector>(&self, a: &[f32], b: &[f32]) -> Self::Acc<V>;
    /// The row's statistics from the storing pass's accumulators. `#[inline(always)]`.
    fn stats<V: Vector>(&self, acc: [Self::Acc<V>; UNROLL]) -> Self::Stats;
    /// One output vector from one stored vector. `#[inline(always)]`.
    fn rewrite<V: Vector>(&self, s: &Self::Stats, stored: V) -> V;
}

/// The per-vector step of a storing pass (see `StoredRows`).
pub(crate) trait Store<V: Vector>: Copy {
    /// Takes one vector of each input; returns the new accumulator and the vector to store.
    /// Implementations are `#[inline(always)]`.
    fn step(self, a: V, b: V) -> (Self, V);
}

/// As `fold`, also storing the second result of each step at its place in `out`.
///
/// # Safety
/// `a`, `b` readable and `out` writable for `n` values; `out` may equal `a` and `b` (each
/// vector is loaded before its result is stored), any other overlap is not allowed.
#[inline(always)]
unsafe fn fold_store<V: Vector, S: Store<V>>(
    a: *const f32,
    b: *const f32,
    out: *mut f32,
    n: usize,
    pad: f32,
    init: S,
) -> [S; UNROLL] {
    let lanes = V::LANES;
    let mut acc = [init; UNROLL];
    let mut i = 0;
    // Every offset read or written below is below `n`; in place, each vector is loaded
    // before its result is stored.
    while i + UNROLL * lanes <= n {
        for (j, acc) in acc.iter_mut().enumerate() {
            let k = i + j * lanes;
            // SAFETY: `k + lanes <= i + UNROLL * lanes <= n`.
            let (next, v) = unsafe { acc.step(V::load(a.add(k)), V::load(b.add(k))) };
            // SAFETY: as for the loads.
            unsafe { v.store(out.add(k)) };
            *acc = next;
        }
        i += UNROLL * lanes;
    }
    let mut j = 0;
    while i + lanes <= n {
        // SAFETY: `i + lanes <= n`.
        let (next, v) = unsafe { acc[j].step(V::load(a.add(i)), V::load(b.add(i))) };
        // SAFETY: as for the loads.
        unsafe { v.store(out.add(i)) };
        acc[j] = next;
        i += lanes;
        j += 1;
    }
    if i < n {
        let r = n - i;
        // SAFETY: `load_padded` reads the `r` values from `i`, all in bounds.
        let (va, vb) = unsafe {
            (
                load_padded::<V>(a.add(i), r, pad),
                load_padded::<V>(b.add(i), r, pad),
            )
        };
        let (next, v) = acc[j].step(va, vb);
        // SAFETY: `store_partial` writes the `r` values from `i`, all in bounds.
        unsafe { v.store_partial(out.add(i), r) };
        acc[j] = next;
    }
    acc
}

/// Adapts a stored-path kernel's last pass to the elementwise loop.
struct Rewrite<'a, K: StoredRows>(&'a K, &'a K::Stats);

impl<K: StoredRows> Unary for Rewrite<'_, K> {
    #[inline(always)]
    fn apply<V: Vector>(&self, stored: V) -> V {
        self.0.rewrite(self.1, stored)
    }
}

/// Every row through the stored path if `row_len <= K::MAX_ROW`, else through `rows_raw`.
///
/// # Safety
/// As `rows_raw`.
#[inline(always)]
pub(crate) unsafe fn rows_stored_raw<V: Vector, K: StoredRows>(
    k: &K,
    a: *const f32,
    b: *const f32,
    out: *mut f32,
    n: usize,
    row_len: usize,
) {
    if row_len > K::MAX_ROW {
        // SAFETY: the same contract.
        return unsafe { rows_raw::<V, K>(k, a, b, out, n, row_len) };
    }
    let mut start = 0;
    while start < n {
        // SAFETY: `start + row_len <= n`, so the row is in bounds.
        let (ra, rb, ro) = unsafe { (a.add(start), b.add(start), out.add(start)) };
        // SAFETY: the row is readable for `row_len` values, and these shared slices are used
        // only here, before anything is stored into the row.
        let init = unsafe {
            k.start::<V>(
                core::slice::from_raw_parts(ra, row_len),
                core::slice::from_raw_parts(rb, row_len),
            )
        };
        // SAFETY: the row is in bounds of all three pointers; `ro` may equal `ra` and `rb`, as
        // `fold_store` allows; the CPU runs `V`'s level, as our caller guarantees.
        let acc = unsafe { fold_store::<V, K::Acc<V>>(ra, rb, ro, row_len, K::PAD, init) };
        let stats = k.stats::<V>(acc);
        // SAFETY: in place over the output row, which is in bounds; not streamed.
        unsafe { unary_raw::<V, _>(&Rewrite(k, &stats), ro, ro, row_len, false) };
        start += row_len;
    }
}

/// Adapts a row kernel's writing pass, with its row statistics, to the elementwise loop.
struct WithStats<'a, K: Rows>(&'a K, &'a K::Stats);

impl<K: Rows> Binary for WithStats<'_, K> {
    #[inline(always)]
    fn apply<V: Vector>(&self, a: V, b: V) -> V {
        self.0.write(self.1, a, b)
    }
}

/// Reduces one chunk of a row.
///
/// # Safety
/// `a`, `b` readable for `n > 0` values and not written while this runs; the CPU runs `V`'s
/// level.
#[inline(always)]
pub(crate) unsafe fn partial_raw<V: Vector, K: Rows>(
    k: &K,
    a: *const f32,
    b: *const f32,
    n: usize,
) -> K::Partial {
    // SAFETY: readable for `n` values and not written meanwhile, as the caller guarantees.
    let (a, b) = unsafe {
        (
            core::slice::from_raw_parts(a, n),
            core::slice::from_raw_parts(b, n),
        )
    };
    k.partial::<V>(a, b)
}

/// The writing pass over `n` values with the row statistics `s`.
///
/// # Safety
/// As `binary_raw`; the CPU runs `V`'s level.
#[inline(always)]
pub(crate) unsafe fn write_raw<V: Vector, K: Rows>(
    k: &K,
    s: &K::Stats,
    a: *const f32,
    b: *const f32,
    out: *mut f32,
    n: usize,
) {
    // SAFETY: forwarded from this function's contract.
    unsafe { binary_raw::<V, _>(&WithStats(k, s), a, b, out, n, false) }
}

/// Both passes over every row of `row_len > 0` values, `n` a multiple of `row_len`.
///
/// # Safety
/// As `binary_raw` (`out` may equal `a` and `b`); the CPU runs `V`'s level.
#[inline(always)]
pub(crate) unsafe fn rows_raw<V: Vector, K: Rows>(
    k: &K,
    a: *const f32,
    b: *const f32,
    out: *mut f32,
    n: usize,
    row_len: usize,
) {
    let mut start = 0;
    while start < n {
        // The row is only read while its chunks are reduced, and only then written (in
        // place, each vector is loaded before it is stored). The fold of `fold_partials`,
        // written out: a closure would not be compiled for the level (see `Accumulate`).
        // SAFETY: `start + row_len <= n`, so the row is in bounds.
        let (ra, rb, ro) = unsafe { (a.add(start), b.add(start), out.add(start)) };
        let first = ROW_CHUNK.min(row_len);
        // SAFETY: `first <= row_len` values of the row, not written during the reduction.
        let mut p = unsafe { partial_raw::<V, K>(k, ra, rb, first) };
        let mut c = first;
        while c < row_len {
            let len = ROW_CHUNK.min(row_len - c);
            // SAFETY: `c + len <= row_len`, as above.
            p = k.combine(p, unsafe {
                partial_raw::<V, K>(k, ra.add(c), rb.add(c), len)
            });
            c += len;
        }
        let stats = k.finish(p);
        // SAFETY: the row is in bounds of all three pointers; `ro` may equal `ra` and `rb`.
        unsafe { write_raw::<V, K>(k, &stats, ra, rb, ro, row_len) };
        start += row_len;
    }
}

/// Out-of-place calls writing at least this many elements use non-temporal stores: an output
/// this large (16 MiB) leaves the caches anyway, and streaming it saves the read of each
/// output line before it is written. Smaller outputs stay in cache for the caller.
pub const STREAM_MIN: usize = 1 << 22;

/// Lanes `i .. i + len` of a slice: a whole vector when `len == LANES`, else a partial one.
#[derive(Clone, Copy)]
struct At {
    i: usize,
    len: usize,
}

/// Loads the lanes `at` of `p`, zero-filling a partial vector.
///
/// # Safety
/// `p + at.i .. p + at.i + at.len` is readable.
#[inline(always)]
unsafe fn load<V: Vector>(p: *const f32, at: At) -> V {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        if at.len == V::LANES {
            V::load(p.add(at.i))
        } else {
            V::load_partial(p.add(at.i), at.len)
        }
    }
}

/// What the loop computes for the lanes `at`. A trait with `#[inline(always)]` methods rather
/// than a closure: a closure is a function of its own, compiled without the entry point's
/// target features whenever LLVM declines to inline it.
trait Lanes<V: Vector> {
    /// The result vector for lanes `at`.
    ///
    /// # Safety
    /// The lanes `at` are in bounds of every input.
    unsafe fn at(&self, at: At) -> V;
}

/// `k(x[at])`.
struct UnaryLanes<'a, K> {
    k: &'a K,
    x: *const f32,
}

impl<V: Vector, K: Unary> Lanes<V> for UnaryLanes<'_, K> {
    #[inline(always)]
    unsafe fn at(&self, at: At) -> V {
        // SAFETY: forwarded from this function's contract.
        self.k.apply(unsafe { load::<V>(self.x, at) })
    }
}

/// `k(a[at], b[at])`.
struct BinaryLanes<'a, K> {
    k: &'a K,
    a: *const f32,
    b: *const f32,
}

impl<V: Vector, K: Binary> Lanes<V> for BinaryLanes<'_, K> {
    #[inline(always)]
    unsafe fn at(&self, at: At) -> V {
        // SAFETY: forwarded from this function's contract.
        unsafe { self.k.apply(load::<V>(self.a, at), load::<V>(self.b, at)) }
    }
}

/// The strip-mining loop: `out[at] = f.at(at)` for every vector of `0..n`.
///
/// With `STREAM`, a partial head vector first brings `out` to vector alignment, and whole
/// vectors are stored with non-temporal stores. The head and tail run the same `f` on
/// partial vectors, so no element's result depends on where the vector boundaries fall.
///
/// # Safety
/// `out` is writable for `n` values; `f.at(at)` is valid for every `at` inside `0..n`; the
/// CPU runs `V`'s level.
#[inline(always)]
unsafe fn for_each_vector<V: Vector, F: Lanes<V>, const STREAM: bool>(
    n: usize,
    out: *mut f32,
    f: &F,
) {
    let lanes = V::LANES;
    let mut i = 0;
    // SAFETY: (for the whole block) each `at` lies inside `0..n`; each store covers lanes
    // `at.i .. at.i + at.len` inside `out`; streamed stores start at `out + i` with `i` past
    // the alignment head, so they are vector-aligned.
    unsafe {
        if STREAM {
            let misaligned = (out as usize / 4) % lanes;
            let head = ((lanes - misaligned) % lanes).min(n);
            if head > 0 {
                f.at(At { i: 0, len: head }).store_partial(out, head);
                i = head;
            }
        }
        while i + MAP_UNROLL * lanes <= n {
            let mut v = [V::splat(0.0); MAP_UNROLL];
            for (j, v) in v.iter_mut().enumerate() {
                *v = f.at(At {
                    i: i + j * lanes,
                    len: lanes,
                });
            }
            for (j, v) in v.into_iter().enumerate() {
                store::<V, STREAM>(v, out.add(i + j * lanes));
            }
            i += MAP_UNROLL * lanes;
        }
        while i + lanes <= n {
            store::<V, STREAM>(f.at(At { i, len: lanes }), out.add(i));
            i += lanes;
        }
        if i < n {
            f.at(At { i, len: n - i }).store_partial(out.add(i), n - i);
        }
    }
    if STREAM {
        V::stream_fence();
    }
}

/// A whole-vector store, non-temporal if `STREAM`.
///
/// # Safety
/// As `Vector::store`, and vector-aligned if `STREAM`.
#[inline(always)]
unsafe fn store<V: Vector, const STREAM: bool>(v: V, p: *mut f32) {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        if STREAM {
            v.store_stream(p)
        } else {
            v.store(p)
        }
    }
}

/// `y[i] = k(x[i])` for `i < n`, streaming the stores if `stream`.
///
/// # Safety
/// `x` readable and `y` writable for `n` values; `y == x` is allowed (then `stream` must be
/// false), any other overlap is not; the CPU runs `V`'s level.
#[inline(always)]
pub(crate) unsafe fn unary_raw<V: Vector, K: Unary>(
    k: &K,
    x: *const f32,
    y: *mut f32,
    n: usize,
    stream: bool,
) {
    let f = UnaryLanes { k, x };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        if stream {
            for_each_vector::<V, _, true>(n, y, &f)
        } else {
            for_each_vector::<V, _, false>(n, y, &f)
        }
    }
}

/// `out[i] = k(a[i], b[i])` for `i < n`, streaming the stores if `stream`.
///
/// # Safety
/// `a`, `b` readable and `out` writable for `n` values; `out` may equal `a` or `b` (then
/// `stream` must be false), any other overlap is not allowed; the CPU runs `V`'s level.
#[inline(always)]
pub(crate) unsafe fn binary_raw<V: Vector, K: Binary>(
    k: &K,
    a: *const f32,
    b: *const f32,
    out: *mut f32,
    n: usize,
    stream: bool,
) {
    let f = BinaryLanes { k, a, b };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        if stream {
            for_each_vector::<V, _, true>(n, out, &f)
        } else {
            for_each_vector::<V, _, false>(n, out, &f)
        }
    }
}

/// Calls `$f` (an entry point name in each `arch` module) at `$level`.
macro_rules! at_level {
    ($level:expr, $f:ident :: <$($g:ty),*> ($($arg:expr),*)) => {
        match $level.isa() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: a `Level` exists only for a level the CPU has (`Level::new`, `level`);
            // the caller of this macro upholds the pointer contract of the entry point.
            Isa::Avx512 => unsafe { crate::arch::avx512::$f::<$($g),*>($($arg),*) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above, for AVX2+FMA.
            Isa::Avx2 => unsafe { crate::arch::avx2::$f::<$($g),*>($($arg),*) },
            // SAFETY: the portable level needs no CPU feature; pointer contract as above.
            _ => unsafe { crate::arch::portable::$f::<$($g),*>($($arg),*) },
        }
    };
}

/// `y[i] = k(x[i])`, with non-temporal stores if `stream`.
///
/// # Panics
/// If the lengths differ.
pub(crate) fn unary<K: Unary>(level: Level, k: &K, x: &[f32], y: &mut [f32], stream: bool) {
    assert_eq!(x.len(), y.len(), "input and output lengths differ");
    // The slices are distinct borrows, so they do not overlap.
    at_level!(
        level,
        unary::<K>(k, x.as_ptr(), y.as_mut_ptr(), x.len(), stream)
    )
}

/// `x[i] = k(x[i])`.
pub(crate) fn unary_inplace<K: Unary>(level: Level, k: &K, x: &mut [f32]) {
    let p = x.as_mut_ptr();
    // Both pointers come from the one exclusive borrow: reading and writing it is fine.
    at_level!(level, unary::<K>(k, p.cast_const(), p, x.len(), false))
}

/// `out[i] = k(a[i], b[i])`, with non-temporal stores if `stream`.
///
/// # Panics
/// If the lengths differ.
pub(crate) fn binary<K: Binary>(
    level: Level,
    k: &K,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    stream: bool,
) {
    assert!(a.len() == b.len() && a.len() == out.len(), "lengths differ");
    let (pa, pb, po, n) = (a.as_ptr(), b.as_ptr(), out.as_mut_ptr(), a.len());
    at_level!(level, binary::<K>(k, pa, pb, po, n, stream))
}

/// Checks a row-wise call's lengths: all equal, a multiple of `row_len > 0`.
fn rows_ok(a: usize, b: usize, out: usize, row_len: usize) {
    assert!(
        a == b && a == out && row_len > 0 && a.is_multiple_of(row_len),
        "bad row-wise lengths"
    );
}

/// Both passes of `k` over every row: `out` from `a` and `b` (the same slice for kernels of
/// one input).
///
/// # Panics
/// If the lengths differ, or are not a multiple of `row_len > 0`.
pub(crate) fn rows<K: Rows>(
    level: Level,
    k: &K,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    row_len: usize,
) {
    rows_ok(a.len(), b.len(), out.len(), row_len);
    let (pa, pb, po) = (a.as_ptr(), b.as_ptr(), out.as_mut_ptr());
    // `out` is an exclusive borrow, so it overlaps neither input.
    at_level!(level, rows::<K>(k, pa, pb, po, a.len(), row_len))
}

/// Both passes of a one-input kernel over every row of `x`, in place.
///
/// # Panics
/// If the length is not a multiple of `row_len > 0`.
pub(crate) fn rows_inplace<K: Rows>(level: Level, k: &K, x: &mut [f32], row_len: usize) {
    rows_ok(x.len(), x.len(), x.len(), row_len);
    let p = x.as_mut_ptr();
    // All three pointers come from the one exclusive borrow, and `rows_raw` allows
    // `out == a == b`.
    at_level!(
        level,
        rows::<K>(k, p.cast_const(), p.cast_const(), p, x.len(), row_len)
    )
}

/// As `rows`, through the stored path for rows of at most `K::MAX_ROW`.
///
/// # Panics
/// If the lengths differ, or are not a multiple of `row_len > 0`.
pub(crate) fn rows_stored<K: StoredRows>(
    level: Level,
    k: &K,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    row_len: usize,
) {
    rows_ok(a.len(), b.len(), out.len(), row_len);
    let (pa, pb, po) = (a.as_ptr(), b.as_ptr(), out.as_mut_ptr());
    // `out` is an exclusive borrow, so it overlaps neither input.
    at_level!(level, rows_stored::<K>(k, pa, pb, po, a.len(), row_len))
}

/// As `rows_inplace`, through the stored path for rows of at most `K::MAX_ROW`.
///
/// # Panics
/// If the length is not a multiple of `row_len > 0`.
pub(crate) fn rows_stored_inplace<K: StoredRows>(
    level: Level,
    k: &K,
    x: &mut [f32],
    row_len: usize,
) {
    rows_ok(x.len(), x.len(), x.len(), row_len);
    let p = x.as_mut_ptr();
    // One exclusive borrow for all three pointers; `rows_stored_raw` allows `out == a == b`.
    at_level!(
        level,
        rows_stored::<K>(k, p.cast_const(), p.cast_const(), p, x.len(), row_len)
    )
}

/// The reduction of one chunk of a row.
///
/// # Panics
/// If the lengths differ or are 0.
#[cfg_attr(not(feature = "rayon"), allow(dead_code))] // for `par`'s long rows
pub(crate) fn partial<K: Rows>(level: Level, k: &K, a: &[f32], b: &[f32]) -> K::Partial {
    assert!(a.len() == b.len() && !a.is_empty(), "bad chunk lengths");
    // Shared borrows: nothing writes the chunk while it is read.
    at_level!(level, partial::<K>(k, a.as_ptr(), b.as_ptr(), a.len()))
}

/// The writing pass over part of a row, with the row's statistics.
///
/// # Panics
/// If the lengths differ.
#[cfg_attr(not(feature = "rayon"), allow(dead_code))] // for `par`'s long rows
pub(crate) fn write<K: Rows>(
    level: Level,
    k: &K,
    s: &K::Stats,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
) {
    assert!(a.len() == b.len() && a.len() == out.len(), "lengths differ");
    let (pa, pb, po) = (a.as_ptr(), b.as_ptr(), out.as_mut_ptr());
    // `out` is an exclusive borrow, distinct from the inputs.
    at_level!(level, write::<K>(k, s, pa, pb, po, a.len()))
}

/// The writing pass of a one-input kernel over part of a row, in place.
#[cfg_attr(not(feature = "rayon"), allow(dead_code))] // for `par`'s long rows
pub(crate) fn write_inplace<K: Rows>(level: Level, k: &K, s: &K::Stats, x: &mut [f32]) {
    let p = x.as_mut_ptr();
    // One exclusive borrow for all three pointers; `write_raw` allows `out == a == b`.
    at_level!(
        level,
        write::<K>(k, s, p.cast_const(), p.cast_const(), p, x.len())
    )
}
