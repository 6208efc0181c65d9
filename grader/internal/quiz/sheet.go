package quiz

import (
	"encoding/json"
	"io"
)

// Sheet writes items as a worksheet: numbered prompts, each with the form
// its answer takes; with answers set, also each answer, its worked solution
// and pointers (the answer key, like OSTEP's simulators with -c). The output
// depends only on the items and lang, so a seed's sheet is byte-identical
// across runs.
func Sheet(w io.Writer, items []Item, seed uint64, lang Lang, answers bool) error {
	ew := &errWriter{w: w}
	title := tf("vmkata quiz worksheet · seed %d · %d items", "vmkata 퀴즈 문제지 · 시드 %d · %d문항", seed, len(items))
	if answers {
		title = tf("vmkata quiz answer key · seed %d · %d items", "vmkata 퀴즈 정답과 풀이 · 시드 %d · %d문항", seed, len(items))
	}
	ew.println(title.In(lang))
	for i, it := range items {
		ew.printf("\n%d. [%s · %s]\n%s\n", i+1, it.Topic, it.Kind, it.Prompt.In(lang))
		ew.printf("(%s)\n", it.Answer.Form().In(lang))
		if answers {
			explain(ew, it, lang)
		}
	}
	return ew.err
}

// JSONSheet is the answer key as JSON, for tools: every text in both languages.
type JSONSheet struct {
	Seed  uint64     `json:"seed"`
	Items []JSONItem `json:"items"`
}

// JSONItem is one item of a JSONSheet.
type JSONItem struct {
	Kind     string `json:"kind"`
	Topic    string `json:"topic"`
	Prompt   Text   `json:"prompt"`
	Form     Text   `json:"form"`
	Answer   string `json:"answer"`
	Solution Text   `json:"solution"`
	Read     Text   `json:"read"`
	Show     string `json:"show,omitempty"`
}

// WriteJSON writes items and their answers as an indented JSONSheet.
func WriteJSON(w io.Writer, items []Item, seed uint64) error {
	sheet := JSONSheet{Seed: seed, Items: make([]JSONItem, len(items))}
	for i, it := range items {
		sheet.Items[i] = JSONItem{Kind: it.Kind, Topic: it.Topic, Prompt: it.Prompt, Form: it.Answer.Form(),
			Answer: it.Answer.Key(), Solution: it.Solution, Read: it.Read, Show: it.Show}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sheet)
}
