package quiz

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aWrongReply returns a well-formed wrong reply to it.
func aWrongReply(t *testing.T, it Item) string {
	for _, w := range wrongReplies(t, it.Answer) {
		if ok, err := it.Answer.Check(w); err == nil && !ok {
			return w
		}
	}
	t.Fatalf("no wrong reply for %s", it.Kind)
	return ""
}

func TestRunChecksRepliesAndSummarizes(t *testing.T) {
	items, err := Draw(11, 4, []string{"tlb", "eat"}, nil)
	require.NoError(t, err)
	// Item 1: an unreadable reply, then the right one. Item 2: a wrong one.
	// Item 3: "?" (gives up). Item 4: right.
	input := strings.Join([]string{
		"this is not an answer",
		items[0].Answer.Key(),
		aWrongReply(t, items[1]),
		"?",
		items[3].Answer.Key(),
	}, "\n") + "\n"
	var out bytes.Buffer
	sum, err := Run(items, Session{Seed: 11, Lang: LangEN}, strings.NewReader(input), &out)
	require.NoError(t, err)
	o := out.String()

	assert.Contains(t, o, "seed 11")
	assert.Contains(t, o, "try again", "an unreadable reply is asked again")
	assert.Equal(t, 2, strings.Count(o, "✓ Right."), o)
	assert.Equal(t, 1, strings.Count(o, "✗ Not quite."), o)
	assert.Equal(t, 2, strings.Count(o, "The answer is"), "a wrong reply and a skip both show the answer:\n%s", o)
	assert.Contains(t, o, indent(items[1].Solution.EN), "the worked solution follows a wrong answer")
	assert.Contains(t, o, items[1].Read.EN)
	assert.Contains(t, o, "go run ./cmd/vmsim")

	right, asked := 0, 0
	for _, s := range sum {
		right += s.Right
		asked += s.Asked
	}
	assert.Equal(t, 2, right)
	assert.Equal(t, 4, asked)
	assert.Contains(t, o, "Summary")
	assert.Regexp(t, `2/4 +total`, o)
}

func TestRunStopsOnQuitAndAtEndOfInput(t *testing.T) {
	items, err := Draw(3, 5, nil, nil)
	require.NoError(t, err)
	var out bytes.Buffer
	sum, err := Run(items, Session{Seed: 3, Lang: LangEN}, strings.NewReader(items[0].Answer.Key()+"\nq\n"), &out)
	require.NoError(t, err)
	require.Len(t, sum, 1)
	assert.Equal(t, Score{Topic: items[0].Topic, Asked: 1, Right: 1}, sum[0])
	assert.NotContains(t, out.String(), "[3/5]", "q ends the session")

	out.Reset()
	sum, err = Run(items, Session{Seed: 3, Lang: LangEN}, strings.NewReader(""), &out)
	require.NoError(t, err)
	assert.Empty(t, sum)
	assert.Contains(t, out.String(), "no item answered")
}

func TestRunSpeaksKorean(t *testing.T) {
	items, err := Draw(8, 2, []string{"split"}, nil)
	require.NoError(t, err)
	var out bytes.Buffer
	_, err = Run(items, Session{Seed: 8, Lang: LangKO}, strings.NewReader("엉터리\n"+aWrongReply(t, items[0])+"\n"), &out)
	require.NoError(t, err)
	o := out.String()
	for _, want := range []string{"시드 8", "다시 입력하세요", "✗ 틀렸습니다.", "정답:", indent(items[0].Solution.KO), "읽을 곳:", "결과"} {
		assert.Contains(t, o, want)
	}
	assert.NotContains(t, o, "The answer is")
}

func TestMainFollowsTheLocale(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ko_KR.UTF-8")
	var out bytes.Buffer
	require.NoError(t, Main([]string{"--progress", "", "--seed", "9", "--n", "1", "--answers"}, strings.NewReader(""), &out))
	assert.Contains(t, out.String(), "정답:", "a Korean locale, no --lang")
	out.Reset()
	require.NoError(t, Main([]string{"--progress", "", "--seed", "9", "--n", "1", "--answers", "--lang", "en"}, strings.NewReader(""), &out))
	assert.NotContains(t, out.String(), "정답:", "a Korean locale, --lang en")
}

func TestMainFlags(t *testing.T) {
	t.Setenv("LC_ALL", "en_US.UTF-8") // the language the checks below expect
	progress := filepath.Join(t.TempDir(), "progress.json")
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := Main(append([]string{"--progress", progress}, args...), strings.NewReader(""), &out)
		return out.String(), err
	}
	for _, args := range [][]string{
		{"--n", "0"}, {"--lang", "fr"}, {"--json", "--print"}, {"--timed", "-5m"}, {"--timed", "soon"}, {"--timed", "0"}, {"--export", "qti"}, {"--export", "moodle", "--answers"}, {"--mastery", "--print"}, {"--progress", "", "--practice"}, {"--topic", "nosuch"}, {"--print", "--answers"}, {"--bogus"}, {"extra"}, {"--seed", "-1"},
	} {
		_, err := run(args...)
		var ue UsageError
		assert.True(t, errors.As(err, &ue), "Main(%q) = %v, want a UsageError", args, err)
	}
	_, err := run("-h")
	assert.ErrorIs(t, err, flag.ErrHelp)

	a, err := run("--seed", "9", "--n", "6", "--print")
	require.NoError(t, err)
	b, err := run("--seed", "9", "--count", "6", "--print")
	require.NoError(t, err)
	assert.Equal(t, a, b, "--print is byte-identical for a seed")
	assert.Contains(t, a, "worksheet · seed 9 · 6 items")
	assert.NotContains(t, a, "The answer is", "--print hides the answers")

	key, err := run("--seed", "9", "--n", "6", "--answers", "--lang", "ko", "--topic", "cow, brk")
	require.NoError(t, err)
	assert.Contains(t, key, "정답:")
	assert.Contains(t, key, "[cow · cow]")

	js, err := run("--seed", "9", "--n", "6", "--json")
	require.NoError(t, err)
	var sheet JSONSheet
	require.NoError(t, json.Unmarshal([]byte(js), &sheet))
	items, err := Draw(9, 6, nil, nil)
	require.NoError(t, err)
	require.Len(t, sheet.Items, 6)
	assert.Equal(t, uint64(9), sheet.Seed)
	for i, it := range items {
		assert.Equal(t, it.Answer.Key(), sheet.Items[i].Answer)
		assert.Equal(t, it.Prompt, sheet.Items[i].Prompt)
	}

	o, err := run("--seed", "9", "--n", "1")
	require.NoError(t, err, "an interactive session with no input ends cleanly")
	assert.Contains(t, o, "Summary")
}

