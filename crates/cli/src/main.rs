//! The `touchpoint` binary; everything lives in the `touchpoint_cli` library.
fn main() -> std::process::ExitCode {
    touchpoint_cli::main_entry()
}
