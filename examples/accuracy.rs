//! Accuracy sweep: every f32 bit pattern through every elementwise kernel, on every instruction
//! set this CPU has, against the exact value (computed in f64, rounded to f32).
//!
//! ```text
//! cargo run --release --example accuracy                          # all 2^32 inputs (long)
//! cargo run --release --example accuracy -- --stride 11           # the check CI runs, 1/11
//! cargo run --release --example accuracy -- --kernel sigmoid,tanh --isa avx2 --no-backward
//! ```
//!
//! Flags: `--kernel NAME` (repeatable, or a comma list; default every kernel in the registry),
//! `--isa NAME` (likewise; default every level this CPU has), `--stride N` (visit the bit
//! patterns `0, N, 2N, ...`; default 1, every pattern), `--no-backward` (skip the gradients),
//! `--quiet` (no progress on stderr).
//!
//! Stdout is the README's accuracy tables, in markdown: nothing in them is typed by hand.
//! The exit status is 1 if any kernel is past its stated bound or a special value differs
//! from the reference, so CI can run the strided form as a check.
//!
//! # What is measured
//! - The rule is DESIGN.md's, and the code is the tests' (`tests/common/mod.rs`, included
//!   below): the ULP distance is the difference of ordered bit patterns against the exact value
//!   rounded to f32, and where that is below `f32::MIN_POSITIVE` an absolute error up to
//!   `f32::MIN_POSITIVE` counts as 0 ULP. A kernel stated exact (0 ULP) must match bitwise.
//! - "correctly rounded" is stricter: bitwise equal to the exact value rounded to f32.
//! - NaN inputs are counted only under "specials"; every other input, ±inf and ±0 included,
//!   counts in the shares and the maximum. ±inf, ±0 and NaN are also evaluated on their own,
//!   so a strided sweep reports them too.
//! - A kernel with a parameter (leaky_relu's alpha) runs with the first of its test values.
//! - Gradients: for those computed from the forward output (sigmoid, tanh), every f32 `y` in
//!   the forward range `reference(-inf)..=reference(+inf)`; for those from the forward input,
//!   every f32 `x` (NaN included: its gradient is defined). Each with every `dy` in [`DYS`],
//!   against the gradient formula in f64 from the same f32 inputs.
//!
//! # How
//! The visited patterns are cut into tasks of [`CHUNK`] inputs that rayon spreads over the
//! cores. A task computes the f64 reference once and checks every level against it (the
//! reference costs more than the kernel). `CHUNK` is below the crate's own split threshold,
//! so each kernel call runs on its task's thread and the parallelism is the sweep's alone.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../benches/support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::time::Instant;

use common::{same_bits, ulp_error};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use simdact::Isa;
use simdact::testing::{Entry, Saved};

/// Number of f32 bit patterns.
const PATTERNS: u64 = 1 << 32;

/// Inputs per parallel task.
const CHUNK: u64 = 1 << 15;

/// The `dy` values every gradient is checked with: 1, signs, a power of two, a value with a
/// long mantissa, and magnitudes that push results toward overflow and into the subnormals.
const DYS: [f32; 7] = [1.0, -1.0, 0.5, -3.75, 1e-3, 7.0e5, 1e-30];

const USAGE: &str = "usage: cargo run --release --example accuracy -- \
[--kernel NAME[,NAME...]]... [--isa NAME[,NAME...]]... [--stride N] [--no-backward] [--quiet]";

struct Options {
    kernels: Vec<&'static Entry>,
    levels: Vec<Isa>,
    stride: u64,
    backward: bool,
    quiet: bool,
}

/// The value of `flag`: after `=` if it was written `--flag=value`, else the next argument.
fn value(
    flag: &str,
    inline: Option<&str>,
    rest: &mut std::slice::Iter<'_, String>,
) -> Result<String, String> {
    inline
        .map(str::to_owned)
        .or_else(|| rest.next().cloned())
        .ok_or_else(|| format!("{flag} needs a value"))
}

