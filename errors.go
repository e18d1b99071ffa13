package jiefen

import (
	"errors"
	"fmt"
	"slices"
)

// ErrorCode classifies an error for the client. The HTTP layer maps each code
// to one status, once (DESIGN.md, "Errors").
type ErrorCode string

// The error vocabulary.
const (
	EINVALID        ErrorCode = "invalid"                  // a well-formed request breaks a rule (422)
	EMALFORMED      ErrorCode = "malformed"                // the request cannot be read (400)
	ENOTFOUND       ErrorCode = "not_found"                // no such record, or outside the caller's scope (404)
	ECONFLICT       ErrorCode = "conflict"                 // duplicate, or a state that forbids the action (409)
	EPRECONDITION   ErrorCode = "precondition"             // stale If-Match (412)
	EUNAUTHORIZED   ErrorCode = "unauthorized"             // no valid session (401)
	EFORBIDDEN      ErrorCode = "forbidden"                // the role may not do this (403)
	EPASSWORDCHANGE ErrorCode = "password_change_required" // a one-time or too old password must be changed first (403)
	ELOCKED         ErrorCode = "locked"                   // the account is locked after repeated failures (423)
	EUNAVAILABLE    ErrorCode = "unavailable"              // the database cannot be reached (503)
	EINTERNAL       ErrorCode = "internal"                 // a bug; details are logged, never sent (500)

	// Codes of the HTTP envelope rather than of the domain.
	ETOOLARGE             ErrorCode = "too_large"              // the body exceeds the limit (413)
	EUNSUPPORTEDMEDIA     ErrorCode = "unsupported_media_type" // not JSON where JSON is required (415)
	EPRECONDITIONREQUIRED ErrorCode = "precondition_required"  // an update without If-Match (428)
	ERATELIMITED          ErrorCode = "rate_limited"           // too many requests (429)
)

// FieldError names one input field that is wrong, by its JSON path
// (for example "parties[0].id_number"), and says why.
//
// Message is the English text; the catalogue gives the Chinese one (see
// Localize). A FieldError built by Problems.Add or Field keeps its format
// and arguments, so that each argument is rendered in the reader's
// language too.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	text    Text
}

// Field returns a FieldError for field whose message is the format filled
// with args (the format is the catalogue's key).
func Field(field, format string, args ...any) FieldError {
	t := Textf(format, args...)
	return FieldError{Field: field, Message: t.String(), text: t}
}

// Error is the platform's one error type. Message is safe to show to the
// client: it never holds personal data or internal details.
//
// Message is the English text, which the logs keep; a client reads it in
// its language through Localize.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  []FieldError
	cause   error
	text    Text
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// Errorf returns an *Error with the given code and message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	t := Textf(format, args...)
	return &Error{Code: code, Message: t.String(), text: t}
}

// Wrap returns an *Error with the given code and client-safe message that
// keeps err as its cause for the logs.
func Wrap(code ErrorCode, err error, message string) *Error {
	return &Error{Code: code, Message: message, cause: err}
}

// ErrorCodeOf returns the code of err, EINTERNAL for any error that is not
// an *Error, and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Problems collects field errors while a request is validated, so that one
// answer names every bad field at once.
type Problems []FieldError

// Add records that field is wrong.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, Field(field, format, args...))
}

// Err returns nil when nothing was recorded, else an EINVALID *Error that
// lists every field.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "the request breaks a rule; see fields", Fields: p}
}

// NeedState refuses an action that a record's state does not allow, naming
// the state and the states that would (409).
func NeedState[S ~string](action string, state S, allowed ...S) error {
	if slices.Contains(allowed, state) {
		return nil
	}
	return Errorf(ECONFLICT, "the case is %s; %s needs a case that is %s", state, Textf(action), alternatives[S](allowed))
}
