package quiz

import (
	"strings"

	"github.com/vmkata/vmkata/grader/internal/i18n"
)

// Lang is the language a session speaks: LangEN or LangKO.
type Lang = i18n.Lang

// The languages every item is written in.
const (
	LangEN = i18n.EN
	LangKO = i18n.KO
)

// Text is one piece of text in both languages. Every prompt, explanation and
// message a learner reads is a Text, so no item kind can lack a language
// without its test noticing.
type Text = i18n.Text

// tf formats the English and the Korean template with the same arguments.
func tf(en, ko string, args ...any) Text { return i18n.F(en, ko, args...) }

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
