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
use simdact::testing::{Entry, RowEntry, STREAM_MIN, elementwise, rowwise};

/// Every length up to past the widest tile and a tail: an elementwise tile is 2 vectors (32
/// lanes on AVX-512), a row reduction runs 4 accumulators (64 lanes); under valgrind the
/// widest vector is AVX2's 8 lanes.
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

type Forward<'a> = Box<dyn Fn(&[f32], &mut [f32]) + 'a>;
type InPlace<'a> = Box<dyn Fn(&mut [f32]) + 'a>;
type Backward<'a> = Box<dyn Fn(&[f32], &[f32], &mut [f32]) + 'a>;

/// A kernel's three calls at one level and parameter: forward, in place, gradient.
struct Calls<'a> {
    forward: Forward<'a>,
    inplace: InPlace<'a>,
    backward: Backward<'a>,
}

impl Calls<'_> {
    /// Runs the three calls with every slice the end of its own allocation that starts `off`
    /// elements earlier. Returns `(y, y_inplace, dx)`.
    fn run_at_end(&self, off: usize, (x, saved, dy): (&[f32], &[f32], &[f32])) -> [Box<[f32]>; 3] {
        let n = x.len();
        let x = at_end(off, x);
        let mut y = at_end(off, &vec![0.0; n]);
        (self.forward)(&x[off..], &mut y[off..]);
        let mut inplace = x;
        (self.inplace)(&mut inplace[off..]);
        let (s, d) = (at_end(off, saved), at_end(off, dy));
        let mut dx = at_end(off, &vec![0.0; n]);
        (self.backward)(&s[off..], &d[off..], &mut dx[off..]);
        [y, inplace, dx].map(|b| b[off..].into())
    }
}

/// The calls of an elementwise kernel.
fn elementwise_calls(e: &Entry, isa: Isa, p: f32) -> Calls<'_> {
    Calls {
        forward: Box::new(move |x, y| (e.forward)(isa, p, x, y)),
        inplace: Box::new(move |x| (e.forward_inplace)(isa, p, x)),
        backward: Box::new(move |s, d, dx| (e.backward)(isa, p, s, d, dx)),
    }
}

/// The calls of a row-wise kernel.
fn row_calls(e: &RowEntry, isa: Isa, row_len: usize) -> Calls<'_> {
    Calls {
        forward: Box::new(move |x, y| (e.forward)(isa, x, y, row_len)),
        inplace: Box::new(move |x| (e.forward_inplace)(isa, x, row_len)),
        backward: Box::new(move |s, d, dx| (e.backward)(isa, s, d, dx, row_len)),
    }
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
                    let calls = elementwise_calls(e, isa, p);
                    for off in OFFSETS {
                        let [y, inplace, dx] = calls.run_at_end(off, (&x, &saved, &dy));
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
                let [y, inplace, dx] = elementwise_calls(e, isa, p).run_at_end(off, (&x, &x, &dy));
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

/// The row-wise kernels the same way: every row length up to `MAX_LEN` with one and two rows
/// (and no rows), and then the other paths: rows longer than the stored path takes, a row long
/// enough to be reduced in chunks across threads, and enough short rows to be split across
/// threads.
#[test]
fn row_kernels_stay_inside_their_slices() {
    let mut cases: Vec<(usize, usize, &[usize])> = vec![(1, 0, &OFFSETS)];
    for row_len in 1..=MAX_LEN {
        cases.extend([(row_len, 1, &OFFSETS[..]), (row_len, 2, &OFFSETS[..])]);
    }
    cases.extend([
        (8192 + 5, 2, &[0, 3][..]),
        (2 * 65536 + 3, 1, &[0, 3]),
        (33, 2100, &[0, 3]),
    ]);
    let mut rng = Rng(0x5eed);
    for isa in levels() {
        for e in rowwise() {
            for &(row_len, rows, offsets) in &cases {
                let n = row_len * rows;
                let x = random_rows(&mut rng, n, -30.0, 30.0);
                let saved = saved_output(e, &x, row_len);
                let dy = random_rows(&mut rng, n, -1.0, 1.0);
                let exact = reference_rows(e, &x, row_len);
                let exact_dx = backward_reference_rows(e, &saved, &dy, row_len);
                let calls = row_calls(e, isa, row_len);
                for &off in offsets {
                    let [y, inplace, dx] = calls.run_at_end(off, (&x, &saved, &dy));
                    let what = |i| format!("{} on {isa}, row_len {row_len}, #{i}", e.name);
                    check_rows(&y, &exact, |g, w| forward_err(e, g, w), &what);
                    check_rows(&inplace, &exact, |g, w| forward_err(e, g, w), &what);
                    check_rows(&dx, &exact_dx, |g, w| backward_err(e, g, w), &what);
                }
            }
        }
    }
}
