//! Criterion benchmarks of every elementwise kernel in the registry, at every level the CPU
//! has, next to two baselines in the same group: the naive scalar loop people write
//! (`1/(1+(-x).exp())`, `x.tanh()`, ...) and `copy_from_slice` of the same size.
//!
//! Groups: `<kernel>` (out of place), `<kernel>_inplace`, `<kernel>_backward` (with the plain
//! loop `dx[i] = dy[i] * y[i]` as its baseline), and `threads` (2 threads vs 1 at 16M).
//! Ids are `<what>/<size>`, sizes zero-padded so tables sort. Everything but `threads` runs
//! with a one-thread global rayon pool: single-thread numbers, as the README reports them.
//!
//! `cargo bench --bench elementwise -- sigmoid/` runs one group.

mod support;

use criterion::{BenchmarkId, Criterion, Throughput, black_box};
use simdact::Isa;
use simdact::testing::{Entry, elementwise};
use std::time::Duration;
use support::naive;

const SIZES: [usize; 4] = [4096, 65536, 1 << 20, 1 << 24];

fn inputs(n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| ((i * 7919 % 2000) as f32 - 1000.0) / 100.0)
        .collect()
}

fn id(what: &str, n: usize) -> BenchmarkId {
    BenchmarkId::new(what, format!("{n:08}"))
}

fn group_config<'a>(
    c: &'a mut Criterion,
    name: &str,
    n: usize,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(n as u64));
    if n >= 1 << 20 {
        g.sample_size(10);
    }
    g
}

fn bench_kernel(c: &mut Criterion, e: &Entry) {
    let p = e.parameter.map_or(0.0, |(_, v)| v[0]);
    for n in SIZES {
        let x = inputs(n);
        let mut y = vec![0.0f32; n];

        let mut g = group_config(c, e.name, n);
        g.bench_function(id("copy_from_slice", n), |b| {
            b.iter(|| y.copy_from_slice(black_box(&x)))
        });
        if let Some(f) = naive(e.name) {
            g.bench_function(id("naive_scalar", n), |b| {
                b.iter(|| {
                    for (y, &x) in y.iter_mut().zip(black_box(&x)) {
                        *y = f(x, p);
                    }
                })
            });
        }
        for isa in Isa::ALL.into_iter().filter(|i| i.is_available()) {
            g.bench_function(id(isa.name(), n), |b| {
                b.iter(|| (e.forward)(isa, p, black_box(&x), &mut y))
            });
        }
        g.finish();

        let mut g = group_config(c, &format!("{}_inplace", e.name), n);
        for isa in Isa::ALL.into_iter().filter(|i| i.is_available()) {
            // Re-running in place on its own output keeps values in range (a fixed point).
            let mut z = x.clone();
            g.bench_function(id(isa.name(), n), |b| {
                b.iter(|| (e.forward_inplace)(isa, p, black_box(&mut z)))
            });
        }
        g.finish();

        let mut g = group_config(c, &format!("{}_backward", e.name), n);
        let saved: Vec<f32> = x
            .iter()
            .map(|&v| (e.reference)(v as f64, p as f64) as f32)
            .collect();
        g.bench_function(id("plain_mul_loop", n), |b| {
            b.iter(|| {
                for ((d, &s), &dy) in y.iter_mut().zip(black_box(&saved)).zip(black_box(&x)) {
                    *d = dy * s;
                }
            })
        });
        for isa in Isa::ALL.into_iter().filter(|i| i.is_available()) {
            g.bench_function(id(isa.name(), n), |b| {
                b.iter(|| (e.backward)(isa, p, black_box(&saved), black_box(&x), &mut y))
            });
        }
        g.finish();
    }
}

fn bench_threads(c: &mut Criterion) {
    let n = 1 << 24;
    let x = inputs(n);
    let mut y = vec![0.0f32; n];
    let isa = simdact::isa();
    let mut g = group_config(c, "threads", n);
    for e in elementwise() {
        let p = e.parameter.map_or(0.0, |(_, v)| v[0]);
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            g.bench_function(id(&format!("{}_{threads}t", e.name), n), |b| {
                b.iter(|| pool.install(|| (e.forward)(isa, p, black_box(&x), &mut y)))
            });
        }
    }
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    // Single-thread numbers: the global pool, which simdact splits work on, gets one thread.
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .unwrap();
    for e in elementwise() {
        bench_kernel(&mut c, e);
    }
    bench_threads(&mut c);
    c.final_summary();
}
