//! Hyperbolic tangent, `tanh(x)`, and its gradient `dx = dy * (1 - y^2)`.
//!
//! # Method
//! tanh is odd: compute `t = tanh(|x|)`, then give it the sign of `x` (so `tanh(-0) = -0`).
//!
//! ```text
//! |x| <  0.625:  t = a + a^3 P(a^2)            (odd polynomial, a = |x|)
//! |x| >= 0.625:  t = 1 - 2 / (1 + e^(2a))      (e^(2a) with a clamped to 10)
//! ```
//! Near 0 the polynomial keeps full relative accuracy, which `2 σ(2x) - 1` and
//! `(e^2x - 1)/(e^2x + 1)` lose to cancellation. Above the cut-off `t > 0.55`, so the
//! subtraction `1 - q` loses at most one bit; `q = 2/(1 + E)` is taken with an exact split of
//! `1 + E` and a corrected division (`math::div_accurate`). For `|x| > 9.01`, `t` rounds to 1.
//!
//! # Accuracy
//! Max error 2 ULP on every finite input, every level (measured table in the README).
//!
//! # Special values
//! `tanh(NaN) = NaN`, `tanh(±inf) = ±1`, `tanh(±0) = ±0`; subnormal `x` gives `x`.
//!
//! # Gradient
//! From the saved output `y`: `dx = dy * (1 - y*y)`, with `1 - y*y` fused (one rounding, no
//! cancellation near `|y| = 1`); at most 3 ULP from the formula in f64.

use crate::driver::{Binary, Unary};
use crate::math::{div_accurate, exp};
use crate::registry::{Entry, Family, Saved};
use crate::vector::Vector;

pub(crate) const ENTRIES: &[Entry] = &[Entry::of::<Tanh>()];

/// Below this `|x|` the polynomial is used.
const POLY_LIMIT: f32 = 0.625;
/// `tanh(a) = a + a^3 (P0 + P1 a^2 + ... + P5 a^10)` on `[0, 0.625]`, fitted for relative
/// error (Lawson iteration toward minimax): 0.003 ULP before rounding.
const P: [f32; 6] = [
    -0.333_333_3,
    0.133_332_06,
    -0.053_946_763,
    0.021_700_703,
    -0.008_177_397,
    0.002_142_960_4,
];
/// `2a` is clamped here: `tanh(10) = 1 - 4e-9` already rounds to 1.
const EXP_ARG_MAX: f32 = 20.0;

/// The forward kernel.
pub(crate) struct Tanh;

impl Unary for Tanh {
    #[inline(always)]
    fn apply<V: Vector>(&self, x: V) -> V {
        let one = V::splat(1.0);
        let two = V::splat(2.0);
        let a = x.abs();

        // Small |x|: odd polynomial.
        let a2 = a.mul(a);
        let p = V::splat(P[5]);
        let p = p.mul_add(a2, V::splat(P[4]));
        let p = p.mul_add(a2, V::splat(P[3]));
        let p = p.mul_add(a2, V::splat(P[2]));
        let p = p.mul_add(a2, V::splat(P[1]));
        let p = p.mul_add(a2, V::splat(P[0]));
        let small = a.mul(a2).mul_add(p, a);

        // Larger |x|: 1 - 2/(1 + e^2a).
        // `min` returns its argument on NaN, so a NaN flows through to the result.
        let big_e = exp(V::splat(EXP_ARG_MAX).min(two.mul(a)));
        let d_hi = one.add(big_e);
        let d_lo = one.sub(d_hi.sub(big_e));
        let large = one.sub(div_accurate(two, d_hi, d_lo));

        let t = V::select(a.lt(V::splat(POLY_LIMIT)), small, large);
        t.copysign(x)
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
