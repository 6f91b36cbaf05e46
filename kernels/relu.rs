//! ReLU, `max(x, 0)`, and leaky ReLU, `x > 0 ? x : alpha * x`, with their gradients.
//!
//! # Method
//! One compare and one blend (and one multiply for leaky ReLU): exact, 0 ULP.
//!
//! # Special values (PyTorch's)
//! `relu(NaN) = NaN`, `relu(-0.0) = -0.0`, `relu(x) = +0.0` for `x < 0`, `relu(+inf) = +inf`.
//! `leaky_relu(NaN) = NaN`, `leaky_relu(±0.0) = alpha * ±0.0`, `leaky_relu(-inf) = alpha * -inf`.
//! Any `alpha` is accepted, including 0, negative values, values above 1 and NaN (which
//! makes every non-positive input NaN).
//!
//! # Gradients
//! From the forward input `x`: `relu: x > 0 ? dy : 0` and `leaky_relu: x > 0 ? dy : alpha*dy`,
//! literally: the gradient at 0 is 0 (resp. `alpha*dy`), a NaN `x` compares false, and a NaN
//! `dy` propagates where it is selected. Exact.

use crate::driver::{Binary, Unary};
use crate::registry::{Entry, Family, Saved};
use crate::vector::Vector;

pub(crate) const ENTRIES: &[Entry] = &[Entry::of::<Relu>(), Entry::of::<LeakyRelu>()];

/// The ReLU forward kernel.
pub(crate) struct Relu;

impl Unary for Relu {
    const PARALLEL_MIN: usize = crate::par::CHEAP;
    #[inline(always)]
    fn apply<V: Vector>(&self, x: V) -> V {
        let zero = V::splat(0.0);
        // `x < 0` is false for NaN and for -0.0, which both pass through.
        V::select(x.lt(zero), zero, x)
    }
}

/// The ReLU gradient kernel, from the forward input.
pub(crate) struct ReluBackward;

impl Binary for ReluBackward {
    #[inline(always)]
    fn apply<V: Vector>(&self, x: V, dy: V) -> V {
        V::select(x.gt(V::splat(0.0)), dy, V::splat(0.0))
    }
}

/// The leaky ReLU forward kernel.
pub(crate) struct LeakyRelu {
    pub(crate) alpha: f32,
}

impl Unary for LeakyRelu {
    const PARALLEL_MIN: usize = crate::par::CHEAP;
    #[inline(always)]
    fn apply<V: Vector>(&self, x: V) -> V {
        V::select(x.gt(V::splat(0.0)), x, x.mul(V::splat(self.alpha)))
    }
}

/// The leaky ReLU gradient kernel, from the forward input.
pub(crate) struct LeakyReluBackward {
    pub(crate) alpha: f32,
}

impl Binary for LeakyReluBackward {
    #[inline(always)]
    fn apply<V: Vector>(&self, x: V, dy: V) -> V {
        V::select(x.gt(V::splat(0.0)), dy, dy.mul(V::splat(self.alpha)))
    }
}

impl Family for Relu {
    const NAME: &'static str = "relu";
    const FORWARD_ULP: u32 = 0;
    const BACKWARD_ULP: u32 = 0;
    const SAVED: Saved = Saved::Input;
    type Forward = Relu;
    type Backward = ReluBackward;
    fn forward(_: f32) -> Relu {
        Relu
    }
    fn backward(_: f32) -> ReluBackward {
        ReluBackward
    }
    fn reference(x: f64, _: f64) -> f64 {
        if x < 0.0 { 0.0 } else { x }
    }
    fn backward_reference(x: f64, dy: f64, _: f64) -> f64 {
        if x > 0.0 { dy } else { 0.0 }
    }
}

impl Family for LeakyRelu {
    const NAME: &'static str = "leaky_relu";
    const FORWARD_ULP: u32 = 0;
    const BACKWARD_ULP: u32 = 0;
    const SAVED: Saved = Saved::Input;
    const PARAMETER: Option<(&'static str, &'static [f32])> =
        Some(("alpha", &[0.01, 0.2, 0.0, -0.5, 3.0]));
    type Forward = LeakyRelu;
    type Backward = LeakyReluBackward;
    fn forward(alpha: f32) -> LeakyRelu {
        LeakyRelu { alpha }
    }
    fn backward(alpha: f32) -> LeakyReluBackward {
        LeakyReluBackward { alpha }
    }
    fn reference(x: f64, alpha: f64) -> f64 {
        if x > 0.0 { x } else { alpha * x }
    }
    fn backward_reference(x: f64, dy: f64, alpha: f64) -> f64 {
        if x > 0.0 { dy } else { alpha * dy }
    }
}