/// Comma-separated, non-empty items.
fn items(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn parse(args: &[String]) -> Result<Options, String> {
    let (mut kernels, mut isas) = (Vec::new(), Vec::new());
    let (mut stride, mut backward, mut quiet) = (1, true, false);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, v)) if flag.starts_with("--") => (flag, Some(v)),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--kernel" => {
                for name in items(&value(flag, inline, &mut rest)?) {
                    if !simdact::testing::elementwise().any(|e| e.name == name) {
                        let known: Vec<_> =
                            simdact::testing::elementwise().map(|e| e.name).collect();
                        return Err(format!("no kernel {name:?}; there are {known:?}"));
                    }
                    kernels.push(name.to_owned());
                }
            }
            "--isa" => {
                for name in items(&value(flag, inline, &mut rest)?) {
                    let isa = Isa::from_name(name).ok_or_else(|| {
                        let known: Vec<_> = Isa::ALL.iter().map(|i| i.name()).collect();
                        format!("no level {name:?}; there are {known:?}")
                    })?;
                    if !isa.is_available() {
                        return Err(format!("this CPU cannot run {isa}"));
                    }
                    isas.push(isa);
                }
            }
            "--stride" => {
                let v = value(flag, inline, &mut rest)?;
                stride = v
                    .parse::<u64>()
                    .ok()
                    .filter(|s| (1..PATTERNS).contains(s))
                    .ok_or_else(|| format!("--stride takes an integer in 1..2^32, not {v:?}"))?;
            }
            "--no-backward" => backward = false,
            "--quiet" => quiet = true,
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    // Registry order and level order, whatever the order on the command line.
    let kernels = simdact::testing::elementwise()
        .filter(|e| kernels.is_empty() || kernels.iter().any(|k| k == e.name))
        .collect();
    let levels = Isa::ALL
        .into_iter()
        .filter(|i| i.is_available() && (isas.is_empty() || isas.contains(i)))
        .collect();
    Ok(Options {
        kernels,
        levels,
        stride,
        backward,
        quiet,
    })
}

/// The visited bit patterns `0, stride, 2*stride, ...` below 2^32, in tasks of `CHUNK`.
#[derive(Clone, Copy)]
struct Sweep {
    stride: u64,
}

impl Sweep {
    fn visited(self) -> u64 {
        (PATTERNS - 1) / self.stride + 1
    }
    fn chunks(self) -> u64 {
        self.visited().div_ceil(CHUNK)
    }
    fn chunk(self, c: u64) -> impl Iterator<Item = f32> {
        let end = ((c + 1) * CHUNK).min(self.visited());
        (c * CHUNK..end).map(move |i| f32::from_bits((i * self.stride) as u32))
    }
}

/// The error of `got` against `exact` under the accuracy rule, for a kernel stated to `bound`
/// ULP. A kernel stated exact must match bitwise, so any other result counts at least 1.
fn error(got: f32, exact: f64, bound: u32) -> u64 {
    if same_bits(got, exact as f32) {
        0
    } else if bound == 0 {
        ulp_error(got, exact).max(1)
    } else {
        ulp_error(got, exact)
    }
}

/// Counts of the checked inputs of one kernel at one level, and the worst of them.
#[derive(Clone, Copy, Default)]
struct Tally {
    count: u64,
    correctly_rounded: u64,
    within_one: u64,
    over_bound: u64,
    /// The largest error and its input's key; on a tie, the smallest key (so the answer does
    /// not depend on how the work was split).
    worst: (u64, u64),
}

impl Tally {
    fn add(&mut self, err: u64, correctly_rounded: bool, key: u64, bound: u32) {
        self.count += 1;
        self.correctly_rounded += correctly_rounded as u64;
        self.within_one += (err <= 1) as u64;
        self.over_bound += (err > bound as u64) as u64;
        if self.count == 1 || err > self.worst.0 || (err == self.worst.0 && key < self.worst.1) {
            self.worst = (err, key);
        }
    }

    fn merge(self, o: Tally) -> Tally {
        let worst = match (self.count, o.count) {
            (0, _) => o.worst,
            (_, 0) => self.worst,
            _ if o.worst.0 > self.worst.0 => o.worst,
            _ if o.worst.0 == self.worst.0 => (o.worst.0, o.worst.1.min(self.worst.1)),
            _ => self.worst,
        };
        Tally {
            count: self.count + o.count,
            correctly_rounded: self.correctly_rounded + o.correctly_rounded,
            within_one: self.within_one + o.within_one,
            over_bound: self.over_bound + o.over_bound,
            worst,
        }
    }
}

