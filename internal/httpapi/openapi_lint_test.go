package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// loadOpenAPI reads openapi.json as kin-openapi sees it, and as plain JSON
// for what the loader drops (a keyword beside a $ref, for one).
func loadOpenAPI(t *testing.T) (*openapi3.T, any) {
	t.Helper()
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	return doc, raw
}

// TestOpenAPILint holds openapi.json to OpenAPI 3.0.3 and to the house
// rules: operationIds, declared tags, If-Match as API.md "Conventions" has
// it, and nullable only where 3.0 honours it.
func TestOpenAPILint(t *testing.T) {
	doc, raw := loadOpenAPI(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("openapi.json is not valid OpenAPI 3.0: %v", err)
	}

	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		if declared[tag.Name] {
			t.Errorf("tag %q is declared twice", tag.Name)
		}
		declared[tag.Name] = true
		if d := strings.TrimSpace(tag.Description); d == "" || len(d) > 120 {
			t.Errorf("tag %q wants a short description, has %q", tag.Name, tag.Description)
		}
	}
	used := map[string]bool{}

	lowerCamel := regexp.MustCompile(`^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$`)
	ids := map[string]string{}
	paths := doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, path := range keys {
		for method, op := range paths[path].Operations() {
			where := method + " " + path
			switch id := op.OperationID; {
			case id == "":
				t.Errorf("%s has no operationId", where)
			case !lowerCamel.MatchString(id):
				t.Errorf("%s: operationId %q is not lowerCamelCase", where, id)
			case ids[id] != "":
				t.Errorf("%s: operationId %q is also %s's", where, id, ids[id])
			default:
				ids[id] = where
			}
			if len(op.Tags) == 0 {
				t.Errorf("%s has no tag", where)
			}
			for _, tag := range op.Tags {
				used[tag] = true
				if !declared[tag] {
					t.Errorf("%s: tag %q is not declared in the top-level tags", where, tag)
				}
			}
			checkIfMatch(t, where, method, op)
		}
	}
	for tag := range declared {
		if !used[tag] {
			t.Errorf("tag %q is declared but no operation uses it", tag)
		}
	}

	walkNullable(t, "#", raw)

	// Job.last_run is null until the job first runs.
	job := doc.Components.Schemas["Job"]
	if job == nil || job.Value.Properties["last_run"] == nil {
		t.Fatal("components.schemas.Job.properties.last_run is missing")
	}
	lastRun := job.Value.Properties["last_run"].Value
	if err := lastRun.VisitJSON(nil); err != nil {
		t.Errorf("Job.last_run refuses null: %v", err)
	}
	run := map[string]any{"job": "due_soon", "scheduled_at": "2026-12-03T00:00:00Z", "started_at": "2026-12-03T00:00:01Z",
		"finished_at": "2026-12-03T00:00:02Z", "replica": "node-1:42", "attempt": 1.0, "outcome": "ok", "error": ""}
	if err := lastRun.VisitJSON(run); err != nil {
		t.Errorf("Job.last_run refuses a run: %v", err)
	}
	partial := map[string]any{"job": "due_soon", "outcome": "ok"}
	if lastRun.VisitJSON("ok") == nil || lastRun.VisitJSON(map[string]any{"outcome": "bogus"}) == nil || lastRun.VisitJSON(partial) == nil {
		t.Error("Job.last_run takes what is neither null nor a JobRun")
	}
}

// checkIfMatch: PATCH needs If-Match (#/components/parameters/IfMatch, 428
// without it); an action (POST) takes it optionally
// (#/components/parameters/IfMatchOptional, never 428); PUT as its handler
// has it. 428 is documented exactly where If-Match is required.
func checkIfMatch(t *testing.T, where, method string, op *openapi3.Operation) {
	t.Helper()
	var p *openapi3.ParameterRef
	for _, x := range op.Parameters {
		if x.Value != nil && x.Value.In == openapi3.ParameterInHeader && strings.EqualFold(x.Value.Name, "If-Match") {
			p = x
		}
	}
	required := p != nil && p.Value.Required
	switch method {
	case http.MethodPatch:
		if p == nil || p.Ref != "#/components/parameters/IfMatch" || !required {
			t.Errorf("%s must take the required #/components/parameters/IfMatch", where)
		}
	case http.MethodPost:
		if p != nil && (p.Ref != "#/components/parameters/IfMatchOptional" || required) {
			t.Errorf("%s: an action takes If-Match optionally (#/components/parameters/IfMatchOptional), not %q", where, p.Ref)
		}
	case http.MethodPut:
	default:
		if p != nil {
			t.Errorf("%s takes If-Match", where)
		}
	}
	if has428 := op.Responses.Value("428") != nil; has428 != required {
		t.Errorf("%s: a 428 answer (%v) goes with a required If-Match (%v)", where, has428, required)
	}
}

// walkNullable finds nullable where OpenAPI 3.0 ignores it: without a type
// or beside $ref, allOf, anyOf or oneOf.
func walkNullable(t *testing.T, at string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if v["nullable"] == true {
			_, typed := v["type"]
			for _, k := range []string{"$ref", "allOf", "anyOf", "oneOf"} {
				if _, ok := v[k]; ok {
					typed = false
				}
			}
			if !typed {
				t.Errorf("%s: nullable without a type or beside $ref/allOf/anyOf/oneOf is ignored by OpenAPI 3.0", at)
			}
		}
		for k, x := range v {
			walkNullable(t, at+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k), x)
		}
	case []any:
		for i, x := range v {
			walkNullable(t, at+"/"+strconv.Itoa(i), x)
		}
	}
}
