//! The caller's address for the rate limits. Behind a reverse proxy every request comes from
//! the proxy; only then (`TRUSTED_PROXIES`) are `X-Forwarded-For` and `Forwarded` read, since
//! anybody else could write any address there and so escape every limit. IPv6 callers are
//! counted per /64, the block one connection usually has, so that a new address from the same
//! network does not bring a new allowance.

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// An address or a CIDR range such as `10.0.0.0/8` or `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr.trim().parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Self { network: mask(network, prefix), prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        ip.is_ipv4() == self.network.is_ipv4() && mask(ip, self.prefix) == self.network
    }
}

/// `TRUSTED_PROXIES`: addresses or ranges separated by commas or spaces.
pub fn parse_ranges(text: &str) -> Result<Vec<IpRange>, String> {
    text.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| IpRange::parse(s).ok_or_else(|| format!("TRUSTED_PROXIES: „{s}“ ist weder eine IP-Adresse noch ein Bereich wie 10.0.0.0/8.")))
        .collect()
}

/// IPv4 written as IPv6 (`::ffff:1.2.3.4`, as dual-stack sockets report it) is IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix.min(32))) };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix.min(128))) };
            IpAddr::V6(Ipv6Addr::from(bits & m))
        }
    }
}

/// The key a caller is counted under: IPv4 as is, IPv6 by its /64.
pub fn rate_limit_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        v6 @ IpAddr::V6(_) => mask(v6, 64),
        v4 => v4,
    }
}

/// One address of a forwarding header: `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]:4711`,
/// `"[2001:db8::1]"`, `2001:db8::1`; `None` for `unknown` or obfuscated names.
fn forwarded_addr(text: &str) -> Option<IpAddr> {
    let t = text.trim().trim_matches('"');
    if let Some(rest) = t.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    t.parse::<IpAddr>().ok().or_else(|| t.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The hops a request passed, nearest last: `X-Forwarded-For`, else the `for=` of `Forwarded`.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
    };
    let xff = values("x-forwarded-for");
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|v| v.split(',').map(forwarded_addr).collect::<Vec<_>>())
            .collect();
    }
    values("forwarded")
        .iter()
        .flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| forwarded_addr(v))
            })?
        })
        .collect()
}

/// The client: the peer, unless it is a trusted proxy; then the nearest hop of the forwarding
/// header that is not a trusted proxy itself (a client may put anything further left).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_hops(headers).into_iter().rev() {
        match hop {
            Some(ip) if is_trusted(ip) => client = ip,
            Some(ip) => return ip,
            // An unreadable hop: nothing left of it can be relied on.
            None => return client,
        }
    }
    client
}

/// Replaces the connection's address by the rate-limit key of the client, so that every
/// handler and server function that reads `ConnectInfo` counts the right caller.
pub async fn resolve_client(
    State(trusted): State<Arc<Vec<IpRange>>>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied()
    {
        let client = rate_limit_key(client_ip(peer.ip(), request.headers(), &trusted));
        request.extensions_mut().insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn ranges() {
        let r = IpRange::parse("10.0.0.0/8").unwrap();
        assert!(r.contains(ip("10.1.2.3")) && !r.contains(ip("11.0.0.1")));
        assert!(r.contains(ip("::ffff:10.0.0.1")), "IPv4-mapped");
        assert!(IpRange::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")));
        assert!(IpRange::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(!IpRange::parse("fd00::/8").unwrap().contains(ip("10.0.0.1")));
        assert_eq!(IpRange::parse("10.0.0.0/33"), None);
        assert_eq!(IpRange::parse("proxy"), None);
        assert_eq!(parse_ranges("127.0.0.1, 10.0.0.0/8 ::1").unwrap().len(), 3);
        assert!(parse_ranges("127.0.0.1, x").unwrap_err().contains("„x“"));
        assert!(parse_ranges("").unwrap().is_empty());
    }

    #[test]
    fn forwarded_headers_only_from_trusted_proxies() {
        let trusted = parse_ranges("10.0.0.0/8").unwrap();
        let xff = headers(&[("x-forwarded-for", "203.0.113.7, 10.0.0.2")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &xff, &trusted), ip("203.0.113.7"));
        assert_eq!(
            client_ip(ip("198.51.100.1"), &xff, &trusted),
            ip("198.51.100.1"),
            "not a proxy of ours"
        );
        assert_eq!(client_ip(ip("10.0.0.1"), &xff, &[]), ip("10.0.0.1"), "no trusted proxies");
        // A client's own header is further left and ignored.
        let spoofed = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.7")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &spoofed, &trusted), ip("203.0.113.7"));
        let forwarded =
            headers(&[("forwarded", "for=192.0.2.60;proto=https, for=\"[2001:db8::1]:4711\"")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &forwarded, &trusted), ip("2001:db8::1"));
        let unknown = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &unknown, &trusted), ip("10.0.0.1"));
    }

    #[test]
    fn ipv6_counts_per_64() {
        assert_eq!(rate_limit_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(
            rate_limit_key(ip("2001:db8:1:2:bbbb::9")),
            rate_limit_key(ip("2001:db8:1:2::1"))
        );
        assert_ne!(rate_limit_key(ip("2001:db8:1:3::1")), rate_limit_key(ip("2001:db8:1:2::1")));
        assert_eq!(rate_limit_key(ip("203.0.113.7")), ip("203.0.113.7"));
        assert_eq!(rate_limit_key(ip("::ffff:203.0.113.7")), ip("203.0.113.7"));
    }
}
