//! Softmax and log-softmax over rows, and their gradients.
//!
//! ```text
//! softmax(x)_i     = e^(x_i - m) / S        m = max_j x_j,   S = sum_j e^(x_j - m)
//! log_softmax(x)_i = (x_i - m) - ln S
//! softmax_backward:     dx_i = y_i (dy_i - sum_j dy_j y_j)     y = the softmax output
//! log_softmax_backward: dx_i = dy_i - e^(y_i) sum_j dy_j       y = the log_softmax output
//! ```
//!
//! # Method
//! Two passes over each row: a reduction, then a writing pass (`driver::Rows`).
//!
//! *Reduction (forward).* The row is read in blocks of `BLOCK_VECTORS` vectors (a few KiB,
//! so a block is still in L1 when it is read the second time): the block's maximum first, then,
//! against the running maximum `m` of the row so far, the block's `sum e^(x - m)` in vector
//! accumulators, added to the row's sum in f64. When a block raises `m`, the sum so far is
//! rescaled by `e^(m_old - m_new)` (in f64: once per block at most, and after the first few
//! blocks rarely). So memory is read once for the reduction and once for the writing pass,
//! and each element costs one exponential in each. A row is reduced in chunks of
//! `driver::ROW_CHUNK` elements whose `(max, sum)` are folded left to right, so one long row can
//! be split across threads with bit-identical results.
//!
//! *Short rows (softmax, at most `STORED_ROW` elements).* The row stays in cache, and the
//! second exponential is the larger cost: the maximum is taken over the whole row first, the
//! sum pass stores `e^(x - m)` in the output, and a last pass multiplies it by `1/S`
//! (`driver::StoredRows`). Each element is the same `e^(x-m) * (1/S)` as on the two-pass path.
//! Which path a row takes depends only on `row_len`.
//!
//! *Exponential.* `x - m` is rounded to `d`, and that rounding is amplified by the exponential
//! (for `d` near -60 the absolute error 2^-19 of `d` is 32 ULP of `e^d`). TwoSum gives the exact
//! error `t = (x - m) - d`, and `e^(x-m) = e^d e^t = e^d (1 + t)` to within `t^2` (one fma).
//! `math::exp` then adds about half an ULP.
//!
//! *Sums.* Every sum is compensated: TwoSum per lane, the rounding errors collected in a second
//! accumulator (for `dy*y` also the exact product error, by fma), and the lanes added in f64 at
//! the end of each block. An f32 sum is not enough even for softmax's positive terms:
//! log_softmax near 0 is `-ln S` with `S = 1 + small`, and it needs `S` to about 2^-30, where
//! an f32 `1 + small` keeps 2^-24.
//!
//! *Writing.* softmax is `e^(x-m) * (1/S)`, `1/S` rounded once from f64. log_softmax is
//! `d + t - ln S` with `ln S` in f64 split into two f32 and the sum taken with TwoSum, so it is
//! accurate also where it cancels. The gradients subtract the split sums the same way.
//!
//! # Accuracy (every level; the tests assert these bounds)
//! - softmax: 8 ULP for results of at least 1e-30 (measured: 3 on 256 rows of 4096 in
//!   [-30, 30], 2 on a row of 2^20 in [-10, 10]); within 1e-30 absolutely below.
//! - log_softmax: 8 ULP where `|result| >= 1e-3` (measured: 1), 1e-6 absolute elsewhere.
//! - gradients: 8 ULP or 1e-6 absolute from their formula in f64 (measured for `dy` in
//!   [-1, 1]: softmax_backward 1 ULP; log_softmax_backward cancels where `dy ~ e^y sum(dy)`,
//!   and is then within about one ULP of `e^y sum(dy)`: 5.6e-8 absolute).
//!
//! # Special values (PyTorch's)
//! A `-inf` entry gives exactly 0 (softmax) and `-inf` (log_softmax); a row of all `-inf`, or
//! with a NaN or `+inf` anywhere, gives a row of NaN; a lone 1000 among small values gives
//! exactly 1 and 0; a row of one element gives 1 (log: 0). Results below about 1.2e-38 (an
//! exponent below `EXP_MIN_ARG`) are flushed to 0. Gradients follow their formulas literally
//! (NaN propagates through the sums to the whole row); in log_softmax's, `e^y` is 0 for
//! `y < EXP_MIN_ARG` (so `0 * sum`) and +inf for `y > 88`.

