//! SIMD activation functions and their gradients over `f32` slices.
//!
//! Every function runs on the best instruction set this CPU has (AVX-512, AVX2+FMA, or a
//! portable path), chosen once at run time; see [`isa`]. Results follow PyTorch's semantics
//! for NaN, infinities, signed zeros and gradients, and every kernel states a ULP bound that
//! holds on every input (see the README's tables and each function's docs).
//!
//! ```
//! let x = [-1.0f32, 0.0, 1.0, 2.0];
//! let mut y = [0.0f32; 4];
//! simdact::sigmoid(&x, &mut y);
//! assert_eq!(y[1], 0.5);
//!
//! // gradient from the saved output
//! let dy = [1.0f32; 4];
//! let mut dx = [0.0f32; 4];
//! simdact::sigmoid_backward(&y, &dy, &mut dx);
//! assert_eq!(dx[1], 0.25);
//! ```
//!
//! # Panics
//! Functions taking several slices panic, naming both lengths, when the lengths differ (like
//! `<[T]>::copy_from_slice`); nothing is written then.
//!
//! # Choosing the activation at run time
//! Engines that read the activation from a model file use [`Activation`]: its methods check
//! the lengths and return an [`Error`] (naming the argument and both lengths) instead of
//! panicking, then call the plain function.
//!
//! ```
//! use simdact::Activation;
//! let act = Activation::from_name("Sigmoid").expect("an activation simdact has");
//! let mut y = [0.0f32; 2];
//! act.forward(&[0.0, 1.0], &mut y)?;
//! assert!(act.forward(&[0.0; 3], &mut y).is_err()); // a length mismatch is an Err
//! # Ok::<(), simdact::Error>(())
//! ```
//!
//! # Determinism
//! On one instruction set an element's result depends only on its own input: not on the
//! slice's length, offset or alignment, on in place or not, or on the thread count.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
// Every `unsafe` block says why it is sound; clippy (CI runs it with -D warnings) checks.
#![warn(clippy::undocumented_unsafe_blocks)]

mod activation;
mod arch;
mod dispatch;
mod driver;
mod math;
mod par;
mod registry;
mod vector;

pub use activation::{Activation, DEFAULT_LEAKY_ALPHA, Error};
pub use dispatch::{Isa, isa};
pub use registry::Saved;

use dispatch::level;
use registry::{RowFamily, relu as re, sigmoid as sg, softmax as sm, tanh as th};

/// Panics, naming both slices and their lengths, if `a` and `b` differ in length.
#[track_caller]
#[inline]
fn same_len(func: &str, a: (&str, usize), b: (&str, usize)) {
    if a.1 != b.1 {
        panic!(
            "simdact::{func}: `{}` has {} elements but `{}` has {}",
            a.0, a.1, b.0, b.1
        );
    }
}

/// Panics, naming both numbers, unless `row_len > 0` divides `len`.
#[track_caller]
#[inline]
fn rows_of(func: &str, len: usize, row_len: usize) {
    if row_len == 0 || !len.is_multiple_of(row_len) {
        panic!(
            "simdact::{func}: the length {len} is not a whole number of rows of `row_len` = \
             {row_len}"
        );
    }
}

/// Checks `saved`, `dy` and `dx` of a gradient call.
#[track_caller]
#[inline]
fn grad_lens(func: &str, saved: (&str, usize), dy: usize, dx: usize) {
    same_len(func, saved, ("dy", dy));
    same_len(func, ("dy", dy), ("dx", dx));
}

/// `y[i] = sigmoid(x[i]) = 1 / (1 + e^-x[i])`. Max error 1 ULP.
///
/// `sigmoid(NaN) = NaN`, `sigmoid(+inf) = 1`, `sigmoid(-inf) = 0`; below `x = -87.5` the
/// result (under `f32::MIN_POSITIVE`) is flushed to `+0.0`.
///
/// ```
/// let mut y = [0.0; 3];
/// simdact::sigmoid(&[0.0, f32::INFINITY, f32::NEG_INFINITY], &mut y);
/// assert_eq!(y, [0.5, 1.0, 0.0]);
/// ```
///
/// # Panics
/// If `x.len() != y.len()`.
pub fn sigmoid(x: &[f32], y: &mut [f32]) {
    same_len("sigmoid", ("x", x.len()), ("y", y.len()));
    par::unary(level(), &sg::Sigmoid, x, y)
}

