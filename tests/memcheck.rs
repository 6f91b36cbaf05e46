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
use simdact::testing::elementwise;

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
                        let x = at_end(off, &x);
                        let x = &x[off..];
                        let mut y = at_end(off, &vec![0.0; n]);
                        (e.forward)(isa, p, x, &mut y[off..]);
                        check_forward(e, isa, p, x, &y[off..]);

                        let mut inplace = at_end(off, x);
                        (e.forward_inplace)(isa, p, &mut inplace[off..]);
                        check_forward(e, isa, p, x, &inplace[off..]);

                        let s = at_end(off, &saved);
                        let d = at_end(off, &dy);
                        let mut dx = at_end(off, &vec![0.0; n]);
                        (e.backward)(isa, p, &s[off..], &d[off..], &mut dx[off..]);
                        check_backward(e, isa, p, &s[off..], &d[off..], &dx[off..]);
                    }
                }
            }
        }
    }
}