func TestRunStopsWhenTimeIsUp(t *testing.T) {
	items, err := Draw(4, 5, []string{"eat"}, nil)
	require.NoError(t, err)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Each reading of the clock moves it one minute on: start, then a check
	// before each prompt and after each reply.
	now := func() time.Time { clock = clock.Add(time.Minute); return clock }
	input := items[0].Answer.Key() + "\n" + items[1].Answer.Key() + "\n" + items[2].Answer.Key() + "\n"
	var out bytes.Buffer
	sum, err := Run(items, Session{Seed: 4, Lang: LangEN, Limit: 3*time.Minute + 30*time.Second, Now: now}, strings.NewReader(input), &out)
	require.NoError(t, err)
	o := out.String()
	assert.Contains(t, o, "You have 3m30s.")
	assert.Contains(t, o, "[2/5]")
	assert.NotContains(t, o, "[3/5]", "no item is asked after the limit")
	assert.Contains(t, o, "Time is up: this answer is not scored.")
	require.Len(t, sum, 1)
	assert.Equal(t, 1, sum[0].Asked, "only the answer given in time is scored")
}

func TestProgressIsKeptAndShown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "progress.json")
	session := func(input string, args ...string) string {
		var out bytes.Buffer
		require.NoError(t, Main(append([]string{"--progress", path, "--seed", "21", "--n", "2", "--topic", "eat"}, args...),
			strings.NewReader(input), &out))
		return out.String()
	}
	items, err := Draw(21, 2, []string{"eat"}, nil)
	require.NoError(t, err)
	o := session(items[0].Answer.Key() + "\n?\n")
	assert.Contains(t, o, "Progress saved in "+path)
	o = session(items[0].Answer.Key() + "\n" + items[1].Answer.Key() + "\n")
	assert.Contains(t, o, "Progress saved")

	p, err := LoadProgress(path)
	require.NoError(t, err)
	assert.Equal(t, map[string]Tally{"fault": {Asked: 4, Right: 3}}, p.Topics)

	var out bytes.Buffer
	require.NoError(t, Main([]string{"--progress", path, "--mastery"}, strings.NewReader(""), &out))
	assert.Regexp(t, `3/4 +███████░░░ +75%  fault`, out.String())

	out.Reset()
	require.NoError(t, Main([]string{"--progress", path, "--mastery", "--lang", "ko"}, strings.NewReader(""), &out))
	assert.Contains(t, out.String(), "주제별 숙련도")

	require.NoError(t, os.WriteFile(path, []byte(`{"topics":{"tlb":{"asked":1,"right":2}}}`), 0o644))
	err = Main([]string{"--progress", path, "--mastery"}, strings.NewReader(""), &out)
	var ue UsageError
	assert.True(t, errors.As(err, &ue), "an impossible progress file: %v", err)
	require.NoError(t, os.WriteFile(path, []byte(`not json`), 0o644))
	err = Main([]string{"--progress", path, "--n", "1"}, strings.NewReader(""), &out)
	assert.True(t, errors.As(err, &ue), "a malformed progress file: %v", err)
	assert.ErrorContains(t, err, path)
}

func TestPracticeFavoursWeakTopics(t *testing.T) {
	p := Progress{Topics: map[string]Tally{"tlb": {Asked: 10, Right: 0}}}
	for _, topic := range Topics() {
		if topic != "tlb" {
			p.Topics[topic] = Tally{Asked: 10, Right: 10}
		}
	}
	w := p.Weights()
	assert.Equal(t, 4.0, w["tlb"])
	assert.Equal(t, 1.0, w["cow"])
	items, err := Draw(1, 200, nil, w)
	require.NoError(t, err)
	tlb := 0
	for _, it := range items {
		if it.Topic == "tlb" {
			tlb++
		}
	}
	// tlb has one generator of weight 4 among 14 generators of weight 1
	// (concept items are scored under their own topics but drawn as "concepts"):
	// about 4/18 of 200 ≈ 44 items, plus the concept items about the TLB.
	assert.Greater(t, tlb, 30, "tlb came up %d times in 200", tlb)
	assert.Equal(t, 4.0, Progress{}.Weights()["cow"], "a topic never answered weighs most")
}

func TestTimedTakesMinutesOrADuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"20": 20 * time.Minute, "1.5": 90 * time.Second, "90s": 90 * time.Second, "1h": time.Hour} {
		var m minutes
		require.NoError(t, m.Set(in), "--timed %s", in)
		assert.Equal(t, want, time.Duration(m), "--timed %s", in)
	}
}