/// In-place [`sigmoid`]: `x[i] = sigmoid(x[i])`.
///
/// ```
/// let mut x = [0.0f32, 100.0];
/// simdact::sigmoid_inplace(&mut x);
/// assert_eq!(x, [0.5, 1.0]);
/// ```
pub fn sigmoid_inplace(x: &mut [f32]) {
    par::unary_inplace(level(), &sg::Sigmoid, x)
}

/// `dx[i] = dy[i] * y[i] * (1 - y[i])`, from the saved forward output `y`. Max error 3 ULP
/// for `y` in `[0, 1]`; NaN in `y` or `dy` propagates.
///
/// ```
/// let mut dx = [0.0; 2];
/// simdact::sigmoid_backward(&[0.5, 1.0], &[2.0, 2.0], &mut dx);
/// assert_eq!(dx, [0.5, 0.0]);
/// ```
///
/// # Panics
/// If `y`, `dy` and `dx` are not all the same length.
pub fn sigmoid_backward(y: &[f32], dy: &[f32], dx: &mut [f32]) {
    grad_lens("sigmoid_backward", ("y", y.len()), dy.len(), dx.len());
    par::binary(level(), &sg::SigmoidBackward, y, dy, dx)
}

/// `y[i] = tanh(x[i])`. Max error 2 ULP.
///
/// `tanh(NaN) = NaN`, `tanh(±inf) = ±1`, `tanh(±0) = ±0`.
///
/// ```
/// let mut y = [0.0; 3];
/// simdact::tanh(&[-0.0, f32::INFINITY, -20.0], &mut y);
/// assert!(y[0] == 0.0 && y[0].is_sign_negative());
/// assert_eq!(&y[1..], &[1.0, -1.0]);
/// ```
///
/// # Panics
/// If `x.len() != y.len()`.
pub fn tanh(x: &[f32], y: &mut [f32]) {
    same_len("tanh", ("x", x.len()), ("y", y.len()));
    par::unary(level(), &th::Tanh, x, y)
}

/// In-place [`tanh`]: `x[i] = tanh(x[i])`.
///
/// ```
/// let mut x = [0.0f32, 10.0];
/// simdact::tanh_inplace(&mut x);
/// assert_eq!(x, [0.0, 1.0]);
/// ```
pub fn tanh_inplace(x: &mut [f32]) {
    par::unary_inplace(level(), &th::Tanh, x)
}

/// `dx[i] = dy[i] * (1 - y[i]^2)`, from the saved forward output `y`. Max error 3 ULP.
///
/// ```
/// let mut dx = [0.0; 2];
/// simdact::tanh_backward(&[0.0, 0.5], &[1.0, 1.0], &mut dx);
/// assert_eq!(dx, [1.0, 0.75]);
/// ```
///
/// # Panics
/// If `y`, `dy` and `dx` are not all the same length.
pub fn tanh_backward(y: &[f32], dy: &[f32], dx: &mut [f32]) {
    grad_lens("tanh_backward", ("y", y.len()), dy.len(), dx.len());
    par::binary(level(), &th::TanhBackward, y, dy, dx)
}

/// `y[i] = max(x[i], 0)`. Exact.
///
/// `relu(NaN) = NaN`, `relu(-0.0) = -0.0`, negative inputs give `+0.0`.
///
/// ```
/// let mut y = [1.0; 3];
/// simdact::relu(&[-2.0, 3.0, -0.0], &mut y);
/// assert_eq!(y, [0.0, 3.0, 0.0]);
/// assert!(y[2].is_sign_negative());
/// ```
///
/// # Panics
/// If `x.len() != y.len()`.
pub fn relu(x: &[f32], y: &mut [f32]) {
    same_len("relu", ("x", x.len()), ("y", y.len()));
    par::unary(level(), &re::Relu, x, y)
}

/// In-place [`relu`]: `x[i] = max(x[i], 0)`.
///
/// ```
/// let mut x = [-1.0f32, 1.0];
/// simdact::relu_inplace(&mut x);
/// assert_eq!(x, [0.0, 1.0]);
/// ```
pub fn relu_inplace(x: &mut [f32]) {
    par::unary_inplace(level(), &re::Relu, x)
}

/// `dx[i] = if x[i] > 0 { dy[i] } else { 0 }`, from the forward input `x` (gradient 0 at 0).
/// Exact.
///
/// ```
/// let mut dx = [9.0; 3];
/// simdact::relu_backward(&[-1.0, 0.0, 2.0], &[5.0, 5.0, 5.0], &mut dx);
/// assert_eq!(dx, [0.0, 0.0, 5.0]);
/// ```
///
/// # Panics
/// If `x`, `dy` and `dx` are not all the same length.
pub fn relu_backward(x: &[f32], dy: &[f32], dx: &mut [f32]) {
    grad_lens("relu_backward", ("x", x.len()), dy.len(), dx.len());
    par::binary(level(), &re::ReluBackward, x, dy, dx)
}

