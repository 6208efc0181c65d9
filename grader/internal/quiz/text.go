package quiz

import (
	"fmt"
	"strings"
)

// Lang is the language a session speaks: LangEN or LangKO.
type Lang string

// The languages every item is written in.
const (
	LangEN Lang = "en"
	LangKO Lang = "ko"
)

// ParseLang returns the language named s ("en" or "ko", case-insensitive).
func ParseLang(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case LangEN, LangKO:
		return l, nil
	}
	return "", fmt.Errorf("unknown language %q; want en or ko", s)
}

// Text is one piece of text in both languages. Every prompt, explanation and
// message a learner reads is a Text, so no item kind can lack a language
// without its test noticing.
type Text struct {
	EN string `json:"en"`
	KO string `json:"ko"`
}

// In returns the text in language l.
func (t Text) In(l Lang) string {
	if l == LangKO {
		return t.KO
	}
	return t.EN
}

// tf formats the English and the Korean template with the same arguments.
func tf(en, ko string, args ...any) Text {
	return Text{EN: fmt.Sprintf(en, args...), KO: fmt.Sprintf(ko, args...)}
}

// lines builds a multi-line Text, one line per element, in both languages.
type lines struct{ en, ko strings.Builder }

// add appends one line in each language.
func (b *lines) add(t Text) {
	b.en.WriteString(t.EN)
	b.en.WriteByte('\n')
	b.ko.WriteString(t.KO)
	b.ko.WriteByte('\n')
}

// addf appends one formatted line in each language.
func (b *lines) addf(en, ko string, args ...any) { b.add(tf(en, ko, args...)) }

// same appends a line that reads the same in both languages (a table row, a dump).
func (b *lines) same(s string) { b.add(Text{EN: s, KO: s}) }

// text returns what was added, without the final newline.
func (b *lines) text() Text {
	return Text{EN: strings.TrimSuffix(b.en.String(), "\n"), KO: strings.TrimSuffix(b.ko.String(), "\n")}
}
