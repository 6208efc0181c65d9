package quiz

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// An Answer is an item's right answer, computed by the reference when the
// item was generated, and the checker of a learner's reply to it.
type Answer interface {
	// Check reads reply and reports whether it is right. A reply that cannot
	// be read at all (not a number, the wrong number of values, an unknown
	// choice) returns a *ReplyError instead: the item is asked again.
	Check(reply string) (bool, error)
	// Key is the answer as the answer key prints it.
	Key() string
	// Form says how to write a reply.
	Form() Text
}

// ReplyError says why a reply could not be read, in both languages.
type ReplyError struct{ Msg Text }

func (e *ReplyError) Error() string { return e.Msg.EN }

func replyErr(en, ko string, args ...any) *ReplyError { return &ReplyError{tf(en, ko, args...)} }

// parseNumber reads an unsigned integer written in hex (0x1f, 1Fh is not
// accepted) or decimal, with '_' or ',' as digit separators. A bare number
// made of decimal digits has two readings, decimal and hex: both are
// returned (hexOK false when the hex reading overflows or is the same).
// Bare hex digits with a letter (1f) are read as hex only.
func parseNumber(s string) (dec uint64, hex uint64, hexOK bool, err error) {
	s = strings.ToLower(strings.NewReplacer("_", "", ",", "").Replace(strings.TrimSpace(s)))
	if s == "" {
		return 0, 0, false, replyErr("empty number", "숫자가 비어 있습니다")
	}
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		v, err := strconv.ParseUint(h, 16, 64)
		if err != nil {
			return 0, 0, false, replyErr("%q is not a hex number", "%q는 16진수가 아닙니다", s)
		}
		return v, 0, false, nil
	}
	if d, err := strconv.ParseUint(s, 10, 64); err == nil {
		h, herr := strconv.ParseUint(s, 16, 64)
		return d, h, herr == nil && h != d, nil
	}
	if v, err := strconv.ParseUint(s, 16, 64); err == nil {
		return v, 0, false, nil
	}
	return 0, 0, false, replyErr("%q is not a number (write 0x1a2b or 6699)", "%q는 숫자가 아닙니다 (0x1a2b나 6699처럼 쓰세요)", s)
}

// matchNumber reports whether token is a way of writing want.
func matchNumber(token string, want uint64) (bool, error) {
	d, h, hexOK, err := parseNumber(token)
	if err != nil {
		return false, err
	}
	return d == want || (hexOK && h == want), nil
}

// Number is an unsigned integer answer, printed in hex when Hex is set.
// A reply may be hex (with or without 0x) or decimal.
type Number struct {
	V   uint64
	Hex bool
}

func (a Number) Check(reply string) (bool, error) {
	r := strings.TrimSpace(reply)
	if r == "" {
		return false, replyErr("write a number", "숫자를 쓰세요")
	}
	return matchNumber(r, a.V)
}

func (a Number) Key() string {
	if a.Hex {
		return fmt.Sprintf("%#x", a.V)
	}
	return strconv.FormatUint(a.V, 10)
}

func (a Number) Form() Text {
	return Text{EN: "a number, hex (0x…) or decimal", KO: "숫자 하나 (16진수 0x… 또는 10진수)"}
}

// labels are words a reply may carry around its numbers (level names, "H:"),
// which a List ignores.
var labels = map[string]bool{
	"pml5": true, "pml4": true, "pdpt": true, "pd": true, "pt": true, "offset": true,
	"l1": true, "l2": true, "l3": true, "l4": true, "l5": true, "index": true, "order": true, "오프셋": true,
}

// splitTokens cuts a reply at spaces, commas, semicolons, '|', '/', ':' and brackets.
func splitTokens(reply string) []string {
	return strings.FieldsFunc(reply, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;|/:[]{}()=", r)
	})
}

// List is a list of unsigned integers. Ordered lists compare in order, the
// others as sets. A Fixed list has a length the prompt states, so a reply
// of another length is asked again rather than marked wrong. An empty list
// is written "-" or "none". The answer key prints the values in decimal,
// the last one in hex if HexLast is set (a page offset).
type List struct {
	V       []uint64
	Ordered bool
	Fixed   bool
	HexLast bool
}

