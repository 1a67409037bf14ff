//! A small closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next
//! request as soon as the previous answer is read in full, for a fixed time. Every request is
//! built fresh (unique idempotency keys and nonces), and every latency is kept for exact
//! percentiles.
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::net::TcpStream;

/// Builds request number `seq` (unique across connections).
pub type MakeRequest = Arc<dyn Fn(u64) -> Request<Full<Bytes>> + Send + Sync>;

/// What one run measured.
#[derive(Debug, Default)]
pub struct Stats {
    pub ok: u64,
    pub failed: u64,
    pub first_failure: Option<StatusCode>,
    /// Microseconds per answered request, sorted.
    pub latencies: Vec<u32>,
    pub seconds: f64,
    /// CPU time of the whole process (server and load) over wall time.
    pub cores: f64,
    /// p50 and p99 in milliseconds as an external load tool reported them (it keeps no
    /// individual latencies).
    pub reported_p50_p99: Option<(f64, f64)>,
}

impl Stats {
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.seconds
    }

    pub fn p50_ms(&self) -> f64 {
        self.reported_p50_p99
            .map_or_else(|| self.quantile_ms(0.5), |(p50, _)| p50)
    }

    pub fn p99_ms(&self) -> f64 {
        self.reported_p50_p99
            .map_or_else(|| self.quantile_ms(0.99), |(_, p99)| p99)
    }

    /// Latency at quantile `q` (0..1) in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
        f64::from(self.latencies[i]) / 1000.0
    }
}

/// One request, to see whether the route exists: the status and the body text.
pub async fn probe(addr: SocketAddr, make: &MakeRequest) -> anyhow::Result<(StatusCode, String)> {
    let stream = TcpStream::connect(addr).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let resp = sender.send_request(make(u64::MAX - 1)).await?;
    let status = resp.status();
    let body = resp.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Drive `connections` connections for `duration`.
pub async fn run(
    addr: SocketAddr,
    make: MakeRequest,
    connections: usize,
    duration: Duration,
    first_seq: u64,
) -> anyhow::Result<Stats> {
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..connections as u64)
        .map(|c| {
            let make = make.clone();
            tokio::spawn(connection(addr, make, deadline, first_seq + (c << 32)))
        })
        .collect();
    let mut total = Stats::default();
    for t in tasks {
        let s = t.await??;
        total.ok += s.ok;
        total.failed += s.failed;
        total.first_failure = total.first_failure.or(s.first_failure);
        total.latencies.extend(s.latencies);
    }
    total.seconds = started.elapsed().as_secs_f64();
    total.latencies.sort_unstable();
    Ok(total)
}

async fn connection(
    addr: SocketAddr,
    make: MakeRequest,
    deadline: Instant,
    mut seq: u64,
) -> anyhow::Result<Stats> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let mut stats = Stats::default();
    while Instant::now() < deadline {
        let request = make(seq);
        seq += 1;
        sender.ready().await?;
        let sent = Instant::now();
        let resp = sender.send_request(request).await?;
        let status = resp.status();
        resp.into_body().collect().await?;
        stats
            .latencies
            .push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
        if status.is_success() || status.is_redirection() {
            stats.ok += 1;
        } else {
            stats.failed += 1;
            stats.first_failure = stats.first_failure.or(Some(status));
        }
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::Stats;

    #[test]
    fn quantiles_come_from_the_sorted_latencies() {
        let s = Stats {
            ok: 100,
            latencies: (1..=100).map(|ms| ms * 1000).collect(),
            seconds: 2.0,
            ..Stats::default()
        };
        assert_eq!(s.rate(), 50.0);
        assert_eq!(s.quantile_ms(0.5), 51.0);
        assert_eq!(s.quantile_ms(0.99), 99.0);
    }
}
