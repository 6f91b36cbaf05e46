//! The list of kernels, made by `build.rs` from the files in `kernels/`.
//!
//! Each file in `kernels/` is one activation family. A file that defines
//! `pub(crate) const ENTRIES: &[Entry]` contributes elementwise kernels, and one that defines
//! `pub(crate) const ROW_ENTRIES: &[RowEntry]` row-wise kernels (softmax); `build.rs` wires every
//! file in as a module and collects those lists into `ELEMENTWISE` and `ROWWISE`, which the
//! tests, the benchmarks, the tour and the accuracy sweep iterate over: a new kernel file is
//! tested and measured without touching any of them.

use crate::dispatch::{Isa, Level};
use crate::driver::{Binary, Rows, Unary};

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// Which forward value a gradient is computed from, besides `dy`.
///
/// ```
/// use simdact::{Activation, Saved};
/// assert_eq!(Activation::Tanh.backward_takes(), Saved::Output);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// The forward input `x` (relu, leaky_relu).
    Input,
    /// The forward output `y` (sigmoid, tanh).
    Output,
}

/// An elementwise activation family: its kernels, references and stated bounds.
pub(crate) trait Family {
    /// The public function name, e.g. `"sigmoid"`.
    const NAME: &'static str;
    /// Stated bound of the forward kernel, in ULP (see the README's accuracy rule).
    const FORWARD_ULP: u32;
    /// Stated bound of the gradient, in ULP against its formula in f64.
    const BACKWARD_ULP: u32;
    /// What the gradient takes besides `dy`.
    const SAVED: Saved;
    /// The parameter's name and the values the tests try, if the family has one.
    const PARAMETER: Option<(&'static str, &'static [f32])> = None;
    /// The forward kernel for parameter `p` (ignored when there is none).
    type Forward: Unary;
    /// The gradient kernel for parameter `p`.
    type Backward: Binary;
    fn forward(p: f32) -> Self::Forward;
    fn backward(p: f32) -> Self::Backward;
    /// The exact forward value, in f64.
    fn reference(x: f64, p: f64) -> f64;
    /// The gradient formula, in f64.
    fn backward_reference(saved: f64, dy: f64, p: f64) -> f64;
}

/// One elementwise kernel, as the tests and benchmarks see it.
#[derive(Clone, Copy)]
pub struct Entry {
    /// The public function name.
    pub name: &'static str,
    /// Stated forward bound in ULP.
    pub forward_ulp: u32,
    /// Stated gradient bound in ULP.
    pub backward_ulp: u32,
    /// What the gradient takes besides `dy`.
    pub saved: Saved,
    /// The parameter's name and the values to test, if any.
    pub parameter: Option<(&'static str, &'static [f32])>,
    /// Forward inputs shorter than this run on the calling thread.
    pub parallel_min: usize,
    /// `y = f(x)` at a level, with parameter `p`.
    pub forward: fn(Isa, f32, &[f32], &mut [f32]),
    /// `x = f(x)` at a level.
    pub forward_inplace: fn(Isa, f32, &mut [f32]),
    /// `dx = f'(saved, dy)` at a level.
    pub backward: fn(Isa, f32, &[f32], &[f32], &mut [f32]),
    /// The exact forward value in f64: `(x, p)`.
    pub reference: fn(f64, f64) -> f64,
    /// The gradient formula in f64: `(saved, dy, p)`.
    pub backward_reference: fn(f64, f64, f64) -> f64,
}

impl core::fmt::Debug for Entry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

fn available(isa: Isa) -> Level {
    Level::new(isa).unwrap_or_else(|| panic!("this CPU cannot run {isa}"))
}

fn forward_at<F: Family>(isa: Isa, p: f32, x: &[f32], y: &mut [f32]) {
    crate::par::unary(available(isa), &F::forward(p), x, y)
}
fn forward_inplace_at<F: Family>(isa: Isa, p: f32, x: &mut [f32]) {
    crate::par::unary_inplace(available(isa), &F::forward(p), x)
}
fn backward_at<F: Family>(isa: Isa, p: f32, s: &[f32], dy: &[f32], dx: &mut [f32]) {
    crate::par::binary(available(isa), &F::backward(p), s, dy, dx)
}

impl Entry {
    /// The entry of family `F`.
    pub(crate) const fn of<F: Family>() -> Entry {
        Entry {
            name: F::NAME,
            forward_ulp: F::FORWARD_ULP,
            backward_ulp: F::BACKWARD_ULP,
            saved: F::SAVED,
            parameter: F::PARAMETER,
            parallel_min: <F::Forward as Unary>::PARALLEL_MIN,
            forward: forward_at::<F>,
            forward_inplace: forward_inplace_at::<F>,
            backward: backward_at::<F>,
            reference: F::reference,
            backward_reference: F::backward_reference,
        }
    }
}