/// A forward sweep of one kernel at one level.
#[derive(Clone, Copy, Default)]
struct Forward {
    /// Every non-NaN input; the worst key is the input's bit pattern.
    all: Tally,
    nan_inputs: u64,
    nan_kept: u64,
    subnormal_inputs: u64,
    subnormal_worst: u64,
}

impl Forward {
    fn add(&mut self, x: f32, y: f32, exact: f64, bound: u32) {
        if x.is_nan() {
            self.nan_inputs += 1;
            self.nan_kept += y.is_nan() as u64;
            return;
        }
        let err = error(y, exact, bound);
        self.all
            .add(err, same_bits(y, exact as f32), x.to_bits().into(), bound);
        if x.is_subnormal() {
            self.subnormal_inputs += 1;
            self.subnormal_worst = self.subnormal_worst.max(err);
        }
    }

    fn merge(self, o: Forward) -> Forward {
        Forward {
            all: self.all.merge(o.all),
            nan_inputs: self.nan_inputs + o.nan_inputs,
            nan_kept: self.nan_kept + o.nan_kept,
            subnormal_inputs: self.subnormal_inputs + o.subnormal_inputs,
            subnormal_worst: self.subnormal_worst.max(o.subnormal_worst),
        }
    }
}

/// The parameter a kernel is swept with: the first of its test values (0 if it has none).
fn parameter(e: &Entry) -> f32 {
    e.parameter.map_or(0.0, |(_, values)| values[0])
}

/// Sweeps the forward kernel `e` on every level in `levels`.
fn forward_pass(e: &Entry, levels: &[Isa], sweep: Sweep, bar: &ProgressBar) -> Vec<Forward> {
    let p = parameter(e);
    (0..sweep.chunks())
        .into_par_iter()
        .map(|c| {
            let x: Vec<f32> = sweep.chunk(c).collect();
            let exact: Vec<f64> = x
                .iter()
                .map(|&x| (e.reference)(x.into(), p.into()))
                .collect();
            let mut y = vec![0.0; x.len()];
            let tallies = levels
                .iter()
                .map(|&isa| {
                    (e.forward)(isa, p, &x, &mut y);
                    let mut t = Forward::default();
                    for ((&x, &y), &exact) in x.iter().zip(&y).zip(&exact) {
                        t.add(x, y, exact, e.forward_ulp);
                    }
                    t
                })
                .collect();
            bar.inc(1);
            tallies
        })
        .reduce(
            || vec![Forward::default(); levels.len()],
            |a, b| a.into_iter().zip(b).map(|(a, b)| a.merge(b)).collect(),
        )
}

/// The saved values a gradient is defined on, as `common::saved_in_range` says, with the
/// forward range computed once: `None` for every f32, else the closed interval.
fn saved_range(e: &Entry) -> Option<(f32, f32)> {
    match e.saved {
        Saved::Input => None,
        Saved::Output => Some((
            (e.reference)(f64::NEG_INFINITY, 0.0) as f32,
            (e.reference)(f64::INFINITY, 0.0) as f32,
        )),
    }
}

/// The key of a gradient input: `dy`'s index in `DYS` above the saved value's bit pattern.
fn gradient_key(dy_index: usize, saved: f32) -> u64 {
    ((dy_index as u64) << 32) | u64::from(saved.to_bits())
}

fn gradient_input(key: u64) -> (f32, f32) {
    (f32::from_bits(key as u32), DYS[(key >> 32) as usize])
}

