//! simdact called from inside the caller's rayon work: no deadlock, no pool of its own, and
//! the results of the serial call.

use rayon::prelude::*;
use std::sync::mpsc;
use std::time::Duration;

/// Each chunk is above simdact's parallel threshold, so simdact itself splits it too.
const CHUNK: usize = 1 << 17;
const CHUNKS: usize = 64;

/// Threads of this process (Linux), to see that no pool appeared.
#[cfg(target_os = "linux")]
fn process_threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
fn inside_a_par_iter_in_a_two_thread_pool() {
    let x: Vec<f32> = (0..CHUNK * CHUNKS)
        .map(|i| ((i * 7919) % 4001) as f32 / 100.0 - 20.0)
        .collect();
    #[cfg(target_os = "linux")]
    let before = process_threads();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    // Run the work on another thread, so that a deadlock fails the test instead of hanging it.
    let (done, finished) = mpsc::channel();
    let work = {
        let x = x.clone();
        std::thread::spawn(move || {
            let mut y = vec![0.0f32; x.len()];
            let threads_seen: Vec<usize> = pool.install(|| {
                y.par_chunks_mut(CHUNK)
                    .zip(x.par_chunks(CHUNK))
                    .map(|(y, x)| {
                        simdact::sigmoid(x, y);
                        rayon::current_num_threads()
                    })
                    .collect()
            });
            #[cfg(target_os = "linux")]
            let during = process_threads();
            #[cfg(not(target_os = "linux"))]
            let during = 0;
            done.send(()).unwrap();
            (y, threads_seen, during)
        })
    };
    finished
        .recv_timeout(Duration::from_secs(120))
        .expect("simdact inside a par_iter did not finish in 120 s: deadlock?");
    let (y, threads_seen, _during) = work.join().unwrap();

    // The 2 pool threads and the watchdog's worker thread, nothing else (such as rayon's
    // global pool, which would add one thread per core).
    #[cfg(target_os = "linux")]
    assert_eq!(_during, before + 3, "threads appeared besides the pool's");
    assert!(threads_seen.iter().all(|&n| n == 2), "{threads_seen:?}");

    // The serial result, made after the thread count was taken.
    let serial = {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut y = vec![0.0f32; x.len()];
        one.install(|| simdact::sigmoid(&x, &mut y));
        y
    };
    assert!(
        y.iter()
            .zip(&serial)
            .all(|(a, b)| a.to_bits() == b.to_bits()),
        "results differ from the serial call"
    );
}
