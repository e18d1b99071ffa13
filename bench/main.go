// Command bench measures jiefen. Each scenario runs jiefen's way and the
// naive way it replaces in the same run, alternating, and prints medians and
// the ratio, so that results are comparable on any machine; the mixed
// scenario has no peer and measures jiefen serve processes against their
// targets (throughput, latency, memory, replicas sharing one database).
//
//	go run ./bench deadlines [-n 1000000] [-rounds 5]
//	go run ./bench intake [-conns 64] [-duration 10s] [-rounds 3] [-preload 10000,1000000]
//	go run ./bench litigation [-cases 1000000] [-runs 50]
//	go run ./bench import [-rows 1000000]
//	go run ./bench mixed [-conns 64,256] [-duration 10s] [-rounds 3] [-replicas 1] [-rate 0]
//	go run ./bench all [-quick]
//
// The scenarios that load a server over HTTP use one load generator
// (load.go): closed loop (N connections, each sending its next request
// when the last is answered) or open loop (-rate R: requests on a fixed
// timetable whatever the answers, latency measured from the scheduled
// start, so that coordinated omission does not hide a stall). p50 and p99
// are taken over every request; any answer but 2xx, or a transport error,
// is an error, except 409/412 where writers race (counted as conflicts).
//
// mixed builds ./cmd/jiefen and starts real `jiefen serve` processes
// (-replicas N on one MariaDB database, requests to them in turn), seeds
// users with `jiefen user create` and disputes through the API, then
// sends 70% reads, 25% case actions with If-Match and 5% intakes, and
// reports requests/s, p50, p99, errors, conflicts and the peak RSS of
// each process; afterwards it checks that no dispute code was given twice
// and that the overdue_scan job ran each tick once.
//
// all runs every scenario in turn and ends with one table: each target,
// jiefen's figure, the peer's, the ratio, and whether it is met. -quick
// uses small sizes (100,000 rows, 3 s runs) so that it takes minutes.
//
// Results and the commands that produced them are in BENCHMARKS.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"jiefen/internal/pii"
)