use crate::dispatch::Level;
use crate::driver::{Accumulate, MAX_LANES, Rows, Store, StoredRows, UNROLL, fold, lanes};
use crate::math::{EXP_MIN_ARG, exp};
use crate::registry::{RowEntry, RowFamily};
use crate::vector::Vector;

pub(crate) const ROW_ENTRIES: &[RowEntry] = &[
    RowEntry::of::<SoftmaxFamily>(),
    RowEntry::of::<LogSoftmaxFamily>(),
];

/// Vectors per block of the forward reduction: 16 KiB of AVX-512 vectors or 8 KiB of 8-lane
/// ones, so a block read for its maximum is still in L1 for its sum.
const BLOCK_VECTORS: usize = 256;
/// softmax rows of at most this many elements take the stored path (`driver::StoredRows`):
/// 32 KiB of input and of output, in L1 and L2 while the row is worked on.
pub(crate) const STORED_ROW: usize = 8192;
/// The largest argument of `math::exp`.
const EXP_MAX_ARG: f32 = 88.0;

// ---------------------------------------------------------------------------------------------
// Building blocks

/// `(s, t)` with `s = a - b` rounded and `s + t = a - b` exactly (Knuth's TwoSum; `NaN` in `t`
/// where `a - b` is infinite).
#[inline(always)]
fn two_diff<V: Vector>(a: V, b: V) -> (V, V) {
    let s = a.sub(b);
    let bb = s.sub(a); // the part of -b that made it into s
    let t = a.sub(s.sub(bb)).sub(b.add(bb));
    (s, t)
}

/// `(s, t)` with `s = a + b` rounded and `s + t = a + b` exactly (Knuth's TwoSum).
#[inline(always)]
fn two_sum<V: Vector>(a: V, b: V) -> (V, V) {
    let s = a.add(b);
    let bb = s.sub(a);
    let t = a.sub(s.sub(bb)).add(b.sub(bb));
    (s, t)
}

/// `e^(x - m)` for `x <= m`, with the rounding error of `x - m` carried into the result:
/// exactly 0 where `x - m < EXP_MIN_ARG` (so for `x = -inf`), NaN where `x - m` is NaN.
#[inline(always)]
fn exp_shifted<V: Vector>(x: V, m: V) -> V {
    let (d, t) = two_diff(x, m);
    let min = V::splat(EXP_MIN_ARG);
    // `max` returns its argument when that is NaN, so NaN reaches the result.
    let e = exp(min.max(d));
    let e = e.mul_add(t, e);
    V::select(d.lt(min), V::splat(0.0), e)
}

/// The sum of `v`'s lanes in f64 (exact for lanes of similar magnitude), lowest lane first.
#[inline(always)]
fn sum_f64<V: Vector>(v: V) -> f64 {
    let l: [f32; MAX_LANES] = lanes(v);
    let mut sum = 0.0;
    for &x in &l[..V::LANES] {
        sum += x as f64;
    }
    sum
}

/// `hi + lo == s` to about 2^-48 relative, both f32 (`lo = 0` where `s` is not finite).
fn split_f64(s: f64) -> (f32, f32) {
    let hi = s as f32;
    let lo = if hi.is_finite() {
        (s - hi as f64) as f32
    } else {
        0.0
    };
    (hi, lo)
}

