package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jiefen/configs"
)

// The annual report of the demo city: every figure, of the year and of the
// year before, equals what the statistics request it names (source)
// answers, or, for the disputes received, the number of disputes its case
// list (cases) pages through; the draft of section 七 says the figures.
func TestAnnualReportEqualsTheStatistics(t *testing.T) {
	get, _ := demoReportServer(t)
	var rep struct {
		Year     int
		Sections []struct {
			Key, Number, Draft string
			Figures            []struct {
				Key, Unit, Source, Cases string
				Value, Previous          *float64
			}
		}
	}
	get("/api/v1/reports/annual?year=2025", &rep)
	checked, lists := 0, 0
	for _, s := range rep.Sections {
		for _, f := range s.Figures {
			for _, y := range []struct {
				year  string
				value *float64
			}{{"2025", f.Value}, {"2024", f.Previous}} {
				source := strings.ReplaceAll(f.Source, "2025", y.year)
				cases := strings.ReplaceAll(f.Cases, "2025", y.year)
				want := figureFrom(t, get, f.Key, source, cases)
				if !same(want, y.value) {
					t.Errorf("%s of %s: the report says %v, %s says %v", f.Key, y.year, show(y.value), first(source, cases), show(want))
				}
				checked++
				// A count's case list holds as many cases as it counts.
				if f.Unit == "count" && cases != "" && !strings.HasPrefix(f.Key, "disputes.") {
					if n := countPages(get, cases); n != *y.value {
						t.Errorf("%s of %s: the report counts %v, its list %s holds %v", f.Key, y.year, *y.value, cases, n)
					}
					lists++
				}
			}
		}
	}
	if checked < 60 || lists < 20 {
		t.Errorf("only %d figures checked, %d against their case lists", checked, lists)
	}
	draft := rep.Sections[0].Draft
	var received float64
	for _, f := range rep.Sections[0].Figures {
		if f.Key == "disputes.received" {
			received = *f.Value
		}
	}
	if want := fmt.Sprintf("2025年，全市共受理矛盾纠纷%.0f件", received); received == 0 || !strings.Contains(draft, want) {
		t.Errorf("section 七's draft does not begin with %q:\n%s", want, draft)
	}
	t.Logf("section %s (2025), the demo city's draft:\n%s", rep.Sections[0].Number, draft)
	t.Logf("section %s (2025), the demo city's draft:\n%s", rep.Sections[1].Number, rep.Sections[1].Draft)
}

// demoReportServer serves a copy of the demo city and returns, logged in
// as its leader, a getter that decodes a JSON answer and one that returns
// the raw answer and its content type.
func demoReportServer(t *testing.T) (get func(string, any), raw func(string) ([]byte, string)) {
	t.Helper()
	ctx := context.Background()
	dir, _ := sqliteDemo(t)
	e, _, _ := testEnv("", demoVars(dir))
	c, err := configs.Load("", e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(ctx, c, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.serve(sctx) }()
	t.Cleanup(func() { stop(); <-done })
	base := "http://" + a.Addr()
	token := loginAs(t, base, "demo-leader", demoAccountPassword(t, dir, "demo-leader"))
	raw = func(path string) ([]byte, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, res.StatusCode, b)
		}
		return b, res.Header.Get("Content-Type")
	}
	get = func(path string, out any) {
		t.Helper()
		b, _ := raw(path)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return get, raw
}

// figureFrom reads the figure key from the statistics request source, or
// counts the disputes of the list cases when the key is one of the
// disputes received.
func figureFrom(t *testing.T, get func(string, any), key, source, cases string) *float64 {
	t.Helper()
	num := func(v any) *float64 {
		if f, ok := v.(float64); ok {
			return &f
		}
		return nil
	}
	var body map[string]any
	if strings.HasPrefix(key, "disputes.") {
		n := countPages(get, cases)
		return &n
	}
	get(source, &body)
	field := key[strings.LastIndex(key, ".")+1:]
	switch {
	case key == "mediation.subsidy.cases":
		n := 0.0
		for _, it := range body["items"].([]any) {
			n += float64(len(it.(map[string]any)["cases"].([]any)))
		}
		return &n
	case key == "mediation.subsidy.amount":
		return num(body["total_fen"])
	case strings.HasPrefix(key, "mediation."), strings.HasPrefix(key, "reconsideration."), strings.HasPrefix(key, "ledger."):
		return num(body[field])
	case key == "litigation.filed_first_instance":
		return num(body["city"].(map[string]any)["filed"])
	case key == "litigation.interviews":
		n := float64(len(body["items"].([]any)))
		return &n
	case key == "litigation.key_appearance_rate":
		row := body["items"].([]any)[0].(map[string]any)
		if *num(row["key_heard"]) == 0 {
			return nil
		}
		r := *num(row["key_head_appeared"]) / *num(row["key_heard"])
		return &r
	case strings.HasPrefix(key, "litigation."):
		return num(body["items"].([]any)[0].(map[string]any)[field])
	}
	t.Fatalf("no statistics known for %s", key)
	return nil
}

// countPages counts the items of a list, following its pages.
func countPages(get func(string, any), list string) float64 {
	n := 0.0
	for cursor := ""; ; {
		var page struct {
			Items      []json.RawMessage
			NextCursor *string `json:"next_cursor"`
		}
		get(list+"&limit=200"+cursor, &page)
		n += float64(len(page.Items))
		if page.NextCursor == nil || *page.NextCursor == "" {
			return n
		}
		cursor = "&cursor=" + *page.NextCursor
	}
}

func same(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	d := *a - *b
	return d < 1e-9 && d > -1e-9
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// demoAccountPassword reads a demo account's password from the accounts
// file the demo wrote beside its database.
func demoAccountPassword(t *testing.T, dir, username string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "demo-accounts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 5 && f[0] == username {
			return f[4]
		}
	}
	t.Fatalf("%s is not in the demo's accounts file", username)
	return ""
}
