//! Accuracy over a strided sweep of all 2^32 f32 bit patterns, every kernel, every level.
//!
//! The stride is odd and not a power of two, so the sweep visits every exponent and sign and
//! mantissas spread across each binade; the region of each kernel's branch points is swept
//! densely as well. `SIMDACT_EXHAUSTIVE=1` sweeps every bit pattern (minutes per level).

mod common;
use common::*;

/// Bit patterns visited: `0, STRIDE, 2*STRIDE, ...` over the 2^32 patterns.
const STRIDE: u64 = 1021;

fn stride() -> u64 {
    if std::env::var("SIMDACT_EXHAUSTIVE").is_ok_and(|v| v == "1") {
        1
    } else {
        STRIDE
    }
}

/// Inputs for one chunk of the sweep: bit patterns `start, start+step, ...` below 2^32.
fn chunk(start: u64, step: u64, count: usize) -> Vec<f32> {
    (0..count as u64)
        .map(|i| start + i * step)
        .take_while(|&b| b < 1 << 32)
        .map(|b| f32::from_bits(b as u32))
        .collect()
}

/// Every f32 in `[lo, hi]` (both finite, same sign region) stepped by `step` patterns.
fn dense(lo: f32, hi: f32, step: u32) -> Vec<f32> {
    let mut v = Vec::new();
    let mut x = lo;
    while x <= hi {
        v.push(x);
        let b = if x >= 0.0 {
            x.to_bits() + step
        } else {
            x.to_bits().saturating_sub(step)
        };
        x = if x < 0.0 && b <= 0x8000_0000 {
            0.0
        } else {
            f32::from_bits(b)
        };
    }
    v
}

#[test]
fn forward_sweep() {
    let step = stride();
    let extra: Vec<f32> = [
        dense(-1.0, 1.0, 97),
        dense(-100.0, -1.0, 97),
        dense(1.0, 12.0, 97),
    ]
    .concat();
    for isa in levels() {
        for e in simdact::testing::elementwise() {
            for p in params(e) {
                let mut worst = (0, 0.0);
                let mut check = |x: &[f32]| {
                    let mut y = vec![0.0; x.len()];
                    (e.forward)(isa, p, x, &mut y);
                    let w = check_forward(e, isa, p, x, &y);
                    if w.0 >= worst.0 {
                        worst = w;
                    }
                };
                let block = 1 << 20;
                let mut start = 0u64;
                while start < 1 << 32 {
                    check(&chunk(start, step, block));
                    start += step * block as u64;
                }
                check(&extra);
                eprintln!(
                    "{:>11} {isa:>8} p={p:<5} max {} ULP at x = {:e} (stride {step})",
                    e.name, worst.0, worst.1
                );
            }
        }
    }
}

#[test]
fn backward_sweep() {
    let step = stride();
    let dys = [1.0f32, -1.0, 0.5, -3.75, 1e-3, 7.0e5, 1e-30];
    for isa in levels() {
        for e in simdact::testing::elementwise() {
            for p in params(e) {
                let mut worst = (0, 0.0);
                let block = 1 << 20;
                let mut start = 0u64;
                while start < 1 << 32 {
                    let s: Vec<f32> = chunk(start, step, block)
                        .into_iter()
                        .filter(|&s| saved_in_range(e, s))
                        .collect();
                    for &d in &dys {
                        let dy = vec![d; s.len()];
                        let mut dx = vec![0.0; s.len()];
                        (e.backward)(isa, p, &s, &dy, &mut dx);
                        let w = check_backward(e, isa, p, &s, &dy, &dx);
                        if w.0 >= worst.0 {
                            worst = w;
                        }
                    }
                    start += step * block as u64;
                }
                eprintln!(
                    "{:>11} {isa:>8} p={p:<5} backward max {} ULP at saved = {:e}",
                    e.name, worst.0, worst.1
                );
            }
        }
    }
}
