//! The client's address, for throttling and the audit log. `X-Forwarded-For` is believed only
//! when the deployment says a proxy sits in front (otherwise anyone could forge it).
use axum::{extract::ConnectInfo, http::request::Parts};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

pub fn client_ip(parts: &Parts, trust_proxy: bool) -> IpAddr {
    if trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}
