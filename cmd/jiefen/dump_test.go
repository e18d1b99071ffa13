package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"jiefen/configs"
	"jiefen/internal/auth"
	"jiefen/internal/pii"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/routing"
)

// Issue 11's "done when": a dump of the database holds no ID number or
// phone in clear.

var (
	// residentID is an 18-character resident ID number (GB 11643).
	residentID = regexp.MustCompile(`[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]`)
	// mobile is a mainland mobile number.
	mobile = regexp.MustCompile(`1[3-9]\d{9}`)
)

// clearPII returns what in b looks like a resident ID number or a mobile
// number in clear, with some context. A match inside a digest (a run of at
// least 32 hex characters with a letter: audit hashes, blind indexes,
// token hashes) is no personal data: hex holds runs of digits by chance.
func clearPII(b []byte) []string {
	isHex := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	var found []string
	for _, re := range []*regexp.Regexp{residentID, mobile} {
		for _, m := range re.FindAllIndex(b, -1) {
			from, to := m[0], m[1]
			for from > 0 && isHex(b[from-1]) {
				from--
			}
			for to < len(b) && isHex(b[to]) {
				to++
			}
			if to-from >= 32 && bytes.ContainsFunc(b[from:to], func(r rune) bool { return r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' }) {
				continue
			}
			found = append(found, fmt.Sprintf("%q in …%q…", b[m[0]:m[1]], b[max(0, m[0]-30):min(len(b), m[1]+30)]))
		}
	}
	return found
}

// TestDumpScannerFindsClearValues: the scanner of the dump tests finds an
// ID number and a phone in clear, also next to other bytes, and passes
// over digits inside a digest.
func TestDumpScannerFindsClearValues(t *testing.T) {
	for _, s := range []string{`[{"id_number":"410482199001011234","name":"王建国"}]`, `{"phone":"13512345678"}`,
		"\x01\x02410482199001011234\x35", "abc13512345678"} {
		if len(clearPII([]byte(s))) == 0 {
			t.Errorf("the scanner misses the clear value in %q", s)
		}
	}
	digest := "453c3447e30c9e103281b4c7dba1c9023874e6d914565042475ab4d2a786735da4d2612c7636029f5577ebfb96c"
	if got := clearPII([]byte(`"` + digest + `"`)); len(got) != 0 {
		t.Errorf("the scanner takes a digest for personal data: %v", got)
	}
}

// The SQLite demo database, made once and copied by each test that needs
// it: the demo takes seconds (it hashes the passwords of some sixty users).
var demo struct {
	once     sync.Once
	dir      string // j.db and jiefen.keys as the demo left them
	stdout   string
	stderr   string
	keyMode  os.FileMode
	keyFound bool
	err      error
}

// removeDemo deletes the shared demo database (called by TestMain).
func removeDemo() {
	if demo.dir != "" {
		os.RemoveAll(demo.dir)
	}
}

// demoVars is the environment of the commands on a SQLite database at
// dir/j.db.
func demoVars(dir string) map[string]string {
	return map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db"), "JIEFEN_HTTP_ADDR": "127.0.0.1:0", "JIEFEN_JOBS_ENABLED": "false"}
}

// sqliteDemo returns a folder of the test's own with a copy of the SQLite
// demo database of 200 disputes and its key file, and the demo's output.
func sqliteDemo(t *testing.T) (dir, stdout string) {
	t.Helper()
	demo.once.Do(func() {
		if demo.dir, demo.err = os.MkdirTemp("", "jiefen-demo-"); demo.err != nil {
			return
		}
		e, out, errb := testEnv("", demoVars(demo.dir))
		if code := run(context.Background(), []string{"demo", "--disputes", "200"}, e); code != 0 {
			demo.err = fmt.Errorf("demo: exit %d: %s", code, errb)
			return
		}
		demo.stdout, demo.stderr = out.String(), errb.String()
		if st, err := os.Stat(filepath.Join(demo.dir, "jiefen.keys")); err == nil {
			demo.keyFound, demo.keyMode = true, st.Mode().Perm()
		}
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	dir = t.TempDir()
	entries, err := os.ReadDir(demo.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		b, err := os.ReadFile(filepath.Join(demo.dir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, en.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, demo.stdout
}

// openDemo opens the store of a demo copy with its key file.
func openDemo(t *testing.T, dir string) *sqlstore.DB {
	t.Helper()
	ring, err := pii.FileProvider{Path: filepath.Join(dir, "jiefen.keys")}.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(dir, "j.db"), Keys: ring})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// demoPersonal reads every dispute through the store and returns the
// applicants' ID numbers and phones in clear, by dispute code, checking
// that the demo gave each applicant both, so that the scans below have
// something to find.
func demoPersonal(t *testing.T, db *sqlstore.DB, want int) (ids, phones map[string]string) {
	t.Helper()
	ds, err := db.Disputes.ListDisputes(context.Background(), sqlstore.DisputeFilter{Limit: 10 * want, Scope: auth.Scope{AllDisputes: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != want {
		t.Fatalf("%d disputes in the demo database, want %d", len(ds), want)
	}
	ids, phones = map[string]string{}, map[string]string{}
	for _, d := range ds {
		p := d.Parties[0]
		if !residentID.MatchString(p.IDNumber) || !mobile.MatchString(p.Phone) {
			t.Fatalf("dispute %s: applicant %+v, want an ID number and a phone in clear", d.Code, p)
		}
		ids[d.Code], phones[d.Code] = p.IDNumber, p.Phone
	}
	return ids, phones
}

// wantNoClear fails when b (named what) holds personal data in clear: a
// match of the regexps, or any of the known values.
func wantNoClear(t *testing.T, what string, b []byte, known ...map[string]string) {
	t.Helper()
	if found := clearPII(b); len(found) > 0 {
		t.Errorf("%s holds %d ID numbers or phones in clear, the first %s", what, len(found), found[0])
	}
	for _, m := range known {
		for code, v := range m {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s holds the ID number or phone of dispute %s in clear", what, code)
			}
		}
	}
}

// TestDumpSQLiteHoldsNoIDNumberOrPhone: after `jiefen demo --disputes 200`
// on SQLite, the database file (and its WAL) holds no ID number or phone
// in clear, though the demo's parties have them; the key file that seals
// them was made beside the database, readable by its owner only.
func TestDumpSQLiteHoldsNoIDNumberOrPhone(t *testing.T) {
	dir, _ := sqliteDemo(t)
	if !demo.keyFound || demo.keyMode != 0o600 {
		t.Errorf("the demo's key file beside the database: found %v, mode %v; want mode 0600", demo.keyFound, demo.keyMode)
	}
	if !strings.Contains(demo.stderr, "已新建密钥文件") {
		t.Errorf("the first start did not say it made the key file: %q", demo.stderr)
	}
	files := map[string][]byte{}
	for _, name := range []string{"j.db", "j.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			files[name] = b
		} else if name == "j.db" {
			t.Fatal(err)
		}
	}
	if !bytes.Contains(files["j.db"], []byte("sm4gcm:k1:")) {
		t.Fatal("the database file holds no value sealed under k1: is the scan looking at the data?")
	}
	db := openDemo(t, dir)
	ids, phones := demoPersonal(t, db, 200)
	db.Close()
	for name, b := range files {
		wantNoClear(t, name, b, ids, phones)
	}
}

// TestDumpMySQLHoldsNoIDNumberOrPhone: the same demo into MariaDB, then
// every text or binary column of every table read back: no ID number or
// phone in clear.
func TestDumpMySQLHoldsNoIDNumberOrPhone(t *testing.T) {
	base := os.Getenv("JIEFEN_TEST_MYSQL_DSN")
	if base == "" {
		t.Skip("JIEFEN_TEST_MYSQL_DSN not set")
	}
	ctx := context.Background()
	dsn, drop := storetest.NewMySQLDatabase(t, base)
	t.Cleanup(drop)
	kf, err := pii.NewKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := json.Marshal(kf)
	vars := map[string]string{"JIEFEN_DB_DRIVER": "mysql", "JIEFEN_DB_DSN": dsn, "JIEFEN_PII_KEYS": string(keys),
		"JIEFEN_HTTP_ADDR": "127.0.0.1:0", "JIEFEN_JOBS_ENABLED": "false"}
	e, _, errb := testEnv("", vars)
	accounts := filepath.Join(t.TempDir(), "demo-accounts.txt") // with MySQL the default is the working folder
	if code := run(ctx, []string{"demo", "--disputes", "200", "--accounts-file", accounts}, e); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errb)
	}
	ring, err := kf.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 4, Keys: ring})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids, phones := demoPersonal(t, db, 200)

	type column struct{ table, name string }
	var cols []column
	rows, err := db.SQL().QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = DATABASE() AND data_type IN ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'json',
			'enum', 'set', 'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob')
		ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.table, &c.name); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(cols, column{"disputes", "parties"}) || !slices.Contains(cols, column{"reconsideration_cases", "applicant"}) ||
		!slices.Contains(cols, column{"dispute_party_ids", "id_number"}) {
		t.Fatalf("the columns to scan lack the parties: %v", cols)
	}
	values, sealed := 0, 0
	for _, c := range cols {
		rows, err := db.SQL().QueryContext(ctx, fmt.Sprintf("SELECT `%s` FROM `%s` WHERE `%s` IS NOT NULL", c.name, c.table, c.name))
		if err != nil {
			t.Fatal(err)
		}
		var all bytes.Buffer
		for rows.Next() {
			var v sql.RawBytes
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			values++
			sealed += bytes.Count(v, []byte("sm4gcm:"))
			// Each value on its own, so that a match cannot span two.
			if found := clearPII(v); len(found) > 0 {
				t.Errorf("%s.%s holds an ID number or phone in clear: %s", c.table, c.name, found[0])
			}
			all.Write(v)
			all.WriteByte(0)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		for _, m := range []map[string]string{ids, phones} {
			for code, v := range m {
				if bytes.Contains(all.Bytes(), []byte(v)) {
					t.Errorf("%s.%s holds the ID number or phone of dispute %s in clear", c.table, c.name, code)
				}
			}
		}
	}
	if sealed < 400 {
		t.Errorf("%d sealed values among %d scanned, want at least the 400 ID numbers and phones of the demo", sealed, values)
	}
	t.Logf("scanned %d values of %d columns; %d sealed values", values, len(cols), sealed)
}

// TestKeysNewWritesAPrivateFileOnce: `jiefen keys new FILE` writes a key
// file readable by its owner only, that opens as a keyring, and refuses to
// overwrite one; a key file readable by others is refused at the start.
func TestKeysNewWritesAPrivateFileOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "keys.json")
	e, out, errb := testEnv("", nil)
	if code := run(ctx, []string{"keys", "new", path}, e); code != 0 || !strings.Contains(out.String(), "已生成密钥文件 "+path) {
		t.Fatalf("keys new: exit %d: %q %q", code, out, errb)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	first, _ := os.ReadFile(path)
	ring, err := pii.FileProvider{Path: path}.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	if ring.Current() != "k1" || !slices.Equal(ring.KeyIDs(), []string{"k1"}) {
		t.Errorf("keyring current %s, keys %v", ring.Current(), ring.KeyIDs())
	}
	if _, err := os.Stat(path + ".tmp"); err == nil {
		t.Error("the temporary file was left behind")
	}

	e, _, errb = testEnv("", nil)
	if code := run(ctx, []string{"keys", "new", path}, e); code == 0 || !strings.Contains(errb.String(), "从不覆盖") {
		t.Errorf("keys new over an existing file: exit %d, %q", code, errb)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, first) {
		t.Error("keys new changed an existing key file")
	}
	e, _, errb = testEnv("", nil)
	if code := run(ctx, []string{"keys", "new"}, e); code == 0 {
		t.Errorf("keys new without a file: exit 0, %q", errb)
	}

	// The file configured, a start opens with it; readable by others, it is
	// refused.
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db"), "JIEFEN_PII_KEY_FILE": path}
	e, out, errb = testEnv("", vars)
	if code := run(ctx, []string{"migrate"}, e); code != 0 {
		t.Fatalf("migrate with the new key file: exit %d: %q %q", code, out, errb)
	}
	if _, err := os.Stat(filepath.Join(dir, "jiefen.keys")); err == nil {
		t.Error("a key file was made beside the database though one is configured")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	e, _, errb = testEnv("", vars)
	if code := run(ctx, []string{"migrate"}, e); code == 0 || !strings.Contains(errb.String(), "readable by others") {
		t.Errorf("migrate with a key file readable by others: exit %d, %q", code, errb)
	}
}

// rawKeyIDs counts the sealed values of the disputes' parties by the key
// they are sealed under.
func rawKeyIDs(t *testing.T, db *sqlstore.DB) map[string]int {
	t.Helper()
	rows, err := db.SQL().Query("SELECT parties FROM disputes")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := map[string]int{}
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			t.Fatal(err)
		}
		var ps []map[string]any
		if err := json.Unmarshal([]byte(text), &ps); err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			for _, f := range []string{"id_number", "phone", "address"} {
				if s, _ := p[f].(string); s != "" {
					n[pii.KeyOf(s)]++ // "" for a value in clear
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// partyIndexes is dispute_party_ids as stored.
func partyIndexes(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	rows, err := db.SQL().Query("SELECT id_number, dispute_id FROM dispute_party_ids ORDER BY dispute_id, id_number")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		var d int64
		if err := rows.Scan(&id, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d:%s", d, id))
	}
	return out
}

// TestKeysRotateResealsTheDemo: `jiefen keys rotate` on the SQLite demo
// database adds k2 to the key file beside it, makes it current and
// reseals every value under it; the blind indexes stay; the service still
// starts, and an intake desk reading a dispute unmasked sees the ID
// number in clear; the old key alone no longer opens the data.
func TestKeysRotateResealsTheDemo(t *testing.T) {
	ctx := context.Background()
	dir, demoOut := sqliteDemo(t)
	keyPath := filepath.Join(dir, "jiefen.keys")
	oldFile, err := readKeyFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	db := openDemo(t, dir)
	ids, _ := demoPersonal(t, db, 200)
	if n := rawKeyIDs(t, db); n["k1"] != 400 || len(n) != 1 {
		t.Fatalf("before rotation the values are sealed under %v, want 400 under k1", n)
	}
	indexes := partyIndexes(t, db)
	db.Close()

	vars := demoVars(dir)
	e, out, errb := testEnv("", vars)
	if code := run(ctx, []string{"keys", "rotate"}, e); code != 0 {
		t.Fatalf("keys rotate: exit %d: %q %q", code, out, errb)
	}
	if !strings.Contains(out.String(), "新增数据密钥 k2") {
		t.Errorf("keys rotate said %q", out)
	}
	// The reseal of the 200 disputes is reported, on one stream or the other
	// (see TestKeysRotateReportsTheResealedDisputes).
	if both := out.String() + errb.String(); !strings.Contains(both, "纠纷 200 件") {
		t.Errorf("keys rotate reported no reseal of the 200 disputes: %q %q", out, errb)
	}
	st, err := os.Stat(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("the rotated key file has mode %v, want 0600", st.Mode().Perm())
	}
	newFile, err := readKeyFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if newFile.Current != "k2" || len(newFile.Keys) != 2 || newFile.Keys["k1"] != oldFile.Keys["k1"] || newFile.Keys["k2"] == "" ||
		newFile.IndexKey != oldFile.IndexKey {
		t.Errorf("rotated key file: current %s, keys %v, index key kept %v", newFile.Current, slices.Sorted(maps.Keys(newFile.Keys)),
			newFile.IndexKey == oldFile.IndexKey)
	}

	db = openDemo(t, dir)
	if n := rawKeyIDs(t, db); n["k2"] != 400 || len(n) != 1 {
		t.Errorf("after rotation the values are sealed under %v, want 400 under k2", n)
	}
	var state string
	if err := db.SQL().QueryRow("SELECT key_id FROM pii_state WHERE id = 1").Scan(&state); err != nil || state != "k2" {
		t.Errorf("pii_state remembers %q (%v), want k2", state, err)
	}
	if got := partyIndexes(t, db); !slices.Equal(got, indexes) {
		t.Error("rotating the data keys changed the blind indexes")
	}
	var code string
	for c := range ids {
		code = c
		break
	}
	d, err := db.Disputes.Dispute(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if d.Parties[0].IDNumber != ids[code] {
		t.Errorf("dispute %s read back after rotation with ID number %q", code, d.Parties[0].IDNumber)
	}
	db.Close()
	oldRing, err := oldFile.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	old, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(dir, "j.db"), Keys: oldRing})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Disputes.Dispute(ctx, code); err == nil || strings.Contains(err.Error(), ids[code]) {
		t.Errorf("the old key alone read a resealed dispute: %v", err)
	}
	old.Close()

	// The service starts, and the intake desk sees the ID number unmasked.
	e, out, errb = testEnv("", vars)
	if code := run(ctx, []string{"migrate"}, e); code != 0 {
		t.Fatalf("migrate after rotation: exit %d: %q %q", code, out, errb)
	}
	a, logs := serving(t, e)
	m := regexp.MustCompile(`demo-intake\s+intake\s+(\S+)`).FindStringSubmatch(demoOut)
	if m == nil {
		t.Fatalf("no password of demo-intake in the demo's output %q", demoOut)
	}
	base := "http://" + a.Addr()
	var login struct{ Token string }
	call(t, "POST", base+"/api/v1/auth/login", "", fmt.Sprintf(`{"username":"demo-intake","password":%q}`, m[1]), 200, &login)
	var clear, masked routing.Dispute
	call(t, "GET", base+"/api/v1/disputes/"+code+"?unmask=true", login.Token, "", 200, &clear)
	if clear.Parties[0].IDNumber != ids[code] {
		t.Errorf("the unmasked dispute shows the ID number %q, want %q", clear.Parties[0].IDNumber, ids[code])
	}
	call(t, "GET", base+"/api/v1/disputes/"+code, login.Token, "", 200, &masked)
	if masked.Parties[0].IDNumber == ids[code] || masked.Parties[0].IDNumber == "" {
		t.Errorf("the masked dispute shows the ID number as %q", masked.Parties[0].IDNumber)
	}
	if strings.Contains(logs.String(), ids[code]) {
		t.Error("the ID number reached the log")
	}
}

// TestKeysRotateReportsTheResealedDisputes: what `jiefen keys rotate`
// prints as resealed counts the disputes it resealed.
func TestKeysRotateReportsTheResealedDisputes(t *testing.T) {
	dir, _ := sqliteDemo(t)
	e, out, errb := testEnv("", demoVars(dir))
	if code := run(context.Background(), []string{"keys", "rotate"}, e); code != 0 {
		t.Fatalf("keys rotate: exit %d: %q %q", code, out, errb)
	}
	if !strings.Contains(out.String(), "已用 k2 重新加密：纠纷 200 件") {
		t.Errorf("keys rotate resealed the 200 disputes of the demo but reports on standard output:\n%s(standard error: %q)", out, errb)
	}
}

// TestKeysRotateRefusesKeysFromTheEnvironment: keys given in
// JIEFEN_PII_KEYS are rotated there, not by the command.
func TestKeysRotateRefusesKeysFromTheEnvironment(t *testing.T) {
	kf, err := pii.NewKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := json.Marshal(kf)
	vars := demoVars(t.TempDir())
	vars["JIEFEN_PII_KEYS"] = string(keys)
	e, _, errb := testEnv("", vars)
	if code := run(context.Background(), []string{"keys", "rotate"}, e); code == 0 || !strings.Contains(errb.String(), "JIEFEN_PII_KEYS") {
		t.Errorf("keys rotate with JIEFEN_PII_KEYS: exit %d, %q", code, errb)
	}
}

// TestKeysLostKeyFileStopsTheStart: a SQLite database whose key file is
// gone (restored from a backup without it, or the file deleted) holds data
// no new key opens. A start must refuse rather than make a fresh key file
// with the same key id k1 and serve: every read of an existing dispute
// would fail, and what is registered meanwhile would be sealed under a key
// that cannot sit beside the original k1 once that file is found.
func TestKeysLostKeyFileStopsTheStart(t *testing.T) {
	ctx := context.Background()
	dir, _ := sqliteDemo(t)
	if err := os.Remove(filepath.Join(dir, "jiefen.keys")); err != nil {
		t.Fatal(err)
	}
	e, _, _ := testEnv("", demoVars(dir))
	c, err := configs.Load("", e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(ctx, c, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err == nil {
		_, read := a.db.Disputes.Dispute(ctx, "1")
		a.ln.Close()
		a.db.Close()
		t.Fatalf("the service started on sealed data without its key file (it made a new one); reading dispute 1 then fails: %v", read)
	}
}
