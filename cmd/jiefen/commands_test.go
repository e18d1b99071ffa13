package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"jiefen/internal/pii"
	"jiefen/internal/sqlstore/storetest"
)

// invocation is what runs a command on a working database: its arguments
// after its words (options first, so that --config may be put before
// them) and its standard input.
type invocation struct {
	args  []string
	stdin string
}

// invocations gives every command of jiefen the arguments that would make
// it do its work, with its files in dir: a court caseload CSV, a holiday
// notice, the user liaison. A command missing here fails the tests that
// use it, so that a new command is tested as the others are.
func invocations(t *testing.T, dir string) map[string]invocation {
	t.Helper()
	notice := filepath.Join(dir, "2027.json")
	csv := filepath.Join(dir, "caseload.csv")
	for path, text := range map[string]string{
		notice: `{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`,
		csv: "\uFEFF案号,原告,被告,案由,立案日期,开庭日期,负责人出庭,出庭人职务,结案日期,结案方式\n" +
			"（2025）豫0482行初9999号,甲,公安局,行政处罚,2025-01-10,2025-03-05,是,副职,2025-04-20,撤销\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return map[string]invocation{
		"serve":           {},
		"migrate":         {},
		"user create":     {args: []string{"--username", "liaison", "--role", "court_liaison", "--password-stdin"}, stdin: "Liaison-Pass-2026\n"},
		"calendar import": {args: []string{notice}},
		"demo":            {args: []string{"--disputes", "20"}},
		"import":          {args: []string{"--user", "liaison", csv}},
		"keys new":        {args: []string{filepath.Join(dir, "new.keys")}},
		"keys rotate":     {},
		"help":            {},
	}
}

// commandLine is the command line of c: its words, then more, then args.
func commandLine(c command, args []string, more ...string) []string {
	return slices.Concat(strings.Fields(c.name), more, args)
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// TestHelpListsEveryCommandTheDispatcherRuns: jiefen help lists every
// command the dispatcher runs, each with a line of its own in Chinese, and
// nothing it does not run; a command's first word alone (jiefen keys) is
// answered with its subcommands, an unknown word is refused.
func TestHelpListsEveryCommandTheDispatcherRuns(t *testing.T) {
	e, out, errb := testEnv("", map[string]string{"JIEFEN_DB_DSN": filepath.Join(t.TempDir(), "j.db")})
	if code := run(context.Background(), []string{"help"}, e); code != 0 {
		t.Fatalf("jiefen help: exit %d, %s", code, errb)
	}
	help := out.String()
	_, listed, _ := strings.Cut(help, "命令：\n")
	listed, _, _ = strings.Cut(listed, "\n\n")
	var names []string
	for _, line := range strings.Split(listed, "\n") {
		if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
			var words []string
			for _, w := range strings.Fields(line) {
				if !regexp.MustCompile(`^[a-z]+$`).MatchString(w) {
					break
				}
				words = append(words, w)
			}
			names = append(names, strings.Join(words, " "))
		}
	}
	var table []string
	for _, c := range commands() {
		table = append(table, c.name)
		if !strings.Contains(help, c.summary) || !hasHan(c.summary) {
			t.Errorf("jiefen help does not say in Chinese what %s does (%q)", c.name, c.summary)
		}
		// The dispatcher runs what the help lists, by the words listed.
		if found, rest, err := lookup(strings.Fields(c.name)); err != nil || found.name != c.name || len(rest) != 0 {
			t.Errorf("the dispatcher does not run %q: %q %v", c.name, found.name, err)
		}
	}
	if !slices.Equal(names, table) {
		t.Errorf("jiefen help lists %q, the dispatcher runs %q", names, table)
	}
	for _, want := range []string{"serve", "migrate", "user create", "calendar import", "demo", "import", "keys new", "keys rotate", "help"} {
		if !slices.Contains(names, want) {
			t.Errorf("jiefen help does not list %s", want)
		}
	}
	for word, subs := range map[string][]string{"user": {"user create"}, "calendar": {"calendar import"}, "keys": {"keys new", "keys rotate"}} {
		e, out, errb := testEnv("", nil)
		if code := run(context.Background(), []string{word}, e); code != 2 || out.Len() != 0 {
			t.Errorf("jiefen %s: exit %d, stdout %q", word, code, out)
		}
		for _, sub := range subs {
			if !strings.Contains(errb.String(), "  "+sub+" ") {
				t.Errorf("jiefen %s does not name its subcommand %s: %q", word, sub, errb)
			}
		}
	}
	e, _, errb = testEnv("", nil)
	if code := run(context.Background(), []string{"keys", "destroy"}, e); code != 2 || !strings.Contains(errb.String(), "keys rotate") {
		t.Errorf("jiefen keys destroy: exit %d, %q", code, errb)
	}
}