/// `y[i] = if x[i] > 0 { x[i] } else { alpha * x[i] }`. Exact.
///
/// `leaky_relu(NaN) = NaN`; `leaky_relu(±0.0) = alpha * ±0.0`. Any `alpha` is accepted.
///
/// ```
/// let mut y = [0.0; 2];
/// simdact::leaky_relu(&[-2.0, 3.0], &mut y, 0.5);
/// assert_eq!(y, [-1.0, 3.0]);
/// ```
///
/// # Panics
/// If `x.len() != y.len()`.
pub fn leaky_relu(x: &[f32], y: &mut [f32], alpha: f32) {
    same_len("leaky_relu", ("x", x.len()), ("y", y.len()));
    par::unary(level(), &re::LeakyRelu { alpha }, x, y)
}

/// In-place [`leaky_relu`].
///
/// ```
/// let mut x = [-2.0f32, 3.0];
/// simdact::leaky_relu_inplace(&mut x, 0.01);
/// assert_eq!(x, [-0.02, 3.0]);
/// ```
pub fn leaky_relu_inplace(x: &mut [f32], alpha: f32) {
    par::unary_inplace(level(), &re::LeakyRelu { alpha }, x)
}

/// `dx[i] = if x[i] > 0 { dy[i] } else { alpha * dy[i] }`, from the forward input `x`
/// (gradient `alpha` at 0). Exact.
///
/// ```
/// let mut dx = [0.0; 3];
/// simdact::leaky_relu_backward(&[-1.0, 0.0, 2.0], &[4.0, 4.0, 4.0], &mut dx, 0.25);
/// assert_eq!(dx, [1.0, 1.0, 4.0]);
/// ```
///
/// # Panics
/// If `x`, `dy` and `dx` are not all the same length.
pub fn leaky_relu_backward(x: &[f32], dy: &[f32], dx: &mut [f32], alpha: f32) {
    grad_lens("leaky_relu_backward", ("x", x.len()), dy.len(), dx.len());
    par::binary(level(), &re::LeakyReluBackward { alpha }, x, dy, dx)
}

/// Softmax over each row of `row_len` elements: `y[i] = e^(x[i] - m) / sum_j e^(x[j] - m)`,
/// `m` the row's maximum. Max error 8 ULP on results of at least 1e-30.
///
/// `x` holds `x.len() / row_len` contiguous rows, and each row is normalized on its own
/// (PyTorch's `softmax(dim=-1)` on a `[rows, row_len]` tensor). A `-inf` entry gives exactly
/// 0; a row with NaN or `+inf` anywhere, or of only `-inf`, gives a row of NaN. Results below
/// about 1.2e-38 are flushed to 0. Large rows, or many rows, are split across the rayon pool
/// with results bit-identical to one thread.
///
/// ```
/// let x = [1.0f32, 1.0, f32::NEG_INFINITY, 0.0, 1000.0, 0.0];
/// let mut y = [0.0; 6];
/// simdact::softmax(&x, &mut y, 3);
/// assert_eq!(y, [0.5, 0.5, 0.0, 0.0, 1.0, 0.0]);
/// ```
///
/// # Panics
/// If `x.len() != y.len()`, or if `row_len` is 0 or does not divide `x.len()`.
pub fn softmax(x: &[f32], y: &mut [f32], row_len: usize) {
    same_len("softmax", ("x", x.len()), ("y", y.len()));
    rows_of("softmax", x.len(), row_len);
    sm::SoftmaxFamily::forward_rows(level(), x, y, row_len)
}

/// In-place [`softmax`]: each row of `x` is replaced by its softmax. Bit-identical to the
/// out-of-place call.
///
/// ```
/// let mut x = [0.0f32, 0.0, 5.0, 5.0];
/// simdact::softmax_inplace(&mut x, 2);
/// assert_eq!(x, [0.5; 4]);
/// ```
///
/// # Panics
/// If `row_len` is 0 or does not divide `x.len()`.
pub fn softmax_inplace(x: &mut [f32], row_len: usize) {
    rows_of("softmax_inplace", x.len(), row_len);
    sm::SoftmaxFamily::forward_rows_inplace(level(), x, row_len)
}

