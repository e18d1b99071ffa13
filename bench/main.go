// Command bench measures jiefen. Each scenario runs jiefen's way and the
// naive way it replaces in the same run, alternating, and prints medians and
// the ratio, so that results are comparable on any machine.
//
//	go run ./bench deadlines [-n 1000000] [-rounds 5]
//	go run ./bench intake [-conns 64] [-duration 10s] [-rounds 3]
//	go run ./bench litigation [-cases 1000000] [-runs 50]
//	go run ./bench import [-rows 1000000]
//
// Results and the commands that produced them are in BENCHMARKS.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"

	"jiefen/internal/pii"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench deadlines [-n N] [-rounds R]\n       go run ./bench intake [-conns 64] [-duration 10s] [-rounds 3] [-mysql DSN] [-sqlite=true]\n       go run ./bench litigation [-cases 1000000] [-runs 50] [-mysql DSN] [-http=true]\n       go run ./bench import [-rows 1000000] [-mysql DSN]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "deadlines":
		fs := flag.NewFlagSet("deadlines", flag.ExitOnError)
		n := fs.Int("n", 1_000_000, "deadlines per round")
		rounds := fs.Int("rounds", 5, "rounds of each way, alternated")
		fs.Parse(os.Args[2:])
		if err := runDeadlines(*n, *rounds); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "intake":
		fs := flag.NewFlagSet("intake", flag.ExitOnError)
		o := intakeOptions{}
		fs.StringVar(&o.dsn, "mysql", envOr("JIEFEN_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/"), "MariaDB server DSN")
		fs.IntVar(&o.conns, "conns", 64, "concurrent connections")
		fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each run")
		fs.IntVar(&o.rounds, "rounds", 3, "rounds of each peer, alternated")
		fs.BoolVar(&o.sqlite, "sqlite", true, "also measure jiefen on SQLite")
		fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of jiefen's first run to this file")
		fs.Parse(os.Args[2:])
		if err := runIntake(o); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "litigation":
		fs := flag.NewFlagSet("litigation", flag.ExitOnError)
		o := litigationOptions{}
		fs.StringVar(&o.dsn, "mysql", envOr("JIEFEN_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/"), "MariaDB server DSN")
		fs.IntVar(&o.cases, "cases", 1_000_000, "litigation cases to seed")
		fs.IntVar(&o.runs, "runs", 50, "runs of each way, alternated")
		fs.BoolVar(&o.http, "http", true, "also measure GET /api/v1/litigation/stats end to end")
		fs.BoolVar(&o.keep, "keep", false, "keep the seeded database (for -reuse)")
		fs.BoolVar(&o.reuse, "reuse", false, "measure the database kept by -keep instead of seeding")
		fs.Parse(os.Args[2:])
		if err := runLitigation(o); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "import":
		fs := flag.NewFlagSet("import", flag.ExitOnError)
		o := importOptions{}
		fs.StringVar(&o.dsn, "mysql", envOr("JIEFEN_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/"), "MariaDB server DSN")
		fs.IntVar(&o.rows, "rows", 1_000_000, "court rows in the file")
		fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of jiefen's import to this file")
		fs.Parse(os.Args[2:])
		if err := runCourtImport(o); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown scenario %q\n", os.Args[1])
		os.Exit(2)
	}
}

func runDeadlines(n, rounds int) error {
	w, err := newDeadlineWork(n)
	if err != nil {
		return err
	}
	fmt.Printf("deadlines: %d mixed clocks (workdays, days, months; 2007–2026) per round, %d rounds, GOMAXPROCS=%d, %s\n",
		n, rounds, runtime.GOMAXPROCS(0), runtime.Version())
	var fast, naive []time.Duration
	for r := 0; r < rounds; r++ {
		d, sum1, err := timed(w.fast)
		if err != nil {
			return err
		}
		fast = append(fast, d)
		d, sum2, err := timed(w.naive)
		if err != nil {
			return err
		}
		naive = append(naive, d)
		if sum1 != sum2 {
			return fmt.Errorf("the two ways disagree (checksums %d and %d)", sum1, sum2)
		}
	}
	mf, mn := median(fast), median(naive)
	fmt.Printf("  jiefen calendar  median %8.3f s  (%.0f ns/deadline)\n", mf.Seconds(), float64(mf.Nanoseconds())/float64(n))
	fmt.Printf("  naive day walk   median %8.3f s  (%.0f ns/deadline)\n", mn.Seconds(), float64(mn.Nanoseconds())/float64(n))
	fmt.Printf("  ratio            %.1f× faster\n", mn.Seconds()/mf.Seconds())
	return nil
}

func timed(f func() (int64, error)) (time.Duration, int64, error) {
	start := time.Now()
	sum, err := f()
	return time.Since(start), sum, err
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// benchKeys is a fresh keyring that seals the generated personal data, as
// in production.
func benchKeys() *pii.Keyring {
	f, err := pii.NewKeyFile()
	if err != nil {
		panic(err)
	}
	k, err := f.Keyring()
	if err != nil {
		panic(err)
	}
	return k
}
