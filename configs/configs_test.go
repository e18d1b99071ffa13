package configs

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/litigation"
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
		"JIEFEN_PII_KEY_FILE":         "/etc/jiefen/keys.json",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PII.KeyFile != "/etc/jiefen/keys.json" {
		t.Errorf("pii = %+v", c.PII)
	}
	// MySQL replicas must be given their keys: none is made up per replica.
	if _, err := Load(path, env(nil)); err == nil || !strings.Contains(err.Error(), "pii.key_file") {
		t.Errorf("mysql without keys: %v", err)
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
		{env: map[string]string{"JIEFEN_JOBS_OVERDUE_SCAN_SCHEDULE": "0 2 * *"}, key: "jobs.overdue_scan.schedule"},
		{env: map[string]string{"JIEFEN_JOBS_OVERDUE_SCAN_SCHEDULE": "@sometimes"}, key: "jobs.overdue_scan.schedule"},
		{file: "http:\n  adr: x\n", key: "adr"},
		{env: map[string]string{"JIEFEN_HTTP_TLS_CERT_FILE": "cert.pem"}, key: "http.tls"},
		{file: "notify:\n  webhooks:\n    - {name: " + strings.Repeat("w", 101) + ", url: 'https://sms.example/hook', secret: 0123456789abcdef}\n", key: "notify.webhooks[0].name"},
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

func TestEmbeddedCalendarData(t *testing.T) {
	ns, err := Holidays()
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 20 || ns[0].Year != 2007 || ns[19].Year != 2026 {
		t.Fatalf("notices: %d, first %d", len(ns), ns[0].Year)
	}
	rs, err := Rules("")
	if err != nil {
		t.Fatal(err)
	}
	r, ok := rs.Rule("reconsideration.acceptance_review")
	if !ok || r.N != 5 || r.Unit != "workdays" || r.Basis != "行政复议法 第30条、第88条" {
		t.Fatalf("acceptance review rule %+v", r)
	}
	local := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(local, []byte("rules:\n  - id: mediation.administrative\n    name: 行政调解期限\n    unit: days\n    n: 20\n    local: true\n    basis: 汝州市行政调解办法 第12条\n"), 0o600)
	rs, err = Rules(local)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rs.Rule("mediation.administrative"); r.N != 20 || r.Basis != "汝州市行政调解办法 第12条" || r.Kind != calendar.Duty {
		t.Fatalf("override %+v", r)
	}
	// A new rule must say whether it is a duty or a window.
	os.WriteFile(local, []byte("rules:\n  - id: mediation.local_review\n    name: 复核\n    unit: days\n    n: 5\n    basis: 汝州市某办法 第3条\n"), 0o600)
	if _, err := Rules(local); err == nil || !strings.Contains(err.Error(), "kind") {
		t.Fatalf("a new rule without a kind: %v", err)
	}
	if _, err := Load("", env(map[string]string{"JIEFEN_CALENDAR_ROLLOVER": "never"})); err == nil || !strings.Contains(err.Error(), "calendar.rollover") {
		t.Fatalf("bad rollover: %v", err)
	}
}

func TestSeedOrgsAndRoutingRulesAgree(t *testing.T) {
	orgs, err := SeedOrgs("")
	if err != nil {
		t.Fatal(err)
	}
	codes, names := map[string]bool{}, map[string]bool{}
	for _, o := range orgs {
		if codes[o.Code] || names[o.Name] {
			t.Errorf("org %s (%s) is listed twice", o.Code, o.Name)
		}
		codes[o.Code], names[o.Name] = true, true
		if o.ParentCode != "" && !codes[o.ParentCode] {
			t.Errorf("org %s comes before its parent %s", o.Code, o.ParentCode)
		}
	}
	set, err := RoutingRules("")
	if err != nil {
		t.Fatal(err)
	}
	clocks, _ := Rules("")
	if err := set.Validate(func(c string) bool { return codes[c] }, clocks); err != nil {
		t.Fatal(err)
	}
	committees := map[string]string{}
	for town, org := range set.Townships {
		if prev, dup := committees[org]; dup {
			t.Errorf("%s and %s share the committee %s", prev, town, org)
		}
		committees[org] = town
	}
	if len(set.Townships) != 21 {
		t.Errorf("%d townships, want the 21 of 汝州市 (6 街道, 13 镇, 2 乡)", len(set.Townships))
	}
	for town := range set.Townships {
		if !slices.ContainsFunc(orgs, func(o jiefen.Org) bool { return o.Kind == jiefen.OrgTownship && slices.Contains(o.Aliases, town) }) {
			t.Errorf("no township government has the alias %s", town)
		}
	}
}

// The titles shipped in config.yaml are the litigation package's defaults,
// so that a deployment without the key reads titles as the tests do.
func TestShippedTitlesAreTheDefaults(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Litigation.AppearerTitles.Titles(), litigation.DefaultTitles(); !reflect.DeepEqual(got, want) {
		t.Errorf("config.yaml titles = %v, want litigation.DefaultTitles() = %v", got, want)
	}
}

// TestInitialPasswordPolicy: the shipped keys seed API.md's policy, and a
// key looser than API.md's floor, or not in whole units, stops the start.
func TestInitialPasswordPolicy(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Auth.PasswordPolicy(); p != auth.DefaultPasswordPolicy() {
		t.Fatalf("initial policy %+v, want API.md's %+v", p, auth.DefaultPasswordPolicy())
	}
	for key, val := range map[string]string{
		"JIEFEN_AUTH_LOCKOUT_FAILURES": "10",
		"JIEFEN_AUTH_LOCKOUT_WINDOW":   "5m",
		"JIEFEN_AUTH_LOCKOUT_DURATION": "90s",
		"JIEFEN_AUTH_PASSWORD_MAX_AGE": "36h",
	} {
		want := strings.ToLower(strings.TrimPrefix(key, "JIEFEN_AUTH_"))
		if _, err := Load("", env(map[string]string{key: val})); err == nil || !strings.Contains(err.Error(), "auth."+want) {
			t.Errorf("%s=%s: %v", key, val, err)
		}
	}
}
