//! `bench-rss OUT CMD [ARGS...]`: runs CMD, waits for it, writes
//! `<wall_ns> <max_rss_kib> <cpu_us>` to OUT and exits with CMD's exit code.
//!
//! Why not measure from Python: on Linux a child's ru_maxrss includes the RSS of
//! the memory image it was forked from (recorded at exec), so a child of the
//! ~25 MiB benchmark interpreter never reports less than ~25 MiB. Spawned from
//! this ~1 MiB process, the peak RSS is the measured process tree's own.
//! Built by scripts/bench with plain `rustc -O` (no crates).

use std::process::Command;
use std::time::Instant;

#[repr(C)]
struct RUsage {
    utime: [i64; 2],
    stime: [i64; 2],
    maxrss: i64,
    rest: [i64; 13],
}

unsafe extern "C" {
    fn getrusage(who: i32, usage: *mut RUsage) -> i32;
}

const RUSAGE_CHILDREN: i32 = -1;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: bench-rss OUT CMD [ARGS...]");
        std::process::exit(2);
    }
    let start = Instant::now();
    let status = match Command::new(&args[1]).args(&args[2..]).status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench-rss: cannot run {}: {e}", args[1]);
            std::process::exit(127);
        }
    };
    let wall = start.elapsed().as_nanos();
    let mut ru = RUsage { utime: [0; 2], stime: [0; 2], maxrss: 0, rest: [0; 13] };
    // SAFETY: getrusage fills the struct (the x86_64/aarch64 Linux layout above).
    unsafe { getrusage(RUSAGE_CHILDREN, &mut ru) };
    std::fs::write(&args[0], format!(
            "{wall} {} {}\n",
            ru.maxrss,
            ru.utime[0] * 1_000_000 + ru.utime[1] + ru.stime[0] * 1_000_000 + ru.stime[1]
        )).expect("write OUT");
    use std::os::unix::process::ExitStatusExt;
    let code = status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    std::process::exit(code);
}