/// Every elementwise kernel, in file-name order.
///
/// ```
/// let names: Vec<&str> = simdact::testing::elementwise().map(|e| e.name).collect();
/// assert!(names.contains(&"sigmoid"));
/// ```
pub fn elementwise() -> impl Iterator<Item = &'static Entry> {
    ELEMENTWISE.iter().flat_map(|family| family.iter())
}

/// A row-wise activation family (softmax, log-softmax): its kernels, references and bounds.
pub(crate) trait RowFamily {
    /// The public function name, e.g. `"softmax"`.
    const NAME: &'static str;
    /// Stated bound of the forward kernel, in ULP (see the kernel file for where it applies).
    const FORWARD_ULP: u32;
    /// Stated bound of the gradient, in ULP against its formula in f64.
    const BACKWARD_ULP: u32;
    /// The forward kernel (one input).
    type Forward: Rows;
    /// The gradient kernel: `(saved forward output, dy)`.
    type Backward: Rows;
    /// The forward kernel.
    const FORWARD: Self::Forward;
    /// The gradient kernel.
    const BACKWARD: Self::Backward;
    /// The forward pass over rows at `level` (the `Rows` path unless the family has another).
    fn forward_rows(level: Level, x: &[f32], y: &mut [f32], row_len: usize) {
        crate::par::rows(level, &Self::FORWARD, x, x, y, row_len)
    }
    /// The forward pass in place.
    fn forward_rows_inplace(level: Level, x: &mut [f32], row_len: usize) {
        crate::par::rows_inplace(level, &Self::FORWARD, x, row_len)
    }
    /// The exact forward values of one row, in f64.
    fn reference(x: &[f32], out: &mut [f64]);
    /// The gradient formula over one row, in f64, from the saved output `y` and `dy`.
    fn backward_reference(y: &[f32], dy: &[f32], out: &mut [f64]);
}

/// One row-wise kernel, as the tests and benchmarks see it. Rows are contiguous runs of
/// `row_len` elements.
#[derive(Clone, Copy)]
pub struct RowEntry {
    /// The public function name.
    pub name: &'static str,
    /// Stated forward bound in ULP.
    pub forward_ulp: u32,
    /// Stated gradient bound in ULP.
    pub backward_ulp: u32,
    /// `y = f(x)` row by row at a level: `(isa, x, y, row_len)`.
    pub forward: fn(Isa, &[f32], &mut [f32], usize),
    /// `x = f(x)` row by row at a level.
    pub forward_inplace: fn(Isa, &mut [f32], usize),
    /// The gradient at a level: `(isa, y, dy, dx, row_len)`, `y` the saved forward output.
    pub backward: fn(Isa, &[f32], &[f32], &mut [f32], usize),
    /// The exact forward values of one row in f64.
    pub reference: fn(&[f32], &mut [f64]),
    /// The gradient formula over one row in f64: `(y, dy, out)`.
    pub backward_reference: fn(&[f32], &[f32], &mut [f64]),
}

impl core::fmt::Debug for RowEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

fn row_forward_at<F: RowFamily>(isa: Isa, x: &[f32], y: &mut [f32], row_len: usize) {
    F::forward_rows(available(isa), x, y, row_len)
}
fn row_forward_inplace_at<F: RowFamily>(isa: Isa, x: &mut [f32], row_len: usize) {
    F::forward_rows_inplace(available(isa), x, row_len)
}
fn row_backward_at<F: RowFamily>(isa: Isa, y: &[f32], dy: &[f32], dx: &mut [f32], n: usize) {
    crate::par::rows(available(isa), &F::BACKWARD, y, dy, dx, n)
}

impl RowEntry {
    /// The entry of family `F`.
    pub(crate) const fn of<F: RowFamily>() -> RowEntry {
        RowEntry {
            name: F::NAME,
            forward_ulp: F::FORWARD_ULP,
            backward_ulp: F::BACKWARD_ULP,
            forward: row_forward_at::<F>,
            forward_inplace: row_forward_inplace_at::<F>,
            backward: row_backward_at::<F>,
            reference: F::reference,
            backward_reference: F::backward_reference,
        }
    }
}

/// Every row-wise kernel, in file-name order.
///
/// ```
/// let names: Vec<&str> = simdact::testing::rowwise().map(|e| e.name).collect();
/// assert!(names.contains(&"softmax") && names.contains(&"log_softmax"));
/// ```
pub fn rowwise() -> impl Iterator<Item = &'static RowEntry> {
    ROWWISE.iter().flat_map(|family| family.iter())
}
