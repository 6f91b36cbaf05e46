//! The portable level, built on `wide::f32x8`.
//!
//! `wide` picks its instructions when it is compiled: SSE2 on a default x86_64 build, NEON on
//! aarch64, simd128 on wasm, plain arrays elsewhere. Nothing here needs `unsafe` beyond the
//! raw-pointer loads and stores that every backend has.

use crate::vector::Vector;
use wide::{CmpGt, CmpLt, f32x8, i32x8};

/// Eight `f32` lanes on whatever `wide` compiles to.
#[derive(Clone, Copy)]
pub(crate) struct F32x8(f32x8);

impl Vector for F32x8 {
    const LANES: usize = 8;
    type Mask = f32x8;

    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller guarantees `p` is readable for 8 values; `read_unaligned` needs no
        // alignment.
        Self(unsafe { p.cast::<f32x8>().read_unaligned() })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller guarantees `p` is writable for 8 values.
        unsafe { p.cast::<f32x8>().write_unaligned(self.0) }
    }
    #[inline(always)]
    unsafe fn load_partial(p: *const f32, n: usize) -> Self {
        let mut buf = [0.0f32; 8];
        // SAFETY: the caller guarantees `p` is readable for `n < 8` values, and `buf` holds 8.
        unsafe { core::ptr::copy_nonoverlapping(p, buf.as_mut_ptr(), n) };
        Self(f32x8::from(buf))
    }
    #[inline(always)]
    unsafe fn store_partial(self, p: *mut f32, n: usize) {
        let buf = self.0.to_array();
        // SAFETY: the caller guarantees `p` is writable for `n < 8` values.
        unsafe { core::ptr::copy_nonoverlapping(buf.as_ptr(), p, n) };
    }
    #[inline(always)]
    unsafe fn store_stream(self, p: *mut f32) {
        // SAFETY: the caller guarantees `p` is writable for 8 values.
        unsafe { self.store(p) }
    }
    #[inline(always)]
    fn stream_fence() {}

    #[inline(always)]
    fn splat(v: f32) -> Self {
        Self(f32x8::splat(v))
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        Self(self.0 + o.0)
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        Self(self.0 - o.0)
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self(self.0 * o.0)
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        Self(self.0.mul_add(b.0, c.0))
    }
    #[inline(always)]
    fn neg_mul_add(self, b: Self, c: Self) -> Self {
        Self(self.0.mul_neg_add(b.0, c.0))
    }
    #[inline(always)]
    fn neg_mul_add_exact(self, b: Self, c: Self) -> Self {
        // The product of two f32 is exact in f64 (48 significant bits), so the only roundings
        // are the f64 sum and the final f32 conversion. Where the exact result fits in f64, as
        // it does for the residuals the kernels compute, the answer is the fused one.
        let (a, b, c) = (self.0.to_array(), b.0.to_array(), c.0.to_array());
        let mut r = [0.0f32; 8];
        for i in 0..8 {
            r[i] = (c[i] as f64 - a[i] as f64 * b[i] as f64) as f32;
        }
        Self(f32x8::from(r))
    }
    #[inline(always)]
    fn residual(self, d: Self, c: Self) -> (Self, Self) {
        // Without FMA, make the products exact instead: keep 12 significant bits of `q` and
        // split `d` into two 12-bit halves, so `q*d_hi` and `q*d_lo` each fit in 24 bits.
        // `c - q*d_hi` is exact (the two are within a factor of 2: Sterbenz), and the last
        // subtraction rounds a value near `2^-11 c`, far below an ULP of `c`.
        let keep_12_bits = i32x8::splat(!0xfff);
        let q: f32x8 = bytemuck::cast(bytemuck::cast::<f32x8, i32x8>(self.0) & keep_12_bits);
        let d_hi: f32x8 = bytemuck::cast(bytemuck::cast::<f32x8, i32x8>(d.0) & keep_12_bits);
        let d_lo = d.0 - d_hi;
        (Self(q), Self((c.0 - q * d_hi) - q * d_lo))
    }
    #[inline(always)]
    fn recip_approx(self) -> Self {
        Self(f32x8::splat(1.0) / self.0)
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        // `minps` on x86 and `vminq` on NEON both give NaN for a NaN `o`.
        Self(self.0.fast_min(o.0))
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        Self(self.0.fast_max(o.0))
    }
    #[inline(always)]
    fn abs(self) -> Self {
        let bits: i32x8 = bytemuck::cast(self.0);
        Self(bytemuck::cast(bits & i32x8::splat(i32::MAX)))
    }
    #[inline(always)]
    fn neg_abs(self) -> Self {
        let bits: i32x8 = bytemuck::cast(self.0);
        Self(bytemuck::cast(bits | i32x8::splat(i32::MIN)))
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        let m: i32x8 = bytemuck::cast(self.0);
        let s: i32x8 = bytemuck::cast(sign.0);
        Self(bytemuck::cast(
            (m & i32x8::splat(i32::MAX)) | (s & i32x8::splat(i32::MIN)),
        ))
    }
    #[inline(always)]
    fn ldexp(self, n: Self) -> Self {
        // Adding 1.5 * 2^23 puts the whole number `n` in the low mantissa bits; shifting them
        // to the exponent field (the rest shifts out) and adding the bias gives 2^n.
        let t: i32x8 = bytemuck::cast(n.0 + f32x8::splat(12_582_912.0));
        let e = (t << 23) + i32x8::splat(127 << 23);
        Self(self.0 * bytemuck::cast::<i32x8, f32x8>(e))
    }

    #[inline(always)]
    fn lt(self, o: Self) -> f32x8 {
        self.0.cmp_lt(o.0)
    }
    #[inline(always)]
    fn gt(self, o: Self) -> f32x8 {
        self.0.cmp_gt(o.0)
    }
    #[inline(always)]
    fn is_nan(self) -> f32x8 {
        // Not `cmp_ne(self)`: `wide` compiles that to an unordered compare on SSE but an
        // ordered one (false for NaN) when the build enables AVX, as `-C target-cpu=native`
        // does. `is_nan` is an unordered compare on both.
        self.0.is_nan()
    }
    #[inline(always)]
    fn select(m: f32x8, t: Self, f: Self) -> Self {
        Self(m.blend(t.0, f.0))
    }

    #[inline(always)]
    fn reduce_max(self) -> f32 {
        let a = self.0.to_array();
        let mut m = a[0];
        for &v in &a[1..] {
            m = if v > m { v } else { m };
        }
        m
    }
    #[inline(always)]
    fn reduce_add(self) -> f32 {
        let a = self.0.to_array();
        ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]))
    }
}
