//! The loop driver: runs a kernel over slices, a vector at a time.
//!
//! ```text
//! for each tile of UNROLL vectors:   load UNROLL vectors, apply the kernel, store them
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
    /// The kernel on one vector. Implementations are `#[inline(always)]`.
    fn apply<V: Vector>(&self, x: V) -> V;
}

/// An elementwise kernel of two inputs, for gradients: `dx = f(saved, dy)`.
pub(crate) trait Binary: Sync {
    /// The kernel on one vector of each input. Implementations are `#[inline(always)]`.
    fn apply<V: Vector>(&self, saved: V, dy: V) -> V;
}

/// Vectors per tile of the main loop: enough independent chains to hide FMA latency.
const UNROLL: usize = 4;

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
        while i + UNROLL * lanes <= n {
            let mut v = [V::splat(0.0); UNROLL];
            for (j, v) in v.iter_mut().enumerate() {
                *v = f.at(At {
                    i: i + j * lanes,
                    len: lanes,
                });
            }
            for (j, v) in v.into_iter().enumerate() {
                store::<V, STREAM>(v, out.add(i + j * lanes));
            }
            i += UNROLL * lanes;
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
