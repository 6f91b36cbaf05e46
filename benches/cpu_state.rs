//! Does a simdact call leave the CPU in a state that slows the caller's code down?
//!
//! After 256- or 512-bit instructions, the upper halves of the vector registers are "dirty"
//! until a `vzeroupper`; on many Intel cores, legacy-SSE code (what Rust emits for scalar
//! `f32` on a default x86_64 build) then pays a transition penalty or a false dependency on
//! every instruction. rustc emits `vzeroupper` before every return from a function compiled
//! with AVX enabled, so after a simdact call the caller's loop should run at full speed.
//!
//! Group `cpu_state`, 4096 elements per iteration:
//! - `exp_loop/alone`: `y[i] = x[i].exp()` (the libm `expf`) by itself;
//! - `exp_loop/after_<level>`: the same loop right after `sigmoid` on 16 elements at that level
//!   (only the loop is timed);
//! - `sse_poly_loop/...`: the same for a polynomial in plain Rust, which compiles to legacy-SSE
//!   instructions only (`mulps`/`addps`, no VEX), the code a dirty upper state slows most;
//! - group `cpu_state_call`, `sigmoid16/<level>`: the 16-element call by itself.
//!
//! `cargo bench --bench cpu_state`

use criterion::{Criterion, Throughput, black_box};
use simdact::Isa;
use simdact::testing::elementwise;
use std::time::{Duration, Instant};

const N: usize = 4096;

/// A scalar loop `y = f(x)` run after the call.
type Loop = fn(&[f32], &mut [f32]);

/// `y = e^x` through libm, one element at a time.
fn exp_loop(x: &[f32], y: &mut [f32]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y = x.exp();
    }
}

/// A degree-5 polynomial in plain Rust: legacy-SSE `mulps`/`addps` on a default x86_64 build.
fn sse_poly_loop(x: &[f32], y: &mut [f32]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y = ((((0.008 * x + 0.04) * x + 0.17) * x + 0.5) * x + 1.0) * x + 1.0;
    }
}

fn cpu_state(c: &mut Criterion) {
    let sigmoid = elementwise().find(|e| e.name == "sigmoid").unwrap();
    let levels: Vec<Isa> = Isa::ALL
        .into_iter()
        .rev()
        .filter(|i| i.is_available())
        .collect();
    let x: Vec<f32> = (0..N)
        .map(|i| (i as f32 / N as f32) * 20.0 - 10.0)
        .collect();
    let mut y = vec![0.0f32; N];
    let small = [0.25f32; 16];
    let mut small_y = [0.0f32; 16];

    let mut g = c.benchmark_group("cpu_state");
    g.throughput(Throughput::Elements(N as u64));
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    let loops: [(&str, Loop); 2] = [("exp_loop", exp_loop), ("sse_poly_loop", sse_poly_loop)];
    for (name, f) in loops {
        // `None`: the loop alone; `Some(isa)`: the loop right after a call at `isa`. Only the
        // loop is timed, so the variants compare directly.
        for before in [None].into_iter().chain(levels.iter().copied().map(Some)) {
            let id = before.map_or("alone".to_string(), |isa| format!("after_{isa}"));
            g.bench_function(format!("{name}/{id}"), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        if let Some(isa) = before {
                            (sigmoid.forward)(isa, 0.0, black_box(&small), black_box(&mut small_y));
                        }
                        let start = Instant::now();
                        f(black_box(&x), black_box(&mut y));
                        total += start.elapsed();
                    }
                    total
                })
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("cpu_state_call");
    g.throughput(Throughput::Elements(small.len() as u64));
    for &isa in &levels {
        g.bench_function(format!("sigmoid16/{isa}"), |b| {
            b.iter(|| (sigmoid.forward)(isa, 0.0, black_box(&small), black_box(&mut small_y)))
        });
    }
    g.finish();
}

criterion::criterion_group!(benches, cpu_state);
criterion::criterion_main!(benches);
