//! Helpers shared by the integration tests: levels, the ULP rule, references.
#![allow(dead_code)]

use simdact::Isa;
use simdact::testing::{Entry, RowEntry};

/// Every level this CPU can run, lowest first. Tests loop over these; the others are skipped
/// (and said so on stderr, so a run on a smaller CPU shows what it did not cover).
pub fn levels() -> Vec<Isa> {
    let (have, lack): (Vec<Isa>, Vec<Isa>) = Isa::ALL.into_iter().partition(|i| i.is_available());
    if !lack.is_empty() {
        eprintln!("note: this CPU lacks {lack:?}; those levels are not tested here");
    }
    have
}

/// Position of `x` on the line of f32 values ordered by value, -0.0 and +0.0 both at 0.
pub fn ordered(x: f32) -> i64 {
    let b = x.to_bits();
    if b >> 31 == 1 {
        -((b & 0x7fff_ffff) as i64)
    } else {
        b as i64
    }
}

/// The error of `got` against the exact value `exact` under the crate's accuracy rule, in ULP:
/// the distance of the ordered bit patterns of `got` and `exact` rounded to f32; 0 where both
/// are NaN; infinite (u64::MAX) where only one is NaN. Where the rounded exact value is below
/// `f32::MIN_POSITIVE` in magnitude, an absolute error up to `f32::MIN_POSITIVE` counts as 0.
pub fn ulp_error(got: f32, exact: f64) -> u64 {
    let want = exact as f32;
    if got.is_nan() || want.is_nan() {
        return if got.is_nan() && want.is_nan() {
            0
        } else {
            u64::MAX
        };
    }
    if want.abs() < f32::MIN_POSITIVE && (got as f64 - exact).abs() <= f32::MIN_POSITIVE as f64 {
        return 0;
    }
    (ordered(got) - ordered(want)).unsigned_abs()
}

/// Bitwise equality, any NaN equal to any NaN.
pub fn same_bits(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Parameter values to test for an entry (one dummy value where it has none).
pub fn params(e: &Entry) -> Vec<f32> {
    e.parameter.map_or(vec![0.0], |(_, v)| v.to_vec())
}

/// Checks `got` against the f64 reference for every input, under `bound` ULP (bitwise when the
/// bound is 0). Returns the worst (error, input) for the report; panics naming the first input
/// past the bound.
pub fn check_forward(e: &Entry, isa: Isa, p: f32, x: &[f32], got: &[f32]) -> (u64, f32) {
    let mut worst = (0, 0.0);
    for (&x, &y) in x.iter().zip(got) {
        let exact = (e.reference)(x as f64, p as f64);
        let err = if e.forward_ulp == 0 {
            if same_bits(y, exact as f32) {
                0
            } else {
                u64::MAX
            }
        } else {
            ulp_error(y, exact)
        };
        assert!(
            err <= e.forward_ulp as u64,
            "{}({x:e} = {:#010x}) on {isa} (p = {p}): got {y:e}, exact {exact:e}: {err} ULP > {}",
            e.name,
            x.to_bits(),
            e.forward_ulp
        );
        if err > worst.0 {
            worst = (err, x);
        }
    }
    worst
}

/// As `check_forward`, for a gradient.
pub fn check_backward(
    e: &Entry,
    isa: Isa,
    p: f32,
    saved: &[f32],
    dy: &[f32],
    got: &[f32],
) -> (u64, f32) {
    let mut worst = (0, 0.0);
    for ((&s, &d), &g) in saved.iter().zip(dy).zip(got) {
        let exact = (e.backward_reference)(s as f64, d as f64, p as f64);
        let err = if e.backward_ulp == 0 {
            if same_bits(g, exact as f32) {
                0
            } else {
                u64::MAX
            }
        } else {
            ulp_error(g, exact)
        };
        assert!(
            err <= e.backward_ulp as u64,
            "{}_backward(saved {s:e}, dy {d:e}) on {isa} (p = {p}): got {g:e}, exact {exact:e}: \
             {err} ULP > {}",
            e.name,
            e.backward_ulp
        );
        if err > worst.0 {
            worst = (err, s);
        }
    }
    worst
}

/// The saved values a gradient is defined on: every f32 for gradients from the input; for
/// gradients from the output, the range of the forward function (sigmoid [0, 1], tanh [-1, 1]).
pub fn saved_in_range(e: &Entry, s: f32) -> bool {
    use simdact::testing::Saved;
    match e.saved {
        Saved::Input => true,
        Saved::Output => {
            let lo = (e.reference)(f64::NEG_INFINITY, 0.0) as f32;
            let hi = (e.reference)(f64::INFINITY, 0.0) as f32;
            s >= lo && s <= hi
        }
    }
}

/// A small deterministic generator (xorshift), so tests need no seed plumbing.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u32(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 32) as u32
    }
    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * (self.next_u32() >> 8) as f32 / (1u32 << 24) as f32
    }
}

/// `n` values uniform in `[lo, hi)`.
pub fn random_rows(rng: &mut Rng, n: usize, lo: f32, hi: f32) -> Vec<f32> {
    (0..n).map(|_| rng.uniform(lo, hi)).collect()
}

