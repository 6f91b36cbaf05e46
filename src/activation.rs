//! The value-level API: an activation chosen at run time (from a model file, say), whose
//! methods return an [`Error`] where the plain functions would panic.
//!
//! An engine that reads its graph from data cannot treat a bad length as a programming error:
//! it is bad input, and the engine wants to report it, not abort. [`Activation`] checks every
//! length (and the row length of the softmax family) first, returns `Err` without writing
//! anything when one is wrong, and otherwise calls the plain function, whose own checks then
//! always pass.

use crate::registry::Saved;
use core::fmt;

/// Why an [`Activation`] call was refused. Nothing was written.
///
/// The `Display` form names the function, the argument and both lengths, like the plain
/// functions' panic messages.
///
/// ```
/// use simdact::{Activation, Error};
///
/// let mut y = [0.0; 3];
/// let err = Activation::Tanh.forward(&[1.0; 4], &mut y).unwrap_err();
/// assert_eq!(
///     err,
///     Error::LengthMismatch { op: "tanh", what: "y", got: 3, expected_from: "x", expected: 4 }
/// );
/// assert_eq!(err.to_string(), "simdact::tanh: `y` has 3 elements but `x` has 4");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A slice's length differs from the length of the slice it must match.
    LengthMismatch {
        /// The plain function the call runs, e.g. `"sigmoid_backward"`.
        op: &'static str,
        /// The argument with the wrong length, e.g. `"dy"`.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The argument that sets the length (the first one: `"x"` or `"saved"`).
        expected_from: &'static str,
        /// That argument's length.
        expected: usize,
    },
    /// A row-wise activation's `row_len` is 0, or does not divide the slice length.
    BadRowLen {
        /// The plain function the call runs, e.g. `"softmax"`.
        op: &'static str,
        /// The row length.
        row_len: usize,
        /// The length of the slices.
        len: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::LengthMismatch {
                op,
                what,
                got,
                expected_from,
                expected,
            } => write!(
                f,
                "simdact::{op}: `{what}` has {got} elements but `{expected_from}` has {expected}"
            ),
            Error::BadRowLen { op, row_len: 0, .. } => write!(
                f,
                "simdact::{op}: row_len is 0 (set it with Activation::with_row_len)"
            ),
            Error::BadRowLen { op, row_len, len } => write!(
                f,
                "simdact::{op}: the slices have {len} elements, not a multiple of row_len {row_len}"
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// An activation function picked at run time, with its parameters.
///
/// Its methods check the lengths and return an [`Error`] instead of panicking, then call the
/// plain function of the same name ([`sigmoid`](crate::sigmoid), [`leaky_relu`](crate::leaky_relu), ...),
/// so the results, bounds and semantics are those documented there.
///
/// ```
/// use simdact::Activation;
///
/// // An engine reading an ONNX node:
/// let act = Activation::from_name("LeakyRelu").unwrap();
/// assert_eq!(act, Activation::LeakyRelu { alpha: 0.01 });
///
/// let x = [-1.0f32, 2.0];
/// let mut y = [0.0; 2];
/// act.forward(&x, &mut y)?;
/// assert_eq!(y, [-0.01, 2.0]);
///
/// // relu-like gradients take the forward input, the others the forward output.
/// let mut dx = [0.0; 2];
/// act.backward(&x, &[1.0, 1.0], &mut dx)?;
/// assert_eq!(dx, [0.01, 1.0]);
/// # Ok::<(), simdact::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Activation {
    /// [`sigmoid`](crate::sigmoid); `backward` takes the forward output.
    Sigmoid,
    /// [`tanh`](crate::tanh); `backward` takes the forward output.
    Tanh,
    /// [`relu`](crate::relu); `backward` takes the forward input.
    Relu,
    /// [`leaky_relu`](crate::leaky_relu) with slope `alpha` below 0; `backward` takes the
    /// forward input.
    LeakyRelu {
        /// The slope for `x <= 0` (PyTorch's `negative_slope`, ONNX's `alpha`).
        alpha: f32,
    },
}

/// `alpha` of `LeakyRelu` when the model does not say (PyTorch's and ONNX's default).
pub const DEFAULT_LEAKY_ALPHA: f32 = 0.01;

/// `name` equals `canonical` (lowercase, no underscores) ignoring ASCII case and underscores.
fn spelled(name: &str, canonical: &str) -> bool {
    name.bytes()
        .filter(|&b| b != b'_')
        .map(|b| b.to_ascii_lowercase())
        .eq(canonical.bytes())
}

/// `Err` unless `got == expected`.
fn check_len(
    op: &'static str,
    what: (&'static str, usize),
    expected: (&'static str, usize),
) -> Result<(), Error> {
    if what.1 == expected.1 {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            op,
            what: what.0,
            got: what.1,
            expected_from: expected.0,
            expected: expected.1,
        })
    }
}

impl Activation {
    /// The activation an ONNX operator or a PyTorch module or function is called, with the
    /// default parameters; `None` for a name simdact does not implement.
    ///
    /// ASCII case and underscores are ignored, so ONNX's `Sigmoid`, `Tanh`, `Relu`,
    /// `LeakyRelu` and PyTorch's `sigmoid`, `tanh`, `relu`, `leaky_relu`, `ReLU`, `LeakyReLU`
    /// are all accepted. `LeakyRelu` gets `alpha = 0.01` ([`DEFAULT_LEAKY_ALPHA`], the default
    /// of both); a model that sets `alpha` builds `Activation::LeakyRelu { alpha }` itself.
    ///
    /// ```
    /// use simdact::Activation;
    ///
    /// assert_eq!(Activation::from_name("Relu"), Some(Activation::Relu));
    /// assert_eq!(Activation::from_name("ReLU"), Some(Activation::Relu));
    /// assert_eq!(
    ///     Activation::from_name("leaky_relu"),
    ///     Some(Activation::LeakyRelu { alpha: 0.01 })
    /// );
    /// assert_eq!(Activation::from_name("Gelu"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Activation> {
        Some(match () {
            _ if spelled(name, "sigmoid") => Activation::Sigmoid,
            _ if spelled(name, "tanh") => Activation::Tanh,
            _ if spelled(name, "relu") => Activation::Relu,
            _ if spelled(name, "leakyrelu") => Activation::LeakyRelu {
                alpha: DEFAULT_LEAKY_ALPHA,
            },
            _ => return None,
        })
    }

    /// The name of the plain function this activation runs, e.g. `"leaky_relu"`.
    ///
    /// ```
    /// use simdact::Activation;
    /// assert_eq!(Activation::LeakyRelu { alpha: 0.2 }.name(), "leaky_relu");
    /// ```
    pub const fn name(&self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
        }
    }

    /// The name of the plain gradient function, e.g. `"leaky_relu_backward"`.
    const fn backward_name(&self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid_backward",
            Activation::Tanh => "tanh_backward",
            Activation::Relu => "relu_backward",
            Activation::LeakyRelu { .. } => "leaky_relu_backward",
        }
    }

    /// What [`backward`](Activation::backward) takes as `saved`: the forward input (relu,
    /// leaky relu) or the forward output (sigmoid, tanh).
    ///
    /// ```
    /// use simdact::{Activation, Saved};
    /// assert_eq!(Activation::Relu.backward_takes(), Saved::Input);
    /// assert_eq!(Activation::Sigmoid.backward_takes(), Saved::Output);
    /// ```
    pub const fn backward_takes(&self) -> Saved {
        match self {
            Activation::Sigmoid | Activation::Tanh => Saved::Output,
            Activation::Relu | Activation::LeakyRelu { .. } => Saved::Input,
        }
    }

    /// `y = f(x)`, elementwise.
    ///
    /// ```
    /// use simdact::Activation;
    /// let mut y = [0.0; 2];
    /// Activation::Sigmoid.forward(&[0.0, f32::INFINITY], &mut y)?;
    /// assert_eq!(y, [0.5, 1.0]);
    /// # Ok::<(), simdact::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming `y` if `y.len() != x.len()`; nothing is written then.
    pub fn forward(&self, x: &[f32], y: &mut [f32]) -> Result<(), Error> {
        check_len(self.name(), ("y", y.len()), ("x", x.len()))?;
        match *self {
            Activation::Sigmoid => crate::sigmoid(x, y),
            Activation::Tanh => crate::tanh(x, y),
            Activation::Relu => crate::relu(x, y),
            Activation::LeakyRelu { alpha } => crate::leaky_relu(x, y, alpha),
        }
        Ok(())
    }

    /// `x = f(x)`, in place.
    ///
    /// ```
    /// use simdact::Activation;
    /// let mut x = [-1.0f32, 1.0];
    /// Activation::Relu.forward_inplace(&mut x)?;
    /// assert_eq!(x, [0.0, 1.0]);
    /// # Ok::<(), simdact::Error>(())
    /// ```
    ///
    /// # Errors
    /// None for the elementwise activations; the `Result` is for row-wise ones.
    pub fn forward_inplace(&self, x: &mut [f32]) -> Result<(), Error> {
        match *self {
            Activation::Sigmoid => crate::sigmoid_inplace(x),
            Activation::Tanh => crate::tanh_inplace(x),
            Activation::Relu => crate::relu_inplace(x),
            Activation::LeakyRelu { alpha } => crate::leaky_relu_inplace(x, alpha),
        }
        Ok(())
    }

    /// The gradient `dx` from `dy` and the saved forward value: the forward **output** for
    /// `Sigmoid` and `Tanh`, the forward **input** for `Relu` and `LeakyRelu` (see
    /// [`backward_takes`](Activation::backward_takes)).
    ///
    /// ```
    /// use simdact::Activation;
    /// let mut y = [0.0f32; 1];
    /// Activation::Tanh.forward(&[0.0], &mut y)?;
    /// let mut dx = [0.0; 1];
    /// Activation::Tanh.backward(&y, &[3.0], &mut dx)?; // from the output y
    /// assert_eq!(dx, [3.0]);
    /// # Ok::<(), simdact::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming `dy` or `dx` if its length differs from `saved`'s;
    /// nothing is written then.
    pub fn backward(&self, saved: &[f32], dy: &[f32], dx: &mut [f32]) -> Result<(), Error> {
        let op = self.backward_name();
        check_len(op, ("dy", dy.len()), ("saved", saved.len()))?;
        check_len(op, ("dx", dx.len()), ("saved", saved.len()))?;
        match *self {
            Activation::Sigmoid => crate::sigmoid_backward(saved, dy, dx),
            Activation::Tanh => crate::tanh_backward(saved, dy, dx),
            Activation::Relu => crate::relu_backward(saved, dy, dx),
            Activation::LeakyRelu { alpha } => crate::leaky_relu_backward(saved, dy, dx, alpha),
        }
        Ok(())
    }
}
