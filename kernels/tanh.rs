//! Hyperbolic tangent, `tanh(x)`, and its gradient `dx = dy * (1 - y^2)`.
//!
//! # Method
//! tanh is odd: compute `t = tanh(|x|)`, then give it the sign of `x` (so `tanh(-0) = -0`).
//!
//! ```text
//! E = e^(2a) - 1          (a = |x|, 2a clamped to 20: tanh(10) already rounds to 1)
//! t = E / (E + 2)
//! ```
//! One formula for every `a`, no branch and no second polynomial: `E` comes from
//! `math::expm1_nonneg`, which keeps full relative accuracy near 0 (where `2 σ(2x) - 1` and
//! `1 - 2/(e^2x + 1)` cancel), `E + 2` is split exactly into `d_hi + d_lo` (Fast2Sum on the
//! larger and the smaller term), and the quotient is corrected by one Newton step on the exact
//! residual (`math::div_accurate`). What remains is the error of `E` (about 1 ULP) and the
//! final rounding.
//!
//! # Accuracy
//! Max error 2 ULP on every finite input, every level (measured table in the README). A
//! variant with a separate odd polynomial below |x| = 0.625 measured 1 ULP, at a cost in
//! speed that the README's accuracy section states.
//!
//! # Special values
//! `tanh(NaN) = NaN`, `tanh(±inf) = ±1`, `tanh(±0) = ±0`; `tanh(x) = x` for `|x| < 2^-12` (where
//! that is the correctly rounded value), so subnormal `x` gives `x` without subnormal arithmetic.
//!
//! # Gradient
//! From the saved output `y`: `dx = dy * (1 - y*y)`, with `1 - y*y` fused (one rounding, no
//! cancellation near `|y| = 1`); at most 3 ULP from the formula in f64.

use crate::driver::{Binary, Unary};
use crate::math::{div_accurate, expm1_nonneg};
use crate::registry::{Entry, Family, Saved};
use crate::vector::Vector;

pub(crate) const ENTRIES: &[Entry] = &[Entry::of::<Tanh>()];

/// Below this `|x|`, `tanh(x)` rounds to `x`.
const SMALL: f32 = 1.0 / 4096.0;

/// `2a` is clamped here: `tanh(10) = 1 - 4e-9` already rounds to 1.
const EXP_ARG_MAX: f32 = 20.0;

/// The forward kernel.
pub(crate) struct Tanh;

impl Unary for Tanh {
    #[inline(always)]
    fn apply<V: Vector>(&self, x: V) -> V {
        let two = V::splat(2.0);
        // Tiny inputs keep their value (tanh(x) = x to within x^3/3, under half an ULP for
        // |x| < 2^-12); clamping them away from the main path keeps subnormals, slow on some
        // CPUs, out of its arithmetic. `min` and `max` return their argument when it is NaN,
        // so a NaN flows through to the result.
        let a = x.abs();
        let z = V::splat(EXP_ARG_MAX).min(V::splat(2.0 * SMALL).max(two.mul(a)));
        let e = expm1_nonneg(z);
        // e + 2 split exactly (Fast2Sum on the larger and the smaller term).
        let (big, small) = (e.max(two), two.min(e));
        let d_hi = big.add(small);
        let d_lo = small.sub(d_hi.sub(big));
        let t = div_accurate(e, d_hi, d_lo);
        V::select(a.lt(V::splat(SMALL)), a, t).copysign(x)
    }
}

/// The gradient kernel, from the saved output.
pub(crate) struct TanhBackward;

impl Binary for TanhBackward {
    #[inline(always)]
    fn apply<V: Vector>(&self, y: V, dy: V) -> V {
        dy.mul(y.neg_mul_add_exact(y, V::splat(1.0)))
    }
}

impl Family for Tanh {
    const NAME: &'static str = "tanh";
    const FORWARD_ULP: u32 = 2;
    const BACKWARD_ULP: u32 = 3;
    const SAVED: Saved = Saved::Output;
    type Forward = Tanh;
    type Backward = TanhBackward;
    fn forward(_: f32) -> Tanh {
        Tanh
    }
    fn backward(_: f32) -> TanhBackward {
        TanhBackward
    }
    fn reference(x: f64, _: f64) -> f64 {
        x.tanh()
    }
    fn backward_reference(y: f64, dy: f64, _: f64) -> f64 {
        dy * (1.0 - y * y)
    }
}
