package quiz

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorksheetIsByteIdenticalAndHidesAnswers(t *testing.T) {
	items, err := Draw(77, 15, nil, nil)
	require.NoError(t, err)
	dir := t.TempDir()
	read := func(prefix string) map[string]string {
		files, err := WriteWorksheet(filepath.Join(dir, prefix), items, 77, LangKO)
		require.NoError(t, err)
		require.Len(t, files, 4)
		got := map[string]string{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			got[strings.TrimPrefix(filepath.Base(f), prefix)] = string(b)
		}
		return got
	}
	a, b := read("a"), read("b")
	assert.Equal(t, a, b, "two worksheets of one seed differ")
	for _, name := range []string{"-questions.md", "-questions.html"} {
		assert.NotContains(t, a[name], "정답:", "%s shows answers", name)
		assert.Contains(t, a[name], "답: ____")
	}
	for _, it := range items {
		assert.Contains(t, a["-answers.md"], "`"+it.Answer.Key()+"`")
		assert.Contains(t, a["-answers.md"], it.Prompt.KO)
	}
	assert.True(t, strings.HasPrefix(a["-answers.html"], "<!DOCTYPE html>"))
	assert.Contains(t, a["-answers.html"], "(va &gt;&gt; ", "HTML text is escaped")
	assert.NotContains(t, a["-answers.html"], "(va >> ", "HTML text is escaped")
}

func TestMoodleExportIsWellFormed(t *testing.T) {
	items, err := Draw(5, 30, nil, nil)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, WriteMoodle(&out, items, 5, LangEN))
	var q moodleQuiz
	require.NoError(t, xml.Unmarshal(out.Bytes(), &q))
	require.Len(t, q.Questions, len(items))
	for i, mq := range q.Questions {
		it := items[i]
		assert.Contains(t, mq.Text.Text, "<pre>")
		right := 0
		for _, a := range mq.Answers {
			if a.Fraction == 100 {
				right++
			}
		}
		switch a := it.Answer.(type) {
		case OneOf:
			assert.Equal(t, "multichoice", mq.Type)
			assert.Equal(t, 1, right, "%s: one right option", it.Kind)
			assert.Equal(t, 100, mq.Answers[a.Want].Fraction)
		case Number, Real:
			assert.Contains(t, []string{"numerical", "shortanswer"}, mq.Type)
			for _, ans := range mq.Answers {
				ok, err := it.Answer.Check(ans.Text)
				assert.NoError(t, err)
				assert.True(t, ok, "%s: Moodle's answer %q is not right", it.Kind, ans.Text)
			}
		default:
			assert.Equal(t, "shortanswer", mq.Type)
			assert.Equal(t, it.Answer.Key(), mq.Answers[0].Text)
		}
	}
}
