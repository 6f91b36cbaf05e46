//! The value-level API: names, errors (with nothing written), and results equal to the plain
//! functions'.

mod common;
use common::*;
use simdact::{Activation, Error, Saved};

/// One of each variant, with a non-default parameter where there is one.
fn all() -> Vec<Activation> {
    vec![
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu { alpha: 0.2 },
        Activation::Softmax { row_len: 5 },
        Activation::LogSoftmax { row_len: 5 },
    ]
}

/// The plain functions, to compare against.
fn plain_forward(a: Activation, x: &[f32], y: &mut [f32]) {
    match a {
        Activation::Sigmoid => simdact::sigmoid(x, y),
        Activation::Tanh => simdact::tanh(x, y),
        Activation::Relu => simdact::relu(x, y),
        Activation::LeakyRelu { alpha } => simdact::leaky_relu(x, y, alpha),
        Activation::Softmax { row_len } => simdact::softmax(x, y, row_len),
        Activation::LogSoftmax { row_len } => simdact::log_softmax(x, y, row_len),
        _ => unreachable!("{a:?} is not in all()"),
    }
}

fn plain_backward(a: Activation, s: &[f32], dy: &[f32], dx: &mut [f32]) {
    match a {
        Activation::Sigmoid => simdact::sigmoid_backward(s, dy, dx),
        Activation::Tanh => simdact::tanh_backward(s, dy, dx),
        Activation::Relu => simdact::relu_backward(s, dy, dx),
        Activation::LeakyRelu { alpha } => simdact::leaky_relu_backward(s, dy, dx, alpha),
        Activation::Softmax { row_len } => simdact::softmax_backward(s, dy, dx, row_len),
        Activation::LogSoftmax { row_len } => simdact::log_softmax_backward(s, dy, dx, row_len),
        _ => unreachable!("{a:?} is not in all()"),
    }
}

#[test]
fn from_name_accepts_onnx_and_pytorch_spellings() {
    let cases = [
        (&["Sigmoid", "sigmoid", "SIGMOID"][..], Activation::Sigmoid),
        (&["Tanh", "tanh"], Activation::Tanh),
        (&["Relu", "relu", "ReLU"], Activation::Relu),
        (
            &["LeakyRelu", "leaky_relu", "LeakyReLU", "leakyrelu"],
            Activation::LeakyRelu { alpha: 0.01 },
        ),
        (&["Softmax", "softmax"], Activation::Softmax { row_len: 0 }),
        (
            &["LogSoftmax", "log_softmax", "logsoftmax"],
            Activation::LogSoftmax { row_len: 0 },
        ),
    ];
    for (names, want) in cases {
        for name in names {
            assert_eq!(Activation::from_name(name), Some(want), "{name}");
        }
    }
    for name in [
        "",
        "Gelu",
        "relu6",
        "sigmoid ",
        "Sigmoidal",
        "Hardtanh",
        "Softmin",
    ] {
        assert_eq!(Activation::from_name(name), None, "{name:?}");
    }
    assert_eq!(simdact::DEFAULT_LEAKY_ALPHA, 0.01);
}

#[test]
fn names_and_saved_values() {
    for a in all() {
        assert_eq!(
            Activation::from_name(a.name()).map(|b| b.name()),
            Some(a.name())
        );
    }
    let takes: Vec<Saved> = all().iter().map(|a| a.backward_takes()).collect();
    assert_eq!(
        takes,
        [
            Saved::Output,
            Saved::Output,
            Saved::Input,
            Saved::Input,
            Saved::Output,
            Saved::Output
        ]
    );
}

#[test]
fn row_len_is_set_on_row_wise_activations_only() {
    for a in all() {
        let b = a.with_row_len(7);
        match a.row_len() {
            Some(_) => assert_eq!(b.row_len(), Some(7), "{a:?}"),
            None => assert_eq!(b, a),
        }
    }
}

/// `(op, row_len, len)` of a `BadRowLen` error.
fn bad_row_len(r: Result<(), Error>) -> (&'static str, usize, usize) {
    match r {
        Err(Error::BadRowLen { op, row_len, len }) => (op, row_len, len),
        other => panic!("expected BadRowLen, got {other:?}"),
    }
}