/// Sweeps the gradient of `e` on every level in `levels`, with every `dy` in `DYS`.
fn backward_pass(e: &Entry, levels: &[Isa], sweep: Sweep, bar: &ProgressBar) -> Vec<Tally> {
    let p = parameter(e);
    let range = saved_range(e);
    (0..sweep.chunks())
        .into_par_iter()
        .map(|c| {
            let s: Vec<f32> = sweep
                .chunk(c)
                .filter(|&s| range.is_none_or(|(lo, hi)| s >= lo && s <= hi))
                .collect();
            let mut tallies = vec![Tally::default(); levels.len()];
            let (mut dy, mut dx) = (vec![0.0; s.len()], vec![0.0; s.len()]);
            for (k, &d) in DYS.iter().enumerate() {
                dy.fill(d);
                let exact: Vec<f64> = s
                    .iter()
                    .map(|&s| (e.backward_reference)(s.into(), d.into(), p.into()))
                    .collect();
                for (t, &isa) in tallies.iter_mut().zip(levels) {
                    (e.backward)(isa, p, &s, &dy, &mut dx);
                    for ((&s, &g), &exact) in s.iter().zip(&dx).zip(&exact) {
                        let err = error(g, exact, e.backward_ulp);
                        t.add(
                            err,
                            same_bits(g, exact as f32),
                            gradient_key(k, s),
                            e.backward_ulp,
                        );
                    }
                }
            }
            bar.inc(1);
            tallies
        })
        .reduce(
            || vec![Tally::default(); levels.len()],
            |a, b| a.into_iter().zip(b).map(|(a, b)| a.merge(b)).collect(),
        )
}

/// `k / n` as a percentage, truncated (never rounded up) to 4 decimals, so only "100 %" means all.
fn share(k: u64, n: u64) -> String {
    if n == 0 {
        return "—".into();
    }
    if k == n {
        return "100 %".into();
    }
    let millionths = u128::from(k) * 1_000_000 / u128::from(n);
    format!("{}.{:04} %", millionths / 10_000, millionths % 10_000)
}

fn ulps(err: u64) -> String {
    if err == u64::MAX {
        "NaN vs number".into()
    } else {
        err.to_string()
    }
}

/// An f32 in its shortest form: plain where that is short, else with an exponent.
fn num(x: f32) -> String {
    let plain = x.to_string();
    if plain.len() <= 10 {
        plain
    } else {
        format!("{x:e}")
    }
}

/// An f32 as `value` (`0xbits`).
fn show(x: f32) -> String {
    format!("`{}` (`{:#010x}`)", num(x), x.to_bits())
}

/// One input's result at `isa`.
fn forward_one(e: &Entry, isa: Isa, x: f32) -> f32 {
    let mut y = [0.0];
    (e.forward)(isa, parameter(e), &[x], &mut y);
    y[0]
}

fn backward_one(e: &Entry, isa: Isa, saved: f32, dy: f32) -> f32 {
    let mut dx = [0.0];
    (e.backward)(isa, parameter(e), &[saved], &[dy], &mut dx);
    dx[0]
}

/// The "specials" cell: NaN, ±inf, ±0 and the worst error on subnormal inputs. A result that
/// differs bitwise from the reference is marked ✗ and pushed to `failures`.
fn specials(e: &Entry, isa: Isa, f: &Forward, failures: &mut Vec<String>) -> String {
    let p = parameter(e);
    // (result, mark) for one input: the mark is " ✗" where it differs from the reference.
    let mut check = |x: f32| {
        let (got, want) = (
            forward_one(e, isa, x),
            (e.reference)(x.into(), p.into()) as f32,
        );
        if same_bits(got, want) {
            (got, "")
        } else {
            failures.push(format!(
                "{}({x}) on {isa} is {got}, the reference is {want}",
                e.name
            ));
            (got, " ✗")
        }
    };
    let [nan, neg_nan, pinf, ninf, pz, nz] = [
        f32::NAN,
        -f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -0.0,
    ]
    .map(&mut check);

    let mut cells = Vec::new();
    if f.nan_kept == f.nan_inputs && (nan.1, neg_nan.1) == ("", "") {
        cells.push("NaN→NaN".to_owned());
    } else {
        cells.push(format!(
            "NaN→{}{}, -NaN→{}{}, NaN kept in {} of {} ✗",
            nan.0, nan.1, neg_nan.0, neg_nan.1, f.nan_kept, f.nan_inputs
        ));
    }
    cells.push(format!("+inf→{}{}", pinf.0, pinf.1));
    cells.push(format!("-inf→{}{}", ninf.0, ninf.1));
    if (pz.1, nz.1) == ("", "") && same_bits(pz.0, nz.0) {
        cells.push(format!("±0→{}", pz.0));
    } else if (pz.1, nz.1) == ("", "") && same_bits(pz.0, 0.0) && same_bits(nz.0, -0.0) {
        cells.push("±0→±0".to_owned());
    } else {
        cells.push(format!("+0→{}{}, -0→{}{}", pz.0, pz.1, nz.0, nz.1));
    }
    if f.nan_kept != f.nan_inputs {
        failures.push(format!(
            "{} on {isa}: {} of {} NaN inputs gave NaN",
            e.name, f.nan_kept, f.nan_inputs
        ));
    }
    cells.push(if f.subnormal_inputs == 0 {
        "subnormal x: not visited".to_owned()
    } else {
        format!("subnormal x: {} ULP", ulps(f.subnormal_worst))
    });
    cells.join(", ")
}

