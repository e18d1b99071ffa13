package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"jiefen"
	"jiefen/configs"
	"jiefen/internal/courtfile"
	"jiefen/internal/sqlstore"
	"jiefen/litigation"
)

// importOptions configure the court caseload import scenario.
type importOptions struct {
	dsn  string
	rows int
	// cpuProfile, when set, receives a CPU profile of jiefen's import.
	cpuProfile string
	// random writes the file's rows in random order, as a court's export
	// sorted by defendant or by closing date comes, rather than by filing.
	random bool
	// agencies is how many agencies are sued (at least the five of
	// courtAgencies; more are made up and stored as orgs first).
	agencies int
}

// courtAgencies are the defendants of the generated file, as courts write
// them: codes, full names and short aliases of five of the model city's
// agencies.
var courtAgencies = []string{"汝州市公安局", "公安局", "RZ-ZRZYJ", "自然资源局", "汝州市市场监督管理局", "RZ-RSJ", "汝州市住房和城乡建设局"}

// moreAgencies are n made-up agencies beside the city's, for a county of
// more agencies than the model city's table has.
func moreAgencies(n int) []jiefen.Org {
	var out []jiefen.Org
	for i := 1; i <= n; i++ {
		out = append(out, jiefen.Org{Code: fmt.Sprintf("RZ-B%02d", i), Name: fmt.Sprintf("汝州市第%d管理局", i),
			Kind: jiefen.OrgAgency, ParentCode: "RZ", Aliases: []string{fmt.Sprintf("第%d管理局", i)}})
	}
	return out
}

// defendantNames are the names the file gives defendants: courtAgencies,
// then each made-up agency by its full name or its alias in turn, so that
// the five of courtAgencies and the others are sued alike.
func defendantNames(more []jiefen.Org) []string {
	names := slices.Clone(courtAgencies)
	for i, o := range more {
		names = append(names, o.Names()[i%2])
	}
	return names
}

// writeCaseload writes a court caseload CSV of n rows (UTF-8, the court's
// headers) in the court's order, by filing date, or in random order:
// unique case numbers over ten years, most heard, most concluded, against
// defendants.
func writeCaseload(w io.Writer, n int, defendants []string, random bool) error {
	rng := rand.New(rand.NewSource(1))
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	cw.Write(litigation.Columns)
	results := []string{"驳回诉讼请求", "驳回起诉", "撤销", "部分撤销", "确认违法", "撤诉", "调解", "责令履行"}
	positions := []string{"正职", "副职", "分管负责人", "工作人员"}
	serial := map[int]int{}
	rows := make([][]string, 0, n)
	for i := 0; i < n; i++ {
		year := 2016 + i*10/n
		serial[year]++
		perYear := max(n/10, 1)
		filed := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i%perYear)*300/perYear)
		row := []string{fmt.Sprintf("（%d）豫0482行初%d号", year, serial[year]), "原告", defendants[rng.Intn(len(defendants))], "行政处罚",
			filed.Format("2006-01-02"), "", "", "", "", ""}
		if rng.Intn(10) < 8 {
			pos := positions[rng.Intn(len(positions))]
			head := "否"
			if pos != "工作人员" {
				head = "是"
			}
			row[5], row[6], row[7] = filed.AddDate(0, 1, 0).Format("2006-01-02"), head, pos
			if rng.Intn(10) < 7 {
				row[8], row[9] = filed.AddDate(0, 3, 0).Format("2006-01-02"), results[rng.Intn(len(results))]
			}
		}
		rows = append(rows, row)
	}
	if random {
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return bw.Flush()
}

// peakHeap samples the Go heap in use every few milliseconds until stop.
func peakHeap(stop <-chan struct{}, peak *atomic.Uint64) {
	var m runtime.MemStats
	for {
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}
}

// importSummary are the key figures of the import scenario.
type importSummary struct {
	rows                     int
	jiefen, rawBare, rawCase float64 // rows per second
	peakRSS, peakHeap        uint64  // during jiefen's import, bytes
}

