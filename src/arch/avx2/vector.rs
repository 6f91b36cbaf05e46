//! The AVX2 + FMA level: eight lanes in a `__m256`.
//!
//! Every method is `#[inline(always)]` and is only ever inlined into code running under
//! `#[target_feature(enable = "avx2,fma")]` on a CPU that has both (the invariant in
//! `vector.rs`); that is the justification each `// SAFETY:` comment below refers to as
//! "the level invariant".

use crate::vector::Vector;
use core::arch::x86_64::*;

/// Eight `f32` lanes in an AVX register.
#[derive(Clone, Copy)]
pub(crate) struct F32x8(__m256);

impl Vector for F32x8 {
    const LANES: usize = 8;
    type Mask = __m256;

    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller guarantees 8 readable values at `p`; loadu needs no alignment;
        // AVX is present by the level invariant.
        Self(unsafe { _mm256_loadu_ps(p) })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller guarantees 8 writable values at `p`; the level invariant.
        unsafe { _mm256_storeu_ps(p, self.0) }
    }
    #[inline(always)]
    unsafe fn load_partial(p: *const f32, n: usize) -> Self {
        // A stack copy rather than `vmaskmovps`: simpler, and memory checkers see exactly the
        // `n` values that are read.
        let mut buf = [0.0f32; 8];
        // SAFETY: the caller guarantees `n < 8` readable values at `p`; `buf` holds 8.
        unsafe {
            core::ptr::copy_nonoverlapping(p, buf.as_mut_ptr(), n);
            Self::load(buf.as_ptr())
        }
    }
    #[inline(always)]
    unsafe fn store_partial(self, p: *mut f32, n: usize) {
        let mut buf = [0.0f32; 8];
        // SAFETY: `buf` holds 8 values; the caller guarantees `n < 8` writable values at `p`.
        unsafe {
            self.store(buf.as_mut_ptr());
            core::ptr::copy_nonoverlapping(buf.as_ptr(), p, n);
        }
    }
    #[inline(always)]
    unsafe fn store_stream(self, p: *mut f32) {
        // SAFETY: the caller guarantees `p` is writable and vector-aligned; the level
        // invariant.
        unsafe { _mm256_stream_ps(p, self.0) }
    }
    #[inline(always)]
    fn stream_fence() {
        // SAFETY: SSE is part of the x86_64 baseline.
        unsafe { _mm_sfence() }
    }

    #[inline(always)]
    fn splat(v: f32) -> Self {
        // SAFETY: the level invariant (AVX).
        Self(unsafe { _mm256_set1_ps(v) })
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        // SAFETY: the level invariant (AVX).
        Self(unsafe { _mm256_add_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        // SAFETY: the level invariant (AVX).
        Self(unsafe { _mm256_sub_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        // SAFETY: the level invariant (AVX).
        Self(unsafe { _mm256_mul_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: the level invariant (FMA).
        Self(unsafe { _mm256_fmadd_ps(self.0, b.0, c.0) })
    }
    #[inline(always)]
    fn neg_mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: the level invariant (FMA).
        Self(unsafe { _mm256_fnmadd_ps(self.0, b.0, c.0) })
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
        // SAFETY: the level invariant (AVX, FMA). `vrcpps` is good to 1.5 * 2^-12; one Newton
        // step `r + r (1 - x r)` brings it to about 2^-23.
        unsafe {
            let r = _mm256_rcp_ps(self.0);
            let e = _mm256_fnmadd_ps(self.0, r, _mm256_set1_ps(1.0));
            Self(_mm256_fmadd_ps(r, e, r))
        }
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        // SAFETY: the level invariant (AVX). `vminps` returns the second operand on NaN,
        // which is the documented `min`.
        Self(unsafe { _mm256_min_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        // SAFETY: the level invariant (AVX); NaN behaviour as for `min`.
        Self(unsafe { _mm256_max_ps(self.0, o.0) })
    }
    #[inline(always)]
    fn abs(self) -> Self {
        // SAFETY: the level invariant (AVX).
        Self(unsafe { _mm256_andnot_ps(_mm256_set1_ps(-0.0), self.0) })
    }
    #[inline(always)]
    fn neg_abs(self) -> Self {
        // SAFETY: the level invariant (AVX).
        Self(unsafe { _mm256_or_ps(self.0, _mm256_set1_ps(-0.0)) })
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        // SAFETY: the level invariant (AVX).
        unsafe {
            let s = _mm256_set1_ps(-0.0);
            Self(_mm256_or_ps(
                _mm256_andnot_ps(s, self.0),
                _mm256_and_ps(s, sign.0),
            ))
        }
    }
    #[inline(always)]
    fn ldexp(self, n: Self) -> Self {
        // SAFETY: the level invariant (AVX2). `n` is whole and in -126..=127, so
        // `(n + 127) << 23` is the bit pattern of the normal number 2^n.
        unsafe {
            let e = _mm256_slli_epi32::<23>(_mm256_add_epi32(
                _mm256_cvtps_epi32(n.0),
                _mm256_set1_epi32(127),
            ));
            Self(_mm256_mul_ps(self.0, _mm256_castsi256_ps(e)))
        }
    }

    #[inline(always)]
    fn lt(self, o: Self) -> __m256 {
        // SAFETY: the level invariant (AVX).
        unsafe { _mm256_cmp_ps::<_CMP_LT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn gt(self, o: Self) -> __m256 {
        // SAFETY: the level invariant (AVX).
        unsafe { _mm256_cmp_ps::<_CMP_GT_OQ>(self.0, o.0) }
    }
    #[inline(always)]
    fn is_nan(self) -> __m256 {
        // SAFETY: the level invariant (AVX).
        unsafe { _mm256_cmp_ps::<_CMP_UNORD_Q>(self.0, self.0) }
    }
    #[inline(always)]
    fn select(m: __m256, t: Self, f: Self) -> Self {
        // SAFETY: the level invariant (AVX).
        Self(unsafe { _mm256_blendv_ps(f.0, t.0, m) })
    }

    #[inline(always)]
    fn reduce_max(self) -> f32 {
        // SAFETY: the level invariant (AVX).
        unsafe {
            let m = _mm_max_ps(
                _mm256_castps256_ps128(self.0),
                _mm256_extractf128_ps::<1>(self.0),
            );
            let m = _mm_max_ps(m, _mm_movehl_ps(m, m));
            let m = _mm_max_ss(m, _mm_shuffle_ps::<0b01>(m, m));
            _mm_cvtss_f32(m)
        }
    }
    #[inline(always)]
    fn reduce_add(self) -> f32 {
        // SAFETY: the level invariant (AVX).
        unsafe {
            let s = _mm_add_ps(
                _mm256_castps256_ps128(self.0),
                _mm256_extractf128_ps::<1>(self.0),
            );
            let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
            let s = _mm_add_ss(s, _mm_shuffle_ps::<0b01>(s, s));
            _mm_cvtss_f32(s)
        }
    }
}
