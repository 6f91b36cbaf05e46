//! The softmax family: every level, every row length and offset near the tile, in place and
//! out of place, against the f64 references; the semantics row by row; the accuracy cases;
//! determinism (offset, in place, thread count); panics; a proptest with special values.

mod common;
use common::*;
use simdact::testing::{RowEntry, rowwise};

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter()
        .map(|x| if x.is_nan() { 0x7fc0_0000 } else { x.to_bits() })
        .collect()
}

/// Every level x row lengths 1..=193 x row counts x start offsets 0..16, in place and out of
/// place: within the bound of the f64 reference, and bit-identical at every offset.
#[test]
fn lengths_offsets_in_place() {
    const PAD: usize = 16;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for isa in levels() {
        for e in rowwise() {
            for row_len in 1..=3 * 64 + 1 {
                for rows in [1, 3] {
                    let n = rows * row_len;
                    let mut x = random_rows(&mut rng, n, -30.0, 30.0);
                    if row_len > 2 {
                        // an exact 0 (or -inf) in the body and one in the tail
                        x[rng.next_u32() as usize % n] = f32::NEG_INFINITY;
                        x[n - 1] = f32::NEG_INFINITY;
                    }
                    let exact = reference_rows(e, &x, row_len);
                    let mut base = vec![0.0; n];
                    (e.forward)(isa, &x, &mut base, row_len);
                    let what = |i: usize| format!("{} on {isa}, row_len {row_len}, #{i}", e.name);
                    check_rows(&base, &exact, |g, x| forward_err(e, g, x), &what);

                    let y = saved_output(e, &x, row_len);
                    let dy = random_rows(&mut rng, n, -1.0, 1.0);
                    let exact_dx = backward_reference_rows(e, &y, &dy, row_len);
                    let mut dx = vec![0.0; n];
                    (e.backward)(isa, &y, &dy, &mut dx, row_len);
                    let what =
                        |i: usize| format!("{}_backward on {isa}, row_len {row_len}, #{i}", e.name);
                    check_rows(&dx, &exact_dx, |g, x| backward_err(e, g, x), &what);

                    for off in 0..PAD {
                        let mut buf = vec![7.0f32; n + PAD];
                        buf[off..off + n].copy_from_slice(&x);
                        let mut out = vec![7.0f32; n + PAD];
                        (e.forward)(isa, &buf[off..off + n], &mut out[off..off + n], row_len);
                        assert_eq!(bits(&out[off..off + n]), bits(&base), "{}", what(off));
                        assert!(out[..off].iter().chain(&out[off + n..]).all(|&v| v == 7.0));
                        (e.forward_inplace)(isa, &mut buf[off..off + n], row_len);
                        assert_eq!(bits(&buf[off..off + n]), bits(&base), "in place {off}");
                        assert!(buf[..off].iter().chain(&buf[off + n..]).all(|&v| v == 7.0));

                        let mut ys = vec![0.0f32; n + PAD];
                        ys[off..off + n].copy_from_slice(&y);
                        let mut out = vec![7.0f32; n + PAD];
                        (e.backward)(isa, &ys[off..off + n], &dy, &mut out[off..off + n], row_len);
                        assert_eq!(bits(&out[off..off + n]), bits(&dx), "backward at {off}");
                    }
                }
            }
        }
    }
}

/// Rows longer than the stored path's limit (`STORED_ROW` in kernels/softmax.rs) take the
/// two-pass path; lengths on both sides of it, odd tails, offsets and in place.
#[test]
fn long_rows_both_paths() {
    const STORED_ROW: usize = 8192;
    let mut rng = Rng(0x0bad_cafe_f00d_1234);
    for isa in levels() {
        for e in rowwise() {
            for row_len in [
                STORED_ROW - 1,
                STORED_ROW,
                STORED_ROW + 1,
                3 * STORED_ROW + 13,
            ] {
                let n = 2 * row_len;
                let mut x = random_rows(&mut rng, n, -30.0, 30.0);
                x[n - 1] = f32::NEG_INFINITY;
                let exact = reference_rows(e, &x, row_len);
                let mut base = vec![0.0; n];
                (e.forward)(isa, &x, &mut base, row_len);
                let what = |i: usize| format!("{} on {isa}, row_len {row_len}, #{i}", e.name);
                check_rows(&base, &exact, |g, x| forward_err(e, g, x), &what);
                for off in [1, 5, 15] {
                    let mut buf = vec![0.0f32; n + 16];
                    buf[off..off + n].copy_from_slice(&x);
                    let mut out = vec![0.0f32; n + 16];
                    (e.forward)(isa, &buf[off..off + n], &mut out[off..off + n], row_len);
                    assert_eq!(bits(&out[off..off + n]), bits(&base), "{}", what(off));
                    (e.forward_inplace)(isa, &mut buf[off..off + n], row_len);
                    assert_eq!(bits(&buf[off..off + n]), bits(&base), "in place {off}");
                }
                if isa == simdact::isa() {
                    let mut y = vec![0.0; n];
                    public_forward(e.name)(&x, &mut y, row_len);
                    assert_eq!(bits(&y), bits(&base), "simdact::{}", e.name);
                }
            }
        }
    }
}

