//! The one source of "now". Every instant the library records comes from a [`Clock`], so tests
//! and unattended runs can fix time (`--now`, `COPYDESK_NOW`) and get the same result every run.

use jiff::Timestamp;

#[derive(Debug, Clone)]
pub enum Clock {
    /// The wall clock of this machine.
    System,
    /// A fixed instant; every call to [`Clock::now`] returns it.
    Fixed(Timestamp),
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(at) => *at,
        }
    }

    /// A clock fixed at `rfc3339`, or the system clock when `None`.
    pub fn from_setting(rfc3339: Option<&str>) -> Result<Clock, crate::Error> {
        match rfc3339 {
            None => Ok(Clock::System),
            Some(text) => parse_instant(text).map(Clock::Fixed).map_err(|_| crate::Error::Invalid {
                what: format!("the clock setting {text:?}"),
                fix: "give an RFC 3339 instant with an offset, such as 2025-02-20T15:09:00+09:00".into(),
            }),
        }
    }
}

/// Parses an instant written with an offset (`2025-02-20T15:09:00+09:00` or `...Z`).
/// A local time without an offset is ambiguous across time zones and is refused.
pub fn parse_instant(text: &str) -> Result<Timestamp, jiff::Error> {
    text.trim().parse::<Timestamp>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_never_moves() {
        let clock = Clock::from_setting(Some("2025-02-20T15:09:00+09:00")).unwrap();
        assert_eq!(clock.now(), clock.now());
        assert_eq!(clock.now().to_string(), "2025-02-20T06:09:00Z");
    }

    #[test]
    fn clock_without_offset_is_refused() {
        let error = Clock::from_setting(Some("2025-02-20 15:09")).unwrap_err();
        assert!(error.to_string().contains("RFC 3339"), "{error}");
    }
}