#[test]
fn bad_row_lengths_are_errors_and_write_nothing() {
    const SENTINEL: f32 = -8.5;
    for a in [
        Activation::from_name("Softmax").unwrap(),
        Activation::from_name("LogSoftmax").unwrap(),
    ] {
        let name = a.name();
        // Unset (0) with data and without, and one that does not divide the length.
        for (a, len) in [(a, 6), (a, 0), (a.with_row_len(4), 6)] {
            let row_len = a.row_len().unwrap();
            let x = vec![1.0; len];
            let mut y = vec![SENTINEL; len];
            let got = [
                bad_row_len(a.forward(&x, &mut y)),
                bad_row_len(a.forward_inplace(&mut y)),
                bad_row_len(a.backward(&x, &x, &mut y)),
            ];
            let want = ["", "_inplace", "_backward"].map(|s| format!("{name}{s}"));
            for ((op, r, l), want) in got.into_iter().zip(want) {
                assert_eq!((op, r, l), (want.as_str(), row_len, len));
            }
            assert!(y.iter().all(|&v| v == SENTINEL), "{a:?} wrote on error");
        }
    }
    let unset = Activation::Softmax { row_len: 0 }.forward(&[], &mut []);
    assert_eq!(
        unset.unwrap_err().to_string(),
        "simdact::softmax: row_len is 0 (set it with Activation::with_row_len)"
    );
    let err = Activation::LogSoftmax { row_len: 4 }.forward(&[0.0; 6], &mut [0.0; 6]);
    assert_eq!(
        err.unwrap_err().to_string(),
        "simdact::log_softmax: the slices have 6 elements, not a multiple of row_len 4"
    );
}

#[test]
fn results_equal_the_plain_functions() {
    let mut r = Rng(5);
    let x: Vec<f32> = (0..300).map(|_| r.uniform(-10.0, 10.0)).collect();
    let dy: Vec<f32> = (0..300).map(|_| r.uniform(-2.0, 2.0)).collect();
    for a in all() {
        let (mut got, mut want) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        a.forward(&x, &mut got).unwrap();
        plain_forward(a, &x, &mut want);
        assert_eq!(got, want, "{a:?} forward");

        let mut inplace = x.clone();
        a.forward_inplace(&mut inplace).unwrap();
        assert_eq!(inplace, want, "{a:?} forward_inplace");

        let saved = match a.backward_takes() {
            Saved::Input => &x,
            Saved::Output => &want,
        };
        let (mut got, mut expect) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        a.backward(saved, &dy, &mut got).unwrap();
        plain_backward(a, saved, &dy, &mut expect);
        assert_eq!(got, expect, "{a:?} backward");
    }
}

#[test]
fn length_errors_name_the_argument_and_write_nothing() {
    const SENTINEL: f32 = 1234.5;
    for a in all() {
        let mut y = [SENTINEL; 3];
        let err = a.forward(&[1.0; 4], &mut y).unwrap_err();
        assert_eq!(
            err,
            Error::LengthMismatch {
                op: a.name(),
                what: "y",
                got: 3,
                expected_from: "x",
                expected: 4
            }
        );
        assert_eq!(y, [SENTINEL; 3], "{a:?}: forward wrote on error");

        let op = format!("{}_backward", a.name());
        let mut dx = [SENTINEL; 4];
        let err = a.backward(&[0.5; 4], &[1.0; 2], &mut dx).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("simdact::{op}: `dy` has 2 elements but `saved` has 4")
        );
        let mut dx = [SENTINEL; 5];
        let err = a.backward(&[0.5; 4], &[1.0; 4], &mut dx).unwrap_err();
        assert!(
            matches!(
                err,
                Error::LengthMismatch {
                    what: "dx",
                    got: 5,
                    expected: 4,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(dx, [SENTINEL; 5], "{a:?}: backward wrote on error");
    }
}

/// `std::error::Error` is implemented with the `std` feature.
#[cfg(feature = "std")]
#[test]
fn error_is_a_std_error() {
    let err: Box<dyn std::error::Error> = Activation::Relu
        .forward(&[1.0], &mut [])
        .unwrap_err()
        .into();
    assert_eq!(
        err.to_string(),
        "simdact::relu: `y` has 0 elements but `x` has 1"
    );
}
