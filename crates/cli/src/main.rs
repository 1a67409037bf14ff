//! The `touchpoint` binary; everything lives in the `touchpoint_cli` library.

// mimalloc rather than glibc's malloc: the server allocates on many threads at once, where it
// measured about a third more durable submissions per second (docs/BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    touchpoint_cli::main_entry()
}
