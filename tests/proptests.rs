//! Random inputs (proptest's `f32::ANY`: NaN, infinities, subnormals, both zeros) and inputs
//! weighted to |x| < 20, on every level, against the f64 reference.

mod common;
use common::*;
use proptest::prelude::*;
use simdact::testing::elementwise;

proptest! {
    // 256 cases, or PROPTEST_CASES (which an explicit `cases` would override).
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn forward_within_bound(x in proptest::collection::vec(any_or_moderate(), 0..100),
                            off in 0usize..16) {
        let x = &x[off.min(x.len())..];
        for isa in levels() {
            for e in elementwise() {
                for p in params(e) {
                    let mut y = vec![0.0; x.len()];
                    (e.forward)(isa, p, x, &mut y);
                    check_forward(e, isa, p, x, &y);
                }
            }
        }
    }

    #[test]
    fn backward_within_bound(s in proptest::collection::vec(any_or_moderate(), 0..100),
                             dy in proptest::collection::vec(-1e3f32..1e3, 100)) {
        for isa in levels() {
            for e in elementwise() {
                for p in params(e) {
                    // Saved outputs are taken from the forward range.
                    let s: Vec<f32> = s.iter().map(|&v| to_saved(e, v)).collect();
                    let dy = &dy[..s.len()];
                    let mut dx = vec![0.0; s.len()];
                    (e.backward)(isa, p, &s, dy, &mut dx);
                    check_backward(e, isa, p, &s, dy, &dx);
                }
            }
        }
    }
}
