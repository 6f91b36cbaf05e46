//! What the benchmarks, the tour and the bench table compare simdact with, in one place: the
//! naive scalar loops people write, and the name of the CPU they ran on.
#![allow(dead_code)] // each includer uses part of it

/// The naive scalar formula of an elementwise kernel, `(x, parameter)`, where there is an
/// obvious one: `1/(1+(-x).exp())`, `x.tanh()`, `x.max(0)`, `x > 0 ? x : alpha*x`.
pub fn naive(name: &str) -> Option<fn(f32, f32) -> f32> {
    Some(match name {
        "sigmoid" => |x, _| 1.0 / (1.0 + (-x).exp()),
        "tanh" => |x, _| x.tanh(),
        "relu" => |x, _| x.max(0.0),
        "leaky_relu" => |x, a| if x > 0.0 { x } else { a * x },
        _ => return None,
    })
}

/// The three-pass softmax people write, row by row: the maximum, the sum of exponentials
/// (in f32), then a division.
pub fn naive_softmax(x: &[f32], y: &mut [f32], row_len: usize) {
    for (x, y) in x.chunks(row_len).zip(y.chunks_mut(row_len)) {
        let m = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let mut sum = 0.0;
        for (y, &x) in y.iter_mut().zip(x) {
            *y = (x - m).exp();
            sum += *y;
        }
        for y in y.iter_mut() {
            *y /= sum;
        }
    }
}

/// The CPU's name from /proc/cpuinfo, where there is one.
pub fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| format!("unknown {} CPU", std::env::consts::ARCH))
}