const usage = `usage: go run ./bench SCENARIO [flags]
  deadlines   [-n 1000000] [-rounds 5]
  intake      [-conns 64] [-duration 10s] [-rounds 3] [-preload N,N…] [-mysql DSN] [-sqlite=true] [-rate 0] [-frequent]
              [-buffer-pool 1G]
  litigation  [-cases 1000000] [-runs 50] [-window whole|partial] [-mysql DSN] [-http=true]
  import      [-rows 1000000] [-random] [-agencies 60] [-mysql DSN]
  mixed       [-conns 64,256] [-duration 10s] [-rounds 3] [-replicas 1] [-rate 0] [-disputes 4000] [-mediators 4] [-nodes DSN,…]
              [-overdue-schedule "@every 1s"] [-mysql DSN] [-bin PATH]
  all         [-quick] [-mysql DSN] [-buffer-pool 1G]
Run "go run ./bench SCENARIO -h" for the flags of one scenario.`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	defaultDSN := envOr("JIEFEN_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/")
	var err error
	switch os.Args[1] {
	case "deadlines":
		fs := flag.NewFlagSet("deadlines", flag.ExitOnError)
		n := fs.Int("n", 1_000_000, "deadlines per round")
		rounds := fs.Int("rounds", 5, "rounds of each way, alternated")
		fs.Parse(os.Args[2:])
		_, err = runDeadlines(*n, *rounds)
	case "intake":
		fs := flag.NewFlagSet("intake", flag.ExitOnError)
		o := intakeOptions{}
		fs.StringVar(&o.dsn, "mysql", defaultDSN, "MariaDB server DSN")
		fs.IntVar(&o.conns, "conns", 64, "concurrent connections")
		fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each run")
		fs.IntVar(&o.rounds, "rounds", 3, "rounds of each peer, alternated")
		fs.Float64Var(&o.rate, "rate", 0, "open loop: requests per second on a fixed timetable (0: closed loop)")
		fs.BoolVar(&o.sqlite, "sqlite", true, "also measure jiefen on SQLite")
		fs.BoolVar(&o.frequent, "frequent", false, "also measure intakes that all name one respondent (a frequent party)")
		fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of jiefen's first run to this file")
		preload := fs.String("preload", "", "comma-separated sizes: fill jiefen's database up to each through the API and measure it there again")
		pool := fs.String("buffer-pool", "", bufferPoolHelp)
		fs.Parse(os.Args[2:])
		if o.preload, err = parseInts(*preload); err == nil {
			err = withBufferPool(o.dsn, *pool, func() error {
				_, err := runIntake(o)
				return err
			})
		}
	case "litigation":
		fs := flag.NewFlagSet("litigation", flag.ExitOnError)
		o := litigationOptions{}
		fs.StringVar(&o.dsn, "mysql", defaultDSN, "MariaDB server DSN")
		fs.IntVar(&o.cases, "cases", 1_000_000, "litigation cases to seed")
		fs.IntVar(&o.runs, "runs", 50, "runs of each way, alternated")
		fs.BoolVar(&o.http, "http", true, "also measure GET /api/v1/litigation/stats end to end")
		fs.BoolVar(&o.keep, "keep", false, "keep the seeded database (for -reuse)")
		fs.BoolVar(&o.reuse, "reuse", false, "measure the database kept by -keep instead of seeding")
		window := fs.String("window", "whole", "whole: twelve whole months; partial: the last 365 days to mid-December, a partial month at each end")
		group := fs.String("group", "agency,month", "agency,month or agency (a case heard in several months counts once)")
		fs.Parse(os.Args[2:])
		o.agencyOnly = *group == "agency"
		o.from, o.to = litFrom, litTo
		if *window == "partial" {
			o.from, o.to = litPartialFrom, litPartialTo
		}
		_, err = runLitigation(o)
	case "import":
		fs := flag.NewFlagSet("import", flag.ExitOnError)
		o := importOptions{}
		fs.StringVar(&o.dsn, "mysql", defaultDSN, "MariaDB server DSN")
		fs.IntVar(&o.rows, "rows", 1_000_000, "court rows in the file")
		fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of jiefen's import to this file")
		fs.BoolVar(&o.random, "random", false, "write the rows in random order rather than by filing date")
		fs.IntVar(&o.agencies, "agencies", 60, "agencies sued (at least 5)")
		fs.Parse(os.Args[2:])
		_, err = runCourtImport(o)
	case "mixed":
		fs := flag.NewFlagSet("mixed", flag.ExitOnError)
		o := mixedOptions{}
		fs.StringVar(&o.dsn, "mysql", defaultDSN, "MariaDB server DSN")
		conns := fs.String("conns", "64,256", "comma-separated connection counts, measured in turn")
		fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each run")
		fs.IntVar(&o.rounds, "rounds", 3, "runs at each connection count (medians are reported)")
		fs.IntVar(&o.replicas, "replicas", 1, "jiefen serve processes on one database, taking requests in turn")
		fs.Float64Var(&o.rate, "rate", 0, "open loop: requests per second on a fixed timetable, at most -conns in flight (0: closed loop)")
		fs.IntVar(&o.disputes, "disputes", 4000, "disputes seeded through the API before measuring")
		fs.IntVar(&o.mediators, "mediators", 4, "mediators of "+mixedOrg+" that the cases go to")
		fs.StringVar(&o.overdueEvery, "overdue-schedule", "@every 1s", "the overdue_scan job's schedule on every replica (checked afterwards; empty: the default)")
		fs.StringVar(&o.bin, "bin", "", "a jiefen binary to run (default: built from ./cmd/jiefen)")
		nodes := fs.String("nodes", "", "comma-separated DSNs of further nodes of a cluster (Galera) holding the same database: replica i writes through node i mod (1 + their number), -mysql being node 0, with db.multi_primary on")
		fs.Parse(os.Args[2:])
		if *nodes != "" {
			o.nodes = strings.Split(*nodes, ",")
		}
		if o.conns, err = parseInts(*conns); err == nil {
			if len(o.conns) == 0 || o.replicas < 1 || o.rounds < 1 || o.mediators < 1 {
				err = fmt.Errorf("mixed needs -conns, -replicas, -rounds and -mediators of at least 1")
			} else {
				_, err = runMixed(o)
			}
		}
	case "all":
		fs := flag.NewFlagSet("all", flag.ExitOnError)
		dsn := fs.String("mysql", defaultDSN, "MariaDB server DSN")
		quick := fs.Bool("quick", false, "small sizes (100,000 rows, 3 s runs, one round) so that the whole run takes minutes")
		pool := fs.String("buffer-pool", "", bufferPoolHelp)
		fs.Parse(os.Args[2:])
		err = withBufferPool(*dsn, *pool, func() error { return runAll(*dsn, *quick) })
	case "-h", "-help", "--help", "help":
		fmt.Println(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "unknown scenario %q\n%s\n", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

const bufferPoolHelp = "set the MariaDB server's InnoDB buffer pool to this size (e.g. 1G) for the run and back after it (a server-wide setting: not for a shared server)"

// withBufferPool runs fn with the MariaDB server's InnoDB buffer pool at
// size ("" leaves it as it is), and sets it back afterwards.
func withBufferPool(dsn, size string, fn func() error) error {
	n, err := parseSize(size)
	if err != nil {
		return fmt.Errorf("-buffer-pool: %w", err)
	}
	was, err := setBufferPool(dsn, n)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Printf("MariaDB's InnoDB buffer pool: %d MiB for this run (it was %d MiB)\n", n>>20, was>>20)
		defer func() {
			if _, err := setBufferPool(dsn, was); err != nil {
				fmt.Fprintf(os.Stderr, "setting the buffer pool back to %d bytes: %v\n", was, err)
			}
		}()
	}
	return fn()
}

// parseInts reads a comma-separated list of counts ("" is none).
func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a count", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// deadlinesSummary are the key figures of the deadlines scenario: the
// medians of each way for n deadlines.
type deadlinesSummary struct {
	n           int
	fast, naive time.Duration
}

func runDeadlines(n, rounds int) (deadlinesSummary, error) {
	w, err := newDeadlineWork(n)
	if err != nil {
		return deadlinesSummary{}, err
	}
	fmt.Printf("deadlines: %d mixed clocks (workdays, days, months; 2007–2026) per round, %d rounds, GOMAXPROCS=%d, %s\n",
		n, rounds, runtime.GOMAXPROCS(0), runtime.Version())
	var fast, naive []time.Duration
	for r := 0; r < rounds; r++ {
		d, sum1, err := timed(w.fast)
		if err != nil {
			return deadlinesSummary{}, err
		}
		fast = append(fast, d)
		d, sum2, err := timed(w.naive)
		if err != nil {
			return deadlinesSummary{}, err
		}
		naive = append(naive, d)
		if sum1 != sum2 {
			return deadlinesSummary{}, fmt.Errorf("the two ways disagree (checksums %d and %d)", sum1, sum2)
		}
	}
	mf, mn := median(fast), median(naive)
	fmt.Printf("  jiefen calendar  median %8.3f s  (%.0f ns/deadline)\n", mf.Seconds(), float64(mf.Nanoseconds())/float64(n))
	fmt.Printf("  naive day walk   median %8.3f s  (%.0f ns/deadline)\n", mn.Seconds(), float64(mn.Nanoseconds())/float64(n))
	fmt.Printf("  ratio            %.1f× faster\n", mn.Seconds()/mf.Seconds())
	return deadlinesSummary{n: n, fast: mf, naive: mn}, nil
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