fn entry(name: &str) -> &'static RowEntry {
    rowwise().find(|e| e.name == name).expect("registered")
}

/// The public function of a forward kernel.
fn public_forward(name: &str) -> fn(&[f32], &mut [f32], usize) {
    match name {
        "softmax" => simdact::softmax,
        "log_softmax" => simdact::log_softmax,
        _ => unreachable!("{name}"),
    }
}

/// One row through every level and the public API: exactly `want` (any NaN for NaN).
fn check_row(name: &str, x: &[f32], want: &[f32]) {
    let e = entry(name);
    let mut y = vec![0.5f32; x.len()];
    for isa in levels() {
        (e.forward)(isa, x, &mut y, x.len());
        assert_eq!(bits(&y), bits(want), "{name}({x:?}) on {isa}: {y:?}");
    }
    public_forward(name)(x, &mut y, x.len());
    assert_eq!(bits(&y), bits(want), "simdact::{name}({x:?}): {y:?}");
}

/// The semantics of DESIGN.md, one row at a time, on every level and through the public API.
#[test]
fn semantics() {
    let ninf = f32::NEG_INFINITY;
    let nan = f32::NAN;
    // row_len 1
    check_row("softmax", &[3.5], &[1.0]);
    check_row("log_softmax", &[-3.5], &[0.0]);
    check_row("softmax", &[-0.0], &[1.0]);
    // -inf entries: exact 0 / -inf
    let mut x = vec![0.0f32; 37];
    x[0] = ninf;
    x[20] = ninf;
    x[36] = ninf;
    let mut want = vec![1.0 / 34.0; 37];
    let mut want_log = vec![-(34.0f64.ln()) as f32; 37];
    for i in [0, 20, 36] {
        want[i] = 0.0;
        want_log[i] = ninf;
    }
    check_row("softmax", &x, &want);
    check_row("log_softmax", &x, &want_log);
    // all -inf: NaN
    for n in [1, 5, 16, 40] {
        check_row("softmax", &vec![ninf; n], &vec![nan; n]);
        check_row("log_softmax", &vec![ninf; n], &vec![nan; n]);
    }
    // +inf or NaN anywhere: a NaN row
    for bad in [f32::INFINITY, nan] {
        for n in [1, 2, 9, 33, 100] {
            for at in [0, n / 2, n - 1] {
                let mut x: Vec<f32> = (0..n).map(|i| i as f32 * 0.1).collect();
                x[at] = bad;
                check_row("softmax", &x, &vec![nan; n]);
                check_row("log_softmax", &x, &vec![nan; n]);
                x[0] = ninf;
                if at != 0 {
                    check_row("softmax", &x, &vec![nan; n]);
                }
            }
        }
    }
    // 1000 among small values: exactly 1 and 0
    for n in [2, 17, 64, 1000] {
        for at in [0, n - 1] {
            let mut x: Vec<f32> = (0..n).map(|i| (i % 7) as f32 - 3.0).collect();
            x[at] = 1000.0;
            let mut want = vec![0.0f32; n];
            want[at] = 1.0;
            check_row("softmax", &x, &want);
            for isa in levels() {
                let mut y = vec![0.0; n];
                (entry("log_softmax").forward)(isa, &x, &mut y, n);
                assert_eq!(y[at], 0.0);
            }
        }
    }
    // rows never influence each other: a NaN row next to a normal one
    for isa in levels() {
        let x = [1.0f32, 1.0, nan, 0.0, ninf, ninf, 2.0, 2.0];
        let mut y = [0.0; 8];
        (entry("softmax").forward)(isa, &x, &mut y, 2);
        assert_eq!(bits(&y), bits(&[0.5, 0.5, nan, nan, nan, nan, 0.5, 0.5]));
    }
    // gradients follow their formulas, NaN through the sums
    simdact::softmax_backward(&[0.5, 0.5, 0.5, 0.5], &[1.0, nan, 1.0, 3.0], &mut x[..4], 2);
    assert!(x[0].is_nan() && x[1].is_nan());
    assert_eq!(&x[2..4], &[-0.5, 0.5]);
    let mut dx = [0.0f32; 3];
    simdact::log_softmax_backward(&[ninf, 0.0, -0.5], &[1.0, 2.0, 3.0], &mut dx, 3);
    assert_eq!(dx[0], 1.0);
    assert_eq!(dx[1], 2.0 - 6.0);
}

