//! Building blocks shared by several kernels: the exponential and an accurate quotient.

use crate::vector::Vector;

/// `log2(e)`, rounded to f32.
const LOG2_E: f32 = core::f32::consts::LOG2_E;
/// `ln 2` split so that `n * LN2_HI` is exact for `|n| < 2^15` (9 significant bits).
const LN2_HI: f32 = 0.693_359_4;
/// `ln 2 - LN2_HI`, rounded to f32.
const LN2_LO: f32 = -2.121_944_4e-4;
/// Adding 1.5 * 2^23 to a float of magnitude below 2^22 rounds it to a whole number (ties to
/// even); subtracting it again gives that whole number.
const ROUND_MAGIC: f32 = 12_582_912.0;
/// `e^r = 1 + r + r^2 * (C2 + C3 r + C4 r^2 + C5 r^3 + C6 r^4)` on |r| <= ln(2)/2.
/// Fitted for relative error of `e^r` (Lawson iteration toward minimax): 0.05 ULP before
/// rounding.
const EXP_C: [f32; 5] = [
    0.499_999_94,
    0.166_665_21,
    0.041_668_39,
    0.008_368_71,
    0.001_381_461_3,
];

/// Smallest argument `exp` accepts: `n = round(z / ln 2)` stays >= -126.
pub(crate) const EXP_MIN_ARG: f32 = -87.5;

/// `(n, u)` with `e^z = 2^n (1 + u)` for `z` in `[EXP_MIN_ARG, 88.0]`: `n` a whole number in
/// `-126..=127`, `u = e^r - 1` for the reduced `|r| <= ln(2)/2`.
///
/// Range reduction `z = n ln2 + r` in two steps (Cody-Waite; the first step is exact), then
/// `e^r - 1 = r + r^2 Q(r)` by the polynomial above. Keeping `u` apart from the 1 keeps its
/// relative accuracy, which `expm1` needs.
#[inline(always)]
fn exp_parts<V: Vector>(z: V) -> (V, V) {
    let magic = V::splat(ROUND_MAGIC);
    let n = z.mul_add(V::splat(LOG2_E), magic).sub(magic);
    let r = n.mul_add(V::splat(-LN2_HI), z);
    let r = n.mul_add(V::splat(-LN2_LO), r);
    let q = V::splat(EXP_C[4]);
    let q = q.mul_add(r, V::splat(EXP_C[3]));
    let q = q.mul_add(r, V::splat(EXP_C[2]));
    let q = q.mul_add(r, V::splat(EXP_C[1]));
    let q = q.mul_add(r, V::splat(EXP_C[0]));
    (n, r.mul(r).mul_add(q, r))
}

/// `e^z` for `z` in `[EXP_MIN_ARG, 88.0]`; results below `f32::MIN_POSITIVE` are subnormal
/// (gradual underflow). Error about 1 ULP. A NaN `z` gives NaN.
#[inline(always)]
pub(crate) fn exp<V: Vector>(z: V) -> V {
    let (n, u) = exp_parts(z);
    u.add(V::splat(1.0)).ldexp(n)
}

/// `e^z - 1` for `z` in `[0, 88.0]`, with full relative accuracy near 0 (about 1 ULP).
///
/// `2^n (1 + u) - 1 = 2^n u + (2^n - 1)`, one fused rounding; `2^n - 1` is exact up to
/// `n = 24`, and beyond that its rounding is far below an ULP of the result.
#[inline(always)]
pub(crate) fn expm1_nonneg<V: Vector>(z: V) -> V {
    let (n, u) = exp_parts(z);
    let one = V::splat(1.0);
    let t = one.ldexp(n);
    t.mul_add(u, t.sub(one))
}

/// `num / (d_hi + d_lo)` to within about half an ULP, for `d_hi >= 1` and `|d_lo| <= ulp(d_hi)`
/// (an exact sum such as `1 + e`, split by Fast2Sum).
///
/// `inv` is the hardware's reciprocal estimate where it is good enough (relative error
/// `ε < 2^-14`), `q0 = num * inv`, and one Newton step on the exact residual
/// `num - q0 (d_hi + d_lo)` (`Vector::residual` for the `d_hi` part) leaves an error of order
/// `ε^2 < 2^-28` before the final rounding.
#[inline(always)]
pub(crate) fn div_accurate<V: Vector>(num: V, d_hi: V, d_lo: V) -> V {
    let inv = d_hi.recip_approx();
    let (q0, res) = num.mul(inv).residual(d_hi, num);
    let res = q0.neg_mul_add(d_lo, res);
    res.mul_add(inv, q0)
}
