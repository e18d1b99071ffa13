package audit

import (
	"encoding/json"
	"strings"
	"testing"
)

func changesOf(t *testing.T, targetType string, before, after any) map[string]Change {
	t.Helper()
	cs, err := Changes(targetType, before, after)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Change{}
	for _, c := range cs {
		out[c.Field] = c
	}
	return out
}

func wantChange(t *testing.T, cs map[string]Change, field, old, new string) {
	t.Helper()
	c, ok := cs[field]
	if !ok {
		t.Fatalf("no change of %s in %v", field, cs)
	}
	if string(c.Old) != old || string(c.New) != new {
		t.Errorf("%s: %s → %s; want %s → %s", field, c.Old, c.New, old, new)
	}
}

func TestChangesByField(t *testing.T) {
	type party struct {
		Role  string `json:"role"`
		Name  string `json:"name"`
		Phone string `json:"phone,omitempty"`
	}
	type kase struct {
		Defendant  string   `json:"defendant"`
		Defendants []string `json:"defendants"`
		State      string   `json:"state"`
		Plaintiff  string   `json:"plaintiff"`
		Parties    []party  `json:"parties"`
		Version    int64    `json:"version"`
	}
	before := kase{Defendant: "RZ-GAJ", Defendants: []string{"RZ-GAJ", "RZ-SFJ"}, State: "open", Plaintiff: "张三",
		Parties: []party{{Role: "applicant", Name: "张三"}, {Role: "respondent", Name: "李四", Phone: "13800000000"}}, Version: 3}
	after := before
	after.Defendant, after.Defendants, after.Plaintiff, after.Version = "RZ-ZJJ", []string{"RZ-ZJJ", "RZ-SFJ"}, "王五", 4
	after.Parties = []party{before.Parties[0], {Role: "respondent", Name: "李四", Phone: "13900000000"}}
	cs := changesOf(t, "litigation_case", before, after)
	if len(cs) != 5 {
		t.Errorf("changes %v; want defendant, defendants, plaintiff, parties[1].phone, version", cs)
	}
	wantChange(t, cs, "defendant", `"RZ-GAJ"`, `"RZ-ZJJ"`)
	wantChange(t, cs, "defendants", `["RZ-GAJ","RZ-SFJ"]`, `["RZ-ZJJ","RZ-SFJ"]`)
	wantChange(t, cs, "version", "3", "4")
	wantChange(t, cs, "parties[1].phone", "", "") // named, no values
	wantChange(t, cs, "plaintiff", "", "")
	out, _ := json.Marshal(cs)
	for _, v := range []string{"1380", "1390", "张三", "王五", "李四"} {
		if strings.Contains(string(out), v) {
			t.Errorf("the changes hold personal data %q: %s", v, out)
		}
	}
}

func TestChangesOfACreationListTheFieldsSet(t *testing.T) {
	user := map[string]any{"username": "liaison1", "role": "court_liaison", "org": "", "active": true, "version": 1}
	cs := changesOf(t, "user", nil, user)
	wantChange(t, cs, "role", "", `"court_liaison"`)
	wantChange(t, cs, "username", "", `"liaison1"`)
	if _, ok := cs["org"]; ok || len(cs) != 4 {
		t.Errorf("changes %v; want the four fields set", cs)
	}
	parties := map[string]any{"parties": []any{map[string]any{"role": "applicant", "kind": "person", "name": "张三",
		"id_number": "410482199001011234", "nickname": "三"}}}
	cs = changesOf(t, "dispute", nil, parties)
	wantChange(t, cs, "parties[0].role", "", `"applicant"`)
	wantChange(t, cs, "parties[0].kind", "", `"person"`)
	for _, f := range []string{"parties[0].name", "parties[0].id_number", "parties[0].nickname"} {
		wantChange(t, cs, f, "", "")
	}
	if cs := changesOf(t, "user", user, nil); len(cs) != 4 || string(cs["role"].Old) != `"court_liaison"` {
		t.Errorf("a deletion: %v", cs)
	}
}

func TestWithheld(t *testing.T) {
	for _, c := range []struct {
		targetType, path string
		withheld         bool
	}{
		{"org", "name", false},
		{"user", "name", true},
		{"org", "aliases", false},
		{"dispute", "parties[2].credit_code", true},
		{"dispute", "parties[2].kind", false},
		{"litigation_case", "plaintiff", true},
		{"litigation_case", "plaintiff_kind", false},
		{"litigation_case", "plaintiff_credit_code", true},
		{"litigation_case", "hearings[0].appearer.name", true},
		{"litigation_case", "hearings[0].appearer.position", false},
		{"litigation_case", "hearings[0].held_on", false},
		{"reconsideration_case", "applicant.address", true},
		{"reconsideration_case", "applicant.anything_new", true},
		{"reconsideration_case", "respondent", false},
		{"dispute", "description", true},
		{"ledger_issue", "title", true},
		{"user", "password_hash", true},
		{"user", "role", false},
		{"mediation_case", "state", false},
	} {
		if got := Withheld(c.targetType, c.path); got != c.withheld {
			t.Errorf("Withheld(%s, %s) = %v, want %v", c.targetType, c.path, got, c.withheld)
		}
	}
}

func TestChangesAreBounded(t *testing.T) {
	before, after := map[string]any{}, map[string]any{}
	for i := range MaxChanges + 7 {
		after["f"+strings.Repeat("x", i)] = i
	}
	after["cause"] = strings.Repeat("案", 300)
	cs, err := Changes("litigation_case", before, after)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != MaxChanges+1 || cs[MaxChanges].Field != "…" || cs[MaxChanges].More != 8 {
		t.Fatalf("%d changes, last %+v; want %d and the marker of 8 more", len(cs), cs[len(cs)-1], MaxChanges+1)
	}
	var cause string
	if err := json.Unmarshal(cs[0].New, &cause); err != nil || cs[0].Field != "cause" || []rune(cause)[MaxValueRunes] != '…' || len([]rune(cause)) != MaxValueRunes+1 {
		t.Errorf("first change %s = %q; want the cause cut to %d characters", cs[0].Field, cause, MaxValueRunes)
	}
}
