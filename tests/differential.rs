//! Randomized differential testing: each case draws a kernel from the registry, a level the
//! CPU has, a parameter, an operation (forward out of place, forward in place, gradient), a
//! length in 0..300 and a start offset, and checks every result against the f64 reference
//! under the kernel's stated bound. Row-wise kernels (softmax) draw a row length and a row
//! count instead of the parameter and the length.
//!
//! Cases: 256, or `PROPTEST_CASES` (e.g. `PROPTEST_CASES=100000 cargo test --release --test
//! differential`); a failure shrinks to a minimal case and is saved under `proptest-regressions/`.

mod common;
use common::*;
use proptest::prelude::*;
use simdact::Isa;
use simdact::testing::{Entry, RowEntry, elementwise, rowwise};
use std::sync::LazyLock;

static LEVELS: LazyLock<Vec<Isa>> = LazyLock::new(levels);
static KERNELS: LazyLock<Vec<&'static Entry>> = LazyLock::new(|| elementwise().collect());
static ROW_KERNELS: LazyLock<Vec<&'static RowEntry>> = LazyLock::new(|| rowwise().collect());

#[derive(Clone, Copy, Debug)]
enum Op {
    Forward,
    InPlace,
    Backward,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![Just(Op::Forward), Just(Op::InPlace), Just(Op::Backward)]
}

/// A parameter: a usual one, a moderate one of either sign, or any f32 at all.
fn parameter() -> impl Strategy<Value = f32> {
    prop_oneof![Just(0.01f32), -4.0f32..4.0, proptest::num::f32::ANY]
}

proptest! {
    // `default()` reads PROPTEST_CASES; an explicit `cases: N` here would override it.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn random_kernel_level_and_layout_within_bound(
        kernel in 0..KERNELS.len(),
        level in 0..LEVELS.len(),
        p in parameter(),
        op in op(),
        values in proptest::collection::vec(any_or_moderate(), 0..316),
        dy in proptest::collection::vec(any_or_moderate(), 316),
        off in 0usize..16,
    ) {
        let (e, isa) = (KERNELS[kernel], LEVELS[level]);
        let x = &values[off.min(values.len())..];
        let mut out = vec![0.0; x.len()];
        match op {
            Op::Forward => {
                (e.forward)(isa, p, x, &mut out);
                check_forward(e, isa, p, x, &out);
            }
            Op::InPlace => {
                let mut buf = values.clone();
                (e.forward_inplace)(isa, p, &mut buf[off.min(values.len())..]);
                check_forward(e, isa, p, x, &buf[off.min(values.len())..]);
            }
            Op::Backward => {
                let saved: Vec<f32> = x.iter().map(|&v| to_saved(e, v)).collect();
                let dy = &dy[..x.len()];
                (e.backward)(isa, p, &saved, dy, &mut out);
                check_backward(e, isa, p, &saved, dy, &out);
            }
        }
    }

    #[test]
    fn random_row_kernel_level_and_layout_within_bound(
        kernel in 0..ROW_KERNELS.len(),
        level in 0..LEVELS.len(),
        op in op(),
        row_len in 1usize..70,
        rows in 0usize..5,
        values in proptest::collection::vec(any_or_moderate(), 5 * 70 + 16),
        // The gradients' stated domain: `dy` of moderate size (NaN and inf propagate).
        dy in proptest::collection::vec(
            prop_oneof![8 => -4.0f32..4.0, 1 => Just(f32::NAN), 1 => Just(f32::INFINITY)],
            5 * 70,
        ),
        off in 0usize..16,
    ) {
        let (e, isa) = (ROW_KERNELS[kernel], LEVELS[level]);
        let n = rows * row_len;
        let x = &values[off..off + n];
        let what = |i| format!("{} ({op:?}) on {isa}, row_len {row_len}, #{i}", e.name);
        let (out, exact) = match op {
            Op::Forward => {
                let mut y = vec![0.0; n];
                (e.forward)(isa, x, &mut y, row_len);
                (y, reference_rows(e, x, row_len))
            }
            Op::InPlace => {
                let mut buf = values.clone();
                (e.forward_inplace)(isa, &mut buf[off..off + n], row_len);
                (buf[off..off + n].to_vec(), reference_rows(e, x, row_len))
            }
            Op::Backward => {
                let (saved, dy) = (saved_output(e, x, row_len), &dy[..n]);
                let mut dx = vec![0.0; n];
                (e.backward)(isa, &saved, dy, &mut dx, row_len);
                (dx, backward_reference_rows(e, &saved, dy, row_len))
            }
        };
        let err = |g, w| match op {
            Op::Backward => backward_err(e, g, w),
            _ => forward_err(e, g, w),
        };
        check_rows(&out, &exact, err, &what);
    }
}

/// The case count is the environment's when it sets one: CI and people can turn it up.
#[test]
fn proptest_cases_come_from_the_environment() {
    let want = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    assert_eq!(ProptestConfig::default().cases, want);
}
