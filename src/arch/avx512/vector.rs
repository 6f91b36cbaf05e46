//! The AVX-512F level: sixteen lanes in a `__m512`, masks in a `__mmask16`.
//!
//! Every method is `#[inline(always)]` and is only ever inlined into code running under
//! `#[target_feature(enable = "avx512f")]` on a CPU that has it (the invariant in `vector.rs`);
//! that is what each `// SAFETY:` comment below calls "the level invariant". Partial loads and
//! stores are masked, so a tail never touches memory past the slice.

use crate::vector::Vector;
use core::arch::x86_64::*;

/// Sixteen `f32` lanes in a ZMM register.
#[derive(Clone, Copy)]
pub(crate) struct F32x16(__m512);

#[inline(always)]
fn first_lanes(n: usize) -> __mmask16 {
    ((1u32 << n) - 1) as __mmask16
}

impl Vector for F32x16 {
    const LANES: usize = 16;
    type Mask = __mmask16;

    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller guarantees 16 readable values at `p`; the level invariant.
        Self(unsafe { _mm512_loadu_ps(p) })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller guarantees 16 writable values at `p`; the level invariant.
        unsafe { _mm512_storeu_ps(p, self.0) }
    }
    #[inline(always)]
    unsafe fn load_partial(p: *const f32, n: usize) -> Self {
        // SAFETY: masked-off lanes are neither read nor able to fault, and the caller
        // guarantees the `n < 16` unmasked ones are readable; the level invariant.
        Self(unsafe { _mm512_maskz_loadu_ps(first_lanes(n), p) })
    }
    #[inline(always)]
    unsafe fn store_partial(self, p: *mut f32, n: usize) {
        // SAFETY: only the first `n < 16` lanes are written, and the caller guarantees they
        // are writable; the level invariant.
        unsafe { _mm512_mask_storeu_ps(p, first_lanes(n), self.0) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, p: *mut f32) {
        // SAFETY: the caller guarantees `p` is writable and vector-aligned; the level
        // invariant.
        unsafe { _mm512_stream_ps(p, self.0) }
    }
    #[inline(always)]
    fn stream_fence() {
        // SAFETY: SSE is part of the x86_64 baseline.
        unsafe { _mm_sfence() }
    }

    #[inline(always)]
    fn splat(v: f32) -> Self {
        // SAFETY: the level invariant.
        Self(unsafe { _mm512_set1_ps(v) })
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        // SAFETY: the level invariant.
        Self(unsafe { _mm512_add_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        // SAFETY: the level invariant.
        Self(unsafe { _mm512_sub_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        // SAFETY: the level invariant.
        Self(unsafe { _mm512_mul_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: the level invariant.
        Self(unsafe { _mm512_fmadd_ps(self.0, b.0, c.0) })
    }
    #[inline(always)]
    fn neg_mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: the level invariant (FMA).
        Self(unsafe { _mm512_fnmadd_ps(self.0, b.0, c.0) })
    }
    #[inline(always)]
    fn neg_mul_add_exact(self, b: Self, c: Self) -> Self {
        self.neg_mul_add(b, c)
    }
    #[inline(always)]
    fn residual(self, d: Self, c: Self) -> (Self, Self) {
        (self, self.neg_mul_add(d, c))
    }
    #[inline(always)]
    fn recip_approx(self) -> Self {
        // SAFETY: the level invariant. `vrcp14ps` is good to 2^-14.
        Self(unsafe { _mm512_rcp14_ps(self.0) })
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        // SAFETY: the level invariant. `vminps` returns the second operand on NaN.
        Self(unsafe { _mm512_min_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        // SAFETY: the level invariant. `vmaxps` returns the second operand on NaN.
        Self(unsafe { _mm512_max_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn abs(self) -> Self {
        // SAFETY: the level invariant.
        Self(unsafe { _mm512_abs_ps(self.0) })
    }
    #[inline(always)]
    fn neg_abs(self) -> Self {
        // SAFETY: the level invariant.
        unsafe {
            let sign = _mm512_set1_epi32(i32::MIN);
            Self(_mm512_castsi512_ps(_mm512_or_si512(
                _mm512_castps_si512(self.0),
                sign,
            )))
        }
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        // SAFETY: the level invariant. Ternary-logic 0xE4 is `(C & A) | (!C & B)` with C the
        // sign mask: the sign bit from `sign`, the others from `self`.
        unsafe {
            let m = _mm512_set1_epi32(i32::MAX);
            Self(_mm512_castsi512_ps(_mm512_ternarylogic_epi32::<0xE4>(
                _mm512_castps_si512(self.0),
                _mm512_castps_si512(sign.0),
                m,
            )))
        }
    }
    #[inline(always)]
    fn ldexp(self, n: Self) -> Self {
        // SAFETY: the level invariant. `vscalefps` computes `self * 2^floor(n)` in one step.
        Self(unsafe { _mm512_scalef_ps(self.0, n.0) })
    }

    #[inline(always)]
    fn lt(self, o: Self) -> __mmask16 {
        // SAFETY: the level invariant.
        unsafe { _mm512_cmp_ps_mask::<_CMP_LT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn gt(self, o: Self) -> __mmask16 {
        // SAFETY: the level invariant.
        unsafe { _mm512_cmp_ps_mask::<_CMP_GT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn is_nan(self) -> __mmask16 {
        // SAFETY: the level invariant.
        unsafe { _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(self.0, self.0) }
    }
    #[inline(always)]
    fn select(m: __mmask16, t: Self, f: Self) -> Self {
        // SAFETY: the level invariant. `mask_blend` takes the second source where `m` is set.
        Self(unsafe { _mm512_mask_blend_ps(m, f.0, t.0) })
    }

    #[inline(always)]
    fn reduce_max(self) -> f32 {
        // SAFETY: the level invariant.
        unsafe { _mm512_reduce_max_ps(self.0) }
    }
    #[inline(always)]
    fn reduce_add(self) -> f32 {
        // SAFETY: the level invariant.
        unsafe { _mm512_reduce_add_ps(self.0) }
    }
}
