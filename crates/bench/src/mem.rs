//! Memory of this process as Linux reports it in `/proc/self/status`.

/// `(VmHWM, VmRSS)` in MiB: the peak resident size so far, and the current one.
pub fn resident_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// CPU time (user + system) this process and its finished children (wrk) have used so far, in
/// seconds, from `/proc/self/stat` (clock ticks of 1/100 s, as on every common Linux build).
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime, stime, cutime and cstime are fields 14 to 17 of the whole line, 12 to 15 after
    // the name; a child's time is counted once it has been waited for.
    (ticks(11) + ticks(12) + ticks(13) + ticks(14)) / 100.0
}
