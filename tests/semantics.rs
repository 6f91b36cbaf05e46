//! DESIGN.md's semantics table, row by row, on every level; and the length checks.

mod common;
use common::*;
use simdact::Isa;
use simdact::testing::{Entry, elementwise};

const INF: f32 = f32::INFINITY;
const NAN: f32 = f32::NAN;

fn entry(name: &str) -> &'static Entry {
    elementwise().find(|e| e.name == name).unwrap()
}

/// `f(x)` on one level, computed inside a vector body and in a tail (lengths 1 and 33).
fn fwd(isa: Isa, name: &str, p: f32, x: f32) -> f32 {
    let e = entry(name);
    let mut y1 = [0.0];
    (e.forward)(isa, p, &[x], &mut y1);
    let xs = [x; 33];
    let mut ys = [0.0; 33];
    (e.forward)(isa, p, &xs, &mut ys);
    assert!(
        ys.iter().all(|&y| same_bits(y, y1[0])),
        "{name}({x}) depends on position"
    );
    y1[0]
}

fn bwd(isa: Isa, name: &str, p: f32, s: f32, dy: f32) -> f32 {
    let e = entry(name);
    let mut dx = [0.0];
    (e.backward)(isa, p, &[s], &[dy], &mut dx);
    dx[0]
}

/// `got` has exactly the bits of `want` (any NaN matches NaN).
#[track_caller]
fn is(got: f32, want: f32, what: &str) {
    assert!(
        same_bits(got, want),
        "{what}: got {got:?} ({:#010x}), want {want:?}",
        got.to_bits()
    );
}

#[test]
fn nan_in_nan_out_for_every_elementwise_kernel() {
    for isa in levels() {
        for e in elementwise() {
            for p in params(e) {
                for nan in [
                    NAN,
                    -NAN,
                    f32::from_bits(0x7f80_0001),
                    f32::from_bits(0xffc1_2345),
                ] {
                    assert!(
                        fwd(isa, e.name, p, nan).is_nan(),
                        "{}(NaN) on {isa}",
                        e.name
                    );
                }
            }
        }
    }
}

#[test]
fn sigmoid_rows() {
    for isa in levels() {
        is(fwd(isa, "sigmoid", 0.0, INF), 1.0, "sigmoid(+inf)");
        is(fwd(isa, "sigmoid", 0.0, -INF), 0.0, "sigmoid(-inf)");
        is(fwd(isa, "sigmoid", 0.0, 0.0), 0.5, "sigmoid(0)");
        is(fwd(isa, "sigmoid", 0.0, -0.0), 0.5, "sigmoid(-0)");
        is(fwd(isa, "sigmoid", 0.0, f32::MAX), 1.0, "sigmoid(MAX)");
        is(fwd(isa, "sigmoid", 0.0, f32::MIN), 0.0, "sigmoid(MIN)");
        is(fwd(isa, "sigmoid", 0.0, 1e-45), 0.5, "sigmoid(subnormal)");
        // Far negative tail keeps relative accuracy (the lesson formula does not).
        let y = fwd(isa, "sigmoid", 0.0, -80.0);
        assert!(
            ulp_error(y, 1.0 / (1.0 + 80f64.exp())) <= 2,
            "sigmoid(-80) = {y:e}"
        );
    }
}

#[test]
fn tanh_rows() {
    for isa in levels() {
        is(fwd(isa, "tanh", 0.0, INF), 1.0, "tanh(+inf)");
        is(fwd(isa, "tanh", 0.0, -INF), -1.0, "tanh(-inf)");
        is(fwd(isa, "tanh", 0.0, 0.0), 0.0, "tanh(+0)");
        is(fwd(isa, "tanh", 0.0, -0.0), -0.0, "tanh(-0)");
        is(
            fwd(isa, "tanh", 0.0, 1e-45),
            1e-45,
            "tanh(smallest subnormal)",
        );
        is(fwd(isa, "tanh", 0.0, -1e-40), -1e-40, "tanh(-subnormal)");
        is(fwd(isa, "tanh", 0.0, 1e-10), 1e-10, "tanh(1e-10)");
        is(fwd(isa, "tanh", 0.0, 50.0), 1.0, "tanh(50)");
        is(fwd(isa, "tanh", 0.0, f32::MIN), -1.0, "tanh(MIN)");
    }
}

