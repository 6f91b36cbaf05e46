//! The softmax family at every level this CPU has, next to a naive scalar loop and a copy of
//! the same size.
//!
//! One group per kernel; ids are `level/rows x row_len` (zero-padded, so tables sort):
//! rows of 4096 x {1, 16, 256}, one row of 2^20 and one of 2^24. `naive` is the textbook
//! scalar loop (three passes: max, exp and sum, divide; two for the gradients), `copy` is
//! `copy_from_slice` of the output's size: the floor set by memory. simdact runs through the
//! registry's entry points with an explicit level, so it uses the rayon pool as the public
//! functions do (the naive loop and the copy run on one thread).
//!
//! `cargo bench --bench softmax` (about three minutes).

mod support;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use simdact::Isa;
use simdact::testing::{RowEntry, rowwise};
use std::hint::black_box;
use std::time::Duration;
use support::naive_softmax;

/// `(rows, row_len)`.
const SHAPES: [(usize, usize); 5] = [
    (1, 4096),
    (16, 4096),
    (256, 4096),
    (1, 1 << 20),
    (1, 1 << 24),
];

fn inputs(n: usize, lo: f32, hi: f32, seed: u64) -> Vec<f32> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            lo + (hi - lo) * ((s >> 40) as f32 / (1u64 << 24) as f32)
        })
        .collect()
}

fn naive_log_softmax(x: &[f32], y: &mut [f32], row_len: usize) {
    for (x, y) in x.chunks(row_len).zip(y.chunks_mut(row_len)) {
        let m = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let sum: f32 = x.iter().map(|&x| (x - m).exp()).sum();
        let ln = sum.ln();
        for (y, &x) in y.iter_mut().zip(x) {
            *y = x - m - ln;
        }
    }
}

fn naive_softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32], row_len: usize) {
    let rows = y.chunks(row_len).zip(dy.chunks(row_len));
    for ((y, dy), dx) in rows.zip(dx.chunks_mut(row_len)) {
        let dot: f32 = y.iter().zip(dy).map(|(y, d)| y * d).sum();
        for ((dx, &y), &d) in dx.iter_mut().zip(y).zip(dy) {
            *dx = y * (d - dot);
        }
    }
}

fn naive_log_softmax_backward(y: &[f32], dy: &[f32], dx: &mut [f32], row_len: usize) {
    let rows = y.chunks(row_len).zip(dy.chunks(row_len));
    for ((y, dy), dx) in rows.zip(dx.chunks_mut(row_len)) {
        let sum: f32 = dy.iter().sum();
        for ((dx, &y), &d) in dx.iter_mut().zip(y).zip(dy) {
            *dx = d - y.exp() * sum;
        }
    }
}

fn levels() -> Vec<Isa> {
    Isa::ALL.into_iter().filter(|i| i.is_available()).collect()
}

fn configure(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, n: usize) {
    if n >= 1 << 20 {
        g.sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_millis(1500));
    } else {
        g.sample_size(20)
            .sampling_mode(SamplingMode::Auto)
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_millis(500));
    }
}

fn bench_kernel(c: &mut Criterion, e: &RowEntry) {
    type Forward = fn(&[f32], &mut [f32], usize);
    type Backward = fn(&[f32], &[f32], &mut [f32], usize);
    let (naive_fwd, naive_bwd): (Forward, Backward) = match e.name {
        "softmax" => (naive_softmax, naive_softmax_backward),
        "log_softmax" => (naive_log_softmax, naive_log_softmax_backward),
        other => panic!("no naive loop for {other}"),
    };
    let mut fwd = c.benchmark_group(e.name);
    for (rows, row_len) in SHAPES {
        let n = rows * row_len;
        let id = format!("{rows:03}x{row_len:08}");
        let x = inputs(n, -10.0, 10.0, 1);
        let mut y = vec![0.0f32; n];
        configure(&mut fwd, n);
        fwd.throughput(Throughput::Elements(n as u64));
        for isa in levels() {
            fwd.bench_function(BenchmarkId::new(isa.name(), &id), |b| {
                b.iter(|| (e.forward)(isa, black_box(&x), black_box(&mut y), row_len))
            });
        }
        fwd.bench_function(BenchmarkId::new("naive", &id), |b| {
            b.iter(|| naive_fwd(black_box(&x), black_box(&mut y), row_len))
        });
        fwd.bench_function(BenchmarkId::new("copy", &id), |b| {
            b.iter(|| black_box(&mut y).copy_from_slice(black_box(&x)))
        });
    }
    fwd.finish();

    let mut bwd = c.benchmark_group(format!("{}_backward", e.name));
    for (rows, row_len) in SHAPES {
        let n = rows * row_len;
        let id = format!("{rows:03}x{row_len:08}");
        let x = inputs(n, -10.0, 10.0, 2);
        let mut y = vec![0.0f32; n];
        (e.forward)(Isa::best_available(), &x, &mut y, row_len);
        let dy = inputs(n, -1.0, 1.0, 3);
        let mut dx = vec![0.0f32; n];
        configure(&mut bwd, n);
        bwd.throughput(Throughput::Elements(n as u64));
        for isa in levels() {
            bwd.bench_function(BenchmarkId::new(isa.name(), &id), |b| {
                b.iter(|| (e.backward)(isa, black_box(&y), black_box(&dy), &mut dx, row_len))
            });
        }
        bwd.bench_function(BenchmarkId::new("naive", &id), |b| {
            b.iter(|| naive_bwd(black_box(&y), black_box(&dy), black_box(&mut dx), row_len))
        });
        bwd.bench_function(BenchmarkId::new("copy", &id), |b| {
            b.iter(|| black_box(&mut dx).copy_from_slice(black_box(&y)))
        });
    }
    bwd.finish();
}

fn benches(c: &mut Criterion) {
    for e in rowwise() {
        bench_kernel(c, e);
    }
}

criterion_group!(softmax, benches);
criterion_main!(softmax);
