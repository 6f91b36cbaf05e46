//! One backend per instruction-set level, and each level's `#[target_feature]` entry points.
//!
//! A backend is a type implementing `Vector`. The entry points (made by `entry_points!`) are
//! the only functions compiled with the level's target features; the driver loops and the
//! kernels they call are `#[inline(always)]`, so the whole loop, kernel included, is compiled
//! for the level inside them.

macro_rules! entry_points {
    ($V:ty $(, $feature:literal)?) => {
        use crate::driver::{self, Binary, Rows, StoredRows, Unary};

        /// The driver's unary loop at this level.
        ///
        /// # Safety
        /// The CPU has this level's features; pointers as `driver::unary_raw` requires.
        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn unary<K: Unary>(
            k: &K,
            x: *const f32,
            y: *mut f32,
            n: usize,
            stream: bool,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe { driver::unary_raw::<$V, K>(k, x, y, n, stream) }
        }

        /// The driver's binary loop at this level.
        ///
        /// # Safety
        /// The CPU has this level's features; pointers as `driver::binary_raw` requires.
        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn binary<K: Binary>(
            k: &K,
            a: *const f32,
            b: *const f32,
            out: *mut f32,
            n: usize,
            stream: bool,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe { driver::binary_raw::<$V, K>(k, a, b, out, n, stream) }
        }

        /// The driver's row-wise loop (both passes over every row) at this level.
        ///
        /// # Safety
        /// The CPU has this level's features; pointers as `driver::rows_raw` requires.
        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn rows<K: Rows>(
            k: &K,
            a: *const f32,
            b: *const f32,
            out: *mut f32,
            n: usize,
            row_len: usize,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe { driver::rows_raw::<$V, K>(k, a, b, out, n, row_len) }
        }

        /// The driver's row-wise loop with the stored path for short rows, at this level.
        ///
        /// # Safety
        /// The CPU has this level's features; pointers as `driver::rows_stored_raw` requires.
        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn rows_stored<K: StoredRows>(
            k: &K,
            a: *const f32,
            b: *const f32,
            out: *mut f32,
            n: usize,
            row_len: usize,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe { driver::rows_stored_raw::<$V, K>(k, a, b, out, n, row_len) }
        }

        /// The reduction of one chunk of a row at this level.
        ///
        /// # Safety
        /// The CPU has this level's features; pointers as `driver::partial_raw` requires.
        // Used by `par` to split a long row across threads.
        #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn partial<K: Rows>(
            k: &K,
            a: *const f32,
            b: *const f32,
            n: usize,
        ) -> K::Partial {
            // SAFETY: forwarded from this function's contract.
            unsafe { driver::partial_raw::<$V, K>(k, a, b, n) }
        }

        /// The writing pass of a row-wise kernel at this level.
        ///
        /// # Safety
        /// The CPU has this level's features; pointers as `driver::write_raw` requires.
        // Used by `par` to split a long row across threads.
        #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
        $(#[target_feature(enable = $feature)])?
        pub(crate) unsafe fn write<K: Rows>(
            k: &K,
            s: &K::Stats,
            a: *const f32,
            b: *const f32,
            out: *mut f32,
            n: usize,
        ) {
            // SAFETY: forwarded from this function's contract.
            unsafe { driver::write_raw::<$V, K>(k, s, a, b, out, n) }
        }
    };
}

pub(crate) mod portable {
    mod vector;
    pub(crate) use vector::F32x8;
    entry_points!(F32x8);
}

#[cfg(target_arch = "x86_64")]
pub(crate) mod avx2 {
    mod vector;
    pub(crate) use vector::F32x8;
    entry_points!(F32x8, "avx2,fma");
}

#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512 {
    mod vector;
    pub(crate) use vector::F32x16;
    entry_points!(F32x16, "avx512f");
}
