//! Sigmoid, `σ(x) = 1 / (1 + e^-x)`, and its gradient `dx = dy * y * (1 - y)`.
//!
//! # Method
//! With `e = e^-|x|` (in `(0, 1]`, so it never overflows):
//!
//! ```text
//! σ(x) = 1 / (1 + e)   for x > 0
//! σ(x) = e / (1 + e)   for x <= 0
//! ```
//! The negative side is the one the lesson formula `1/(1+exp(-x))` gets wrong: there it
//! computes `1 + e^|x|` with `e^|x|` huge, and for x below about -88 overflows to `1/inf`.
//! Here `1 + e` is split exactly into `d_hi + d_lo` (Fast2Sum, as `1 >= e`), and the quotient
//! is taken with one division and a Newton correction on the exact residual
//! (`math::div_accurate`), so neither the sum nor the division adds more than about half an
//! ULP: what is left is the error of `e^-|x|`, scaled down by `1 - σ`.
//!
//! # Accuracy
//! Max error 1 ULP (faithful rounding) on every finite input, every level; 98.2% of inputs
//! correctly rounded (the README has the measured table, from `examples/accuracy.rs`). Most
//! misrounded results are near `x = 0`, where `e^-|x|` rounded to f32 has dropped the low bits
//! of `x`; selecting `1/2 + x/4` (one fma) below `|x| = 2^-12` lifts the share to 99.2% but
//! cost 13-15% of the throughput (README, "Accuracy"), so it is not done.
//! For `x < -87.5`, `σ(x) < 1.1e-38 < f32::MIN_POSITIVE`, and the result is flushed to `+0.0`
//! (the accuracy rule allows an absolute error below `f32::MIN_POSITIVE` there).
//!
//! # Special values
//! `σ(NaN) = NaN`, `σ(+inf) = 1`, `σ(-inf) = 0`, `σ(±0) = 0.5`.
//!
//! # Gradient
//! From the saved output `y`: `dx = dy * (y * (1 - y))`, at most 3 ULP from the formula in f64
//! for `y` in `[0, 1]`. NaN in `y` or `dy` propagates.

use crate::driver::{Binary, Unary};
use crate::math::{EXP_MIN_ARG, div_accurate, exp};
use crate::registry::{Entry, Family, Saved};
use crate::vector::Vector;

pub(crate) const ENTRIES: &[Entry] = &[Entry::of::<Sigmoid>()];

/// Below this `|x|`, `σ(x) = 1/2 + x/4` rounds to exactly 1/2.
const TINY: f32 = 1.0 / (1u64 << 30) as f32;

/// The forward kernel.
pub(crate) struct Sigmoid;

impl Unary for Sigmoid {
    #[inline(always)]
    fn apply<V: Vector>(&self, x: V) -> V {
        let zero = V::splat(0.0);
        let one = V::splat(1.0);
        let min_arg = V::splat(EXP_MIN_ARG);
        // Below |x| = TINY the result rounds to 1/2 whatever x is, so clamping there changes
        // nothing but keeps subnormal inputs (slow on some CPUs) out of the arithmetic.
        let z = V::splat(-TINY).min(x.neg_abs());
        // `max` returns its argument on NaN, so a NaN flows through to the result.
        let e = exp(min_arg.max(z));
        let e = V::select(z.lt(min_arg), zero, e);
        let d_hi = one.add(e);
        let d_lo = e.sub(d_hi.sub(one));
        let num = V::select(x.gt(zero), one, e);
        div_accurate(num, d_hi, d_lo)
    }
}

/// The gradient kernel, from the saved output.
pub(crate) struct SigmoidBackward;

impl Binary for SigmoidBackward {
    #[inline(always)]
    fn apply<V: Vector>(&self, y: V, dy: V) -> V {
        dy.mul(y.mul(V::splat(1.0).sub(y)))
    }
}

impl Family for Sigmoid {
    const NAME: &'static str = "sigmoid";
    const FORWARD_ULP: u32 = 1;
    const BACKWARD_ULP: u32 = 3;
    const SAVED: Saved = Saved::Output;
    type Forward = Sigmoid;
    type Backward = SigmoidBackward;
    fn forward(_: f32) -> Sigmoid {
        Sigmoid
    }
    fn backward(_: f32) -> SigmoidBackward {
        SigmoidBackward
    }
    fn reference(x: f64, _: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }
    fn backward_reference(y: f64, dy: f64, _: f64) -> f64 {
        dy * y * (1.0 - y)
    }
}