/// Worst ULP errors of the stated accuracy cases, per kernel and level; asserts the bounds.
#[test]
fn accuracy_cases() {
    let cases: [(&str, usize, usize, f32); 2] = [
        ("256 rows of 4096 in [-30, 30]", 256, 4096, 30.0),
        ("one row of 1048576 in [-10, 10]", 1, 1 << 20, 10.0),
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for (label, rows, row_len, r) in cases {
        let x = random_rows(&mut rng, rows * row_len, -r, r);
        let dy = random_rows(&mut rng, rows * row_len, -1.0, 1.0);
        for e in rowwise() {
            let exact = reference_rows(e, &x, row_len);
            let y = saved_output(e, &x, row_len);
            let exact_dx = backward_reference_rows(e, &y, &dy, row_len);
            for isa in levels() {
                let mut got = vec![0.0; x.len()];
                (e.forward)(isa, &x, &mut got, row_len);
                let what = |i| format!("{} on {isa}, {label}, #{i}", e.name);
                let fwd = check_rows(&got, &exact, |g, x| forward_err(e, g, x), &what);
                (e.backward)(isa, &y, &dy, &mut got, row_len);
                let what = |i| format!("{}_backward on {isa}, {label}, #{i}", e.name);
                let bwd = check_rows(&got, &exact_dx, |g, x| backward_err(e, g, x), &what);
                eprintln!(
                    "{:>11} {isa:>8}  {label}: forward max {} ULP (abs {:.1e}), \
                     backward max {} ULP (else abs {:.1e})",
                    e.name, fwd.0, fwd.1, bwd.0, bwd.1
                );
            }
        }
    }
}

/// A row's result is the same for 1 and 2 threads, for one long row split in chunks and for
/// many rows split in groups, in place or not.
#[cfg(feature = "rayon")]
#[test]
fn thread_count_does_not_change_results() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let shapes = [(1, (1 << 20) + 77), (64, 4096 + 3)];
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let (one, two) = (pool(1), pool(2));
    for (rows, row_len) in shapes {
        let x = random_rows(&mut rng, rows * row_len, -20.0, 20.0);
        let dy = random_rows(&mut rng, rows * row_len, -1.0, 1.0);
        for isa in levels() {
            for e in rowwise() {
                let run = |pool: &rayon::ThreadPool| {
                    pool.install(|| {
                        let mut y = vec![0.0; x.len()];
                        (e.forward)(isa, &x, &mut y, row_len);
                        let mut inplace = x.clone();
                        (e.forward_inplace)(isa, &mut inplace, row_len);
                        assert_eq!(bits(&y), bits(&inplace), "{} in place on {isa}", e.name);
                        let mut dx = vec![0.0; x.len()];
                        (e.backward)(isa, &y, &dy, &mut dx, row_len);
                        (bits(&y), bits(&dx))
                    })
                };
                assert!(
                    run(&one) == run(&two),
                    "{} on {isa}, {rows} x {row_len}: 1 and 2 threads differ",
                    e.name
                );
            }
        }
    }
}

fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = std::panic::catch_unwind(f).expect_err("should panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Bad lengths panic naming both numbers, and nothing is written.
#[test]
fn panics_name_both_numbers_and_write_nothing() {
    let x = [1.0f32; 12];
    let msg = |f: fn(&mut [f32])| {
        let mut y = [9.0f32; 12];
        let m = panic_message(std::panic::AssertUnwindSafe(|| f(&mut y)));
        assert!(y.iter().all(|&v| v == 9.0), "written before panicking: {m}");
        m
    };
    for m in [
        msg(|y| simdact::softmax(&[1.0; 12], y, 5)),
        msg(|y| simdact::log_softmax(&[1.0; 12], y, 5)),
        msg(|y| simdact::softmax_inplace(y, 5)),
        msg(|y| simdact::log_softmax_inplace(y, 5)),
        msg(|y| simdact::softmax_backward(&[1.0; 12], &[1.0; 12], y, 5)),
        msg(|y| simdact::log_softmax_backward(&[1.0; 12], &[1.0; 12], y, 5)),
    ] {
        assert!(m.contains("12") && m.contains('5'), "{m}");
    }
    for m in [
        msg(|y| simdact::softmax(&[1.0; 12], y, 0)),
        msg(|y| simdact::log_softmax_inplace(y, 0)),
    ] {
        assert!(m.contains("12") && m.contains('0'), "{m}");
    }
    for m in [
        msg(|y| simdact::softmax(&[1.0; 10], y, 2)),
        msg(|y| simdact::log_softmax(&[1.0; 10], y, 2)),
        msg(|y| simdact::softmax_backward(&[1.0; 12], &[1.0; 10], y, 2)),
        msg(|y| simdact::log_softmax_backward(&[1.0; 10], &[1.0; 10], y, 2)),
    ] {
        assert!(m.contains("10") && m.contains("12"), "{m}");
    }
    let _ = x;
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Mostly ordinary values, with the special ones often enough to meet each other in a row.
    fn value() -> impl Strategy<Value = f32> {
        prop_oneof![
            6 => -40.0f32..40.0,
            1 => Just(f32::NEG_INFINITY),
            1 => prop_oneof![
                Just(f32::INFINITY),
                Just(f32::NAN),
                Just(0.0),
                Just(-0.0),
                Just(1000.0),
                Just(f32::MAX),
                Just(f32::MIN),
                Just(1e-40),
            ],
            1 => any::<f32>(),
        ]
    }

    fn rows() -> impl Strategy<Value = (Vec<f32>, usize)> {
        (1usize..70, 1usize..4).prop_flat_map(|(row_len, rows)| {
            (
                proptest::collection::vec(value(), row_len * rows),
                Just(row_len),
            )
        })
    }

    proptest! {
        // 256 cases, or PROPTEST_CASES (which `with_cases` would override).
        #![proptest_config(ProptestConfig::default())]

        #[test]
        fn forward_matches_reference((x, row_len) in rows()) {
            for e in rowwise() {
                let exact = reference_rows(e, &x, row_len);
                for isa in levels() {
                    let mut y = vec![0.0; x.len()];
                    (e.forward)(isa, &x, &mut y, row_len);
                    for (i, (&g, &w)) in y.iter().zip(&exact).enumerate() {
                        let (_, ok) = forward_err(e, g, w);
                        prop_assert!(ok, "{} on {isa}, row_len {row_len}, #{i} of {x:?}: got {g:e}, exact {w:e}", e.name);
                    }
                    let mut z = x.clone();
                    (e.forward_inplace)(isa, &mut z, row_len);
                    prop_assert_eq!(bits(&z), bits(&y));
                }
            }
        }

        #[test]
        fn backward_matches_reference(
            (x, row_len) in rows(),
            dy in proptest::collection::vec(prop_oneof![8 => -4.0f32..4.0, 1 => Just(f32::NAN), 1 => Just(f32::INFINITY)], 210),
        ) {
            let dy = &dy[..x.len()];
            for e in rowwise() {
                // the saved output: what the forward pass gives for these rows
                let y = saved_output(e, &x, row_len);
                let exact = backward_reference_rows(e, &y, dy, row_len);
                for isa in levels() {
                    let mut dx = vec![0.0; x.len()];
                    (e.backward)(isa, &y, dy, &mut dx, row_len);
                    for (i, (&g, &w)) in dx.iter().zip(&exact).enumerate() {
                        let (_, ok) = backward_err(e, g, w);
                        prop_assert!(ok, "{}_backward on {isa}, row_len {row_len}, #{i}: y {y:?} dy {dy:?}: got {g:e}, exact {w:e}", e.name);
                    }
                }
            }
        }
    }
}