/// `a - (hi + lo)`, accurate also where it cancels; where the exact difference is not finite,
/// the plain `a - hi`.
#[inline(always)]
fn sub_split<V: Vector>(a: V, hi: V, lo: V) -> V {
    let (u, e) = two_diff(a, hi);
    let g = u.add(e.sub(lo));
    V::select(g.is_nan(), u, g)
}

/// A compensated sum per lane: `s + c` is the sum with its rounding errors collected in `c`.
#[derive(Clone, Copy)]
pub(crate) struct Compensated<V> {
    s: V,
    c: V,
}

impl<V: Vector> Compensated<V> {
    const fn zero(z: V) -> Self {
        Compensated { s: z, c: z }
    }
    /// Adds `p` and its own error term `pe` (0 for exact inputs).
    #[inline(always)]
    fn add(self, p: V, pe: V) -> Self {
        let (s, e) = two_sum(self.s, p);
        Compensated {
            s,
            c: self.c.add(e.add(pe)),
        }
    }
    /// The total of `UNROLL` accumulators in f64, in a fixed order: the sums lane by lane,
    /// then the small corrections (whose f32 rounding is below 2^-40 of the total).
    #[inline(always)]
    fn total<S: Into<Compensated<V>>>(acc: [S; UNROLL]) -> f64 {
        let mut sums = 0.0;
        let mut c = V::splat(0.0);
        for a in acc {
            let a: Compensated<V> = a.into();
            sums += sum_f64(a.s);
            c = c.add(a.c);
        }
        if !sums.is_finite() {
            // An infinite term makes its error term NaN; the sum is what the formula says.
            return sums;
        }
        sums + c.reduce_add() as f64
    }
}

/// Lane-wise maximum, NaN ignored (`x.max(m)` keeps `m` where `x` is NaN).
#[derive(Clone, Copy)]
struct LaneMax<V>(V);

impl<V: Vector> Accumulate<V> for LaneMax<V> {
    #[inline(always)]
    fn step(self, x: V, _: V) -> Self {
        LaneMax(x.max(self.0))
    }
}

/// `sum e^(x - reference)`, compensated.
#[derive(Clone, Copy)]
pub(crate) struct ExpSum<V> {
    sum: Compensated<V>,
    reference: V,
}

impl<V: Vector> Store<V> for ExpSum<V> {
    #[inline(always)]
    fn step(self, x: V, _: V) -> (Self, V) {
        let e = exp_shifted(x, self.reference);
        let sum = self.sum.add(e, V::splat(0.0));
        (ExpSum { sum, ..self }, e)
    }
}

impl<V: Vector> Accumulate<V> for ExpSum<V> {
    #[inline(always)]
    fn step(self, x: V, b: V) -> Self {
        Store::step(self, x, b).0
    }
}

/// `sum y * dy`, compensated, each product's rounding error included (fma).
#[derive(Clone, Copy)]
struct DotSum<V>(Compensated<V>);

impl<V: Vector> Accumulate<V> for DotSum<V> {
    #[inline(always)]
    fn step(self, y: V, dy: V) -> Self {
        let p = y.mul(dy);
        DotSum(self.0.add(p, V::splat(0.0).sub(y.neg_mul_add_exact(dy, p))))
    }
}

/// `sum dy` (the second input), compensated.
#[derive(Clone, Copy)]
struct SecondSum<V>(Compensated<V>);

impl<V: Vector> Accumulate<V> for SecondSum<V> {
    #[inline(always)]
    fn step(self, _: V, dy: V) -> Self {
        SecondSum(self.0.add(dy, V::splat(0.0)))
    }
}

impl<V> From<ExpSum<V>> for Compensated<V> {
    #[inline(always)]
    fn from(a: ExpSum<V>) -> Self {
        a.sum
    }
}
impl<V> From<DotSum<V>> for Compensated<V> {
    #[inline(always)]
    fn from(a: DotSum<V>) -> Self {
        a.0
    }
}
impl<V> From<SecondSum<V>> for Compensated<V> {
    #[inline(always)]
    fn from(a: SecondSum<V>) -> Self {
        a.0
    }
}

