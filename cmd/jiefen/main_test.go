package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/configs"
)

func testEnv(stdin string, vars map[string]string) (env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}, &out, &errb
}

func TestUserCreateAndServe(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(t.TempDir(), "j.db"), "JIEFEN_HTTP_ADDR": "127.0.0.1:0"}

	e, _, errb := testEnv("weak\n", vars)
	if code := run(ctx, []string{"user", "create", "--username", "admin", "--role", "admin", "--password-stdin"}, e); code == 0 ||
		!strings.Contains(errb.String(), "password") {
		t.Fatalf("weak password: exit %d, stderr %q", code, errb)
	}
	e, _, errb = testEnv("Agency-Pass-2026\n", vars)
	if code := run(ctx, []string{"user", "create", "--username", "gaj-legal", "--role", "agency_staff", "--org", "RZ-GAJ", "--name", "李娜", "--password-stdin"}, e); code != 0 {
		t.Fatalf("an agency user on a fresh database: exit %d, %q", code, errb)
	}
	var out *bytes.Buffer
	e, out, errb = testEnv("Admin-Pass-2026\n", vars)
	if code := run(ctx, []string{"user", "create", "--username", "admin", "--role", "admin", "--password-stdin"}, e); code != 0 {
		t.Fatalf("user create: exit %d, stderr %q", code, errb)
	}
	if !strings.Contains(out.String(), "已创建账号 admin（角色："+jiefen.RoleAdmin.Label()+"）") || strings.Contains(out.String(), "角色：admin") {
		t.Fatalf("stdout %q", out)
	}
	e, out, _ = testEnv("", vars)
	if code := run(ctx, []string{"migrate"}, e); code != 0 || !strings.Contains(out.String(), "已执行 0 项迁移") {
		t.Fatalf("migrate: exit %d, %q", code, out)
	}

	c, err := configs.Load("", e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a, err := newApp(ctx, c, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.serve(sctx) }()
	base := "http://" + a.Addr()

	res, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"username":"admin","password":"Admin-Pass-2026"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	json.NewDecoder(res.Body).Decode(&login)
	res.Body.Close()
	if res.StatusCode != 200 || login.Token == "" {
		t.Fatalf("login = %d", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/users/gaj-legal", nil)
	req.Header.Set("Authorization", "Bearer "+login.Token)
	if res, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	var made struct{ Name string }
	json.NewDecoder(res.Body).Decode(&made)
	res.Body.Close()
	if res.StatusCode != 200 || made.Name != "李娜" {
		t.Fatalf("the user made with --name: %d %+v", res.StatusCode, made)
	}

	// A request that has begun when SIGTERM arrives is finished before the
	// server stops.
	conn, err := net.Dial("tcp", a.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"username":"admin","password":"Admin-Pass-2026"}`
	io.WriteString(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Connection: close\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body[:10])
	time.Sleep(100 * time.Millisecond) // the handler is now reading the body
	stop()
	time.Sleep(100 * time.Millisecond)
	io.WriteString(conn, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("in-flight request during shutdown: %v %v", resp, err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after shutdown")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("still serving after shutdown")
	}
	if strings.Contains(logs.String(), "Admin-Pass-2026") {
		t.Fatal("the password reached the log")
	}
}

func TestBadConfigStopsTheStart(t *testing.T) {
	e, _, errb := testEnv("", map[string]string{"JIEFEN_DB_DRIVER": "oracle"})
	if code := run(context.Background(), []string{"serve"}, e); code == 0 || !strings.Contains(errb.String(), "db.driver") {
		t.Fatalf("exit %d, stderr %q", code, errb)
	}
	e, _, errb = testEnv("", nil)
	if code := run(context.Background(), []string{"frobnicate"}, e); code == 0 || !strings.Contains(errb.String(), "没有命令“frobnicate”") {
		t.Fatalf("exit %d, stderr %q", code, errb)
	}
}

func TestCalendarImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db")}
	file := filepath.Join(dir, "2027.json")
	os.WriteFile(file, []byte(`{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`), 0o600)
	// Run where the service's database is not, calendar import, import and
	// keys rotate refuse naming the path, and make no database or key file
	// there (every command: TestCommandsRefuseAMissingDatabase).
	for _, args := range [][]string{{"calendar", "import", file}, {"import", "--user", "liaison", file}, {"keys", "rotate"}} {
		e, _, errb := testEnv("", vars)
		if code := run(ctx, args, e); code == 0 || !strings.Contains(errb.String(), "数据库 "+filepath.Join(dir, "j.db")+" 尚未建立") {
			t.Fatalf("%v on no database: exit %d %q", args, code, errb)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("a refused command made files: %v", entries)
	}
	e, _, errb := testEnv("", vars)
	if code := run(ctx, []string{"migrate"}, e); code != 0 {
		t.Fatalf("migrate: exit %d %q", code, errb)
	}
	e, out, errb := testEnv("", vars)
	if code := run(ctx, []string{"calendar", "import", file}, e); code != 0 || !strings.Contains(out.String(), "已载入 2027 年节假日安排（第 1 版）：放假 1 天") {
		t.Fatalf("exit %d: %q %q", code, out, errb)
	}
	e, _, errb = testEnv("", vars)
	if code := run(ctx, []string{"calendar", "import", "--year", "2028", file}, e); code == 0 || !strings.Contains(errb.String(), "2027") {
		t.Fatalf("wrong year: exit %d %q", code, errb)
	}
}

// TestImportCommand imports a court caseload CSV from the terminal as a
// court liaison and prints the report with the rejected rows.
func TestImportCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db")}
	e, _, errb := testEnv("Liaison-Pass-2026\n", vars)
	if code := run(ctx, []string{"user", "create", "--username", "liaison", "--role", "court_liaison", "--password-stdin"}, e); code != 0 {
		t.Fatalf("user create: %q", errb)
	}
	file := filepath.Join(dir, "caseload.csv")
	os.WriteFile(file, []byte("\uFEFF案号,原告,被告,案由,立案日期,开庭日期,负责人出庭,出庭人职务,结案日期,结案方式\n"+
		"（2025）豫0482行初1号,甲,公安局,行政处罚,2025-01-10,2025-03-05,是,副职,2025-04-20,撤销\n"+
		"（2025）豫0482行初2号,乙,公安局,行政处罚,2025-13-01,,,,,\n"), 0o600)
	e, out, errb := testEnv("", vars)
	if code := run(ctx, []string{"import", "--user", "liaison", file}, e); code != 0 ||
		!strings.Contains(out.String(), "2 行，新增 1，更新 0，无变化 0，跳过 0，拒收 1 行") || !strings.Contains(out.String(), "第 3 行，立案日期：“2025-13-01”不是日期") {
		t.Fatalf("exit %d: %q %q", code, out, errb)
	}
	e, out, _ = testEnv("", vars)
	if code := run(ctx, []string{"import", "--user", "liaison", "--json", file}, e); code != 0 || !strings.Contains(out.String(), `"unchanged": 1`) ||
		!strings.Contains(out.String(), `"rejected_rows": 1`) {
		t.Fatalf("again: %q", out)
	}
	// A refused file prints its reasons, not "see fields".
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("案号,原告,被告,案由,立案日期,被告\n"), 0o600)
	e, _, errb = testEnv("", vars)
	if code := run(ctx, []string{"import", "--user", "liaison", bad}, e); code == 0 || !strings.Contains(errb.String(), "被告: 第 1 行的表头有两列“被告”：C 列和 F 列") {
		t.Fatalf("refused file: %q", errb)
	}
	e, _, errb = testEnv("", vars)
	if code := run(ctx, []string{"import", "--user", "nobody", file}, e); code == 0 || !strings.Contains(errb.String(), "nobody") {
		t.Fatalf("unknown user: %q", errb)
	}
}

// TestHelpListsTheCommands: jiefen help, -h and --help list every command
// with a line in Chinese each, and start nothing (no database is made).
func TestHelpListsTheCommands(t *testing.T) {
	dir := t.TempDir()
	for _, arg := range []string{"help", "-h", "-help", "--help"} {
		e, out, errb := testEnv("", map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db")})
		if code := run(context.Background(), []string{arg}, e); code != 0 {
			t.Fatalf("jiefen %s = %d: %s", arg, code, errb)
		}
		for _, want := range []string{"serve", "migrate", "user create", "calendar import", "demo", "import --user",
			"keys new", "keys rotate", "启动服务", "导入法院案件台账", "显示本说明"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("jiefen %s does not list %q:\n%s", arg, want, out)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("help made files: %v", entries)
	}
}
