package quiz

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Score counts one topic's items: how many were asked and how many answered right.
type Score struct {
	Topic        string
	Asked, Right int
}

// Summary is the outcome of a session, per topic in the order topics first came up.
type Summary []Score

func (s *Summary) add(topic string, right bool) {
	i := slices.IndexFunc(*s, func(t Score) bool { return t.Topic == topic })
	if i < 0 {
		*s = append(*s, Score{Topic: topic})
		i = len(*s) - 1
	}
	(*s)[i].Asked++
	if right {
		(*s)[i].Right++
	}
}

// Replies a session understands besides answers.
var (
	skipWords = []string{"?", "skip", "pass", "모름", "몰라", "패스"}
	quitWords = []string{"q", "quit", "exit", "그만", "종료"}
)

// Session says how Run asks its items.
type Session struct {
	Seed uint64 // the seed the items were drawn from (printed, for a replay)
	Lang Lang
	// Limit, if positive, is the time allowed: no item is asked after it,
	// and a reply that arrives after it is not scored.
	Limit time.Duration
	// Now tells the time; nil means time.Now.
	Now func() time.Time
}

// Run asks items one by one on in and out: it prints each prompt, reads a
// reply line, asks again (with the reason) while the reply cannot be read,
// says whether it was right and, when it was not, shows the right answer,
// the worked solution, where the concept is taught and a command that shows
// it. "?" or "skip" gives up on an item (it counts as wrong); "q" ends the
// session early, as do the end of in and the end of the time limit. Run
// returns the per-topic summary, which it also prints. Errors are only
// those of writing out.
func Run(items []Item, s Session, in io.Reader, out io.Writer) (Summary, error) {
	lang := s.Lang
	now := s.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	timeUp := func() bool { return s.Limit > 0 && now().Sub(start) >= s.Limit }
	w := &errWriter{w: out}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 4096), 1<<20)
	w.println(tf("vmkata quiz · seed %d · %d items (the same questions again: go run ./grader quiz --seed %d)",
		"vmkata 퀴즈 · 시드 %d · %d문항 (같은 문제를 다시 풀려면: go run ./grader quiz --seed %d)",
		s.Seed, len(items), s.Seed).In(lang))
	w.println(Text{EN: `Type your answer and press Enter; "?" shows the solution, "q" stops.`,
		KO: `답을 입력하고 Enter를 누르세요. "?"는 풀이 보기, "q"는 그만하기.`}.In(lang))
	if s.Limit > 0 {
		w.println(tf("You have %v.", "제한 시간은 %v입니다.", s.Limit).In(lang))
	}
	var sum Summary
	timeIsUp := Text{EN: "Time is up.", KO: "시간이 다 되었습니다."}
loop:
	for i, it := range items {
		if timeUp() {
			w.println("\n" + timeIsUp.In(lang))
			break
		}
		w.printf("\n[%d/%d] %s · %s\n%s\n", i+1, len(items), it.Topic, it.Kind, it.Prompt.In(lang))
		w.printf("(%s)\n", it.Answer.Form().In(lang))
		for {
			w.print("> ")
			if !sc.Scan() {
				w.println("")
				break loop
			}
			if timeUp() {
				w.println(Text{EN: "Time is up: this answer is not scored.", KO: "시간이 다 되어 이 답은 채점하지 않습니다."}.In(lang))
				break loop
			}
			reply := strings.TrimSpace(sc.Text())
			word := strings.ToLower(reply)
			if slices.Contains(quitWords, word) {
				break loop
			}
			if slices.Contains(skipWords, word) {
				sum.add(it.Topic, false)
				explain(w, it, lang)
				break
			}
			ok, err := it.Answer.Check(reply)
			var re *ReplyError
			if errors.As(err, &re) {
				w.printf("%s — %s\n", re.Msg.In(lang), Text{EN: "try again", KO: "다시 입력하세요"}.In(lang))
				continue
			}
			if err != nil { // an Answer returns only ReplyErrors; be safe anyway
				w.printf("%v\n", err)
				continue
			}
			sum.add(it.Topic, ok)
			if ok {
				w.println(Text{EN: "✓ Right.", KO: "✓ 정답입니다."}.In(lang))
			} else {
				w.print(Text{EN: "✗ Not quite. ", KO: "✗ 틀렸습니다. "}.In(lang))
				explain(w, it, lang)
			}
			break
		}
	}
	printSummary(w, sum, lang)
	return sum, w.err
}

// explain prints the right answer, the worked solution and the pointers.
func explain(w *errWriter, it Item, lang Lang) {
	w.printf("%s %s\n", Text{EN: "The answer is", KO: "정답:"}.In(lang), it.Answer.Key())
	w.println(indent(it.Solution.In(lang)))
	w.printf("%s %s\n", Text{EN: "Read:", KO: "읽을 곳:"}.In(lang), it.Read.In(lang))
	if it.Show != "" {
		w.printf("%s %s\n", Text{EN: "See it:", KO: "직접 보기:"}.In(lang), it.Show)
	}
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

// printSummary prints one row per topic with a bar of its share right.
func printSummary(w *errWriter, sum Summary, lang Lang) {
	w.printf("\n%s\n", Text{EN: "Summary", KO: "결과"}.In(lang))
	if len(sum) == 0 {
		w.println(Text{EN: "  no item answered", KO: "  답한 문항이 없습니다"}.In(lang))
		return
	}
	var right, asked int
	var weak []string
	for _, s := range sum {
		w.printf("  %3d/%-3d %s  %s\n", s.Right, s.Asked, bar(s.Right, s.Asked), s.Topic)
		right += s.Right
		asked += s.Asked
		if 2*s.Right < s.Asked {
			weak = append(weak, s.Topic)
		}
	}
	w.printf("  %3d/%-3d %s\n", right, asked, Text{EN: "total", KO: "합계"}.In(lang))
	if len(weak) > 0 {
		w.println(tf("Practice next: %s (go run ./grader quiz --topic %s)", "다음에 연습할 주제: %s (go run ./grader quiz --topic %s)",
			strings.Join(weak, ", "), strings.Join(weak, ",")).In(lang))
	}
}

// errWriter keeps the first write error, so printing code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
func (e *errWriter) print(s string)   { e.printf("%s", s) }
func (e *errWriter) println(s string) { e.printf("%s\n", s) }