/// `e^x` in f64 for `x <= 0` (accurate to a few 2^-53; 0 below -745, NaN for NaN). Rescales
/// the row sums; `core` has no `exp` without `std`.
///
/// `x = k ln2 + r`, `|r| <= ln2/2` (Cody-Waite), `e^r` by its Taylor series to `r^13`
/// (remainder below 2^-57), then `2^k` by building the exponent bits, in two steps below
/// 2^-1022.
fn exp_f64(x: f64) -> f64 {
    /// `ln 2` with its last 32 bits zero, so `k * LN2_HI` is exact (fdlibm's `ln2_hi`).
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    /// `ln 2 - LN2_HI` (fdlibm's `ln2_lo`).
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    /// Adding and subtracting `1.5 * 2^52` rounds to a whole number.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    if x.is_nan() {
        return x;
    }
    if x < -745.2 {
        return 0.0;
    }
    let k = (x * core::f64::consts::LOG2_E + ROUND) - ROUND;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=13 {
        term *= r / n as f64;
        sum += term;
    }
    let k = k as i64;
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    if k >= -1022 {
        sum * pow2(k)
    } else {
        sum * pow2(k + 60) * pow2(-60)
    }
}

/// `ln s` in f64 for finite `s >= 1` (accurate to a few 2^-53).
///
/// `s = 2^k f` with `f` in `[sqrt(1/2), sqrt(2))`; `ln f = 2 atanh(u)`, `u = (f-1)/(f+1)`,
/// `|u| < 0.172`, by its series to `u^23` (remainder below 2^-60).
fn ln_f64(s: f64) -> f64 {
    let bits = s.to_bits();
    let mut k = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut f = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
    if f > core::f64::consts::SQRT_2 {
        f *= 0.5;
        k += 1;
    }
    let u = (f - 1.0) / (f + 1.0);
    let u2 = u * u;
    let mut series = 0.0;
    for n in (0..12).rev() {
        series = series * u2 + 1.0 / (2 * n + 1) as f64;
    }
    k as f64 * core::f64::consts::LN_2 + 2.0 * u * series
}

// ---------------------------------------------------------------------------------------------
// Forward

/// The reduction of a run of elements: its maximum (NaN ignored) and `sum e^(x - max)` (NaN if
/// the run holds NaN, or `+inf` with the maximum `+inf`). A run of only `-inf` has max `-inf`
/// and sum 0.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MaxSum {
    max: f32,
    sum: f64,
}

/// The maximum of `x` (NaN ignored; -inf for a row of only -inf and NaN).
#[inline(always)]
fn row_max<V: Vector>(x: &[f32]) -> f32 {
    let ninf = f32::NEG_INFINITY;
    let m = fold(x, x, ninf, LaneMax(V::splat(ninf)));
    m[0].0.max(m[1].0).max(m[2].0.max(m[3].0)).reduce_max()
}

impl MaxSum {
    /// `sum` moved from `from` to the larger maximum `to`.
    fn rescaled(sum: f64, from: f32, to: f32) -> f64 {
        if from == to {
            sum
        } else {
            sum * exp_f64(from as f64 - to as f64)
        }
    }

    /// The reduction of one chunk: block by block, each block's maximum first.
    #[inline(always)]
    fn of<V: Vector>(x: &[f32]) -> MaxSum {
        let ninf = f32::NEG_INFINITY;
        let mut run = MaxSum { max: ninf, sum: 0.0 };
        for x in x.chunks(BLOCK_VECTORS * V::LANES) {
            // NaN is ignored by the maximum and caught by the sum instead.
            let block_max = row_max::<V>(x);
            if block_max > run.max {
                run.sum = MaxSum::rescaled(run.sum, run.max, block_max);
                run.max = block_max;
            }
            // With no finite maximum yet, the block is all -inf and NaN: 0 against 0 keeps
            // the NaN and gives the -inf entries 0 (against -inf they would give NaN).
            let reference = V::splat(if run.max == ninf { 0.0 } else { run.max });
            let init = ExpSum {
                sum: Compensated::zero(V::splat(0.0)),
                reference,
            };
            let s = fold(x, x, ninf, init);
            run.sum += Compensated::total(s);
        }
        run
    }