/// Log-softmax over each row of `row_len` elements: `y[i] = (x[i] - m) - ln sum_j e^(x[j] - m)`,
/// `m` the row's maximum. Max error 8 ULP where `|y| >= 1e-3`, 1e-6 absolute elsewhere.
///
/// Rows as in [`softmax`]. A `-inf` entry gives `-inf`; a row with NaN or `+inf` anywhere, or
/// of only `-inf`, gives a row of NaN; a row of one element gives 0.
///
/// ```
/// let x = [0.0f32, 0.0, f32::NEG_INFINITY, 7.0];
/// let mut y = [0.0; 4];
/// simdact::log_softmax(&x, &mut y, 2);
/// assert!((y[0] + std::f32::consts::LN_2).abs() < 1e-7);
/// assert_eq!(&y[2..], &[f32::NEG_INFINITY, 0.0]);
/// ```
///
/// # Panics
/// If `x.len() != y.len()`, or if `row_len` is 0 or does not divide `x.len()`.
pub fn log_softmax(x: &[f32], y: &mut [f32], row_len: usize) {
    same_len("log_softmax", ("x", x.len()), ("y", y.len()));
    rows_of("log_softmax", x.len(), row_len);
    sm::LogSoftmaxFamily::forward_rows(level(), x, y, row_len)
}

/// In-place [`log_softmax`]. Bit-identical to the out-of-place call.
///
/// ```
/// let mut x = [3.0f32, f32::NEG_INFINITY];
/// simdact::log_softmax_inplace(&mut x, 2);
/// assert_eq!(x, [0.0, f32::NEG_INFINITY]);
/// ```
///
/// # Panics
/// If `row_len` is 0 or does not divide `x.len()`.
pub fn log_softmax_inplace(x: &mut [f32], row_len: usize) {
    rows_of("log_softmax_inplace", x.len(), row_len);
    sm::LogSoftmaxFamily::forward_rows_inplace(level(), x, row_len)
}

/// Gradient of [`softmax`] from its saved output `y`, per row of `row_len`:
/// `dx[i] = y[i] * (dy[i] - sum_j dy[j] * y[j])`. Within 8 ULP or 1e-6 absolute of the
/// formula in f64 (the row sum is compensated, so only the last subtraction and product
/// round).
///
/// NaN in `y` or `dy` propagates through the sum to the whole row.
///
/// ```
/// let y = [0.25f32, 0.75];
/// let mut dx = [0.0; 2];
/// simdact::softmax_backward(&y, &[1.0, 0.0], &mut dx, 2);
/// assert_eq!(dx, [0.1875, -0.1875]);
/// ```
///
/// # Panics
/// If `y`, `dy` and `dx` are not all the same length, or if `row_len` is 0 or does not divide
/// it.
pub fn softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32], row_len: usize) {
    grad_lens("softmax_backward", ("y", y.len()), dy.len(), dx.len());
    rows_of("softmax_backward", y.len(), row_len);
    par::rows(level(), &sm::SoftmaxBackward, y, dy, dx, row_len)
}

/// Gradient of [`log_softmax`] from its saved output `y`, per row of `row_len`:
/// `dx[i] = dy[i] - e^y[i] * sum_j dy[j]`. Within 8 ULP or 1e-6 absolute of the formula in
/// f64 for `y <= 0` (log-probabilities) and `dy` of moderate size.
///
/// NaN in `y` or `dy` propagates; `y = -inf` gives `dy`; `e^y` for `y > 88` is taken as `+inf`.
///
/// ```
/// let y = [0.0f32, f32::NEG_INFINITY];
/// let mut dx = [0.0; 2];
/// simdact::log_softmax_backward(&y, &[1.0, 2.0], &mut dx, 2);
/// assert_eq!(dx, [-2.0, 2.0]);
/// ```
///
/// # Panics
/// If `y`, `dy` and `dx` are not all the same length, or if `row_len` is 0 or does not divide
/// it.
pub fn log_softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32], row_len: usize) {
    grad_lens("log_softmax_backward", ("y", y.len()), dy.len(), dx.len());
    rows_of("log_softmax_backward", y.len(), row_len);
    par::rows(level(), &sm::LogSoftmaxBackward, y, dy, dx, row_len)
}

/// Test and benchmark support: the kernel registry, with entry points that take an explicit
/// [`Isa`]. Not part of the stable API.
#[doc(hidden)]
pub mod testing {
    pub use crate::driver::STREAM_MIN;
    pub use crate::par::THRESHOLD as PARALLEL_MIN;
    pub use crate::registry::{Entry, RowEntry, Saved, elementwise, rowwise};
}

/// The README's Rust examples, compiled and run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