#[test]
fn relu_rows() {
    for isa in levels() {
        is(fwd(isa, "relu", 0.0, -0.0), -0.0, "relu(-0)");
        is(fwd(isa, "relu", 0.0, 0.0), 0.0, "relu(+0)");
        is(fwd(isa, "relu", 0.0, -3.0), 0.0, "relu(-3) is +0");
        is(fwd(isa, "relu", 0.0, -INF), 0.0, "relu(-inf)");
        is(fwd(isa, "relu", 0.0, INF), INF, "relu(+inf)");
        is(fwd(isa, "relu", 0.0, 1e-45), 1e-45, "relu(subnormal)");
        is(fwd(isa, "relu", 0.0, -1e-45), 0.0, "relu(-subnormal)");
    }
}

#[test]
fn leaky_relu_rows() {
    for isa in levels() {
        for a in [0.01f32, 0.2, -0.5, 0.0] {
            is(fwd(isa, "leaky_relu", a, 0.0), a * 0.0, "leaky_relu(+0)");
            is(fwd(isa, "leaky_relu", a, -0.0), a * -0.0, "leaky_relu(-0)");
            is(fwd(isa, "leaky_relu", a, -2.0), a * -2.0, "leaky_relu(-2)");
            is(fwd(isa, "leaky_relu", a, 3.0), 3.0, "leaky_relu(3)");
            is(
                fwd(isa, "leaky_relu", a, -INF),
                a * -INF,
                "leaky_relu(-inf)",
            );
        }
    }
}

#[test]
fn gradient_rows() {
    for isa in levels() {
        // relu: gradient 0 at 0, dy where x > 0, a NaN x compares false.
        is(bwd(isa, "relu", 0.0, 0.0, 5.0), 0.0, "relu' at 0");
        is(bwd(isa, "relu", 0.0, -0.0, 5.0), 0.0, "relu' at -0");
        is(bwd(isa, "relu", 0.0, 1e-45, 5.0), 5.0, "relu' at subnormal");
        is(bwd(isa, "relu", 0.0, NAN, 5.0), 0.0, "relu' at NaN");
        is(bwd(isa, "relu", 0.0, 2.0, NAN), NAN, "relu' with NaN dy");
        is(
            bwd(isa, "relu", 0.0, -2.0, NAN),
            0.0,
            "relu' with NaN dy where x < 0",
        );
        // leaky: alpha at 0.
        is(bwd(isa, "leaky_relu", 0.25, 0.0, 4.0), 1.0, "leaky' at 0");
        is(
            bwd(isa, "leaky_relu", 0.25, -3.0, 4.0),
            1.0,
            "leaky' below 0",
        );
        is(
            bwd(isa, "leaky_relu", 0.25, 3.0, 4.0),
            4.0,
            "leaky' above 0",
        );
        is(bwd(isa, "leaky_relu", 0.25, NAN, 4.0), 1.0, "leaky' at NaN");
        is(
            bwd(isa, "leaky_relu", 0.25, -1.0, NAN),
            NAN,
            "leaky' NaN dy",
        );
        // sigmoid and tanh from the output.
        is(
            bwd(isa, "sigmoid", 0.0, 0.5, 1.0),
            0.25,
            "sigmoid' at y = 0.5",
        );
        is(bwd(isa, "sigmoid", 0.0, 1.0, 3.0), 0.0, "sigmoid' at y = 1");
        is(bwd(isa, "sigmoid", 0.0, NAN, 1.0), NAN, "sigmoid' NaN y");
        is(bwd(isa, "sigmoid", 0.0, 0.5, NAN), NAN, "sigmoid' NaN dy");
        is(bwd(isa, "tanh", 0.0, 0.0, 2.0), 2.0, "tanh' at y = 0");
        is(bwd(isa, "tanh", 0.0, -1.0, 2.0), 0.0, "tanh' at y = -1");
        is(bwd(isa, "tanh", 0.0, NAN, 1.0), NAN, "tanh' NaN y");
        is(bwd(isa, "tanh", 0.0, 0.5, NAN), NAN, "tanh' NaN dy");
        // 1 - y*y near |y| = 1 without cancellation.
        let y = 1.0 - f32::EPSILON;
        let exact = 1.0 - (y as f64) * (y as f64);
        assert!(ulp_error(bwd(isa, "tanh", 0.0, y, 1.0), exact) <= 1);
    }
}