    fn combine(self, o: MaxSum) -> MaxSum {
        let max = if o.max > self.max { o.max } else { self.max };
        MaxSum {
            max,
            sum: MaxSum::rescaled(self.sum, self.max, max)
                + MaxSum::rescaled(o.sum, o.max, max),
        }
    }

    /// The row's maximum and sum, or `None` for a row that gives NaN (NaN or `+inf` in it, or
    /// all `-inf`). Otherwise the sum is at least 1 (the maximum's own term).
    fn finite(self) -> Option<(f32, f64)> {
        (self.max.is_finite() && !self.sum.is_nan()).then_some((self.max, self.sum))
    }
}

/// The softmax forward kernel.
pub(crate) struct Softmax;

/// What softmax's writing pass needs: the row maximum and `1/S` (NaN for a NaN row).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SoftmaxStats {
    max: f32,
    inv_sum: f32,
}

impl Rows for Softmax {
    type Partial = MaxSum;
    type Stats = SoftmaxStats;
    #[inline(always)]
    fn partial<V: Vector>(&self, x: &[f32], _: &[f32]) -> MaxSum {
        MaxSum::of::<V>(x)
    }
    fn combine(&self, p: MaxSum, q: MaxSum) -> MaxSum {
        p.combine(q)
    }
    fn finish(&self, p: MaxSum) -> SoftmaxStats {
        SoftmaxStats::new(p)
    }
    #[inline(always)]
    fn write<V: Vector>(&self, s: &SoftmaxStats, x: V, _: V) -> V {
        exp_shifted(x, V::splat(s.max)).mul(V::splat(s.inv_sum))
    }
}

impl SoftmaxStats {
    fn new(p: MaxSum) -> SoftmaxStats {
        match p.finite() {
            Some((max, sum)) => SoftmaxStats {
                max,
                inv_sum: (1.0 / sum) as f32,
            },
            None => SoftmaxStats {
                max: f32::NAN,
                inv_sum: f32::NAN,
            },
        }
    }
}

/// Short rows: the row maximum first, then `e^(x - max)` stored in the output while it is
/// summed, then the output scaled by `1/S`. Each element is the same `exp_shifted(x, max) *
/// (1/S)` as on the `Rows` path, with one exponential instead of two.
impl StoredRows for Softmax {
    const MAX_ROW: usize = STORED_ROW;
    const PAD: f32 = f32::NEG_INFINITY;
    type Acc<V: Vector> = ExpSum<V>;
    #[inline(always)]
    fn start<V: Vector>(&self, x: &[f32], _: &[f32]) -> ExpSum<V> {
        ExpSum {
            sum: Compensated::zero(V::splat(0.0)),
            // A row without a finite maximum gives NaN whatever is stored.
            reference: V::splat(row_max::<V>(x)),
        }
    }
    #[inline(always)]
    fn stats<V: Vector>(&self, acc: [ExpSum<V>; UNROLL]) -> SoftmaxStats {
        let max = acc[0].reference.reduce_max(); // every lane holds it
        SoftmaxStats::new(MaxSum {
            max,
            sum: Compensated::total(acc),
        })
    }
    #[inline(always)]
    fn rewrite<V: Vector>(&self, s: &SoftmaxStats, e: V) -> V {
        e.mul(V::splat(s.inv_sum))
    }
}

/// The log-softmax forward kernel.
pub(crate) struct LogSoftmax;