func runCourtImport(o importOptions) (importSummary, error) {
	var sum importSummary
	ctx := context.Background()
	file, err := os.CreateTemp("", "jiefen-caseload-*.csv")
	if err != nil {
		return sum, err
	}
	defer os.Remove(file.Name())
	began := time.Now()
	more := moreAgencies(max(o.agencies-5, 0))
	if err := writeCaseload(file, o.rows, defendantNames(more), o.random); err != nil {
		return sum, err
	}
	info, _ := file.Stat()
	file.Close()
	order := "in the court's order (by filing)"
	if o.random {
		order = "in random order"
	}
	fmt.Printf("import: %d court rows %s against %d agencies (%.0f MB of CSV, written in %.1f s), MariaDB at %s\n",
		o.rows, order, 5+len(more), float64(info.Size())/1e6, time.Since(began).Seconds(), hostOf(o.dsn))
	runtime.GC() // the rows written are garbage now
	rssBefore := procStatus(0, "VmRSS")

	// The raw baseline: the same rows, split and inserted as they are,
	// 1,000 rows per multi-row INSERT, nothing checked.
	rawDSN, dropRaw, err := freshDatabase(o.dsn, "jiefen_bench_rawimport")
	if err != nil {
		return sum, err
	}
	defer dropRaw()
	raw, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "mysql", DSN: rawDSN, MaxOpenConns: 2, MaxIdleConns: 2, ConnMaxLifetime: time.Hour, ConnMaxIdleTime: time.Hour, Keys: benchKeys()})
	if err != nil {
		return sum, err
	}
	defer raw.Close()
	if _, err := raw.SQL().Exec(`CREATE TABLE raw_rows (id BIGINT AUTO_INCREMENT PRIMARY KEY, case_number VARCHAR(64), plaintiff VARCHAR(200),
		defendant VARCHAR(100), cause VARCHAR(200), filed_on VARCHAR(20), held_on VARCHAR(20), head VARCHAR(8), position VARCHAR(20),
		concluded_on VARCHAR(20), result VARCHAR(20)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`); err != nil {
		return sum, err
	}
	rawStart := time.Now()
	if err := rawInsert(raw, file.Name(), rawBare); err != nil {
		return sum, err
	}
	rawTime := time.Since(rawStart)
	// The same rows inserted as they are into jiefen's own table of cases
	// (its keys and indexes), nothing else: no validation, facts, rollups,
	// court's rows or audit.
	if _, err := raw.Migrate(ctx); err != nil {
		return sum, err
	}
	casesStart := time.Now()
	if err := rawInsert(raw, file.Name(), rawCases); err != nil {
		return sum, err
	}
	casesTime := time.Since(casesStart)

	// jiefen: the file end to end (parse, validate, match the defendant,
	// upsert with facts and rollups, the court's rows, audit).
	dsn, drop, err := freshDatabase(o.dsn, "jiefen_bench_import")
	if err != nil {
		return sum, err
	}
	defer drop()
	db, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 4, MaxIdleConns: 4, ConnMaxLifetime: time.Hour, ConnMaxIdleTime: time.Hour, Keys: benchKeys()})
	if err != nil {
		return sum, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return sum, err
	}
	sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "liaison", Role: jiefen.RoleCourtLiaison})
	orgs, _ := configs.SeedOrgs("")
	if _, err := db.Orgs.EnsureOrgs(sys, append(orgs, more...)); err != nil {
		return sum, err
	}
	// The peak RSS is the import's own: what this process held before
	// (other scenarios under `all`) is given back first.
	debug.FreeOSMemory()
	resetPeakRSS(0)
	var peak atomic.Uint64
	stop := make(chan struct{})
	go peakHeap(stop, &peak)
	if o.cpuProfile != "" {
		pf, err := os.Create(o.cpuProfile)
		if err != nil {
			return sum, err
		}
		pprof.StartCPUProfile(pf)
		defer pf.Close()
	}
	start := time.Now()
	f, err := os.Open(file.Name())
	if err != nil {
		return sum, err
	}
	rep, err := importCSV(sys, db, f)
	f.Close()
	took := time.Since(start)
	close(stop)
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return sum, err
	}
	rssAfter := peakRSS(0)
	fmt.Printf("  raw INSERT    %8.0f rows/s  (%.1f s) into a bare table\n", float64(o.rows)/rawTime.Seconds(), rawTime.Seconds())
	fmt.Printf("  raw INSERT    %8.0f rows/s  (%.1f s) into jiefen's table of cases, its keys and indexes\n", float64(o.rows)/casesTime.Seconds(), casesTime.Seconds())
	fmt.Printf("  jiefen import %8.0f rows/s  (%.1f s: %d created, %d updated, %d unchanged, %d rejected)\n",
		float64(rep.Rows)/took.Seconds(), took.Seconds(), rep.Created, rep.Updated, rep.Unchanged, len(rep.Rejected))
	fmt.Printf("  ratio         %.2f of the raw rate into a bare table (target ≥ 0.33); %.2f of the raw rate into the table of cases\n",
		rawTime.Seconds()/took.Seconds(), casesTime.Seconds()/took.Seconds())
	fmt.Printf("  memory        Go heap in use at most %.0f MB during the import; process peak RSS %.0f MB (%.0f MB resident before the runs)\n",
		float64(peak.Load())/1e6, float64(rssAfter)/1e6, float64(rssBefore)/1e6)

	// Again: nothing changes, and it is reported so.
	f, err = os.Open(file.Name())
	if err != nil {
		return sum, err
	}
	start = time.Now()
	again, err := importCSV(sys, db, f)
	f.Close()
	if err != nil {
		return sum, err
	}
	fmt.Printf("  re-import     %8.0f rows/s  (%d created, %d updated, %d unchanged)\n",
		float64(again.Rows)/time.Since(start).Seconds(), again.Created, again.Updated, again.Unchanged)
	sum.rows, sum.jiefen = o.rows, float64(rep.Rows)/took.Seconds()
	sum.rawBare, sum.rawCase = float64(o.rows)/rawTime.Seconds(), float64(o.rows)/casesTime.Seconds()
	sum.peakRSS, sum.peakHeap = rssAfter, peak.Load()
	return sum, nil
}

