package quiz

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAnswersReadNaturalForms(t *testing.T) {
	levels := map[string]int{"pd": 2, "pt": 1}
	tests := []struct {
		name   string
		answer Answer
		reply  string
		right  bool
		unread bool // the reply cannot be read: asked again
	}{
		{"hex with 0x", Number{V: 0xaf4}, "0xAF4", true, false},
		{"hex without 0x", Number{V: 0xaf4}, "af4", true, false},
		{"decimal", Number{V: 0xaf4}, "2804", true, false},
		{"spaces and separators", Number{V: 1234567}, "  1_234_567 ", true, false},
		{"bare digits read as hex too", Number{V: 0x10}, "10", true, false},
		{"wrong number", Number{V: 10}, "11", false, false},
		{"not a number", Number{V: 10}, "ten", false, true},
		{"empty", Number{V: 10}, "", false, true},
		{"indices with names", List{V: []uint64{254, 72, 418, 359, 0xabc}, Ordered: true, Fixed: true}, "PML4 254 | PDPT 72 | PD 418 | PT 359 | offset 0xabc", true, false},
		{"indices, commas", List{V: []uint64{7, 13, 58}, Ordered: true, Fixed: true}, "7, 13, 0x3a", true, false},
		{"indices in the wrong order", List{V: []uint64{7, 13, 58}, Ordered: true, Fixed: true}, "13 7 58", false, false},
		{"too few indices", List{V: []uint64{7, 13, 58}, Ordered: true, Fixed: true}, "7 13", false, true},
		{"victims", List{V: []uint64{7, 0, 1}, Ordered: true}, "7 0 1", true, false},
		{"victims, one missing", List{V: []uint64{7, 0, 1}, Ordered: true}, "7 0", false, false},
		{"no victims", List{V: nil, Ordered: true}, "-", true, false},
		{"no victims, in words", List{V: nil, Ordered: true}, "None", true, false},
		{"a set in any order", List{V: []uint64{1, 2, 2}}, "2 1 2", true, false},
		{"a set, one wrong", List{V: []uint64{1, 2, 2}}, "2 1 1", false, false},
		{"list with garbage", List{V: []uint64{1}, Ordered: true}, "1 zz", false, true},
		{"hits together", HitMiss{false, true, true}, "MHH", true, false},
		{"hits apart, lower case", HitMiss{false, true, true}, "m h h", true, false},
		{"hits in words", HitMiss{false, true}, "miss, hit", true, false},
		{"hits in Korean", HitMiss{false, true}, "미스 히트", true, false},
		{"hits wrong", HitMiss{false, true}, "H H", false, false},
		{"hits, too many", HitMiss{false, true}, "M H H", false, true},
		{"hits, bad letter", HitMiss{false, true}, "M X", false, true},
		{"O in lower case", OX(true), "o", true, false},
		{"O as yes", OX(true), "Yes", true, false},
		{"X in Korean", OX(false), "아니오", true, false},
		{"X is wrong", OX(true), "x", false, false},
		{"O/X by number", OX(false), "2", true, false},
		{"O/X nonsense", OX(false), "maybe", false, true},
		{"signal by key", OneOf{Options: signalOptions, Want: 1}, "segv_maperr", true, false},
		{"signal by alias", OneOf{Options: signalOptions, Want: 3}, "bus", true, false},
		{"signal, other option", OneOf{Options: signalOptions, Want: 3}, "SEGV-ACCERR", false, false},
		{"EAT in ns", Real{V: 8199.8, Rel: 0.01, Unit: "ns"}, "8200", true, false},
		{"EAT in us", Real{V: 8199.8, Rel: 0.01, Unit: "ns"}, "8.2 us", true, false},
		{"EAT in µs", Real{V: 8199.8, Rel: 0.01, Unit: "ns"}, "8.2µs", true, false},
		{"EAT too far", Real{V: 8199.8, Rel: 0.01, Unit: "ns"}, "8.4us", false, false},
		{"EAT not a time", Real{V: 8199.8, Rel: 0.01, Unit: "ns"}, "fast", false, true},
		{"p in e notation", Real{V: 1e-5, Rel: 0.02}, "1e-5", true, false},
		{"p in percent", Real{V: 1e-5, Rel: 0.02}, "0.001%", true, false},
		{"p wrong", Real{V: 1e-5, Rel: 0.02}, "1e-4", false, false},
		{"p NaN", Real{V: 1e-5, Rel: 0.02}, "NaN", false, true},
		{"translation PA", Translation{PA: 0xaf4, LevelNames: levels}, "0xaf4", true, false},
		{"translation says fault", Translation{PA: 0xaf4, LevelNames: levels}, "fault at level 1", false, false},
		{"fault at a level", Translation{Fault: true, Level: 2, LevelNames: levels}, "Fault at level 2", true, false},
		{"fault by name", Translation{Fault: true, Level: 2, LevelNames: levels}, "page fault PD", true, false},
		{"fault in Korean", Translation{Fault: true, Level: 1, LevelNames: levels}, "폴트 1", true, false},
		{"fault, wrong level", Translation{Fault: true, Level: 1, LevelNames: levels}, "fault pd", false, false},
		{"fault, no level", Translation{Fault: true, Level: 1, LevelNames: levels}, "fault", false, true},
		{"fault given an address", Translation{Fault: true, Level: 1, LevelNames: levels}, "0x40", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := tt.answer.Check(tt.reply)
			if tt.unread {
				var re *ReplyError
				assert.True(t, errors.As(err, &re), "Check(%q) = %v, %v; want a ReplyError", tt.reply, ok, err)
				assert.NotEmpty(t, re.Msg.EN)
				assert.NotEmpty(t, re.Msg.KO)
				return
			}
			assert.NoError(t, err, "Check(%q)", tt.reply)
			assert.Equal(t, tt.right, ok, "Check(%q) for answer %s", tt.reply, tt.answer.Key())
		})
	}
}

// FuzzCheck feeds any reply to every kind of answer: it may be right, wrong
// or unreadable, but Check never panics and an unreadable reply always says
// why in both languages.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"0x1f", "12 13", "H M", "fault at level 2", "8.2us", "1e-5%", "-", "", "O", "0x", "ｆａｕｌｔ", "\x00", "99999999999999999999999"} {
		f.Add(s)
	}
	answers := []Answer{
		Number{V: 31}, List{V: []uint64{12, 13}, Ordered: true, Fixed: true}, List{V: []uint64{1, 2}},
		HitMiss{true, false}, OX(true), OneOf{Options: signalOptions}, Real{V: 8200, Rel: 0.01, Unit: "ns"},
		Real{V: 1e-5, Rel: 0.02}, Translation{Fault: true, Level: 2, LevelNames: map[string]int{"pd": 2}},
	}
	f.Fuzz(func(t *testing.T, reply string) {
		for _, a := range answers {
			_, err := a.Check(reply)
			var re *ReplyError
			if err != nil && (!errors.As(err, &re) || re.Msg.EN == "" || re.Msg.KO == "") {
				t.Fatalf("%T.Check(%q) = %v: want nil or a ReplyError in both languages", a, reply, err)
			}
		}
	})
}