func (a List) Check(reply string) (bool, error) {
	var toks []string
	for _, t := range splitTokens(strings.ToLower(reply)) {
		if !labels[t] {
			toks = append(toks, t)
		}
	}
	if len(toks) == 0 {
		return false, replyErr(`write the numbers separated by spaces, or "-" for none`, `숫자를 공백으로 구분해 쓰세요. 하나도 없으면 "-"`)
	}
	if len(toks) == 1 && (toks[0] == "-" || toks[0] == "none" || toks[0] == "없음") {
		toks = nil
	}
	if a.Fixed && len(toks) != len(a.V) {
		return false, replyErr("give %d numbers, you gave %d", "숫자 %d개를 쓰세요 (%d개를 썼습니다)", len(a.V), len(toks))
	}
	if len(toks) != len(a.V) {
		for _, t := range toks { // still report a token that is no number
			if _, _, _, err := parseNumber(t); err != nil {
				return false, err
			}
		}
		return false, nil
	}
	want := slices.Clone(a.V)
	for i, t := range toks {
		if a.Ordered {
			ok, err := matchNumber(t, want[i])
			if err != nil || !ok {
				return false, err
			}
			continue
		}
		found := -1
		for j, w := range want {
			ok, err := matchNumber(t, w)
			if err != nil {
				return false, err
			}
			if ok {
				found = j
				break
			}
		}
		if found < 0 {
			return false, nil
		}
		want = slices.Delete(want, found, found+1)
	}
	return true, nil
}

func (a List) Key() string {
	if len(a.V) == 0 {
		return "-"
	}
	s := make([]string, len(a.V))
	for i, v := range a.V {
		if a.HexLast && i == len(a.V)-1 {
			s[i] = fmt.Sprintf("%#x", v)
		} else {
			s[i] = strconv.FormatUint(v, 10)
		}
	}
	return strings.Join(s, " ")
}

func (a List) Form() Text {
	switch {
	case a.Fixed:
		return tf("%d numbers separated by spaces, in order", "숫자 %d개를 순서대로, 공백으로 구분해서", len(a.V))
	case a.Ordered:
		return Text{EN: `numbers separated by spaces, in order ("-" for none)`, KO: `숫자들을 순서대로, 공백으로 구분해서 (없으면 "-")`}
	}
	return Text{EN: `numbers separated by spaces, in any order ("-" for none)`, KO: `숫자들을 순서 상관없이, 공백으로 구분해서 (없으면 "-")`}
}

// HitMiss is a sequence of TLB hits (true) and misses. A reply is H/M
// letters, together ("HMMH") or apart ("h m m h", "hit miss …").
type HitMiss []bool

func (a HitMiss) Check(reply string) (bool, error) {
	var got []bool
	for _, t := range splitTokens(strings.ToLower(reply)) {
		switch t {
		case "hit", "히트", "적중":
			got = append(got, true)
			continue
		case "miss", "미스":
			got = append(got, false)
			continue
		}
		for _, r := range t {
			switch r {
			case 'h':
				got = append(got, true)
			case 'm':
				got = append(got, false)
			default:
				return false, replyErr("%q: write H for a hit and M for a miss", "%q: 히트는 H, 미스는 M으로 쓰세요", t)
			}
		}
	}
	if len(got) != len(a) {
		return false, replyErr("give %d results (H or M), you gave %d", "결과 %d개(H 또는 M)를 쓰세요 (%d개를 썼습니다)", len(a), len(got))
	}
	return slices.Equal(got, a), nil
}

func (a HitMiss) Key() string {
	s := make([]string, len(a))
	for i, h := range a {
		s[i] = "M"
		if h {
			s[i] = "H"
		}
	}
	return strings.Join(s, " ")
}

func (a HitMiss) Form() Text {
	return tf("%d letters, H (hit) or M (miss), e.g. H M M H", "H(히트) 또는 M(미스) %d개, 예: H M M H", len(a))
}

// Choice is one option of a OneOf answer: the key the answer key prints,
// the other spellings a reply may use, and how the prompt describes it
// (nothing more than the key if Label is empty).
type Choice struct {
	Key     string
	Aliases []string
	Label   Text
}

// OneOf is a multiple-choice answer: Want is the index of the right option.
// A reply names an option by its key, an alias, or its position (1, 2, …);
// case, spaces, '-' and '_' do not matter.
type OneOf struct {
	Options []Choice
	Want    int
}

