//! Many threads making the crate's very first call at once: the level is detected and cached
//! without a race, and every thread sees the same level and the same results.
//!
//! This binary holds this one test, so nothing calls into simdact before it.

use std::sync::{Arc, Barrier};

#[test]
fn racing_first_calls_agree() {
    const THREADS: usize = 16;
    let x: Vec<f32> = (0..1000).map(|i| (i as f32 - 500.0) / 25.0).collect();
    let barrier = Arc::new(Barrier::new(THREADS));
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (barrier, x) = (barrier.clone(), &x);
                s.spawn(move || {
                    barrier.wait();
                    // Half the threads enter through `isa`, half through a kernel.
                    let mut y = vec![0.0f32; x.len()];
                    let isa = if t % 2 == 0 {
                        let isa = simdact::isa();
                        simdact::sigmoid(x, &mut y);
                        isa
                    } else {
                        simdact::sigmoid(x, &mut y);
                        simdact::isa()
                    };
                    (isa, y)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (isa, y) = &results[0];
    assert!(isa.is_available());
    for (t, (other_isa, other_y)) in results.iter().enumerate() {
        assert_eq!(other_isa, isa, "thread {t} saw another level");
        assert!(
            other_y
                .iter()
                .zip(y)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "thread {t} computed other results"
        );
    }
    assert_eq!(
        simdact::isa(),
        *isa,
        "the cached level changed after the race"
    );
    eprintln!("{THREADS} racing first calls all chose {isa}");
}
