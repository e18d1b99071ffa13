package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
)

// decode reads a JSON body strictly into v: JSON only (415 otherwise), at
// most the body limit (413), valid UTF-8, one value with no trailing data,
// and the right type in every field (400 naming the field). Fields the
// request shape does not name are ignored, never assigned. An empty body
// decodes as {} so that actions without arguments need none.
func decode(c *gin.Context, v any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return readError(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	} else if ct := c.GetHeader("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return jiefen.Errorf(jiefen.EUNSUPPORTEDMEDIA, "send the body as application/json")
		}
	}
	if !utf8.Valid(body) {
		return jiefen.Errorf(jiefen.EMALFORMED, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return jiefen.Errorf(jiefen.EMALFORMED, "the body holds data after its JSON value")
	}
	var p jiefen.Problems
	eventDates(reflect.ValueOf(v), &p)
	return p.Err()
}

// firstEventDay is the earliest day an event recorded here may carry: the
// first year of the State Council holiday tables (2007), before which no
// clock can be counted. An `on` of 0001-01-01 is a typing slip, not a case.
var firstEventDay = calendar.NewDate(2007, time.January, 1)

// eventDates refuses, naming the field, an event's date (`on` and every
// `…_on` but the dispute's occurred_on, which may lie years back) before
// firstEventDay, in a request body's fields and in its nested objects.
func eventDates(v reflect.Value, p *jiefen.Problems) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		f, field := v.Type().Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		d, isDate := field.Interface().(calendar.Date)
		if pd, ok := field.Interface().(*calendar.Date); ok && pd != nil {
			d, isDate = *pd, true
		}
		switch {
		case isDate:
			if (name == "on" || strings.HasSuffix(name, "_on")) && name != "occurred_on" && d != 0 && d < firstEventDay {
				p.Add(name, "%s 早于 2007-01-01：事件日期不能早于 2007 年", d)
			}
		case field.Kind() == reflect.Struct || field.Kind() == reflect.Pointer && field.Type().Elem().Kind() == reflect.Struct:
			eventDates(field, p)
		}
	}
}

func readError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return jiefen.Errorf(jiefen.ETOOLARGE, "the body is larger than %d bytes", tooBig.Limit)
	}
	return jiefen.Wrap(jiefen.EMALFORMED, err, "the body could not be read")
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return jiefen.Errorf(jiefen.EMALFORMED, "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return jiefen.Errorf(jiefen.EMALFORMED, "the body must be a JSON object")
		}
		e := jiefen.Errorf(jiefen.EMALFORMED, "a field has the wrong type")
		e.Fields = []jiefen.FieldError{jiefen.Field(field, "must be %s, not %s", jiefen.Textf(jsonType(typ.Type.Kind().String())), jiefen.Textf(jsonValue(typ.Value)))}
		return e
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return jiefen.Errorf(jiefen.EMALFORMED, "the body ends before its JSON value does")
	}
	return jiefen.Errorf(jiefen.EMALFORMED, "the body is not valid JSON")
}

// jsonValue names the kind of JSON value a request sent ("number",
// "string", … as encoding/json reports it).
func jsonValue(value string) string {
	switch {
	case value == "string":
		return "a string"
	case value == "bool":
		return "true or false"
	case value == "array":
		return "an array"
	case value == "object":
		return "an object"
	case strings.HasPrefix(value, "number"):
		return "a number"
	}
	return "of another type"
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "float32", "float64":
		return "a number"
	}
	return "of another type"
}

// page reads ?limit= (default 50, at most 200) and the opaque ?cursor=.
func page(c *gin.Context) (limit int, after int64, err error) {
	var p jiefen.Problems
	limit = queryLimit(c, &p)
	if s := c.Query("cursor"); s != "" {
		after, err = decodeCursor(s)
		if err != nil {
			p.Add("cursor", "is not a cursor this server gave out")
		}
	}
	return limit, after, p.Err()
}

// queryLimit reads ?limit= (default 50, at most 200).
func queryLimit(c *gin.Context, p *jiefen.Problems) int {
	s := c.Query("limit")
	if s == "" {
		return 50
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil || n < 1:
		p.Add("limit", "must be a whole number from 1 to 200")
		return 50
	case n > 200:
		return 200
	}
	return n
}

func encodeCursor(id int64) *string {
	s := base64.RawURLEncoding.EncodeToString([]byte("c1:" + strconv.FormatInt(id, 10)))
	return &s
}

func decodeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), "c1:") {
		return 0, errors.New("bad cursor")
	}
	return strconv.ParseInt(string(b[3:]), 10, 64)
}

// list is the shape of every list answer.
type list[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pointers returns pointers to the elements of xs, for what fills in every
// item of a page in place.
func pointers[T any](xs []T) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}

// ifMatch reads the version an update is based on from If-Match: 428 when
// it is missing, 412 when it is not a version this server gave out.
func ifMatch(c *gin.Context) (int64, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		return 0, jiefen.Errorf(jiefen.EPRECONDITIONREQUIRED, "send If-Match with the ETag of the record you are changing")
	}
	v, err := strconv.ParseInt(trimETag(h), 10, 64)
	if err != nil || v < 1 {
		return 0, jiefen.Errorf(jiefen.EPRECONDITION, "If-Match %s matches no version of this record", h)
	}
	return v, nil
}

// optionalIfMatch reads the If-Match of an action, which may be left out
// (API.md, "Conventions"): 0 without one, else the version it names.
func optionalIfMatch(c *gin.Context) (int64, error) {
	if c.GetHeader("If-Match") == "" {
		return 0, nil
	}
	return ifMatch(c)
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// trimETag strips the weak marker and quotes of an entity tag.
func trimETag(h string) string {
	return strings.Trim(strings.TrimPrefix(strings.TrimSpace(h), "W/"), `"`)
}

// pathID reads the record id of the path; a malformed one is not found.
func pathID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, jiefen.Errorf(jiefen.ENOTFOUND, "not found")
	}
	return id, nil
}

// dateWindow reads the required ?from= and ?to= of a report, to not
// before from.
func dateWindow(c *gin.Context, p *jiefen.Problems) (calendar.Date, calendar.Date) {
	from, okf := queryDate(c, "from", p)
	to, okt := queryDate(c, "to", p)
	if !okf && c.Query("from") == "" {
		p.Add("from", "is required (YYYY-MM-DD)")
	}
	if !okt && c.Query("to") == "" {
		p.Add("to", "is required (YYYY-MM-DD)")
	}
	if okf && okt && to < from {
		p.Add("to", "is before from")
	}
	return from, to
}
