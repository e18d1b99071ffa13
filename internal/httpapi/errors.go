package httpapi

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiefen"
)

// statusOf is the one mapping from error codes to HTTP statuses.
var statusOf = map[jiefen.ErrorCode]int{
	jiefen.EINVALID:              http.StatusUnprocessableEntity,
	jiefen.EMALFORMED:            http.StatusBadRequest,
	jiefen.ENOTFOUND:             http.StatusNotFound,
	jiefen.ECONFLICT:             http.StatusConflict,
	jiefen.EPRECONDITION:         http.StatusPreconditionFailed,
	jiefen.EUNAUTHORIZED:         http.StatusUnauthorized,
	jiefen.EFORBIDDEN:            http.StatusForbidden,
	jiefen.EPASSWORDCHANGE:       http.StatusForbidden,
	jiefen.ELOCKED:               http.StatusLocked,
	jiefen.EUNAVAILABLE:          http.StatusServiceUnavailable,
	jiefen.EINTERNAL:             http.StatusInternalServerError,
	jiefen.ETOOLARGE:             http.StatusRequestEntityTooLarge,
	jiefen.EUNSUPPORTEDMEDIA:     http.StatusUnsupportedMediaType,
	jiefen.EPRECONDITIONREQUIRED: http.StatusPreconditionRequired,
	jiefen.ERATELIMITED:          http.StatusTooManyRequests,
}

type errorEnvelope struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []jiefen.FieldError `json:"fields,omitempty"`
}

func errorBody(code, message string, fields []jiefen.FieldError) errorEnvelope {
	return errorEnvelope{Error: errorPayload{Code: code, Message: message, Fields: fields}}
}

// fail answers err with its status and the error envelope of API.md. An
// internal error is logged with its details and answered without them; an
// unavailable database adds Retry-After.
func (s *Server) fail(c *gin.Context, err error) {
	var e *jiefen.Error
	if !errors.As(err, &e) {
		e = jiefen.Wrap(jiefen.EINTERNAL, err, "internal error")
	}
	if e.Code == jiefen.EINTERNAL && s.health.down.Load() && c.Request.Context().Err() != nil {
		// Cancelled by the health watch: the database went down under it.
		e = jiefen.Wrap(jiefen.EUNAVAILABLE, err, "the database is unavailable; try again shortly")
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch e.Code {
	case jiefen.EINTERNAL:
		s.log.ErrorContext(c, "internal error", "request_id", jiefen.RequestIDFrom(c), "route", c.FullPath(), "error", redact(err.Error()))
		e = jiefen.Errorf(jiefen.EINTERNAL, "internal error; quote request id %s", jiefen.RequestIDFrom(c))
	case jiefen.EUNAVAILABLE:
		s.log.WarnContext(c, "database unavailable", "request_id", jiefen.RequestIDFrom(c), "error", redact(err.Error()))
		c.Header("Retry-After", strconv.Itoa(s.opts.RetryAfter))
	case jiefen.EUNAUTHORIZED:
		c.Header("WWW-Authenticate", `Bearer realm="jiefen"`)
	case jiefen.ENOTFOUND:
		if c.Param("id") != "" || c.Param("username") != "" {
			// A record that does not exist and one outside the caller's
			// scope answer alike, so that the answer tells nobody which
			// records exist (API.md: 404 also for records outside scope).
			e = jiefen.Errorf(jiefen.ENOTFOUND, "没有找到这条记录，或您无权查看")
		}
	}
	lang := readerLang(c)
	message, fields := e.Localize(lang)
	c.Header("Content-Language", contentLanguage(lang))
	c.AbortWithStatusJSON(status, errorBody(string(e.Code), message, fields))
}

// readerLang is the language the client reads: English when its
// Accept-Language prefers an English tag to a Chinese one, else Chinese
// (jiefen's users are Chinese civil servants; a request naming no language
// reads Chinese).
func readerLang(c *gin.Context) jiefen.Lang {
	lang, best := jiefen.Chinese, -1.0
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		tag = strings.ToLower(tag)
		var l jiefen.Lang
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			l = jiefen.Chinese
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			l = jiefen.English
		default:
			continue
		}
		if q > best {
			lang, best = l, q
		}
	}
	return lang
}

// contentLanguage is the Content-Language of an answer in lang.
func contentLanguage(lang jiefen.Lang) string {
	if lang == jiefen.English {
		return "en"
	}
	return "zh-CN"
}

// quoted matches what a database error quotes: MySQL's "Duplicate entry
// '…' for key", a value in a failed statement.
var quoted = regexp.MustCompile(`'[^']*'|"[^"]*"`)

// redact removes the quoted values from an error before it is logged, so
// that no personal data a statement carried reaches the log.
func redact(msg string) string {
	return quoted.ReplaceAllString(msg, "'…'")
}
