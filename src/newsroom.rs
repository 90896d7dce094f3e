//! The newsroom a library belongs to: outlet name, time zone, site address, language. Instants
//! are stored in UTC and shown in this time zone, in the seed page's `2025년02월20일 15:09` form.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Newsroom {
    /// The outlet named in datelines, `[세종=뉴스핌]`.
    pub outlet: String,
    /// An IANA time zone name.
    pub time_zone: String,
    /// Where exported pages will live, for canonical URLs.
    pub base_url: String,
    /// The language of the articles, a BCP 47 tag.
    pub language: String,
}

impl Default for Newsroom {
    fn default() -> Newsroom {
        Newsroom { outlet: String::new(), time_zone: "Asia/Seoul".into(), base_url: String::new(), language: "ko".into() }
    }
}

impl Newsroom {
    pub const KEYS: [&'static str; 4] = ["outlet", "time_zone", "base_url", "language"];

    pub fn zone(&self) -> Result<TimeZone, crate::Error> {
        TimeZone::get(&self.time_zone)
            .map_err(|_| crate::Error::invalid(format!("the time zone {:?}", self.time_zone), "use an IANA name such as Asia/Seoul"))
    }

    /// `2025년02월20일 15:09`, in the newsroom's zone.
    pub fn display(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.zone_or_utc()).strftime("%Y년%m월%d일 %H:%M").to_string()
    }

    /// `2025-02-20T15:09:00+09:00`, for `datetime` attributes and feeds.
    pub fn iso(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.zone_or_utc()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// An instant as people type it: with an offset (`2025-02-20T15:09:00+09:00`), or a local
    /// date and time in the newsroom's zone (`2025-02-20T15:09`, `2025-02-20 15:09`, or as the app
    /// shows it, `2025. 02. 20. 15:09` or `02/20/2025, 15:09`). The one
    /// reader of typed times, for import, the CLI and the app's embargo field.
    pub fn parse_local(&self, text: &str) -> Result<Timestamp, crate::Error> {
        let text = text.trim();
        let invalid =
            || crate::Error::invalid(format!("the date and time {text:?}"), "write it as 2025-02-20T15:09 or 2025-02-20T15:09:00+09:00");
        if let Ok(at) = text.parse::<Timestamp>() {
            return Ok(at);
        }
        // Besides ISO 8601, the forms the app shows in its two languages: 2025. 02. 20. 15:09
        // (Korean) and 02/20/2025, 15:09 (English).
        let civil = text
            .parse::<jiff::civil::DateTime>()
            .or_else(|_| jiff::civil::DateTime::strptime("%Y. %m. %d. %H:%M", text))
            .or_else(|_| jiff::civil::DateTime::strptime("%m/%d/%Y, %H:%M", text))
            .map_err(|_| invalid())?;
        Ok(civil.to_zoned_datetime(self.zone()?).map_err(|_| invalid())?.timestamp())
    }

    /// A calendar day as people type it: `2025-02-20`, or as the app shows it in its two
    /// languages, `2025. 02. 20.` (Korean) or `02/20/2025` (English). The one reader of typed
    /// days, for the list's date filters and a photo's date.
    pub fn parse_day(text: &str) -> Result<jiff::civil::Date, crate::Error> {
        let text = text.trim();
        let korean = text.strip_suffix('.').unwrap_or(text);
        text.parse::<jiff::civil::Date>()
            .or_else(|_| jiff::civil::Date::strptime("%Y. %m. %d", korean))
            .or_else(|_| jiff::civil::Date::strptime("%m/%d/%Y", text))
            .map_err(|_| crate::Error::invalid(format!("the date {text:?}"), "write it as 2025-02-20, 2025. 02. 20. or 02/20/2025"))
    }

    /// `2025-02-20T15:09` in the newsroom's zone: what `parse_local` reads back.
    pub fn local(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.zone_or_utc()).strftime("%Y-%m-%dT%H:%M").to_string()
    }

    fn zone_or_utc(&self) -> TimeZone {
        self.zone().unwrap_or(TimeZone::UTC)
    }

    pub fn set(&mut self, key: &str, value: &str) -> Result<(), crate::Error> {
        let value = value.trim().to_string();
        match key {
            "outlet" => self.outlet = value,
            "time_zone" => {
                let candidate = Newsroom { time_zone: value, ..self.clone() };
                candidate.zone()?;
                *self = candidate;
            }
            "base_url" => {
                if !(value.is_empty() || value.starts_with("https://") || value.starts_with("http://")) {
                    return Err(crate::Error::invalid(format!("the base URL {value:?}"), "give the site's address starting with https://"));
                }
                self.base_url = value.trim_end_matches('/').to_string();
            }
            "language" => {
                if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(crate::Error::invalid(format!("the language {value:?}"), "use a tag such as ko or en"));
                }
                self.language = value;
            }
            other => {
                return Err(crate::Error::invalid(
                    format!("the setting {other:?}"),
                    format!("known settings are {}", Newsroom::KEYS.join(", ")),
                ));
            }
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "outlet" => Some(&self.outlet),
            "time_zone" => Some(&self.time_zone),
            "base_url" => Some(&self.base_url),
            "language" => Some(&self.language),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn typed_days_in_either_language_read_back_as_the_same_day() {
        for typed in ["2025-02-20", "2025. 02. 20.", "2025. 02. 20", " 02/20/2025 "] {
            assert_eq!(Newsroom::parse_day(typed).unwrap().to_string(), "2025-02-20", "{typed}");
        }
        for wrong in ["20/02/2025", "2025. 13. 01.", "어제", ""] {
            assert_eq!(Newsroom::parse_day(wrong).unwrap_err().code(), "invalid", "{wrong}");
        }
    }
    use super::*;

    #[test]
    fn instants_show_in_seoul_like_the_seed() {
        let newsroom = Newsroom::default();
        let at: Timestamp = "2025-02-20T06:09:00Z".parse().unwrap();
        assert_eq!(newsroom.display(at), "2025년02월20일 15:09");
        assert_eq!(newsroom.iso(at), "2025-02-20T15:09:00+09:00");
    }

    #[test]
    fn unknown_time_zone_is_refused_and_nothing_changes() {
        let mut newsroom = Newsroom::default();
        assert!(newsroom.set("time_zone", "Mars/Olympus").is_err());
        assert_eq!(newsroom.time_zone, "Asia/Seoul");
    }

    #[test]
    fn typed_times_are_read_in_the_newsrooms_zone_and_shown_back() {
        let newsroom = Newsroom::default();
        let at: Timestamp = "2025-02-20T06:09:00Z".parse().unwrap();
        for typed in [
            "2025-02-20T15:09",
            "2025-02-20 15:09",
            " 2025-02-20T15:09:00+09:00 ",
            "2025-02-20T06:09:00Z",
            "2025. 02. 20. 15:09",
            "02/20/2025, 15:09",
        ] {
            assert_eq!(newsroom.parse_local(typed).ok(), Some(at), "{typed}");
        }
        assert_eq!(newsroom.local(at), "2025-02-20T15:09");
        assert_eq!(newsroom.parse_local("어제").map_err(|error| error.code()).err(), Some(crate::ErrorCode::Invalid));
    }
}
