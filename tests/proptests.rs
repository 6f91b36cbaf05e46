//! Random inputs (proptest's `f32::ANY`: NaN, infinities, subnormals, both zeros) and inputs
//! weighted to |x| < 20, on every level, against the f64 reference.

mod common;
use common::*;
use proptest::prelude::*;
use simdact::testing::elementwise;

fn any_or_moderate() -> impl Strategy<Value = f32> {
    prop_oneof![
        2 => proptest::num::f32::ANY,
        3 => -20.0f32..20.0,
        1 => -1.0f32..1.0,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

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
                    let s: Vec<f32> = s.iter().map(|&v| if saved_in_range(e, v) { v } else {
                        (e.reference)(v as f64, 0.0) as f32 }).collect();
                    let dy = &dy[..s.len()];
                    let mut dx = vec![0.0; s.len()];
                    (e.backward)(isa, p, &s, dy, &mut dx);
                    check_backward(e, isa, p, &s, dy, &dx);
                }
            }
        }
    }
}
