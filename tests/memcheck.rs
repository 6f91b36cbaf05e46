//! Memory safety, for valgrind memcheck: every kernel touches exactly its slices.
//!
//! Every slice here is the end of its own heap allocation (a `Box<[f32]>` of exactly the
//! elements it needs), so a load or store even one element past a tail, or before the start
//! at offset 0, falls outside every allocation, and memcheck reports it. The outputs are then
//! checked against the reference, so memcheck also sees whether any result depends on
//! uninitialised memory (a partial load's padding, say).
//!
//! ```text
//! cargo test --release --test memcheck --no-run     # prints the test binary's path
//! valgrind --error-exitcode=1 --leak-check=no target/release/deps/memcheck-<hash>
//! ```
//! Valgrind does not decode AVX-512, and its emulated CPUID does not report it, so under
//! valgrind detection finds AVX2 at most and this test covers the AVX2 and portable levels;
//! run without valgrind it is an ordinary quick test on every level the CPU has.

mod common;
use common::*;
use simdact::Isa;
use simdact::testing::{Entry, STREAM_MIN, elementwise};

/// Every length up to past the unrolled tile of the 8-lane levels (4 x 8) and a vector more.
const MAX_LEN: usize = 70;
/// Start offsets: every misalignment within 16 bytes, and one more.
const OFFSETS: [usize; 5] = [0, 1, 2, 3, 7];

/// A heap allocation of exactly `off + data.len()` values, holding `data` at its very end
/// (the first `off` values are initialised too: only the slice past them is passed).
fn at_end(off: usize, data: &[f32]) -> Box<[f32]> {
    let mut v = Vec::with_capacity(off + data.len());
    v.resize(off, 0.0);
    v.extend_from_slice(data);
    let b = v.into_boxed_slice();
    assert_eq!(b.len(), off + data.len());
    b
}

fn under_valgrind() -> bool {
    std::env::var("LD_PRELOAD").is_ok_and(|p| p.contains("vgpreload"))
}

/// Forward out of place, forward in place and the gradient of `e` at `isa`, every slice the
/// end of its own allocation that starts `off` elements earlier. Returns `(y, y_inplace, dx)`.
fn run_at_end(
    e: &Entry,
    isa: Isa,
    p: f32,
    off: usize,
    (x, saved, dy): (&[f32], &[f32], &[f32]),
) -> [Box<[f32]>; 3] {
    let n = x.len();
    let x = at_end(off, x);
    let mut y = at_end(off, &vec![0.0; n]);
    (e.forward)(isa, p, &x[off..], &mut y[off..]);
    let mut inplace = x;
    (e.forward_inplace)(isa, p, &mut inplace[off..]);
    let (s, d) = (at_end(off, saved), at_end(off, dy));
    let mut dx = at_end(off, &vec![0.0; n]);
    (e.backward)(isa, p, &s[off..], &d[off..], &mut dx[off..]);
    [y, inplace, dx].map(|b| b[off..].into())
}

#[test]
fn every_kernel_stays_inside_its_slices() {
    let levels = levels();
    eprintln!(
        "memcheck: levels {levels:?}{}",
        if under_valgrind() {
            " (under valgrind)"
        } else {
            ""
        }
    );
    for isa in levels {
        for e in elementwise() {
            for p in params(e) {
                for n in 0..=MAX_LEN {
                    let x = inputs(n, n as u64 + 1);
                    let saved = saved_values(e, n, n as u64 + 2);
                    let dy = inputs(n, n as u64 + 3);
                    for off in OFFSETS {
                        let [y, inplace, dx] = run_at_end(e, isa, p, off, (&x, &saved, &dy));
                        check_forward(e, isa, p, &x, &y);
                        check_forward(e, isa, p, &x, &inplace);
                        check_backward(e, isa, p, &saved, &dy, &dx);
                    }
                }
            }
        }
    }
}

/// Outputs of `STREAM_MIN` elements or more take the non-temporal path, which first stores a
/// partial head vector to align the output, and are split across threads: the same check
/// there, at a few misalignments, each result compared with the ordinary path's.
#[test]
fn streamed_and_split_calls_stay_inside_their_slices() {
    let n = STREAM_MIN + 37;
    let (x, dy) = (inputs(n, 1), inputs(n, 2));
    for isa in levels() {
        for e in elementwise() {
            let p = params(e)[0];
            // Any saved values do here: the results are compared with the ordinary path.
            let mut want = [vec![0.0; n], vec![0.0; n]];
            for start in (0..n).step_by(4096) {
                let r = start..(start + 4096).min(n);
                (e.forward)(isa, p, &x[r.clone()], &mut want[0][r.clone()]);
                (e.backward)(isa, p, &x[r.clone()], &dy[r.clone()], &mut want[1][r]);
            }
            for off in [0, 1, 3] {
                let [y, inplace, dx] = run_at_end(e, isa, p, off, (&x, &x, &dy));
                for (got, want, what) in [
                    (&y, &want[0], "forward"),
                    (&inplace, &want[0], "in place"),
                    (&dx, &want[1], "gradient"),
                ] {
                    assert!(
                        got.iter().zip(want).all(|(&a, &b)| same_bits(a, b)),
                        "{} {what} on {isa} at offset {off}: differs from the ordinary path",
                        e.name
                    );
                }
            }
        }
    }
}
