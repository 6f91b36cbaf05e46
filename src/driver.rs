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

/// `y[i] = k(x[i])` for `i < n`.
///
/// # Safety
/// `x` readable and `y` writable for `n` values; `y == x` is allowed, any other overlap is
/// not; the CPU runs `V`'s level.
#[inline(always)]
pub(crate) unsafe fn unary_raw<V: Vector, K: Unary>(k: &K, x: *const f32, y: *mut f32, n: usize) {
    let lanes = V::LANES;
    let mut i = 0;
    // SAFETY (all blocks below): every offset read or written is below `n`, which the caller
    // guarantees is in bounds for both pointers.
    while i + UNROLL * lanes <= n {
        let v: [V; UNROLL] = core::array::from_fn(|j| unsafe { V::load(x.add(i + j * lanes)) });
        for (j, v) in v.into_iter().enumerate() {
            unsafe { k.apply(v).store(y.add(i + j * lanes)) };
        }
        i += UNROLL * lanes;
    }
    while i + lanes <= n {
        unsafe { k.apply(V::load(x.add(i))).store(y.add(i)) };
        i += lanes;
    }
    if i < n {
        unsafe {
            k.apply(V::load_partial(x.add(i), n - i))
                .store_partial(y.add(i), n - i)
        };
    }
}

/// `out[i] = k(a[i], b[i])` for `i < n`.
///
/// # Safety
/// `a`, `b` readable and `out` writable for `n` values; `out` may equal `a` or `b`, any other
/// overlap is not allowed; the CPU runs `V`'s level.
#[inline(always)]
pub(crate) unsafe fn binary_raw<V: Vector, K: Binary>(
    k: &K,
    a: *const f32,
    b: *const f32,
    out: *mut f32,
    n: usize,
) {
    let lanes = V::LANES;
    let mut i = 0;
    // SAFETY (all blocks below): every offset read or written is below `n`.
    while i + UNROLL * lanes <= n {
        let va: [V; UNROLL] = core::array::from_fn(|j| unsafe { V::load(a.add(i + j * lanes)) });
        let vb: [V; UNROLL] = core::array::from_fn(|j| unsafe { V::load(b.add(i + j * lanes)) });
        for j in 0..UNROLL {
            unsafe { k.apply(va[j], vb[j]).store(out.add(i + j * lanes)) };
        }
        i += UNROLL * lanes;
    }
    while i + lanes <= n {
        unsafe {
            k.apply(V::load(a.add(i)), V::load(b.add(i)))
                .store(out.add(i))
        };
        i += lanes;
    }
    if i < n {
        let r = n - i;
        unsafe {
            k.apply(V::load_partial(a.add(i), r), V::load_partial(b.add(i), r))
                .store_partial(out.add(i), r)
        };
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

/// `y[i] = k(x[i])`.
///
/// # Panics
/// If the lengths differ.
pub(crate) fn unary<K: Unary>(level: Level, k: &K, x: &[f32], y: &mut [f32]) {
    assert_eq!(x.len(), y.len(), "input and output lengths differ");
    // The slices are distinct borrows, so they do not overlap.
    at_level!(level, unary::<K>(k, x.as_ptr(), y.as_mut_ptr(), x.len()))
}

/// `x[i] = k(x[i])`.
pub(crate) fn unary_inplace<K: Unary>(level: Level, k: &K, x: &mut [f32]) {
    let p = x.as_mut_ptr();
    // Both pointers come from the one exclusive borrow: reading and writing it is fine.
    at_level!(level, unary::<K>(k, p.cast_const(), p, x.len()))
}

/// `out[i] = k(a[i], b[i])`.
///
/// # Panics
/// If the lengths differ.
pub(crate) fn binary<K: Binary>(level: Level, k: &K, a: &[f32], b: &[f32], out: &mut [f32]) {
    assert!(a.len() == b.len() && a.len() == out.len(), "lengths differ");
    at_level!(
        level,
        binary::<K>(k, a.as_ptr(), b.as_ptr(), out.as_mut_ptr(), a.len())
    )
}