// TestCommandHelpPrintsItsOptionsInChinese: jiefen COMMAND -h (and
// jiefen help COMMAND) prints the command's line and every option with its
// meaning in Chinese, not Go's "Usage of", exits 0 and does nothing else;
// the options printed are those the command's line shows.
func TestCommandHelpPrintsItsOptionsInChinese(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db")}
	option := regexp.MustCompile(`--[a-z-]+`)
	for _, c := range commands() {
		if c.name == "help" {
			continue
		}
		for _, line := range [][]string{commandLine(c, nil, "-h"), commandLine(c, nil, "--help"), append([]string{"help"}, strings.Fields(c.name)...)} {
			e, out, errb := testEnv("", vars)
			if code := run(context.Background(), line, e); code != 0 || errb.Len() != 0 {
				t.Errorf("jiefen %s: exit %d, stderr %q", strings.Join(line, " "), code, errb)
				continue
			}
			text := out.String()
			if !strings.HasPrefix(text, "用法：jiefen "+c.name+" "+c.synopsis+"\n") || !strings.Contains(text, c.summary) || strings.Contains(text, "Usage of") {
				t.Errorf("jiefen %s prints:\n%s", strings.Join(line, " "), text)
				continue
			}
			var printed []string
			for _, l := range strings.Split(text, "\n") {
				if !strings.HasPrefix(l, "  --") {
					continue
				}
				printed = append(printed, option.FindString(l))
				if !hasHan(l) {
					t.Errorf("jiefen %s: the option line %q is not in Chinese", strings.Join(line, " "), l)
				}
			}
			shown := option.FindAllString(c.synopsis, -1)
			slices.Sort(shown)
			if !slices.Equal(printed, shown) {
				t.Errorf("jiefen %s prints the options %q; its line shows %q", strings.Join(line, " "), printed, shown)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("-h made files: %v", entries)
	}
	e, out, errb := testEnv("", vars)
	if code := run(context.Background(), []string{"import", "--frobnicate"}, e); code != 2 || out.Len() != 0 ||
		!strings.Contains(errb.String(), "没有选项 --frobnicate") || !strings.Contains(errb.String(), "jiefen import -h") {
		t.Errorf("an unknown option: exit %d, %q %q", code, out, errb)
	}
}

// TestEveryCommandReadsTheServiceConfig: every command but help and keys
// new (which reads nothing but the file it is given) takes --config and
// reads the configuration as serve does, the file and then the JIEFEN_*
// environment: a config file that is not there, or a bad setting in the
// environment, stops each, named.
func TestEveryCommandReadsTheServiceConfig(t *testing.T) {
	dir := t.TempDir()
	calls := invocations(t, dir)
	missing := filepath.Join(dir, "none", "jiefen.yaml")
	for _, c := range commands() {
		call, ok := calls[c.name]
		if !ok {
			t.Errorf("add the command %q to invocations", c.name)
			continue
		}
		e, out, _ := testEnv("", nil)
		run(context.Background(), commandLine(c, nil, "-h"), e)
		if takes := strings.Contains(out.String(), "--config FILE"); takes != !slices.Contains([]string{"help", "keys new"}, c.name) {
			t.Errorf("jiefen %s takes --config: %v", c.name, takes)
		}
		if c.name == "help" || c.name == "keys new" {
			continue
		}
		e, _, errb := testEnv(call.stdin, nil)
		if code := run(context.Background(), commandLine(c, call.args, "--config", missing), e); code == 0 || !strings.Contains(errb.String(), missing) || !hasHan(errb.String()) {
			t.Errorf("jiefen %s --config %s (not there): exit %d, %q", c.name, missing, code, errb)
		}
		e, _, errb = testEnv(call.stdin, map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db"), "JIEFEN_DB_DRIVER": "oracle"})
		if code := run(context.Background(), commandLine(c, call.args), e); code == 0 || !strings.Contains(errb.String(), "db.driver") {
			t.Errorf("jiefen %s with JIEFEN_DB_DRIVER=oracle: exit %d, %q", c.name, code, errb)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "j.db")); err == nil {
		t.Error("a command with a bad configuration made a database")
	}
}

// TestCommandsWorkFromAnotherFolder: with the service's configuration in a
// file (or in the environment) naming its SQLite database in the
// service's folder, every command run from another folder works on that
// database and its key file, and the service then serves what they
// wrote: nothing is made in the folder they were run from.
func TestCommandsWorkFromAnotherFolder(t *testing.T) {
	for _, how := range []string{"config file", "environment"} {
		t.Run(how, func(t *testing.T) {
			home := t.TempDir()
			data := filepath.Join(home, "data")
			calls := invocations(t, home)
			vars := map[string]string{}
			var config []string
			if how == "config file" {
				cfg := filepath.Join(home, "jiefen.yaml")
				yaml := "db:\n  dsn: " + filepath.Join(data, "jiefen.db") + "\njobs:\n  enabled: false\n"
				if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
					t.Fatal(err)
				}
				config = []string{"--config", cfg}
			} else {
				vars = map[string]string{"JIEFEN_DB_DSN": filepath.Join(data, "jiefen.db"), "JIEFEN_JOBS_ENABLED": "false"}
			}
			elsewhere := t.TempDir()
			t.Chdir(elsewhere)
			ctx := context.Background()
			do := func(name string, want ...string) {
				t.Helper()
				call := calls[name]
				c, _, _ := lookup(strings.Fields(name))
				e, out, errb := testEnv(call.stdin, vars)
				if code := run(ctx, commandLine(c, call.args, config...), e); code != 0 {
					t.Fatalf("jiefen %s: exit %d, %q %q", name, code, out, errb)
				}
				for _, w := range want {
					if !strings.Contains(out.String(), w) {
						t.Errorf("jiefen %s says %q, want %q", name, out, w)
					}
				}
			}
			do("migrate", filepath.Join(data, "jiefen.db"))
			do("user create", "已创建账号 liaison")
			do("calendar import", "已载入 2027 年节假日安排")
			do("import", "新增 1")
			do("keys rotate", filepath.Join(data, "jiefen.keys"))
			if how == "config file" { // the demo takes its time: once
				do("demo", filepath.Join(data, "demo-accounts.txt"))
			}
			if f, err := readKeyFile(filepath.Join(data, "jiefen.keys")); err != nil || f.Current != "k2" {
				t.Errorf("the service's key file after keys rotate: current %q, %v", f.Current, err)
			}
			// serve, from the same folder, serves what the commands wrote.
			addr := freeAddr(t)
			served := map[string]string{"JIEFEN_HTTP_ADDR": addr}
			for k, v := range vars {
				served[k] = v
			}
			e, _, errb := testEnv("", served)
			sctx, stop := context.WithCancel(ctx)
			done := make(chan int, 1)
			go func() { done <- run(sctx, append([]string{"serve"}, config...), e) }()
			waitReady(t, "http://"+addr)
			loginAs(t, "http://"+addr, "liaison", "Liaison-Pass-2026")
			stop()
			if code := <-done; code != 0 {
				t.Errorf("serve: exit %d, %s", code, errb)
			}
			if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
				t.Errorf("the commands made files in the folder they were run from: %v", entries)
			}
		})
	}
}

// TestCommandsRefuseAMissingDatabase: every other command, run where the
// service's database or key file is not (a SQLite file missing, a key file
// missing, a database without tables, on SQLite and on MySQL), refuses on
// standard error in Chinese, naming what is missing, with a non-zero exit,
// and makes nothing.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	ctx := context.Background()
	// Only these may make a new database or key file: serve and migrate
	// (the first start), demo, user create (the bootstrap of the first
	// admin, API.md), and keys new, which makes the key file it is given;
	// help touches nothing.
	mayMake := []string{"serve", "migrate", "demo", "user create", "keys new", "help"}
	calls := invocations(t, t.TempDir())
	var refusing []command
	for _, c := range commands() {
		if _, ok := calls[c.name]; !ok {
			t.Errorf("add the command %q to invocations", c.name)
		}
		if !slices.Contains(mayMake, c.name) {
			refusing = append(refusing, c)
		}
	}
	refuse := func(t *testing.T, vars map[string]string, want ...string) {
		t.Helper()
		for _, c := range refusing {
			call := calls[c.name]
			e, out, errb := testEnv(call.stdin, vars)
			code := run(ctx, commandLine(c, call.args), e)
			if code == 0 || out.Len() != 0 || !hasHan(errb.String()) {
				t.Errorf("jiefen %s: exit %d, stdout %q, stderr %q", c.name, code, out, errb)
			}
			for _, w := range want {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("jiefen %s: %q does not say %q", c.name, errb, w)
				}
			}
		}
	}

	t.Run("no SQLite file", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "data", "jiefen.db")
		refuse(t, map[string]string{"JIEFEN_DB_DSN": db}, "数据库 "+db+" 尚未建立，请先运行 jiefen migrate 或 jiefen serve")
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("a refused command made %v", entries)
		}
		// Relative to the folder it is run in, the path is named in full.
		t.Chdir(dir)
		refuse(t, nil, "数据库 "+db+" 尚未建立")
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("a refused command made %v", entries)
		}
	})

	t.Run("no key file", func(t *testing.T) {
		dir := t.TempDir()
		vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db")}
		e, _, errb := testEnv("", vars)
		if code := run(ctx, []string{"migrate"}, e); code != 0 {
			t.Fatalf("migrate: %s", errb)
		}
		beside := filepath.Join(dir, "jiefen.keys")
		if err := os.Remove(beside); err != nil {
			t.Fatal(err)
		}
		refuse(t, vars, "密钥文件 "+beside+" 不存在")
		if _, err := os.Stat(beside); err == nil {
			t.Error("a refused command made a key file beside the database")
		}
		configured := filepath.Join(dir, "keys", "service.keys")
		vars["JIEFEN_PII_KEY_FILE"] = configured
		refuse(t, vars, "密钥文件 "+configured+"（pii.key_file）不存在")
		if _, err := os.Stat(filepath.Dir(configured)); err == nil {
			t.Error("a refused command made the key file's folder")
		}
	})

	t.Run("an empty SQLite file", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "j.db")
		if err := os.WriteFile(db, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		writeKeys(t, filepath.Join(dir, "jiefen.keys"))
		refuse(t, map[string]string{"JIEFEN_DB_DSN": db}, "数据库 "+db+" 尚未建立")
		if n := sqliteTables(t, db); n != 0 {
			t.Errorf("a refused command made %d tables", n)
		}
	})

	base := os.Getenv("JIEFEN_TEST_MYSQL_DSN")
	if base == "" {
		t.Log("JIEFEN_TEST_MYSQL_DSN is not set: MySQL not tested")
		return
	}
	t.Run("MySQL without tables", func(t *testing.T) {
		dsn, drop := storetest.NewMySQLDatabase(t, base)
		t.Cleanup(drop)
		keys := filepath.Join(t.TempDir(), "keys.json")
		writeKeys(t, keys)
		before, _ := os.ReadFile(keys)
		name := regexp.MustCompile(`/(jiefen_test_[0-9a-f]+)`).FindStringSubmatch(dsn)[1]
		vars := map[string]string{"JIEFEN_DB_DRIVER": "mysql", "JIEFEN_DB_DSN": dsn, "JIEFEN_PII_KEY_FILE": keys}
		refuse(t, vars, "数据库 "+name+"（MySQL ", "尚未建立，请先运行 jiefen migrate 或 jiefen serve")
		pool, err := sql.Open("mysql", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		var n int
		if err := pool.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(&n); err != nil || n != 0 {
			t.Errorf("a refused command made %d tables (%v)", n, err)
		}
		if after, _ := os.ReadFile(keys); string(after) != string(before) {
			t.Error("a refused keys rotate changed the key file")
		}
		vars["JIEFEN_DB_DSN"] = strings.Replace(dsn, name, name+"_absent", 1)
		refuse(t, vars, "MySQL 上没有数据库 "+name+"_absent")
	})
}

// writeKeys writes a fresh key file at path.
func writeKeys(t *testing.T, path string) {
	t.Helper()
	f, err := pii.NewKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	if err := pii.WriteKeyFile(path, f); err != nil {
		t.Fatal(err)
	}
}

// sqliteTables counts the tables of the SQLite database at path.
func sqliteTables(t *testing.T, path string) int {
	t.Helper()
	pool, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int
	if err := pool.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