/// What log-softmax's writing pass needs: the row maximum and `ln S = hi + lo`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LogSoftmaxStats {
    max: f32,
    ln_hi: f32,
    ln_lo: f32,
}

impl Rows for LogSoftmax {
    type Partial = MaxSum;
    type Stats = LogSoftmaxStats;
    #[inline(always)]
    fn partial<V: Vector>(&self, x: &[f32], _: &[f32]) -> MaxSum {
        MaxSum::of::<V>(x)
    }
    fn combine(&self, p: MaxSum, q: MaxSum) -> MaxSum {
        p.combine(q)
    }
    fn finish(&self, p: MaxSum) -> LogSoftmaxStats {
        match p.finite() {
            Some((max, sum)) => {
                let (ln_hi, ln_lo) = split_f64(ln_f64(sum));
                LogSoftmaxStats { max, ln_hi, ln_lo }
            }
            None => LogSoftmaxStats {
                max: f32::NAN,
                ln_hi: f32::NAN,
                ln_lo: f32::NAN,
            },
        }
    }
    #[inline(always)]
    fn write<V: Vector>(&self, s: &LogSoftmaxStats, x: V, _: V) -> V {
        let (d, t) = two_diff(x, V::splat(s.max));
        let (u, e) = two_diff(d, V::splat(s.ln_hi));
        let r = u.add(e.add(t).sub(V::splat(s.ln_lo)));
        // Where `x - max` is -inf (x = -inf) or TwoSum overflows inside (|x - max| near
        // f32::MAX), `t` is NaN and the plain difference is the answer.
        V::select(r.is_nan(), u, r)
    }
}

// ---------------------------------------------------------------------------------------------
// Gradients

/// A row sum as `hi + lo` in f32, for the writing pass of a gradient.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SplitSum {
    hi: f32,
    lo: f32,
}

/// softmax's gradient from its output: `dx = y (dy - sum(dy y))`.
pub(crate) struct SoftmaxBackward;

impl Rows for SoftmaxBackward {
    type Partial = f64;
    type Stats = SplitSum;
    #[inline(always)]
    fn partial<V: Vector>(&self, y: &[f32], dy: &[f32]) -> f64 {
        let acc = fold(y, dy, 0.0, DotSum(Compensated::zero(V::splat(0.0))));
        Compensated::total(acc)
    }
    fn combine(&self, p: f64, q: f64) -> f64 {
        p + q
    }
    fn finish(&self, dot: f64) -> SplitSum {
        let (hi, lo) = split_f64(dot);
        SplitSum { hi, lo }
    }
    #[inline(always)]
    fn write<V: Vector>(&self, s: &SplitSum, y: V, dy: V) -> V {
        y.mul(sub_split(dy, V::splat(s.hi), V::splat(s.lo)))
    }
}

/// log_softmax's gradient from its output: `dx = dy - e^y sum(dy)`.
pub(crate) struct LogSoftmaxBackward;

impl Rows for LogSoftmaxBackward {
    type Partial = f64;
    type Stats = SplitSum;
    #[inline(always)]
    fn partial<V: Vector>(&self, y: &[f32], dy: &[f32]) -> f64 {
        let acc = fold(y, dy, 0.0, SecondSum(Compensated::zero(V::splat(0.0))));
        Compensated::total(acc)
    }
    fn combine(&self, p: f64, q: f64) -> f64 {
        p + q
    }
    fn finish(&self, sum: f64) -> SplitSum {
        let (hi, lo) = split_f64(sum);
        SplitSum { hi, lo }
    }
    #[inline(always)]
    fn write<V: Vector>(&self, s: &SplitSum, y: V, dy: V) -> V {
        let (min, max) = (V::splat(EXP_MIN_ARG), V::splat(EXP_MAX_ARG));
        // `max`/`min` return their argument when it is NaN, so NaN reaches `e`.
        let e = exp(max.min(min.max(y)));
        let e = V::select(y.lt(min), V::splat(0.0), e);
        let e = V::select(y.gt(max), V::splat(f32::INFINITY), e);
        // e * (hi + lo) = p + pe + e*lo, the first product's error exact (fma).
        let hi = V::splat(s.hi);
        let p = e.mul(hi);
        let pe = V::splat(0.0).sub(e.neg_mul_add_exact(hi, p));
        let q = e.mul_add(V::splat(s.lo), pe);
        sub_split(dy, p, q)
    }
}

