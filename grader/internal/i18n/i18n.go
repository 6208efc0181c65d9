// Package i18n holds the languages the grader speaks to a learner, English
// and Korean, and the choice between them: a --lang flag, or else the
// locale.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is the language the grader speaks: EN or KO.
type Lang string

// The languages every learner-facing message is written in.
const (
	EN Lang = "en"
	KO Lang = "ko"
)

// Parse returns the language named s ("en" or "ko", case-insensitive).
func Parse(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case EN, KO:
		return l, nil
	}
	return "", fmt.Errorf("unknown language %q; want en or ko", s)
}

// FromLocale returns the language of the locale that getenv describes:
// the first of LC_ALL, LC_MESSAGES and LANG that is set decides, as POSIX
// orders them; a locale starting with "ko" (ko_KR.UTF-8) is Korean, any
// other, or none, English.
func FromLocale(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc := getenv(v); loc != "" {
			if strings.HasPrefix(strings.ToLower(loc), "ko") {
				return KO
			}
			return EN
		}
	}
	return EN
}

// Choose returns the language of a --lang flag's value, or, when it is
// empty, of the locale.
func Choose(flag string, getenv func(string) string) (Lang, error) {
	if flag == "" {
		return FromLocale(getenv), nil
	}
	return Parse(flag)
}

// Text is one piece of text in both languages.
type Text struct {
	EN string `json:"en"`
	KO string `json:"ko"`
}

// In returns the text in language l.
func (t Text) In(l Lang) string {
	if l == KO {
		return t.KO
	}
	return t.EN
}

// F formats the English and the Korean template with the same arguments.
func F(en, ko string, args ...any) Text {
	return Text{EN: fmt.Sprintf(en, args...), KO: fmt.Sprintf(ko, args...)}
}
