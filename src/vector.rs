//! The crate-private vector trait: every operation a kernel may use.
//!
//! Kernels in `kernels/` are written once, generic over `V: Vector`, and every method here is
//! `#[inline(always)]` in every backend. The driver instantiates a kernel inside one
//! `#[target_feature]` entry function per level (see `arch`), so after inlining the whole kernel
//! body is compiled for that level's instruction set.
//!
//! # The invariant that makes the safe methods sound
//!
//! The x86 backends implement these safe methods with `core::arch` intrinsics that need
//! AVX2+FMA or AVX-512F. Their vector types are crate-private, and the only code that creates
//! one is a kernel running under its level's entry function, which `dispatch` calls only after
//! it checked that the CPU has the level (`Isa::is_available`). Nothing else in the crate may
//! name `arch::avx2::F32x8` or `arch::avx512::F32x16`.

/// A vector of `LANES` `f32` lanes, with a mask type for lane-wise selection.
pub(crate) trait Vector: Copy {
    /// Number of `f32` lanes.
    const LANES: usize;
    /// Result of a lane-wise comparison.
    type Mask: Copy;

    /// Loads `LANES` values.
    ///
    /// # Safety
    /// `p` must be valid for reading `LANES` values (no alignment needed).
    unsafe fn load(p: *const f32) -> Self;
    /// Stores `LANES` values.
    ///
    /// # Safety
    /// `p` must be valid for writing `LANES` values (no alignment needed).
    unsafe fn store(self, p: *mut f32);
    /// Loads the first `n < LANES` values; the other lanes are 0.0. Reads nothing past `p + n`.
    ///
    /// # Safety
    /// `p` must be valid for reading `n` values.
    unsafe fn load_partial(p: *const f32, n: usize) -> Self;
    /// Stores the first `n < LANES` lanes. Writes nothing past `p + n`.
    ///
    /// # Safety
    /// `p` must be valid for writing `n` values.
    unsafe fn store_partial(self, p: *mut f32, n: usize);
    /// Stores `LANES` values with a non-temporal hint (bypassing the caches where the level
    /// has such a store; a plain store elsewhere). Call `stream_fence` after the last one.
    ///
    /// # Safety
    /// `p` must be valid for writing `LANES` values and aligned to `LANES * 4` bytes.
    unsafe fn store_stream(self, p: *mut f32);
    /// Orders earlier `store_stream`s before later stores (`sfence` on x86).
    fn stream_fence();

    /// Every lane set to `v`.
    fn splat(v: f32) -> Self;
    /// `self + o`, correctly rounded.
    fn add(self, o: Self) -> Self;
    /// `self - o`, correctly rounded.
    fn sub(self, o: Self) -> Self;
    /// `self * o`, correctly rounded.
    fn mul(self, o: Self) -> Self;
    /// `self * b + c`: fused where the level has FMA, two roundings on the portable level.
    /// Use it for polynomials, where either is accurate enough.
    fn mul_add(self, b: Self, c: Self) -> Self;
    /// `c - self * b`: fused where the level has FMA, two roundings on the portable level.
    fn neg_mul_add(self, b: Self, c: Self) -> Self;
    /// `c - self * b` with a single rounding on every level: for error-free transformations
    /// (residuals such as `e - q*d`), where an unfused product would lose the answer.
    fn neg_mul_add_exact(self, b: Self, c: Self) -> Self;
    /// For a quotient estimate `self` of `c / d` (within 2^-10 relative), returns `(q, r)`:
    /// `q` is `self` or `self` with low mantissa bits cleared, and `r = c - q * d` with an
    /// error below `2^-30 |r|`. The building block of a division corrected by a Newton step.
    fn residual(self, d: Self, c: Self) -> (Self, Self);
    /// An approximation of `1 / self` with relative error below 2^-14 for finite, normal,
    /// nonzero lanes (a hardware estimate, refined where the estimate is coarser).
    fn recip_approx(self) -> Self;
    /// `if self < o { self } else { o }`, like x86 `minps`. A NaN `o` gives NaN on every
    /// level (kernels put the constant first); a NaN `self` gives `o` or NaN.
    fn min(self, o: Self) -> Self;
    /// `if self > o { self } else { o }`, like x86 `maxps`. NaN as for `min`.
    fn max(self, o: Self) -> Self;
    /// `|self|` (clears the sign bit; NaN stays NaN).
    fn abs(self) -> Self;
    /// `-|self|` (sets the sign bit; NaN stays NaN).
    fn neg_abs(self) -> Self;
    /// The magnitude of `self` with the sign bit of `sign`.
    fn copysign(self, sign: Self) -> Self;
    /// `self * 2^n` for lanes of `n` holding whole numbers in `-126..=127`.
    fn ldexp(self, n: Self) -> Self;

    /// Lane-wise `self < o` (false for NaN).
    fn lt(self, o: Self) -> Self::Mask;
    /// Lane-wise `self > o` (false for NaN).
    fn gt(self, o: Self) -> Self::Mask;
    /// Lane-wise `self != self`.
    fn is_nan(self) -> Self::Mask;
    /// Lane-wise `if m { t } else { f }`.
    fn select(m: Self::Mask, t: Self, f: Self) -> Self;

    /// The largest lane, as `max` folds them (meaningful when no lane is NaN).
    fn reduce_max(self) -> f32;
    /// The sum of the lanes, in a fixed order for a given level.
    fn reduce_add(self) -> f32;
}
