package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The contract (issue 22): every request a test sends through (*env).do
// is matched to its operation in openapi.json, and the response must be
// one the document describes: a documented status, the documented
// content type, the documented headers, and a body that matches the
// schema. Object schemas that list properties and say nothing of
// additionalProperties are closed in the test's copy of the document, so
// a field the server sends but the document does not name fails too.
// A request the server accepted (2xx, or 304) must match the document
// too, body, query parameters and headers, under the same closed
// schemas (and a body sent to an operation that documents none fails
// too): an accepted request that the document calls invalid means
// the document and the server disagree. A request the server refused
// (4xx, 5xx) is not checked, since tests send bad requests on purpose.
// Paths the document does not describe are not checked.

var contract struct {
	once   sync.Once
	router routers.Router
	err    error
}

// nonJSON are the media types the document serves besides JSON; their
// bodies are read as opaque strings, so only status, headers and content
// type are checked.
var nonJSON = []string{
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"text/html",
}

func contractRouter() (routers.Router, error) {
	contract.once.Do(func() {
		for _, ct := range nonJSON {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		data, err := os.ReadFile("openapi.json")
		if err != nil {
			contract.err = err
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			contract.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = err
			return
		}
		closeSchemas(doc)
		contract.router, contract.err = legacy.NewRouter(doc)
	})
	return contract.router, contract.err
}

// closeSchemas sets additionalProperties: false on every object schema
// that lists properties and leaves additionalProperties unsaid, in
// responses, request bodies and parameters alike. An allOf
// is first flattened into one schema, since closing its parts would have
// each part refuse the others' properties.
func closeSchemas(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil {
			return
		}
		s := ref.Value
		if len(s.AllOf) > 0 {
			ref.Value = flatten(s)
			s = ref.Value
		}
		if seen[s] {
			return
		}
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, x := range s.OneOf {
			walk(x)
		}
		for _, x := range s.AnyOf {
			walk(x)
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
	for _, r := range doc.Components.Responses {
		for _, mt := range r.Value.Content {
			walk(mt.Schema)
		}
	}
	params := func(ps openapi3.Parameters) {
		for _, p := range ps {
			if p.Value == nil {
				continue
			}
			walk(p.Value.Schema)
			for _, mt := range p.Value.Content {
				walk(mt.Schema)
			}
		}
	}
	body := func(rb *openapi3.RequestBodyRef) {
		if rb == nil || rb.Value == nil {
			return
		}
		for _, mt := range rb.Value.Content {
			walk(mt.Schema)
		}
	}
	for _, p := range doc.Components.Parameters {
		params(openapi3.Parameters{p})
	}
	for _, rb := range doc.Components.RequestBodies {
		body(rb)
	}
	for _, item := range doc.Paths.Map() {
		params(item.Parameters)
		for _, op := range item.Operations() {
			params(op.Parameters)
			body(op.RequestBody)
			if op.Responses == nil {
				continue
			}
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// flatten merges the parts of an allOf into a new schema.
func flatten(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 1 && len(s.Properties) == 0 {
		return flattenOne(s.AllOf[0].Value)
	}
	out := *s
	out.AllOf = nil
	out.Properties = openapi3.Schemas{}
	out.Required = nil
	var add func(p *openapi3.Schema)
	add = func(p *openapi3.Schema) {
		if p == nil {
			return
		}
		for _, sub := range p.AllOf {
			add(sub.Value)
		}
		if p.Type != nil && out.Type == nil {
			out.Type = p.Type
		}
		for k, v := range p.Properties {
			out.Properties[k] = v
		}
		out.Required = append(out.Required, p.Required...)
		if p.Nullable {
			out.Nullable = true
		}
	}
	add(s)
	for k, v := range s.Properties {
		out.Properties[k] = v
	}
	return &out
}

func flattenOne(s *openapi3.Schema) *openapi3.Schema {
	if s != nil && len(s.AllOf) > 0 {
		return flatten(s)
	}
	return s
}

// checkContract validates one exchange against openapi.json.
func (e *env) checkContract(req *http.Request, body []byte, w *httptest.ResponseRecorder) {
	e.t.Helper()
	router, err := contractRouter()
	if err != nil {
		e.t.Fatalf("contract: openapi.json: %v", err)
	}
	// A copy of the request, with the body it was sent, for the router
	// and for decoding path parameters.
	r := httptest.NewRequest(req.Method, req.URL.String(), bytes.NewReader(body))
	r.Header = req.Header.Clone()
	route, params, err := router.FindRoute(r)
	if err != nil {
		return // not in the document (/metrics is, /web is not), or a method it does not describe
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{
		AuthenticationFunc:                openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus:             true,
		MultiError:                        true,
		RejectWhenRequestBodyNotSpecified: true,
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	path := req.URL.Path
	if len(path) > 120 {
		path = path[:120] + "…"
	}
	if accepted := w.Code/100 == 2 || w.Code == http.StatusNotModified; accepted {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			b := string(body)
			if len(b) > 300 {
				b = b[:300] + "…"
			}
			if ct := req.Header.Get("Content-Type"); len(body) > 0 && !strings.HasPrefix(ct, "application/json") {
				b = fmt.Sprintf("(%s, %d bytes)", ct, len(body))
			}
			e.t.Errorf("contract: %s %s was accepted (%d) but breaks openapi.json: %s\nrequest body: %s",
				req.Method, path, w.Code, clip(err.Error()), b)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 w.Code,
		Header:                 w.Header(),
		Options:                opts,
	}
	out.SetBodyBytes(w.Body.Bytes())
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		b := w.Body.String()
		if len(b) > 300 {
			b = b[:300] + "…"
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			b = fmt.Sprintf("(%s, %d bytes)", w.Header().Get("Content-Type"), w.Body.Len())
		}
		e.t.Errorf("contract: %s %s = %d breaks openapi.json: %s\nbody: %s", req.Method, path, w.Code, clip(err.Error()), b)
	}
}

// clip shortens a validator's message for the test log.
func clip(msg string) string {
	if len(msg) > 1500 {
		return msg[:1500] + "…"
	}
	return msg
}

// caught is a testing.TB that keeps what a check reports instead of
// failing the test.
type caught struct {
	testing.TB
	errs []string
}

func (c *caught) Helper() {}

func (c *caught) Errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

// TestContractCatches: the check refuses an undocumented status, a field
// the schema does not name, a missing required field or header, and a
// value of the wrong type; it lets a right answer and an undocumented
// path through. Of a request the server accepted it refuses the same
// faults (a body field the document does not name, a wrong type, a
// missing header); a request the server refused passes unchecked.
func TestContractCatches(t *testing.T) {
	org := func(change func(m map[string]any)) string {
		m := map[string]any{"code": "RZ-GA", "name": "汝州市公安局", "kind": "agency", "aliases": []any{},
			"parent_code": "", "version": 1, "created_at": "2026-12-03T06:52:44Z", "updated_at": "2026-12-03T06:52:44Z"}
		if change != nil {
			change(m)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, c := range []struct {
		name, path string
		status     int
		etag       bool
		body       string
		fails      bool
	}{
		{"a documented answer", "/api/v1/orgs/RZ-GA", 200, true, org(nil), false},
		{"an undocumented path", "/metrics-nowhere", 200, false, "{}", false},
		{"an undocumented status", "/api/v1/orgs/RZ-GA", 418, true, org(nil), true},
		{"an undocumented field", "/api/v1/orgs/RZ-GA", 200, true, org(func(m map[string]any) { m["bogus"] = 1 }), true},
		{"a missing field", "/api/v1/orgs/RZ-GA", 200, true, org(func(m map[string]any) { delete(m, "version") }), true},
		{"a wrong type", "/api/v1/orgs/RZ-GA", 200, true, org(func(m map[string]any) { m["aliases"] = nil }), true},
		{"a missing ETag", "/api/v1/orgs/RZ-GA", 200, false, org(nil), true},
		{"an error off the envelope", "/api/v1/orgs/RZ-GA", 404, false, `{"message":"没有"}`, true},
	} {
		rec := &caught{TB: t}
		e := &env{t: rec}
		req := httptest.NewRequest("GET", c.path, nil)
		req.Header.Set("Authorization", "Bearer x")
		w := httptest.NewRecorder()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if c.etag {
			w.Header().Set("ETag", `"1"`)
		}
		w.WriteHeader(c.status)
		w.WriteString(c.body)
		e.checkContract(req, nil, w)
		if got := len(rec.errs) > 0; got != c.fails {
			t.Errorf("%s: reported %v, want a failure %v", c.name, rec.errs, c.fails)
		}
	}

	// The request: one the server accepted must match the document; one
	// it refused is not checked.
	for _, c := range []struct {
		name    string
		status  int
		ifMatch bool
		sent    string
		fails   bool
	}{
		{"a documented request", 200, true, `{"name":"汝州市公安局"}`, false},
		{"an undocumented body field, accepted", 200, true, `{"name":"汝州市公安局","bogus":1}`, true},
		{"a wrong type in the body, accepted", 200, true, `{"aliases":"汝州公安"}`, true},
		{"a missing header, accepted", 200, false, `{"name":"汝州市公安局"}`, true},
		{"an undocumented body field, refused", 422, true, `{"name":"汝州市公安局","bogus":1}`, false},
		{"a missing header, refused", 428, false, `{"name":"汝州市公安局"}`, false},
	} {
		rec := &caught{TB: t}
		e := &env{t: rec}
		req := httptest.NewRequest("PATCH", "/api/v1/orgs/RZ-GA", strings.NewReader(c.sent))
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Content-Type", "application/json")
		if c.ifMatch {
			req.Header.Set("If-Match", `"1"`)
		}
		w := httptest.NewRecorder()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		answer := `{"error":{"code":"invalid","message":"不对"}}`
		if c.status == 200 {
			w.Header().Set("ETag", `"2"`)
			answer = org(nil)
		}
		w.WriteHeader(c.status)
		w.WriteString(answer)
		e.checkContract(req, []byte(c.sent), w)
		if got := len(rec.errs) > 0; got != c.fails {
			t.Errorf("%s: reported %v, want a failure %v", c.name, rec.errs, c.fails)
		}
	}
}
