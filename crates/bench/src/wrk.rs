//! `touchpoint-bench http --load wrk`: the same targets driven by wrk (Debian package `wrk`), a
//! separate process, instead of this binary's own hyper client. Each target gets a Lua script
//! whose `request()` builds every request the same way for the no-op and for the real route
//! (the same headers, the same body, a unique key or nonce each time), so the load tool spends
//! the same on both and only the server's side differs.
use crate::load::Stats;
use std::{fmt::Write as _, net::SocketAddr, path::Path, process::Command, time::Duration};

/// One POST target as wrk will send it.
pub struct WrkTarget {
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    /// The body: the unique part goes between `body_head` and `body_tail`…
    pub body_head: String,
    pub body_tail: String,
    /// …or, when this names a header, into that header and the body is `body_head` alone.
    pub unique_header: Option<&'static str>,
}

fn lua_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Lua script of one run; `tag` keeps keys unique across the warm-up and measured runs.
fn script(t: &WrkTarget, tag: &str) -> String {
    let mut headers = String::new();
    for (name, value) in &t.headers {
        let _ = write!(headers, "[{}] = {}, ", lua_string(name), lua_string(value));
    }
    let (unique_header, body) = match t.unique_header {
        Some(h) => (
            format!("headers[{}] = key", lua_string(h)),
            lua_string(&t.body_head),
        ),
        None => (
            String::new(),
            format!(
                "{} .. key .. {}",
                lua_string(&t.body_head),
                lua_string(&t.body_tail)
            ),
        ),
    };
    format!(
        r#"local threads = 0
function setup(thread)
  thread:set("prefix", {tag} .. threads .. "x")
  threads = threads + 1
end
local counter = 0
headers = {{ {headers} }}
request = function()
  counter = counter + 1
  local key = prefix .. string.format("%012d", counter)
  {unique_header}
  return wrk.format("POST", {path}, headers, {body})
end
"#,
        tag = lua_string(tag),
        path = lua_string(&t.path),
    )
}

/// Drive `target` for `seconds` with `connections` connections on two wrk threads.
pub fn run(
    addr: SocketAddr,
    target: &WrkTarget,
    connections: usize,
    duration: Duration,
    tag: &str,
    dir: &Path,
) -> anyhow::Result<Stats> {
    let file = dir.join(format!("{tag}.lua"));
    std::fs::write(&file, script(target, tag))?;
    let out = Command::new("wrk")
        .args(["-t2", "--latency", "--timeout", "10s"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("-s")
        .arg(&file)
        .arg(format!("http://{addr}"))
        .output()
        .map_err(|e| anyhow::anyhow!("could not start wrk (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(out.status.success(), "wrk failed: {text}");
    parse(&text).ok_or_else(|| anyhow::anyhow!("could not read wrk's report:\n{text}"))
}

/// A latency as wrk prints it (`635.91us`, `1.20ms`, `2.01s`), in milliseconds.
fn latency_ms(v: &str) -> Option<f64> {
    let (number, scale) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * scale)
}

/// Requests, seconds, failures and the p50/p99 latencies of wrk's `--latency` report.
fn parse(text: &str) -> Option<Stats> {
    let mut stats = Stats::default();
    let (mut total, mut p50, mut p99) = (None, None, None);
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => p50 = latency_ms(v),
            ["99%", v] => p99 = latency_ms(v),
            [n, "requests", "in", secs, ..] => {
                total = n.parse::<u64>().ok();
                stats.seconds = secs
                    .trim_end_matches(',')
                    .trim_end_matches('s')
                    .parse()
                    .ok()?;
            }
            ["Non-2xx", "or", "3xx", "responses:", n] => stats.failed = n.parse().ok()?,
            _ => {}
        }
    }
    stats.ok = total?.saturating_sub(stats.failed);
    stats.reported_p50_p99 = Some((p50?, p99?));
    Some(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_report() {
        let report = "Running 8s test @ http://127.0.0.1:4000
  2 threads and 64 connections
  Latency Distribution
     50%  635.91us
     75%  712.34us
     90%    1.02ms
     99%    3.20ms
  412345 requests in 8.00s, 51.23MB read
  Non-2xx or 3xx responses: 5
Requests/sec:  51543.12
";
        let s = parse(report).expect("parsed");
        assert_eq!((s.ok, s.failed), (412340, 5));
        assert!((s.seconds - 8.0).abs() < 1e-9);
        assert!((s.p50_ms() - 0.63591).abs() < 1e-9);
        assert!((s.p99_ms() - 3.2).abs() < 1e-9);
    }

    #[test]
    fn scripts_quote_and_place_the_unique_part() {
        let t = WrkTarget {
            path: "/s/abc".into(),
            headers: vec![("Content-Type", "text/plain".into())],
            body_head: "a=\"1\"&nonce=".into(),
            body_tail: "&b=2".into(),
            unique_header: None,
        };
        let s = script(&t, "w1");
        assert!(s.contains(r#""a=\"1\"&nonce=" .. key .. "&b=2""#), "{s}");
        assert!(s.contains(r#"["Content-Type"] = "text/plain""#), "{s}");
    }
}
