//! Choosing the instruction set: detection once, cached; the `SIMDACT_ISA` override.
//!
//! With `std`, the first call detects the CPU's best level, lowers it to `SIMDACT_ISA` if that
//! names an available lower level, and caches the answer in an atomic: later calls are one
//! relaxed load and a well-predicted branch. Without `std`, the level is the best one the build
//! was compiled for (`-C target-feature` / `-C target-cpu`), known at compile time.

use core::fmt;
#[cfg(feature = "std")]
use core::sync::atomic::{AtomicU8, Ordering};

/// An instruction-set level, ordered from lowest to highest.
///
/// Its `Display` form is the lowercase name that `SIMDACT_ISA` accepts.
///
/// ```
/// use simdact::Isa;
/// assert!(Isa::Portable < Isa::Avx512);
/// assert_eq!(Isa::Avx2.to_string(), "avx2");
/// assert_eq!(Isa::from_name("avx512"), Some(Isa::Avx512));
/// assert!(Isa::Portable.is_available());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Isa {
    /// Built on `wide`: SSE2 on a default x86_64 build, NEON on aarch64, simd128 on wasm.
    /// Always available.
    Portable,
    /// x86_64 AVX2 with FMA, 8 lanes.
    Avx2,
    /// x86_64 AVX-512F, 16 lanes.
    Avx512,
}

impl Isa {
    /// Every level, lowest first (whether or not this CPU has it).
    pub const ALL: [Isa; 3] = [Isa::Portable, Isa::Avx2, Isa::Avx512];

    /// The lowercase name, as `SIMDACT_ISA` spells it.
    ///
    /// ```
    /// assert_eq!(simdact::Isa::Avx512.name(), "avx512");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// The level called `name` (ASCII case and surrounding spaces ignored), if there is one.
    ///
    /// ```
    /// use simdact::Isa;
    /// assert_eq!(Isa::from_name("AVX2"), Some(Isa::Avx2));
    /// assert_eq!(Isa::from_name("sse4"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Isa> {
        Isa::ALL
            .into_iter()
            .find(|isa| name.trim().eq_ignore_ascii_case(isa.name()))
    }

    /// Number of `f32` lanes in one vector of this level.
    ///
    /// ```
    /// assert_eq!(simdact::Isa::Avx512.lanes(), 16);
    /// ```
    pub const fn lanes(self) -> usize {
        match self {
            Isa::Portable | Isa::Avx2 => 8,
            Isa::Avx512 => 16,
        }
    }

    /// Whether this CPU (with `std`) or this build (without) can run the level.
    ///
    /// ```
    /// use simdact::Isa;
    /// let runnable: Vec<Isa> = Isa::ALL.into_iter().filter(|i| i.is_available()).collect();
    /// assert_eq!(runnable[0], Isa::Portable);
    /// ```
    pub fn is_available(self) -> bool {
        match self {
            Isa::Portable => true,
            #[cfg(all(target_arch = "x86_64", feature = "std"))]
            Isa::Avx2 => {
                std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
            }
            #[cfg(all(target_arch = "x86_64", feature = "std"))]
            Isa::Avx512 => std::is_x86_feature_detected!("avx512f"),
            #[cfg(all(target_arch = "x86_64", not(feature = "std")))]
            Isa::Avx2 => cfg!(all(target_feature = "avx2", target_feature = "fma")),
            #[cfg(all(target_arch = "x86_64", not(feature = "std")))]
            Isa::Avx512 => cfg!(target_feature = "avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The highest level this CPU can run (without `std`: this build targets).
    ///
    /// ```
    /// use simdact::Isa;
    /// assert!(Isa::best_available() >= simdact::isa()); // SIMDACT_ISA may lower the latter
    /// ```
    pub fn best_available() -> Isa {
        Isa::ALL
            .into_iter()
            .rev()
            .find(|isa| isa.is_available())
            .unwrap_or(Isa::Portable)
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An `Isa` that this CPU is known to run: the proof the driver needs before it calls a
/// level's `#[target_feature]` entry point. Only `Level::new` and `level` make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Level(Isa);

impl Level {
    /// `Some` if the CPU has `isa`.
    pub(crate) fn new(isa: Isa) -> Option<Level> {
        isa.is_available().then_some(Level(isa))
    }
    pub(crate) fn isa(self) -> Isa {
        self.0
    }
}

/// The level the crate uses: the best the CPU has, lowered by `SIMDACT_ISA` if that names an
/// available level. An unknown name, or a level the CPU lacks, leaves the best level in use.
#[cfg(feature = "std")]
fn choose() -> Isa {
    let best = Isa::best_available();
    match std::env::var("SIMDACT_ISA")
        .ok()
        .as_deref()
        .and_then(Isa::from_name)
    {
        Some(wanted) if wanted <= best && wanted.is_available() => wanted,
        _ => best,
    }
}

#[cfg(feature = "std")]
static CHOSEN: AtomicU8 = AtomicU8::new(u8::MAX);

/// The cached level (see `choose`). Racing first calls all compute the same answer, so a
/// plain store is enough.
#[inline]
pub(crate) fn level() -> Level {
    #[cfg(feature = "std")]
    {
        let cached = CHOSEN.load(Ordering::Relaxed);
        if let Some(&isa) = Isa::ALL.get(cached as usize) {
            return Level(isa);
        }
        let isa = choose();
        CHOSEN.store(isa as u8, Ordering::Relaxed);
        Level(isa)
    }
    #[cfg(not(feature = "std"))]
    {
        Level(Isa::best_available())
    }
}

/// The instruction set in use: the best this CPU has, or a lower one named by the environment
/// variable `SIMDACT_ISA` (`portable`, `avx2`, `avx512`; read once, at the first call into the
/// crate). `SIMDACT_ISA` can lower the level, never raise it: a name the CPU cannot run, or an
/// unknown name, is ignored. Without the `std` feature the level is fixed when the crate is
/// compiled, by the target features of the build.
///
/// ```
/// let isa = simdact::isa();
/// assert!(isa.is_available());
/// println!("simdact runs on {isa} ({} lanes)", isa.lanes());
/// ```
pub fn isa() -> Isa {
    level().isa()
}