func normalizeWord(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '_' || r == '.' || r == '(' || r == ')' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func (a OneOf) Check(reply string) (bool, error) {
	r := normalizeWord(reply)
	for i, o := range a.Options {
		if r == strconv.Itoa(i+1) || r == normalizeWord(o.Key) {
			return i == a.Want, nil
		}
		for _, al := range o.Aliases {
			if r == normalizeWord(al) {
				return i == a.Want, nil
			}
		}
	}
	keys := make([]string, len(a.Options))
	for i, o := range a.Options {
		keys[i] = o.Key
	}
	return false, replyErr("%q is none of the options: %s", "%q는 보기에 없습니다: %s", strings.TrimSpace(reply), strings.Join(keys, ", "))
}

func (a OneOf) Key() string { return a.Options[a.Want].Key }

func (a OneOf) Form() Text {
	var en, ko []string
	for _, o := range a.Options {
		if o.Label.EN == "" {
			en, ko = append(en, o.Key), append(ko, o.Key)
			continue
		}
		en = append(en, o.Key+" ("+o.Label.EN+")")
		ko = append(ko, o.Key+" ("+o.Label.KO+")")
	}
	return Text{EN: "one of: " + strings.Join(en, ", "), KO: "다음 중 하나: " + strings.Join(ko, ", ")}
}

// yesNo are the options of an O/X item.
var yesNo = []Choice{
	{Key: "O", Aliases: []string{"yes", "y", "true", "t", "예", "네", "맞다", "맞음", "참"}, Label: Text{EN: "true", KO: "맞다"}},
	{Key: "X", Aliases: []string{"no", "n", "false", "f", "아니오", "아니요", "틀리다", "틀림", "거짓"}, Label: Text{EN: "false", KO: "틀리다"}},
}

// OX returns the answer to a true-or-false item.
func OX(want bool) OneOf {
	if want {
		return OneOf{Options: yesNo, Want: 0}
	}
	return OneOf{Options: yesNo, Want: 1}
}

// Real is a real-valued answer, right within a relative tolerance Rel.
// Unit is "ns" for a duration (a reply may say ns, us, µs, ms or s; a bare
// number is in ns) or "" for a plain number (a reply may end in % to mean
// hundredths).
type Real struct {
	V    float64
	Rel  float64
	Unit string
}

var durationUnits = []struct {
	suffix string
	ns     float64
}{{"ns", 1}, {"us", 1e3}, {"µs", 1e3}, {"μs", 1e3}, {"ms", 1e6}, {"s", 1e9}}

func (a Real) Check(reply string) (bool, error) {
	r := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(reply), " ", ""))
	r = strings.ReplaceAll(r, "_", "")
	scale := 1.0
	if a.Unit == "ns" {
		for _, u := range durationUnits {
			if s, ok := strings.CutSuffix(r, u.suffix); ok {
				r, scale = s, u.ns
				break
			}
		}
	} else if s, ok := strings.CutSuffix(r, "%"); ok {
		r, scale = s, 0.01
	}
	v, err := strconv.ParseFloat(r, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		if a.Unit == "ns" {
			return false, replyErr("%q is not a time (write e.g. 8200, 8200ns or 8.2us)", "%q는 시간이 아닙니다 (예: 8200, 8200ns, 8.2us)", strings.TrimSpace(reply))
		}
		return false, replyErr("%q is not a number (write e.g. 2.5e-6, 0.0000025 or 0.00025%%)", "%q는 숫자가 아닙니다 (예: 2.5e-6, 0.0000025, 0.00025%%)", strings.TrimSpace(reply))
	}
	v *= scale
	return math.Abs(v-a.V) <= a.Rel*math.Abs(a.V), nil
}

func (a Real) Key() string {
	if a.Unit == "ns" {
		return strconv.FormatFloat(a.V, 'f', -1, 64) + " ns"
	}
	return strconv.FormatFloat(a.V, 'g', 4, 64)
}

func (a Real) Form() Text {
	pct := strconv.FormatFloat(a.Rel*100, 'f', -1, 64)
	if a.Unit == "ns" {
		return tf("a time, in ns unless you write a unit (ns, us, ms); within %s%%", "시간 (단위를 안 쓰면 ns; ns, us, ms 사용 가능), 오차 %s%% 이내", pct)
	}
	return tf("a number (2.5e-6, 0.0000025, or 0.00025%%); within %s%%", "숫자 (2.5e-6, 0.0000025, 또는 0.00025%%), 오차 %s%% 이내", pct)
}
