package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"jiefen/internal/pii"
	"jiefen/internal/sqlstore/storetest"
)

// TestMain also lets the test binary be the service: with
// JIEFEN_TEST_AS_SERVICE=1 it runs `jiefen serve` (as main does) instead of
// the tests, so that a test can start the service as a process of its own
// and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("JIEFEN_TEST_AS_SERVICE") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		code := run(ctx, []string{"serve"}, env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, lookup: os.LookupEnv})
		stop()
		os.Exit(code)
	}
	code := m.Run()
	removeDemo()
	os.Exit(code)
}

// service is jiefen serve in a process of its own.
type service struct {
	t    *testing.T
	vars map[string]string
	base string
	cmd  *exec.Cmd
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startService starts the service and waits until it is ready.
func startService(t *testing.T, vars map[string]string) *service {
	t.Helper()
	s := &service{t: t, vars: vars}
	addr := freeAddr(t)
	s.base = "http://" + addr
	s.cmd = exec.Command(os.Args[0], "-test.run=^$")
	s.cmd.Env = append(os.Environ(), "JIEFEN_TEST_AS_SERVICE=1", "JIEFEN_HTTP_ADDR="+addr)
	for k, v := range vars {
		s.cmd.Env = append(s.cmd.Env, k+"="+v)
	}
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, io.Discard
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	waitReady(t, s.base)
	return s
}

// TestKillNineLosesNoAcknowledgedWrite: under a load of registrations,
// the service is killed with SIGKILL; started again on the same database,
// it has every dispute it answered 201 for. On SQLite (WAL) and MariaDB.
func TestKillNineLosesNoAcknowledgedWrite(t *testing.T) {
	keys, _ := json.Marshal(pii.KeyFile{Current: "k1", Keys: map[string]string{"k1": "00112233445566778899aabbccddeeff"},
		IndexKey: "0123456789abcdef0123456789abcdef"})
	dbs := map[string]map[string]string{
		"sqlite": {"JIEFEN_DB_DSN": filepath.Join(t.TempDir(), "j.db"), "JIEFEN_PII_KEYS": string(keys), "JIEFEN_JOBS_ENABLED": "false"},
	}
	if base := os.Getenv("JIEFEN_TEST_MYSQL_DSN"); base != "" {
		dsn, drop := storetest.NewMySQLDatabase(t, base)
		t.Cleanup(drop)
		dbs["mysql"] = map[string]string{"JIEFEN_DB_DRIVER": "mysql", "JIEFEN_DB_DSN": dsn, "JIEFEN_PII_KEYS": string(keys), "JIEFEN_JOBS_ENABLED": "false"}
	}
	for name, vars := range dbs {
		t.Run(name, func(t *testing.T) {
			e, _, errb := testEnv("Crash-Pass-2026\n", vars)
			if code := run(context.Background(), []string{"user", "create", "--username", "desk", "--role", "intake", "--password-stdin"}, e); code != 0 {
				t.Fatalf("user create: %s", errb)
			}
			svc := startService(t, vars)
			token := crashLogin(t, svc.base)

			// Eight clerks register disputes as fast as the service answers;
			// after a second and a half the process is killed.
			var mu sync.Mutex
			var acked []string
			stop := make(chan struct{})
			var wg sync.WaitGroup
			client := &http.Client{Timeout: 5 * time.Second}
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						body := fmt.Sprintf(`{"title":"停电纠纷 %d-%d","description":"d","category":"neighbour","source":"walk_in",
							"township":"汝州市钟楼街道","parties":[{"role":"applicant","name":"甲"}]}`, w, i)
						req, _ := http.NewRequest("POST", svc.base+"/api/v1/disputes", strings.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("Authorization", "Bearer "+token)
						res, err := client.Do(req)
						if err != nil {
							continue // the process is gone: not acknowledged
						}
						var d struct{ Code string }
						json.NewDecoder(res.Body).Decode(&d)
						res.Body.Close()
						if res.StatusCode == http.StatusCreated && d.Code != "" {
							mu.Lock()
							acked = append(acked, d.Code)
							mu.Unlock()
						}
					}
				}(w)
			}
			time.Sleep(1500 * time.Millisecond)
			if err := svc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			svc.cmd.Wait()
			time.Sleep(200 * time.Millisecond)
			close(stop)
			wg.Wait()
			if len(acked) < 20 {
				t.Fatalf("only %d registrations acknowledged before the kill", len(acked))
			}

			again := startService(t, vars)
			token = crashLogin(t, again.base)
			missing := 0
			for _, code := range acked {
				req, _ := http.NewRequest("GET", again.base+"/api/v1/disputes/"+code, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					missing++
				}
			}
			if missing > 0 {
				t.Fatalf("%d of %d acknowledged disputes are missing after kill -9", missing, len(acked))
			}
			t.Logf("%d acknowledged disputes, all there after kill -9", len(acked))
		})
	}
}

func crashLogin(t *testing.T, base string) string {
	t.Helper()
	return loginAs(t, base, "desk", "Crash-Pass-2026")
}