/// `name`, and the parameter it was swept with if it has one: `leaky_relu (alpha = 0.01)`.
fn label(name: &str, e: &Entry) -> String {
    match e.parameter {
        Some((p, _)) => format!("{name} ({p} = {})", parameter(e)),
        None => name.to_owned(),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let opts = match parse(&args) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("accuracy: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sweep = Sweep {
        stride: opts.stride,
    };
    let levels = &opts.levels;
    let lacking: Vec<_> = Isa::ALL.iter().filter(|i| !i.is_available()).collect();

    let passes = if opts.backward { 2 } else { 1 };
    let bar = if opts.quiet {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(opts.kernels.len() as u64 * passes * sweep.chunks());
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {percent:>3}% {msg} (eta {eta})",
            )
            .expect("a valid progress template"),
        );
        bar
    };
    let note = |msg: String| {
        if !opts.quiet {
            bar.suspend(|| eprintln!("{msg}"));
        }
    };
    let start = Instant::now();

    let mut forward = Vec::new();
    let mut backward = Vec::new();
    for &e in &opts.kernels {
        let t = Instant::now();
        bar.set_message(format!("{} forward", e.name));
        let f = forward_pass(e, levels, sweep, &bar);
        note(format!(
            "{} forward: {} inputs x {} levels in {:.1} s",
            e.name,
            sweep.visited(),
            levels.len(),
            t.elapsed().as_secs_f64()
        ));
        for (&isa, f) in levels.iter().zip(&f) {
            let x = f32::from_bits(f.all.worst.1 as u32);
            let exact = (e.reference)(x.into(), parameter(e).into());
            note(format!(
                "  {isa:>8}: max {} ULP at x = {x:e} ({:#010x}): got {:e}, exact {exact:e}",
                ulps(f.all.worst.0),
                x.to_bits(),
                forward_one(e, isa, x)
            ));
        }
        forward.push((e, f));

        if opts.backward {
            let t = Instant::now();
            bar.set_message(format!("{}_backward", e.name));
            let b = backward_pass(e, levels, sweep, &bar);
            note(format!(
                "{}_backward: {} (saved, dy) pairs x {} levels in {:.1} s",
                e.name,
                b.first().map_or(0, |t| t.count),
                levels.len(),
                t.elapsed().as_secs_f64()
            ));
            for (&isa, b) in levels.iter().zip(&b) {
                let (s, dy) = gradient_input(b.worst.1);
                let exact = (e.backward_reference)(s.into(), dy.into(), parameter(e).into());
                note(format!(
                    "  {isa:>8}: max {} ULP at saved = {s:e} ({:#010x}), dy = {dy:e}: got {:e}, \
                     exact {exact:e}",
                    ulps(b.worst.0),
                    s.to_bits(),
                    backward_one(e, isa, s, dy)
                ));
            }
            backward.push((e, b));
        }
    }
    bar.finish_and_clear();
    let elapsed = start.elapsed();

    // The report, on stdout.
    let mut failures = Vec::new();
    let command = if args.is_empty() {
        String::new()
    } else {
        format!(" -- {}", args.join(" "))
    };
    let level_names: Vec<_> = levels.iter().map(|i| i.name()).collect();
    println!(
        "`cargo run --release --example accuracy{command}` · stride {} ({} of the 2^32 bit \
         patterns) · {} · levels {}{}",
        opts.stride,
        sweep.visited(),
        support::cpu_name(),
        level_names.join(", "),
        if lacking.is_empty() {
            String::new()
        } else {
            format!(" (this CPU lacks {lacking:?})")
        }
    );
    println!();
    println!(
        "Against the exact value (f64, rounded to f32). ULP: distance of ordered bit patterns; a \
         result whose exact value is below `f32::MIN_POSITIVE` may be off by up to \
         `f32::MIN_POSITIVE` for 0 ULP. Correctly rounded: bitwise equal to the exact value \
         rounded to f32. NaN inputs count only under specials."
    );
    println!();
    println!("| kernel | level | max ULP | worst input | correctly rounded | ≤1 ULP | specials |");
    println!("|---|---|---|---|---|---|---|");
    for (e, tallies) in &forward {
        for (&isa, f) in levels.iter().zip(tallies) {
            let t = f.all;
            let worst = if t.worst.0 == 0 {
                "—".to_owned()
            } else {
                show(f32::from_bits(t.worst.1 as u32))
            };
            let specials = specials(e, isa, f, &mut failures);
            println!(
                "| {} | {isa} | {} | {worst} | {} | {} | {specials} |",
                label(e.name, e),
                ulps(t.worst.0),
                share(t.correctly_rounded, t.count),
                share(t.within_one, t.count),
            );
            if t.over_bound > 0 {
                failures.push(format!(
                    "{} on {isa}: {} inputs past the stated {} ULP (max {})",
                    e.name,
                    t.over_bound,
                    e.forward_ulp,
                    ulps(t.worst.0)
                ));
            }
        }
    }

    if opts.backward {
        let dys: Vec<String> = DYS.iter().map(|&d| num(d)).collect();
        println!();
        println!(
            "Gradients against their formula in f64 from the same f32 inputs, with dy in {{{}}}.",
            dys.join(", ")
        );
        println!();
        println!(
            "| gradient | level | saved inputs | max ULP | worst (saved, dy) | correctly rounded \
             | ≤1 ULP |"
        );
        println!("|---|---|---|---|---|---|---|");
        for (e, tallies) in &backward {
            let inputs = match saved_range(e) {
                Some((lo, hi)) => format!("every y in [{lo}, {hi}]"),
                None => "every x".to_owned(),
            };
            for (&isa, t) in levels.iter().zip(tallies) {
                let worst = if t.worst.0 == 0 {
                    "—".to_owned()
                } else {
                    let (s, dy) = gradient_input(t.worst.1);
                    format!("{}, dy = `{}`", show(s), num(dy))
                };
                println!(
                    "| {} | {isa} | {inputs} | {} | {worst} | {} | {} |",
                    label(&format!("{}_backward", e.name), e),
                    ulps(t.worst.0),
                    share(t.correctly_rounded, t.count),
                    share(t.within_one, t.count),
                );
                if t.over_bound > 0 {
                    failures.push(format!(
                        "{}_backward on {isa}: {} inputs past the stated {} ULP (max {})",
                        e.name,
                        t.over_bound,
                        e.backward_ulp,
                        ulps(t.worst.0)
                    ));
                }
            }
        }
    }

    println!();
    let bounds: Vec<String> = opts
        .kernels
        .iter()
        .map(|e| {
            if opts.backward {
                format!("{} {} / {}", e.name, e.forward_ulp, e.backward_ulp)
            } else {
                format!("{} {}", e.name, e.forward_ulp)
            }
        })
        .collect();
    let what = if opts.backward {
        "forward / gradient"
    } else {
        "forward"
    };
    if failures.is_empty() {
        println!(
            "Every result is within its stated bound ({what} ULP: {}) and every special value \
             matches the reference.",
            bounds.join(", ")
        );
    } else {
        println!(
            "**FAILED** against the stated bounds ({what} ULP: {}):",
            bounds.join(", ")
        );
        for f in &failures {
            println!("- {f}");
        }
    }
    if !opts.quiet {
        eprintln!("accuracy: done in {:.1} s", elapsed.as_secs_f64());
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
