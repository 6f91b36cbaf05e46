//! Every elementwise kernel on every level the CPU has: every length from 0 to a few vectors
//! past the unrolled tile, every start offset within a vector, in place and out of place,
//! against the f64 reference; and bit-identical across offsets, lengths and in place.

mod common;
use common::*;
use simdact::testing::elementwise;

/// Past the largest tile: 4 vectors of 16 lanes, plus three more vectors and a tail.
const MAX_LEN: usize = 4 * 16 + 3 * 16 + 7;
const MAX_OFFSET: usize = 16;

#[test]
fn forward_every_length_offset_and_in_place() {
    for isa in levels() {
        for e in elementwise() {
            for p in params(e) {
                let pool = inputs(MAX_LEN + MAX_OFFSET, 42);
                // The reference output of the whole pool, computed once on this level.
                let mut whole = vec![0.0; pool.len()];
                (e.forward)(isa, p, &pool, &mut whole);
                check_forward(e, isa, p, &pool, &whole);
                for off in 0..MAX_OFFSET {
                    for n in 0..=MAX_LEN {
                        let x = &pool[off..off + n];
                        // Out of place, into a buffer with guard values on both sides.
                        let mut buf = vec![f32::from_bits(0x7fc0_dead); n + 2];
                        (e.forward)(isa, p, x, &mut buf[1..n + 1]);
                        assert_eq!(buf[0].to_bits(), 0x7fc0_dead, "{} wrote before y", e.name);
                        assert_eq!(buf[n + 1].to_bits(), 0x7fc0_dead, "{} wrote past y", e.name);
                        // In place.
                        let mut inplace = x.to_vec();
                        (e.forward_inplace)(isa, p, &mut inplace);
                        for i in 0..n {
                            let want = whole[off + i];
                            assert!(
                                same_bits(buf[1 + i], want) && same_bits(inplace[i], want),
                                "{} on {isa}: element {i} of a slice of {n} at offset {off} \
                                 differs from the same input elsewhere ({:e} / {:e} vs {want:e})",
                                e.name,
                                buf[1 + i],
                                inplace[i]
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn backward_every_length_and_offset() {
    for isa in levels() {
        for e in elementwise() {
            for p in params(e) {
                let saved = saved_values(e, MAX_LEN + MAX_OFFSET, 7);
                let dy = inputs(MAX_LEN + MAX_OFFSET, 9)
                    .into_iter()
                    .map(|v| if v.is_finite() { v.clamp(-1e6, 1e6) } else { v })
                    .collect::<Vec<_>>();
                let mut whole = vec![0.0; saved.len()];
                (e.backward)(isa, p, &saved, &dy, &mut whole);
                check_backward(e, isa, p, &saved, &dy, &whole);
                for off in 0..MAX_OFFSET {
                    for n in 0..=MAX_LEN {
                        let mut buf = vec![f32::from_bits(0x7fc0_beef); n + 2];
                        (e.backward)(
                            isa,
                            p,
                            &saved[off..off + n],
                            &dy[off..off + n],
                            &mut buf[1..n + 1],
                        );
                        assert_eq!(buf[0].to_bits(), 0x7fc0_beef);
                        assert_eq!(buf[n + 1].to_bits(), 0x7fc0_beef);
                        for i in 0..n {
                            assert!(
                                same_bits(buf[1 + i], whole[off + i]),
                                "{}_backward on {isa}: element {i} of {n} at offset {off}",
                                e.name
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Levels may differ from each other, but each must meet the bound on the same inputs.
#[test]
fn every_level_meets_the_bound_on_the_same_inputs() {
    let x = inputs(1 << 16, 3);
    for isa in levels() {
        for e in elementwise() {
            for p in params(e) {
                let mut y = vec![0.0; x.len()];
                (e.forward)(isa, p, &x, &mut y);
                check_forward(e, isa, p, &x, &y);
            }
        }
    }
}

/// Large inputs take the rayon path: the result must equal the single-threaded one bit for
/// bit, with one thread and with two.
#[test]
fn thread_count_does_not_change_results() {
    // Past every kernel's parallel threshold (`Entry::parallel_min`, at most 2^20).
    let x = inputs((1 << 20) + 4099, 11);
    for isa in levels() {
        for e in elementwise() {
            // usize::MAX: a build without rayon, which never splits.
            let splits = e.parallel_min == usize::MAX || x.len() >= e.parallel_min;
            assert!(splits, "{} would not split", e.name);
            let p = params(e)[0];
            let run = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                pool.install(|| {
                    let mut y = vec![0.0; x.len()];
                    (e.forward)(isa, p, &x, &mut y);
                    let mut z = x.clone();
                    (e.forward_inplace)(isa, p, &mut z);
                    let mut dx = vec![0.0; x.len()];
                    let saved: Vec<f32> = if saved_in_range(e, 2.0) {
                        x.clone()
                    } else {
                        y.clone()
                    };
                    (e.backward)(isa, p, &saved, &x, &mut dx);
                    (y, z, dx)
                })
            };
            let (a, b) = (run(1), run(2));
            for (u, v) in [(&a.0, &b.0), (&a.1, &b.1), (&a.2, &b.2), (&a.0, &a.1)] {
                assert!(
                    u.iter().zip(v).all(|(&u, &v)| same_bits(u, v)),
                    "{} on {isa}: results depend on the thread count or on in place",
                    e.name
                );
            }
        }
    }
}

/// Outputs of `STREAM_MIN` elements or more take the non-temporal store path, with an
/// alignment head: every element must still equal the one computed on the ordinary path
/// (in 4096-element pieces), at every output misalignment.
#[test]
fn streamed_outputs_equal_ordinary_ones() {
    let n = simdact::testing::STREAM_MIN + 37;
    let x = inputs(n + 16, 5);
    let dy = inputs(n + 16, 6);
    for isa in levels() {
        for e in elementwise() {
            let p = params(e)[0];
            let saved: Vec<f32> = x
                .iter()
                .map(|&v| (e.reference)(v as f64, p as f64) as f32)
                .collect();
            // The ordinary path: pieces far below STREAM_MIN.
            let mut want = vec![0.0; x.len()];
            let mut want_dx = vec![0.0; x.len()];
            for start in (0..x.len()).step_by(4096) {
                let r = start..(start + 4096).min(x.len());
                (e.forward)(isa, p, &x[r.clone()], &mut want[r.clone()]);
                (e.backward)(isa, p, &saved[r.clone()], &dy[r.clone()], &mut want_dx[r]);
            }
            let mut y = vec![0.0; n + 16];
            for off in [0, 1, 3, 15] {
                let r = off..off + n;
                (e.forward)(isa, p, &x[r.clone()], &mut y[r.clone()]);
                assert!(
                    y[r.clone()]
                        .iter()
                        .zip(&want[r.clone()])
                        .all(|(&a, &b)| same_bits(a, b)),
                    "{} on {isa}: streamed forward at offset {off} differs",
                    e.name
                );
                // Shift the output against the input, so the output alignment varies alone.
                (e.backward)(
                    isa,
                    p,
                    &saved[r.clone()],
                    &dy[r.clone()],
                    &mut y[16 - off..16 - off + n],
                );
                assert!(
                    y[16 - off..16 - off + n]
                        .iter()
                        .zip(&want_dx[r])
                        .all(|(&a, &b)| same_bits(a, b)),
                    "{}_backward on {isa}: streamed gradient at offset {off} differs",
                    e.name
                );
            }
        }
    }
}