#[test]
fn public_api_matches_the_registry_on_the_active_level() {
    let x: Vec<f32> = (-40..40).map(|i| i as f32 * 0.37).collect();
    let mut a = vec![0.0; x.len()];
    let mut b = vec![0.0; x.len()];
    let isa = simdact::isa();
    type Forward = fn(&[f32], &mut [f32]);
    let fns: [(&str, Forward); 4] = [
        ("sigmoid", simdact::sigmoid),
        ("tanh", simdact::tanh),
        ("relu", simdact::relu),
        ("leaky_relu", |x, y| simdact::leaky_relu(x, y, 0.01)),
    ];
    for (name, f) in fns {
        f(&x, &mut a);
        (entry(name).forward)(isa, 0.01, &x, &mut b);
        assert!(a.iter().zip(&b).all(|(&u, &v)| same_bits(u, v)), "{name}");
    }
    let mut z = x.clone();
    simdact::sigmoid_inplace(&mut z);
    simdact::sigmoid(&x, &mut a);
    assert_eq!(z, a);
    let mut z = x.clone();
    simdact::tanh_inplace(&mut z);
    simdact::tanh(&x, &mut a);
    assert_eq!(z, a);
    let mut z = x.clone();
    simdact::relu_inplace(&mut z);
    simdact::relu(&x, &mut a);
    assert_eq!(z, a);
    let mut z = x.clone();
    simdact::leaky_relu_inplace(&mut z, 0.3);
    simdact::leaky_relu(&x, &mut a, 0.3);
    assert_eq!(z, a);
}

#[test]
fn empty_slices_are_fine() {
    simdact::sigmoid(&[], &mut []);
    simdact::tanh_inplace(&mut []);
    simdact::relu_backward(&[], &[], &mut []);
}

/// Runs `f`, expecting a panic whose message contains every string in `want`, and checks
/// that the output buffer it was given is untouched.
fn panics_with(want: &[&str], f: impl FnOnce(&mut [f32]) + std::panic::UnwindSafe) {
    let r = std::panic::catch_unwind(move || {
        let mut out = [7.0f32; 3];
        f(&mut out);
        out
    });
    let err = r.expect_err("a length mismatch must panic");
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("");
    for w in want {
        assert!(msg.contains(w), "panic message {msg:?} lacks {w:?}");
    }
}

#[test]
fn length_mismatch_panics_naming_both_lengths() {
    panics_with(&["sigmoid", "2", "3"], |y| simdact::sigmoid(&[1.0, 2.0], y));
    panics_with(&["tanh", "4", "3"], |y| simdact::tanh(&[1.0; 4], y));
    panics_with(&["relu", "1", "3"], |y| simdact::relu(&[1.0], y));
    panics_with(&["leaky_relu", "5", "3"], |y| {
        simdact::leaky_relu(&[1.0; 5], y, 0.1)
    });
    panics_with(&["sigmoid_backward", "y", "dy", "2", "3"], |dx| {
        simdact::sigmoid_backward(&[0.5; 2], &[1.0; 3], dx)
    });
    panics_with(&["tanh_backward", "dx", "4", "3"], |dx| {
        simdact::tanh_backward(&[0.5; 4], &[1.0; 4], dx)
    });
    panics_with(&["relu_backward", "x", "dy"], |dx| {
        simdact::relu_backward(&[0.5; 3], &[1.0; 2], dx)
    });
    panics_with(&["leaky_relu_backward", "dx", "9"], |dx| {
        simdact::leaky_relu_backward(&[0.5; 9], &[1.0; 9], dx, 0.1)
    });
}

#[test]
fn isa_names_round_trip_and_order() {
    for isa in Isa::ALL {
        assert_eq!(Isa::from_name(&isa.to_string()), Some(isa));
        assert_eq!(format!("{isa}"), isa.name());
    }
    assert!(Isa::Portable < Isa::Avx2 && Isa::Avx2 < Isa::Avx512);
    assert_eq!(Isa::from_name("AVX2"), Some(Isa::Avx2));
    assert_eq!(Isa::from_name("sse9"), None);
    assert!(simdact::isa().is_available());
    assert!(simdact::isa() <= Isa::best_available());
}