// The tables a raw insert writes to.
const (
	rawBare  = "INSERT INTO raw_rows (case_number, plaintiff, defendant, cause, filed_on, held_on, head, position, concluded_on, result) VALUES "
	rawCases = "INSERT INTO litigation_cases (canonical, plaintiff, defendant, cause, filed_on, hearings, key_flags, result, concluded_on, loss_causes, " +
		"as_entered, year, court_code, type_code, serial, version, created_by, created_at, updated_at) VALUES "
)

// rawInsert reads the CSV and inserts its rows as they are, 1,000 per
// statement, with insert (rawBare or rawCases).
func rawInsert(db *sqlstore.DB, path, insert string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return err
	}
	var sql strings.Builder
	args := make([]any, 0, 10_000)
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := db.SQL().Exec(sql.String(), args...)
		sql.Reset()
		args, n = args[:0], 0
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
		if n == 0 {
			sql.WriteString(insert)
		} else {
			sql.WriteString(", ")
		}
		if insert == rawBare {
			sql.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			for _, v := range rec {
				args = append(args, v)
			}
		} else {
			// The columns as they come; NOT NULL bookkeeping filled in.
			var concluded any
			if rec[8] != "" {
				concluded = rec[8]
			}
			sql.WriteString("(?, ?, ?, ?, ?, '[]', '', ?, ?, '', ?, 0, '', '', 0, 1, 'raw', NOW(6), NOW(6))")
			args = append(args, rec[0], rec[1], rec[2], rec[3], rec[4], rec[9], concluded, rec[0])
		}
		if n++; n == 1000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// importCSV imports a bench file through the court file reader, with
// limits sized to the file.
func importCSV(ctx context.Context, db *sqlstore.DB, f *os.File) (sqlstore.CourtImport, error) {
	lim := courtfile.Limits{File: 1 << 40, Unzipped: 1 << 40, Row: 1 << 20, Rows: math.MaxInt}
	file, err := courtfile.Open(ctx, f, lim)
	if err != nil {
		return sqlstore.CourtImport{}, err
	}
	defer file.Close()
	return db.CourtSync.ImportFile(ctx, "bench.csv", file, litigation.DefaultTitles(), nil)
}
