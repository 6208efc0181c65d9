package quiz

import (
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// WriteWorksheet writes a printable worksheet and its answer key for items,
// each as Markdown and as HTML: prefix-questions.md, prefix-answers.md,
// prefix-questions.html and prefix-answers.html. It returns the files
// written. Like Sheet, the output depends only on the items, seed and lang.
func WriteWorksheet(prefix string, items []Item, seed uint64, lang Lang) ([]string, error) {
	var written []string
	for _, answers := range []bool{false, true} {
		part := "questions"
		if answers {
			part = "answers"
		}
		for _, format := range []struct {
			ext   string
			write func(io.Writer, []Item, uint64, Lang, bool) error
		}{{"md", markdownSheet}, {"html", htmlSheet}} {
			name := fmt.Sprintf("%s-%s.%s", prefix, part, format.ext)
			if err := writeFile(name, func(w io.Writer) error { return format.write(w, items, seed, lang, answers) }); err != nil {
				return written, err
			}
			written = append(written, name)
		}
	}
	return written, nil
}

func writeFile(name string, write func(io.Writer) error) error {
	if dir := filepath.Dir(name); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func sheetTitle(items []Item, seed uint64, answers bool) Text {
	if answers {
		return tf("vmkata quiz answer key · seed %d · %d items", "vmkata 퀴즈 정답과 풀이 · 시드 %d · %d문항", seed, len(items))
	}
	return tf("vmkata quiz worksheet · seed %d · %d items", "vmkata 퀴즈 문제지 · 시드 %d · %d문항", seed, len(items))
}

// markdownSheet writes the sheet as Markdown; prompts and solutions are
// code blocks, since they hold dumps and tables.
func markdownSheet(w io.Writer, items []Item, seed uint64, lang Lang, answers bool) error {
	ew := &errWriter{w: w}
	ew.printf("# %s\n", sheetTitle(items, seed, answers).In(lang))
	for i, it := range items {
		ew.printf("\n## %d. %s · %s\n\n```\n%s\n```\n\n*%s*\n", i+1, it.Topic, it.Kind, it.Prompt.In(lang), it.Answer.Form().In(lang))
		if answers {
			ew.printf("\n**%s** `%s`\n\n```\n%s\n```\n\n%s %s\n", Text{EN: "Answer:", KO: "정답:"}.In(lang), it.Answer.Key(),
				it.Solution.In(lang), Text{EN: "Read:", KO: "읽을 곳:"}.In(lang), it.Read.In(lang))
			if it.Show != "" {
				ew.printf("\n%s `%s`\n", Text{EN: "See it:", KO: "직접 보기:"}.In(lang), it.Show)
			}
		} else {
			ew.printf("\n%s ____________________\n", Text{EN: "Answer:", KO: "답:"}.In(lang))
		}
	}
	return ew.err
}

// htmlSheet writes the sheet as a self-contained HTML page.
func htmlSheet(w io.Writer, items []Item, seed uint64, lang Lang, answers bool) error {
	ew := &errWriter{w: w}
	e := html.EscapeString
	title := e(sheetTitle(items, seed, answers).In(lang))
	ew.printf("<!DOCTYPE html>\n<html lang=%q>\n<head><meta charset=\"utf-8\"><title>%s</title>\n", string(lang), title)
	ew.print("<style>body{font-family:sans-serif;max-width:60em;margin:auto}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}section{break-inside:avoid}</style>\n</head>\n<body>\n")
	ew.printf("<h1>%s</h1>\n", title)
	for i, it := range items {
		ew.printf("<section>\n<h2>%d. %s · %s</h2>\n<pre>%s</pre>\n<p><em>%s</em></p>\n", i+1, e(it.Topic), e(it.Kind), e(it.Prompt.In(lang)), e(it.Answer.Form().In(lang)))
		if answers {
			ew.printf("<p><strong>%s</strong> <code>%s</code></p>\n<pre>%s</pre>\n<p>%s %s</p>\n", e(Text{EN: "Answer:", KO: "정답:"}.In(lang)), e(it.Answer.Key()),
				e(it.Solution.In(lang)), e(Text{EN: "Read:", KO: "읽을 곳:"}.In(lang)), e(it.Read.In(lang)))
			if it.Show != "" {
				ew.printf("<p>%s <code>%s</code></p>\n", e(Text{EN: "See it:", KO: "직접 보기:"}.In(lang)), e(it.Show))
			}
		} else {
			ew.printf("<p>%s ____________________</p>\n", e(Text{EN: "Answer:", KO: "답:"}.In(lang)))
		}
		ew.print("</section>\n")
	}
	ew.print("</body>\n</html>\n")
	return ew.err
}

// Moodle XML (https://docs.moodle.org/en/Moodle_XML_format), the subset an
// import needs: one question per item, its text, its right answers and the
// worked solution as general feedback.
type moodleQuiz struct {
	XMLName   xml.Name         `xml:"quiz"`
	Questions []moodleQuestion `xml:"question"`
}

type moodleQuestion struct {
	Type     string         `xml:"type,attr"`
	Name     moodleText     `xml:"name"`
	Text     moodleText     `xml:"questiontext"`
	Feedback moodleText     `xml:"generalfeedback"`
	Single   string         `xml:"single,omitempty"`
	Shuffle  string         `xml:"shuffleanswers,omitempty"`
	UseCase  string         `xml:"usecase,omitempty"`
	Answers  []moodleAnswer `xml:"answer"`
}

type moodleText struct {
	Format string `xml:"format,attr,omitempty"`
	Text   string `xml:"text"`
}

type moodleAnswer struct {
	Fraction  int        `xml:"fraction,attr"`
	Format    string     `xml:"format,attr,omitempty"`
	Text      string     `xml:"text"`
	Tolerance string     `xml:"tolerance,omitempty"`
	Feedback  moodleText `xml:"feedback"`
}

// WriteMoodle writes items as Moodle XML questions, for an instructor to
// import many variants into a question bank: multichoice for O/X and
// multiple-choice items, numerical (with the item's tolerance) for numbers,
// shortanswer with the answer key for the rest (addresses, lists, H/M
// sequences, translations: Moodle then matches the key's exact spelling,
// case aside).
func WriteMoodle(w io.Writer, items []Item, seed uint64, lang Lang) error {
	var q moodleQuiz
	for i, it := range items {
		mq := moodleQuestion{
			Name:     moodleText{Text: fmt.Sprintf("vmkata %d-%02d %s", seed, i+1, it.Kind)},
			Text:     moodleText{Format: "html", Text: "<pre>" + html.EscapeString(it.Prompt.In(lang)+"\n("+it.Answer.Form().In(lang)+")") + "</pre>"},
			Feedback: moodleText{Format: "html", Text: "<pre>" + html.EscapeString(it.Solution.In(lang)+"\n"+it.Read.In(lang)) + "</pre>"},
		}
		switch a := it.Answer.(type) {
		case OneOf:
			mq.Type, mq.Single, mq.Shuffle = "multichoice", "true", "false"
			for j, o := range a.Options {
				label := o.Key
				if o.Label.EN != "" {
					label += ") " + o.Label.In(lang)
				}
				fraction := 0
				if j == a.Want {
					fraction = 100
				}
				mq.Answers = append(mq.Answers, moodleAnswer{Fraction: fraction, Format: "html", Text: html.EscapeString(label)})
			}
		case Number:
			if a.Hex { // an address: accept it in hex or in decimal
				mq.Type, mq.UseCase = "shortanswer", "0"
				mq.Answers = []moodleAnswer{{Fraction: 100, Text: a.Key()}, {Fraction: 100, Text: strconv.FormatUint(a.V, 10)}}
				break
			}
			mq.Type = "numerical"
			mq.Answers = []moodleAnswer{{Fraction: 100, Text: strconv.FormatUint(a.V, 10), Tolerance: "0"}}
		case Real:
			mq.Type = "numerical"
			mq.Answers = []moodleAnswer{{Fraction: 100, Text: strconv.FormatFloat(a.V, 'g', -1, 64),
				Tolerance: strconv.FormatFloat(a.V*a.Rel, 'g', -1, 64)}}
		default:
			mq.Type, mq.UseCase = "shortanswer", "0"
			mq.Answers = []moodleAnswer{{Fraction: 100, Text: it.Answer.Key()}}
		}
		q.Questions = append(q.Questions, mq)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(q); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
