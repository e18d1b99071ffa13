package jiefen

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Lang is the language a person reads jiefen's messages in. Chinese is the
// default: jiefen's users are Chinese civil servants; English is offered to
// a client that asks for it (Accept-Language: en).
type Lang string

// The languages of the message catalogue.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// Text is a message to a person: an English format, which is the
// catalogue's key, and its arguments. It is rendered in the reader's
// language only when it is shown, so that the arguments are rendered in that
// language too (a state by its Chinese label, a nested error by its own
// message).
type Text struct {
	format string
	args   []any
}

// Textf returns the Text of format filled with args.
func Textf(format string, args ...any) Text {
	return Text{format: format, args: args}
}

// literal returns the Text of a message that is already written out: it is
// its own key and has no arguments.
func literal(message string) Text {
	return Text{format: strings.ReplaceAll(message, "%", "%%")}
}

// IsZero reports whether t is no message at all.
func (t Text) IsZero() bool { return t.format == "" }

// String is the English text.
func (t Text) String() string { return t.In(English) }

// In renders t in lang. A format the catalogue does not know is used as it
// stands: a message written in Chinese needs no entry, and an English one
// without an entry is a gap that TestEveryMessageIsInTheCatalogue finds.
func (t Text) In(lang Lang) string {
	format := t.format
	if lang == Chinese {
		if zh, ok := chineseMessages[format]; ok {
			format = zh
		}
	}
	args := make([]any, len(t.args))
	for i, a := range t.args {
		args[i] = argIn(a, lang)
	}
	return fmt.Sprintf(format, args...)
}

// labeler is a code with a Chinese label (a role, a case state).
type labeler interface{ Label() string }

// localizer is a value that renders itself in a language (a Text, a list
// of alternatives).
type localizer interface{ In(Lang) string }

// argIn renders one argument of a message in lang: a nested message or
// error by its own text in that language, a code by its Chinese label.
func argIn(a any, lang Lang) any {
	switch v := a.(type) {
	case localizer:
		return v.In(lang)
	case error:
		var e *Error
		if errors.As(v, &e) {
			msg, _ := e.Localize(lang)
			return msg
		}
		if lang == Chinese {
			return literal(v.Error()).In(lang)
		}
		return v.Error()
	case labeler:
		if lang == Chinese {
			return v.Label()
		}
	}
	return a
}

// alternatives lists the states an action needs: "a or b" in English,
// "甲或乙" by their labels in Chinese.
type alternatives[S ~string] []S

func (a alternatives[S]) In(lang Lang) string {
	names := make([]string, len(a))
	for i, s := range a {
		names[i] = string(s)
		if l, ok := any(s).(labeler); ok && lang == Chinese {
			names[i] = l.Label()
		}
	}
	if lang == Chinese {
		return strings.Join(names, "或")
	}
	return strings.Join(names, " or ")
}

// Localize returns the error's message and its fields' messages in lang.
func (e *Error) Localize(lang Lang) (string, []FieldError) {
	text := e.text
	if text.format == "" {
		text = literal(e.Message)
	}
	var fields []FieldError
	if len(e.Fields) > 0 {
		fields = make([]FieldError, len(e.Fields))
		for i, f := range e.Fields {
			fields[i] = f.Localize(lang)
		}
	}
	return text.In(lang), fields
}

// Localize returns the field error with its message in lang.
func (f FieldError) Localize(lang Lang) FieldError {
	text := f.text
	if text.format == "" {
		text = literal(f.Message)
	}
	return FieldError{Field: f.Field, Message: text.In(lang), text: f.text}
}

// HasChinese reports whether s holds a Chinese character: a message a
// person reads must.
func HasChinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// MessageIn returns the message of err as a person reads it in lang: an
// *Error's message without its code, another error's text.
func MessageIn(err error, lang Lang) string {
	return Textf("%v", err).In(lang)
}
