//! Latencies kept as plain sorted vectors: a step of a few minutes holds a few hundred thousand
//! samples at most, so exact percentiles cost nothing worth a histogram.

use std::time::Duration;

#[derive(Debug, Default, Clone)]
pub struct Samples {
    millis: Vec<f64>,
}

impl Samples {
    pub fn add(&mut self, took: Duration) {
        self.millis.push(took.as_secs_f64() * 1000.0);
    }

    pub fn len(&self) -> usize {
        self.millis.len()
    }

    /// The `p`th percentile (nearest rank), in milliseconds; `None` without samples.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.millis.is_empty() {
            return None;
        }
        let mut sorted = self.millis.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        Some(sorted[rank.clamp(1, sorted.len()) - 1])
    }

    pub fn p50(&self) -> Option<f64> {
        self.percentile(50.0)
    }

    pub fn p99(&self) -> Option<f64> {
        self.percentile(99.0)
    }

    /// `p50 / p99` for a table cell.
    pub fn cell(&self) -> String {
        match (self.p50(), self.p99()) {
            (Some(p50), Some(p99)) => format!("{} / {}", ms(p50), ms(p99)),
            _ => "-".into(),
        }
    }
}

/// Milliseconds with three significant digits, as BENCHMARKS.md writes them.
pub fn ms(millis: f64) -> String {
    if millis >= 100.0 {
        format!("{millis:.0}")
    } else if millis >= 10.0 {
        format!("{millis:.1}")
    } else {
        format!("{millis:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut samples = Samples::default();
        for n in 1..=100 {
            samples.add(Duration::from_millis(n));
        }
        assert_eq!(samples.p50(), Some(50.0));
        assert_eq!(samples.p99(), Some(99.0));
        assert_eq!(samples.percentile(100.0), Some(100.0));
        assert_eq!(Samples::default().p99(), None);
    }
}
