//! A short tour of simdact on this CPU: the level in use, what each activation and gradient
//! does to a small input, and how fast each runs next to the naive scalar loop.
//!
//! `cargo run --release --example tour` (a few seconds). `SIMDACT_ISA=avx2` (or `portable`)
//! runs the public API on a lower level.

#[path = "../benches/support/mod.rs"]
mod support;

use simdact::Isa;
use simdact::testing::elementwise;
use std::hint::black_box;
use std::time::{Duration, Instant};
use support::{naive, naive_softmax};

fn show(name: &str, v: &[f32]) {
    let cells: Vec<String> = v.iter().map(|x| format!("{x:>11.7}")).collect();
    println!("  {name:<34} [{}]", cells.join(", "));
}

/// Median time per call of `f` over several batches of calls (after one warm-up batch).
fn time_per_call(mut f: impl FnMut()) -> Duration {
    let mut per_call = Vec::new();
    for batch in 0..8 {
        let reps = 20;
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        if batch > 0 {
            per_call.push(t.elapsed() / reps);
        }
    }
    per_call.sort();
    per_call[per_call.len() / 2]
}

fn main() {
    let cpu = support::cpu_name();
    let levels: Vec<Isa> = Isa::ALL.into_iter().filter(|i| i.is_available()).collect();
    println!("simdact {} on {cpu}", env!("CARGO_PKG_VERSION"));
    println!(
        "level in use: {} ({} lanes); this CPU can run: {}",
        simdact::isa(),
        simdact::isa().lanes(),
        levels
            .iter()
            .map(|i| i.name())
            .collect::<Vec<_>>()
            .join(", ")
    );

    println!("\nWhat the functions do (x = [-1, 0, 1, 2], dy = 1):");
    let x = [-1.0f32, 0.0, 1.0, 2.0];
    let dy = [1.0f32; 4];
    let mut y = [0.0f32; 4];
    let mut dx = [0.0f32; 4];
    show("x", &x);
    simdact::sigmoid(&x, &mut y);
    show("sigmoid(x)", &y);
    simdact::sigmoid_backward(&y, &dy, &mut dx);
    show("sigmoid_backward(y, dy)", &dx);
    simdact::tanh(&x, &mut y);
    show("tanh(x)", &y);
    simdact::tanh_backward(&y, &dy, &mut dx);
    show("tanh_backward(y, dy)", &dx);
    simdact::relu(&x, &mut y);
    show("relu(x)", &y);
    simdact::relu_backward(&x, &dy, &mut dx);
    show("relu_backward(x, dy)", &dx);
    simdact::leaky_relu(&x, &mut y, 0.01);
    show("leaky_relu(x, alpha = 0.01)", &y);
    simdact::leaky_relu_backward(&x, &dy, &mut dx, 0.01);
    show("leaky_relu_backward(x, dy, 0.01)", &dx);
    simdact::softmax(&x, &mut y, 4);
    show("softmax(x) (one row of 4)", &y);
    let dy_row = [1.0f32, 0.0, 0.0, 0.0];
    simdact::softmax_backward(&y, &dy_row, &mut dx, 4);
    show("softmax_backward(y, dy = e0)", &dx);
    simdact::log_softmax(&x, &mut y, 4);
    show("log_softmax(x)", &y);
    simdact::log_softmax_backward(&y, &dy_row, &mut dx, 4);
    show("log_softmax_backward(y, dy = e0)", &dx);

    let n = 1 << 16;
    println!(
        "\nThroughput, {n} elements (in cache), one thread, median of 7 batches \
         (Gelem/s; x = speed-up over the naive scalar loop):"
    );
    let xs: Vec<f32> = (0..n)
        .map(|i| ((i * 7919 % 2000) as f32 - 1000.0) / 100.0)
        .collect();
    let mut ys = vec![0.0f32; n];
    let mut header = format!("  {:<12} {:>14}", "kernel", "naive scalar");
    for isa in &levels {
        header += &format!(" {:>18}", isa.name());
    }
    println!("{header}");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for e in elementwise() {
        let p = e.parameter.map_or(0.0, |(_, v)| v[0]);
        let rate = |d: Duration| n as f64 / d.as_secs_f64() / 1e9;
        let base = naive(e.name).map(|f| {
            time_per_call(|| {
                for (y, &x) in ys.iter_mut().zip(black_box(&xs)) {
                    *y = f(x, p);
                }
            })
        });
        let mut line = format!(
            "  {:<12} {:>14}",
            e.name,
            match base {
                Some(b) => format!("{:.3}", rate(b)),
                None => "-".into(),
            }
        );
        for &isa in &levels {
            let t = one.install(|| time_per_call(|| (e.forward)(isa, p, black_box(&xs), &mut ys)));
            let speedup = base.map_or(String::new(), |b| {
                format!(" ({:>5.1}x)", b.as_secs_f64() / t.as_secs_f64())
            });
            line += &format!(" {:>18}", format!("{:.3}{speedup}", rate(t)));
        }
        println!("{line}");
    }
    // Softmax over rows of 4096, against the naive three-pass loop.
    let row = 4096;
    let base = time_per_call(|| {
        for (x, y) in xs.chunks(row).zip(ys.chunks_mut(row)) {
            naive_softmax(black_box(x), y, row);
        }
    });
    let mut line = format!(
        "  {:<12} {:>14.3}",
        "softmax",
        n as f64 / base.as_secs_f64() / 1e9
    );
    let softmax = simdact::testing::rowwise()
        .find(|e| e.name == "softmax")
        .unwrap();
    for &isa in &levels {
        let t =
            one.install(|| time_per_call(|| (softmax.forward)(isa, black_box(&xs), &mut ys, row)));
        let cell = format!(
            "{:.3} ({:>5.1}x)",
            n as f64 / t.as_secs_f64() / 1e9,
            base.as_secs_f64() / t.as_secs_f64()
        );
        line += &format!(" {cell:>18}");
    }
    println!("{line}   (rows of {row}; naive: the three-pass scalar loop)");
    println!(
        "\nStated bounds (max ULP; elementwise over every finite input, every level): {}, {}",
        elementwise()
            .map(|e| format!("{} {}", e.name, e.forward_ulp))
            .collect::<Vec<_>>()
            .join(", "),
        simdact::testing::rowwise()
            .map(|e| format!("{} {}", e.name, e.forward_ulp))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
