//! Exact money: an integer count of ten-thousandths of a currency unit.
//!
//! Sales are summed, ranked and turned into cumulative shares; floating point would make two
//! databases (or two orders of summation) disagree in the last cent. Four decimal places
//! cover every ISO 4217 currency (the most precise use three) and leave room for unit prices.
//! Shares are computed in `i128`, so no total of realistic sales can overflow them.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Ten-thousandths per unit.
const SCALE: i64 = 10_000;
/// Decimal places kept.
const PLACES: usize = 4;

/// An amount of money in some currency, exact to four decimal places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// From the stored integer of ten-thousandths.
    pub fn from_minor(minor: i64) -> Self {
        Money(minor)
    }
    /// The stored integer of ten-thousandths.
    pub fn minor(self) -> i64 {
        self.0
    }
    pub fn from_units(units: i64) -> Self {
        Money(units * SCALE)
    }
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Parse `1234`, `-15.5`, `0.0125`: an optional minus, digits, and at most four decimal
    /// places after a `.`. Thousands separators and currency symbols are refused rather than
    /// guessed at (is `1,234` one thousand or one point two?).
    pub fn parse(text: &str) -> Result<Money, String> {
        let t = text.trim();
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !plain(whole) || !plain(fraction) || digits.ends_with('.') {
            return Err(format!(
                "'{t}' is not an amount: use digits with an optional '.' and up to {PLACES} decimals, like 1250.50"
            ));
        }
        if fraction.len() > PLACES {
            return Err(format!("'{t}' has more than {PLACES} decimal places"));
        }
        let too_large = || format!("'{t}' is too large an amount");
        let units: i64 = whole.parse().map_err(|_| too_large())?;
        let mut minor_text = fraction.to_string();
        while minor_text.len() < PLACES {
            minor_text.push('0');
        }
        let minor: i64 = minor_text.parse().unwrap_or(0);
        let value = units
            .checked_mul(SCALE)
            .and_then(|v| v.checked_add(minor))
            .ok_or_else(too_large)?;
        Ok(Money(if negative { -value } else { value }))
    }

    /// The amount as a JSON-friendly float. Exact in its shortest decimal form for every
    /// amount below 10^11 units, which is why the API can send numbers rather than strings.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// `part / whole` as a percentage rounded half away from zero to two decimals, in
    /// hundredths of a percent (`4141` = 41.41 %). `None` when `whole` is zero.
    pub fn percent_hundredths(part: i128, whole: i128) -> Option<i64> {
        if whole == 0 {
            return None;
        }
        let scaled = part * 10_000;
        let (q, r) = (scaled / whole, scaled % whole);
        let round_up = 2 * r.abs() >= whole.abs();
        let sign = if (scaled < 0) != (whole < 0) { -1 } else { 1 };
        Some((q + if round_up { sign } else { 0 }) as i64)
    }
}

/// Whole amounts print without decimals (`20500`); others with at least two (`12.50`,
/// `0.0125`), the way people write money.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (units, minor) = (abs / SCALE as u64, abs % SCALE as u64);
        if minor == 0 {
            return write!(f, "{sign}{units}");
        }
        let mut fraction = format!("{minor:04}");
        while fraction.len() > 2 && fraction.ends_with('0') {
            fraction.pop();
        }
        write!(f, "{sign}{units}.{fraction}")
    }
}

/// A percentage given in hundredths, printed with exactly two decimals (`41.41`, `100.00`).
pub fn format_percent(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

/// Accepts a JSON number or a decimal string; a number is read through its shortest decimal
/// form, so `12.1` means exactly 12.1.
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Int(i) => i.to_string(),
            Raw::Float(x) => x.to_string(),
            Raw::Text(t) => t,
        };
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .description(Some(
                "An amount exact to four decimal places (a JSON number, or a decimal string on input).",
            ))
            .into()
    }
}
impl utoipa::ToSchema for Money {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_the_way_people_write_money() {
        for (input, shown) in [
            ("20500", "20500"),
            ("20500.00", "20500"),
            ("12.5", "12.50"),
            ("0.0125", "0.0125"),
            ("-3.10", "-3.10"),
            (" 7 ", "7"),
        ] {
            assert_eq!(Money::parse(input).unwrap().to_string(), shown, "{input}");
        }
    }

    #[test]
    fn refuses_what_it_would_have_to_guess() {
        for bad in [
            "", "-", "1,234", "$12", "1.", ".5", "1.23456", "1e3", "12 000", "--1",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Money::parse("99999999999999999999").is_err());
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(Money::percent_hundredths(20500, 49500), Some(4141));
        assert_eq!(Money::percent_hundredths(37000, 49500), Some(7475));
        assert_eq!(Money::percent_hundredths(48800, 49500), Some(9859));
        assert_eq!(Money::percent_hundredths(1, 8), Some(1250));
        assert_eq!(Money::percent_hundredths(1, 80000), Some(0));
        assert_eq!(Money::percent_hundredths(1, 20000), Some(1));
        assert_eq!(Money::percent_hundredths(5, 0), None);
        assert_eq!(format_percent(10000), "100.00");
        assert_eq!(format_percent(4141), "41.41");
        assert_eq!(format_percent(7), "0.07");
    }

    #[test]
    fn json_numbers_and_strings_are_read_exactly() {
        let m: Money = serde_json::from_str("12.1").unwrap();
        assert_eq!(m.minor(), 121_000);
        let m: Money = serde_json::from_str("\"0.0001\"").unwrap();
        assert_eq!(m.minor(), 1);
        assert_eq!(
            serde_json::to_string(&Money::parse("20500").unwrap()).unwrap(),
            "20500.0"
        );
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_amount(minor in -10_i64.pow(15)..10_i64.pow(15)) {
            let m = Money::from_minor(minor);
            prop_assert_eq!(Money::parse(&m.to_string()).unwrap(), m);
        }

        #[test]
        fn json_round_trip_is_exact_below_ten_to_the_eleven(minor in -10_i64.pow(14)..10_i64.pow(14)) {
            let m = Money::from_minor(minor);
            let back: Money = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
            prop_assert_eq!(back, m);
        }
    }
}