// ---------------------------------------------------------------------------------------------
// Families and f64 references

/// The f64 row maximum, or `None` for a row that gives NaN.
fn reference_max(x: &[f32]) -> Option<f64> {
    if x.iter().any(|v| v.is_nan() || *v == f32::INFINITY) {
        return None;
    }
    let m = x.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v as f64));
    (m > f64::NEG_INFINITY).then_some(m)
}

pub(crate) struct SoftmaxFamily;

impl RowFamily for SoftmaxFamily {
    const NAME: &'static str = "softmax";
    const FORWARD_ULP: u32 = 8;
    const BACKWARD_ULP: u32 = 8;
    type Forward = Softmax;
    type Backward = SoftmaxBackward;
    const FORWARD: Softmax = Softmax;
    const BACKWARD: SoftmaxBackward = SoftmaxBackward;
    fn forward_rows(level: Level, x: &[f32], y: &mut [f32], row_len: usize) {
        crate::par::rows_stored(level, &Softmax, x, x, y, row_len)
    }
    fn forward_rows_inplace(level: Level, x: &mut [f32], row_len: usize) {
        crate::par::rows_stored_inplace(level, &Softmax, x, row_len)
    }
    fn reference(x: &[f32], out: &mut [f64]) {
        let Some(m) = reference_max(x) else {
            return out.fill(f64::NAN);
        };
        let sum: f64 = x.iter().map(|&v| (v as f64 - m).exp()).sum();
        for (o, &v) in out.iter_mut().zip(x) {
            *o = (v as f64 - m).exp() / sum;
        }
    }
    fn backward_reference(y: &[f32], dy: &[f32], out: &mut [f64]) {
        let dot: f64 = y.iter().zip(dy).map(|(&y, &d)| y as f64 * d as f64).sum();
        for ((o, &y), &d) in out.iter_mut().zip(y).zip(dy) {
            *o = y as f64 * (d as f64 - dot);
        }
    }
}

pub(crate) struct LogSoftmaxFamily;

impl RowFamily for LogSoftmaxFamily {
    const NAME: &'static str = "log_softmax";
    const FORWARD_ULP: u32 = 8;
    const BACKWARD_ULP: u32 = 8;
    type Forward = LogSoftmax;
    type Backward = LogSoftmaxBackward;
    const FORWARD: LogSoftmax = LogSoftmax;
    const BACKWARD: LogSoftmaxBackward = LogSoftmaxBackward;
    fn reference(x: &[f32], out: &mut [f64]) {
        let Some(m) = reference_max(x) else {
            return out.fill(f64::NAN);
        };
        let ln_sum = x
            .iter()
            .map(|&v| (v as f64 - m).exp())
            .sum::<f64>()
            .ln();
        for (o, &v) in out.iter_mut().zip(x) {
            *o = (v as f64 - m) - ln_sum;
        }
    }
    fn backward_reference(y: &[f32], dy: &[f32], out: &mut [f64]) {
        let sum: f64 = dy.iter().map(|&d| d as f64).sum();
        for ((o, &y), &d) in out.iter_mut().zip(y).zip(dy) {
            // The documented flush: e^y below `EXP_MIN_ARG` (under f32::MIN_POSITIVE) is 0,
            // as in f32; it shows only against an infinite sum (0 * inf = NaN).
            let e = if y < EXP_MIN_ARG { 0.0 } else { (y as f64).exp() };
            *o = d as f64 - e * sum;
        }
    }
}