/// Inputs mixing the interesting regions of every kernel.
pub fn inputs(n: usize, seed: u64) -> Vec<f32> {
    let mut r = Rng(seed | 1);
    (0..n)
        .map(|i| match i % 5 {
            0 => r.uniform(-1.0, 1.0),
            1 => r.uniform(-20.0, 20.0),
            2 => r.uniform(-120.0, 120.0),
            3 => f32::from_bits(r.next_u32()),
            _ => r.uniform(-0.7, 0.7),
        })
        .collect()
}

/// Saved values a gradient is defined on (the forward range for Saved::Output kernels).
pub fn saved_values(e: &Entry, n: usize, seed: u64) -> Vec<f32> {
    inputs(n, seed)
        .into_iter()
        .map(|v| to_saved(e, v))
        .collect()
}

/// `v` if a gradient is defined on it as a saved value, else the forward output at `v` (so a
/// saved output is always in the forward range).
pub fn to_saved(e: &Entry, v: f32) -> f32 {
    if saved_in_range(e, v) {
        v
    } else {
        (e.reference)(v as f64, 0.0) as f32
    }
}

/// Proptest inputs: any f32 (NaN, infinities, subnormals, both zeros) or, more often, one in
/// the region where the kernels do their work.
pub fn any_or_moderate() -> impl proptest::strategy::Strategy<Value = f32> {
    proptest::prop_oneof![
        2 => proptest::num::f32::ANY,
        3 => -20.0f32..20.0,
        1 => -1.0f32..1.0,
    ]
}

// The row-wise kernels' accuracy rules and references (softmax, log_softmax).

/// ULP bound where it applies, and the absolute bound below its threshold (see `forward_err`).
pub const ABS_LOG: f64 = 1e-6;
pub const ABS_GRAD: f64 = 1e-6;

/// How one result was judged: in ULP, or absolutely (where the kernel's rule says so, or where
/// the gradients' "ULP bound or 1e-6 absolute" passed on the absolute side).
#[derive(Clone, Copy)]
pub enum Judged {
    Ulp(u64),
    Abs(f64),
}

/// One forward result under the kernel's rule: softmax in ULP where the exact value is at
/// least 1e-30 and within 1e-30 below; log_softmax in ULP where `|exact| >= 1e-3` and within
/// 1e-6 below. NaN and infinities must match exactly.
pub fn forward_err(e: &RowEntry, got: f32, exact: f64) -> (Judged, bool) {
    let ulp = ulp_error(got, exact);
    let abs = (got as f64 - exact).abs();
    if exact.is_nan() || got.is_nan() || exact.is_infinite() {
        return (Judged::Ulp(ulp), ulp == 0);
    }
    let (ulp_from, abs_bound) = if e.name == "softmax" {
        (1e-30, 1e-30)
    } else {
        (1e-3, ABS_LOG)
    };
    if exact.abs() >= ulp_from {
        (Judged::Ulp(ulp), ulp <= e.forward_ulp as u64)
    } else {
        (Judged::Abs(abs), abs <= abs_bound)
    }
}

/// One gradient result: within the ULP bound, or else within 1e-6 absolutely.
pub fn backward_err(e: &RowEntry, got: f32, exact: f64) -> (Judged, bool) {
    let ulp = ulp_error(got, exact);
    if exact.is_nan() || got.is_nan() || exact.is_infinite() {
        return (Judged::Ulp(ulp), ulp == 0);
    }
    if ulp <= e.backward_ulp as u64 {
        return (Judged::Ulp(ulp), true);
    }
    let abs = (got as f64 - exact).abs();
    (Judged::Abs(abs), abs <= ABS_GRAD)
}

/// The worst errors over `got`: (max ULP of the results judged in ULP, max absolute error of
/// those judged absolutely), asserting every result; `what` names the case in the message.
pub fn check_rows(
    got: &[f32],
    exact: &[f64],
    err: impl Fn(f32, f64) -> (Judged, bool),
    what: &dyn Fn(usize) -> String,
) -> (u64, f64) {
    let mut worst = (0, 0.0f64);
    for (i, (&g, &x)) in got.iter().zip(exact).enumerate() {
        let (judged, ok) = err(g, x);
        let shown = match judged {
            Judged::Ulp(u) => format!("{u} ULP"),
            Judged::Abs(a) => format!("{a:e} absolute"),
        };
        assert!(ok, "{}: got {g:e}, exact {x:e}: {shown}", what(i));
        match judged {
            Judged::Ulp(u) => worst.0 = worst.0.max(u),
            Judged::Abs(a) => worst.1 = worst.1.max(a),
        }
    }
    worst
}

pub fn reference_rows(e: &RowEntry, x: &[f32], row_len: usize) -> Vec<f64> {
    let mut out = vec![0.0; x.len()];
    for (x, o) in x.chunks(row_len).zip(out.chunks_mut(row_len)) {
        (e.reference)(x, o);
    }
    out
}

pub fn backward_reference_rows(e: &RowEntry, y: &[f32], dy: &[f32], row_len: usize) -> Vec<f64> {
    let mut out = vec![0.0; y.len()];
    for ((y, dy), o) in y
        .chunks(row_len)
        .zip(dy.chunks(row_len))
        .zip(out.chunks_mut(row_len))
    {
        (e.backward_reference)(y, dy, o);
    }
    out
}

/// The saved forward output a gradient takes: the exact forward value rounded to f32.
pub fn saved_output(e: &RowEntry, x: &[f32], row_len: usize) -> Vec<f32> {
    reference_rows(e, x, row_len)
        .into_iter()
        .map(|v| v as f32)
        .collect()
}
