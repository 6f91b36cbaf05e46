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
/// plain function of the same name ([`sigmoid`](crate::sigmoid), [`softmax`](crate::softmax),
/// ...), so the results, bounds and semantics are those documented there.
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
    /// [`softmax`](crate::softmax) over each row of `row_len` contiguous elements;
    /// `backward` takes the forward output.
    Softmax {
        /// Elements per row: the length of the last (contiguous) axis. 0 means "not set yet"
        /// (see [`Activation::from_name`]), and every call returns [`Error::BadRowLen`].
        row_len: usize,
    },
    /// [`log_softmax`](crate::log_softmax) over each row of `row_len` contiguous elements;
    /// `backward` takes the forward output.
    LogSoftmax {
        /// Elements per row, as for `Softmax`.
        row_len: usize,
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
    /// `LeakyRelu`, `Softmax`, `LogSoftmax` and PyTorch's `sigmoid`, `tanh`, `relu`,
    /// `leaky_relu`, `softmax`, `log_softmax`, `ReLU`, `LeakyReLU` are all accepted.
    ///
    /// - `LeakyRelu` gets `alpha = 0.01` ([`DEFAULT_LEAKY_ALPHA`], the default of both); a
    ///   model that sets `alpha` builds `Activation::LeakyRelu { alpha }` itself.
    /// - `Softmax` and `LogSoftmax` get `row_len: 0`, "not set yet": a name does not say how
    ///   long the rows are, the input's shape does, and a model is loaded before its shapes
    ///   are known. Set it with [`with_row_len`](Activation::with_row_len) once they are (it
    ///   leaves the elementwise activations alone, so an engine can call it on every
    ///   activation); until then every call returns [`Error::BadRowLen`], never a panic or a
    ///   guess. The rows are contiguous, so `row_len` is the last dimension when the softmax
    ///   axis is the last one (ONNX opset 13's default `axis = -1`, PyTorch's `dim = -1`), or,
    ///   with ONNX's opset < 13 semantics, the product of the dimensions from `axis` on. A
    ///   softmax over another axis needs the tensor transposed first.
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
    ///
    /// // A softmax's row length comes from the shape, later.
    /// let act = Activation::from_name("Softmax").unwrap();
    /// assert_eq!(act, Activation::Softmax { row_len: 0 });
    /// let shape = [2, 3];
    /// let act = act.with_row_len(shape[1]);
    /// let mut y = [0.0; 6];
    /// act.forward(&[0.0; 6], &mut y)?;
    /// assert!(y.iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-7));
    /// # Ok::<(), simdact::Error>(())
    /// ```
    pub fn from_name(name: &str) -> Option<Activation> {
        Some(match () {
            _ if spelled(name, "sigmoid") => Activation::Sigmoid,
            _ if spelled(name, "tanh") => Activation::Tanh,
            _ if spelled(name, "relu") => Activation::Relu,
            _ if spelled(name, "leakyrelu") => Activation::LeakyRelu {
                alpha: DEFAULT_LEAKY_ALPHA,
            },
            _ if spelled(name, "softmax") => Activation::Softmax { row_len: 0 },
            _ if spelled(name, "logsoftmax") => Activation::LogSoftmax { row_len: 0 },
            _ => return None,
        })
    }

    /// This activation with its row length set to `row_len`, for `Softmax` and
    /// `LogSoftmax`; any other activation is returned as it is.
    ///
    /// ```
    /// use simdact::Activation;
    /// let act = Activation::from_name("LogSoftmax").unwrap().with_row_len(10);
    /// assert_eq!(act, Activation::LogSoftmax { row_len: 10 });
    /// assert_eq!(Activation::Tanh.with_row_len(10), Activation::Tanh);
    /// ```
    pub const fn with_row_len(self, row_len: usize) -> Activation {
        match self {
            Activation::Softmax { .. } => Activation::Softmax { row_len },
            Activation::LogSoftmax { .. } => Activation::LogSoftmax { row_len },
            other => other,
        }
    }

    /// The row length of a row-wise activation (`Softmax`, `LogSoftmax`), `None` for an
    /// elementwise one.
    ///
    /// ```
    /// use simdact::Activation;
    /// assert_eq!(Activation::Softmax { row_len: 4 }.row_len(), Some(4));
    /// assert_eq!(Activation::Relu.row_len(), None);
    /// ```
    pub const fn row_len(&self) -> Option<usize> {
        match *self {
            Activation::Softmax { row_len } | Activation::LogSoftmax { row_len } => Some(row_len),
            _ => None,
        }
    }

    /// The name of the plain function this activation runs, e.g. `"leaky_relu"`.
    ///
    /// ```
    /// use simdact::Activation;
    /// assert_eq!(Activation::LeakyRelu { alpha: 0.2 }.name(), "leaky_relu");
    /// assert_eq!(Activation::LogSoftmax { row_len: 8 }.name(), "log_softmax");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.functions()[0]
    }

    /// The names of the plain functions: forward, in place, gradient.
    const fn functions(&self) -> [&'static str; 3] {
        match self {
            Activation::Sigmoid => ["sigmoid", "sigmoid_inplace", "sigmoid_backward"],
            Activation::Tanh => ["tanh", "tanh_inplace", "tanh_backward"],
            Activation::Relu => ["relu", "relu_inplace", "relu_backward"],
            Activation::LeakyRelu { .. } => {
                ["leaky_relu", "leaky_relu_inplace", "leaky_relu_backward"]
            }
            Activation::Softmax { .. } => ["softmax", "softmax_inplace", "softmax_backward"],
            Activation::LogSoftmax { .. } => {
                ["log_softmax", "log_softmax_inplace", "log_softmax_backward"]
            }
        }
    }

    /// `Err` unless a row-wise activation's `row_len` is positive and divides `len`.
    fn check_rows(&self, op: &'static str, len: usize) -> Result<(), Error> {
        match self.row_len() {
            Some(row_len) if row_len == 0 || !len.is_multiple_of(row_len) => {
                Err(Error::BadRowLen { op, row_len, len })
            }
            _ => Ok(()),
        }
    }

    /// What [`backward`](Activation::backward) takes as `saved`: the forward input (relu,
    /// leaky relu) or the forward output (sigmoid, tanh, softmax, log_softmax).
    ///
    /// ```
    /// use simdact::{Activation, Saved};
    /// assert_eq!(Activation::Relu.backward_takes(), Saved::Input);
    /// assert_eq!(Activation::Sigmoid.backward_takes(), Saved::Output);
    /// assert_eq!(Activation::Softmax { row_len: 4 }.backward_takes(), Saved::Output);
    /// ```
    pub const fn backward_takes(&self) -> Saved {
        match self {
            Activation::Relu | Activation::LeakyRelu { .. } => Saved::Input,
            Activation::Sigmoid
            | Activation::Tanh
            | Activation::Softmax { .. }
            | Activation::LogSoftmax { .. } => Saved::Output,
        }
    }

    /// `y = f(x)`: elementwise, or row by row for `Softmax` and `LogSoftmax`.
    ///
    /// ```
    /// use simdact::{Activation, Error};
    /// let mut y = [0.0; 2];
    /// Activation::Sigmoid.forward(&[0.0, f32::INFINITY], &mut y)?;
    /// assert_eq!(y, [0.5, 1.0]);
    ///
    /// let err = Activation::Softmax { row_len: 3 }.forward(&[0.0; 2], &mut y).unwrap_err();
    /// assert_eq!(err, Error::BadRowLen { op: "softmax", row_len: 3, len: 2 });
    /// # Ok::<(), simdact::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming `y` if `y.len() != x.len()`; [`Error::BadRowLen`] for
    /// a row-wise activation whose `row_len` is 0 or does not divide the length. Nothing is
    /// written then.
    pub fn forward(&self, x: &[f32], y: &mut [f32]) -> Result<(), Error> {
        let op = self.functions()[0];
        check_len(op, ("y", y.len()), ("x", x.len()))?;
        self.check_rows(op, x.len())?;
        match *self {
            Activation::Sigmoid => crate::sigmoid(x, y),
            Activation::Tanh => crate::tanh(x, y),
            Activation::Relu => crate::relu(x, y),
            Activation::LeakyRelu { alpha } => crate::leaky_relu(x, y, alpha),
            Activation::Softmax { row_len } => crate::softmax(x, y, row_len),
            Activation::LogSoftmax { row_len } => crate::log_softmax(x, y, row_len),
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
    /// Activation::Softmax { row_len: 2 }.forward_inplace(&mut x)?;
    /// assert_eq!(x[0] + x[1], 1.0);
    /// # Ok::<(), simdact::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadRowLen`] for a row-wise activation whose `row_len` is 0 or does not divide
    /// `x.len()`; nothing is written then. Elementwise activations always succeed.
    pub fn forward_inplace(&self, x: &mut [f32]) -> Result<(), Error> {
        self.check_rows(self.functions()[1], x.len())?;
        match *self {
            Activation::Sigmoid => crate::sigmoid_inplace(x),
            Activation::Tanh => crate::tanh_inplace(x),
            Activation::Relu => crate::relu_inplace(x),
            Activation::LeakyRelu { alpha } => crate::leaky_relu_inplace(x, alpha),
            Activation::Softmax { row_len } => crate::softmax_inplace(x, row_len),
            Activation::LogSoftmax { row_len } => crate::log_softmax_inplace(x, row_len),
        }
        Ok(())
    }

    /// The gradient `dx` from `dy` and the saved forward value: the forward **output** for
    /// `Sigmoid`, `Tanh`, `Softmax` and `LogSoftmax`, the forward **input** for `Relu` and
    /// `LeakyRelu` (see [`backward_takes`](Activation::backward_takes)).
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
    /// [`Error::BadRowLen`] for a row-wise activation whose `row_len` is 0 or does not divide
    /// the length. Nothing is written then.
    pub fn backward(&self, saved: &[f32], dy: &[f32], dx: &mut [f32]) -> Result<(), Error> {
        let op = self.functions()[2];
        check_len(op, ("dy", dy.len()), ("saved", saved.len()))?;
        check_len(op, ("dx", dx.len()), ("saved", saved.len()))?;
        self.check_rows(op, saved.len())?;
        match *self {
            Activation::Sigmoid => crate::sigmoid_backward(saved, dy, dx),
            Activation::Tanh => crate::tanh_backward(saved, dy, dx),
            Activation::Relu => crate::relu_backward(saved, dy, dx),
            Activation::LeakyRelu { alpha } => crate::leaky_relu_backward(saved, dy, dx, alpha),
            Activation::Softmax { row_len } => crate::softmax_backward(saved, dy, dx, row_len),
            Activation::LogSoftmax { row_len } => {
                crate::log_softmax_backward(saved, dy, dx, row_len)
            }
        }
        Ok(())
    }
}
