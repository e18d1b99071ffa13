package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:8080" || c.DB.Driver != "sqlite" || c.DB.DSN != "./data/jiefen.db" {
		t.Errorf("defaults = %+v %+v", c.HTTP, c.DB)
	}
	if c.Auth.IdleTimeout != 30*time.Minute || c.Auth.AbsoluteTimeout != 12*time.Hour || c.Auth.LockoutFailures != 5 {
		t.Errorf("auth defaults = %+v", c.Auth)
	}
}

func TestFileThenEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("http:\n  addr: 0.0.0.0:9000\ndb:\n  driver: mysql\n  dsn: from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, env(map[string]string{
		"JIEFEN_DB_DSN":               "root@tcp(127.0.0.1:3306)/j",
		"JIEFEN_AUTH_IDLE_TIMEOUT":    "10m",
		"JIEFEN_HTTP_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "0.0.0.0:9000" || c.DB.Driver != "mysql" || c.DB.DSN != "root@tcp(127.0.0.1:3306)/j" {
		t.Errorf("got %+v %+v", c.HTTP, c.DB)
	}
	if c.Auth.IdleTimeout != 10*time.Minute {
		t.Errorf("idle = %v", c.Auth.IdleTimeout)
	}
	if len(c.HTTP.TrustedProxies) != 2 || c.HTTP.TrustedProxies[1] != "192.168.0.0/16" {
		t.Errorf("proxies = %q", c.HTTP.TrustedProxies)
	}
}

func TestInvalidNamesTheKey(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		file string
		key  string
	}{
		{env: map[string]string{"JIEFEN_DB_DRIVER": "postgres"}, key: "db.driver"},
		{env: map[string]string{"JIEFEN_AUTH_IDLE_TIMEOUT": "soon"}, key: "auth.idle_timeout"},
		{env: map[string]string{"JIEFEN_HTTP_ADDR": "8080"}, key: "http.addr"},
		{env: map[string]string{"JIEFEN_AUTH_ABSOLUTE_TIMEOUT": "1m"}, key: "auth.absolute_timeout"},
		{env: map[string]string{"JIEFEN_HTTP_TRUSTED_PROXIES": "proxy.local"}, key: "http.trusted_proxies"},
		{env: map[string]string{"JIEFEN_LOG_LEVEL": "loud"}, key: "log.level"},
		{file: "http:\n  adr: x\n", key: "adr"},
	} {
		path := ""
		if tc.file != "" {
			path = filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Load(path, env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("Load(%v %q) error = %v, want one naming %s", tc.env, tc.file, err, tc.key)
		}
	}
}
