//! The portfolio imports through the binary, shared by the SQLite and PostgreSQL tests.
use super::Scratch;
use std::sync::Arc;
use touchpoint_core::{
    clock::SystemClock,
    portfolio::{RankingSettings, identify, rank},
};

const CUSTOMERS: &str = "\
ref,name,status,segment,email,lost_reason,site
P,Perez,active,corporate,perez@example.com,,
A,Antunez,active,corporate,,,
F,Fernandez,active,retail,,,
G,Gomez,potential,retail,,,
X,Ximena,lost,retail,,,
Y,Yolanda,active,retail,not-an-email,,nowhere
";

const SALES: &str = "\
customer,date,amount,currency,service
P,2026-03-01,20000,USD,
P,2026-03-02,500,USD,
A,2026-03-03,16500,USD,
F,2026-03-04,10000.50,USD,
F,2026-31-05,1,USD,
F,2026-03-05,2299.50,USD,
G,2026-03-06,350,USD,
G,2026-03-06,350,USD,
Q,2026-03-07,99,USD,
G,2026-03-08,1.23456,USD,
";

pub async fn imports_report_bad_rows_and_rank_exactly(s: &Scratch) {
    s.run(&["migrate"]).expect(0);
    std::fs::write(s.path("customers.csv"), CUSTOMERS).unwrap();
    std::fs::write(s.path("sales.csv"), SALES).unwrap();
    let out = s
        .run(&["import", "customers", &s.path("customers.csv")])
        .expect(3);
    let report: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("line"))
        .collect();
    assert_eq!(
        report,
        [
            "line 6, column 6 (lost_reason): a lost customer needs a reason from the list",
            "line 7, column 5 (email): must be an email address like name@example.com",
            "line 7, column 7 (site): there is no site with key 'nowhere'",
        ],
        "{out:#?}"
    );
    assert!(
        out.stdout.contains("6 rows read: 4 created"),
        "{}",
        out.stdout
    );
    // The same file again changes nothing.
    let again = s
        .run(&["import", "customers", &s.path("customers.csv")])
        .expect(3);
    assert!(
        again.stdout.contains("0 created, 4 already present"),
        "{}",
        again.stdout
    );

    let dry = s
        .run(&["import", "sales", "--dry-run", &s.path("sales.csv")])
        .expect(3);
    assert!(dry.stdout.contains("nothing was written"), "{}", dry.stdout);
    let out = s
        .run(&[
            "import",
            "sales",
            &s.path("sales.csv"),
            "--report",
            &s.path("bad.csv"),
        ])
        .expect(3);
    let report: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("line"))
        .collect();
    assert_eq!(
        report,
        [
            "line 6, column 2 (date): '2026-31-05' is not a date like 2026-03-31",
            "line 11, column 3 (amount): '1.23456' has more than 4 decimal places",
            "line 10, column 1 (customer): there is no customer with ref 'Q'",
        ],
        "{out:#?}"
    );
    assert_eq!(
        dry.stdout.lines().filter(|l| l.starts_with("line")).count(),
        3
    );
    let written = std::fs::read_to_string(s.path("bad.csv")).unwrap();
    assert_eq!(written.lines().count(), 4, "{written}");
    assert!(
        out.stdout.contains("10 rows read: 7 created"),
        "{}",
        out.stdout
    );
    let again = s.run(&["import", "sales", &s.path("sales.csv")]).expect(3);
    assert!(
        again.stdout.contains("0 created, 7 already present"),
        "{}",
        again.stdout
    );

    let store = touchpoint_cli::store_url::open_store(&s.url, Arc::new(SystemClock))
        .await
        .unwrap();
    let (from, to) = ("2026-03-01".parse().unwrap(), "2026-03-31".parse().unwrap());
    let totals = store.customer_totals(from, to, "USD").await.unwrap();
    let r = rank(totals, &RankingSettings::default());
    let got: Vec<String> = identify(&*store, &r.rows)
        .await
        .unwrap()
        .iter()
        .map(|x| {
            format!(
                "{} {} {} {} {}",
                x.rank,
                x.name,
                x.sales,
                x.cumulative,
                x.cumulative_percent()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "1 Perez 20500 20500 41.00",
            "2 Antunez 16500 37000 74.00",
            "3 Fernandez 12300 49300 98.60",
            "4 Gomez 700 50000 100.00",
        ]
    );
}
