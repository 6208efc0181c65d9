package catalog

import (
	"bufio"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A rule is one testable sentence of an exercise's contract. It is written
// once, where the contract lives (the exercise stub's doc comments, or vm's
// contract docs for a contract several exercises share), and marked at the
// start of the sentence:
//
//	// [rule:04.lookup-asid] Lookup hits only an entry with the same ASID, or a global one.
//
// The marker's "NN.short-name" is the rule's ID: NN the exercise number,
// short-name lowercase words joined by hyphens. Every rule has at least one
// deterministic spec carrying the Ginkgo label "rule:NN.short-name", and the
// exercise's READMEs list every rule, one table row each, in their "What the
// specs check" section. CheckRules enforces all three.
type Rule struct {
	ID   string // "04.lookup-asid"
	Text string // the sentence after the marker
	File string // where it is written, relative to the module root
	Line int
}

// Label returns the Ginkgo label a spec of the rule carries: "rule:" + ID.
func (r Rule) Label() string { return RuleLabelPrefix + r.ID }

// RuleLabelPrefix starts every rule label.
const RuleLabelPrefix = "rule:"

var (
	ruleIDPattern = regexp.MustCompile(`^[0-9]{2}\.[a-z0-9]+(-[a-z0-9]+)*$`)
	markerPattern = regexp.MustCompile(`\[rule:([^\]\s]*)\]?`)
	labelPattern  = regexp.MustCompile(`rule:([^\s"',)]*)`)
	prefixPattern = regexp.MustCompile(`^rule:(?:([0-9]{2})\.)?$`)
	tableIDCell   = regexp.MustCompile("^`rule:([^`]*)`$")
)

// Number returns the exercise's two-digit number, "04" for "04-tlb".
func (e Exercise) Number() string { return e.ID[:2] }

// Rules returns the rules of exercise e, read from the doc comments of its
// stub files (the non-test .go files of its folder other than the solution
// aliases) and from vm/*.go (the rules numbered for e), in file order. It
// fails on a malformed marker, a stub rule numbered for another exercise,
// and an ID written twice.
func Rules(root string, e Exercise) ([]Rule, error) {
	rules, problems := rulesOf(root, e)
	if len(problems) > 0 {
		return rules, fmt.Errorf("%s: %s", e.ID, strings.Join(problems, "; "))
	}
	return rules, nil
}

// rulesOf is Rules, with one message per problem.
func rulesOf(root string, e Exercise) ([]Rule, []string) {
	var out []Rule
	dir := filepath.Join(root, e.Dir())
	stubs, err := goFiles(dir, func(name, src string) bool {
		return !strings.HasSuffix(name, "_test.go") && BuildConstraint(src) != "solution"
	})
	if err != nil {
		return nil, []string{err.Error()}
	}
	shared, err := goFiles(filepath.Join(root, "vm"), func(name, _ string) bool { return !strings.HasSuffix(name, "_test.go") })
	if err != nil {
		return nil, []string{err.Error()}
	}
	var problems []string
	seen := map[string]Rule{}
	for _, f := range append(stubs, shared...) {
		rules, bad := markers(root, f)
		problems = append(problems, bad...)
		inVM := strings.HasPrefix(f, filepath.Join(root, "vm")+string(filepath.Separator))
		for _, r := range rules {
			num, _, _ := strings.Cut(r.ID, ".")
			if num != e.Number() {
				if !inVM {
					problems = append(problems, fmt.Sprintf("%s:%d: rule %s is numbered for exercise %s, not %s", r.File, r.Line, r.ID, num, e.Number()))
				}
				continue
			}
			if prev, dup := seen[r.ID]; dup {
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s is already written at %s:%d", r.File, r.Line, r.ID, prev.File, prev.Line))
				continue
			}
			seen[r.ID] = r
			out = append(out, r)
		}
	}
	return out, problems
}

// markers returns the rules marked in the comments of one Go file, and a
// message for every malformed marker.
func markers(root, path string) ([]Rule, []string) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, []string{err.Error()}
	}
	rel := relPath(root, path)
	var rules []Rule
	var bad []string
	lines := strings.Split(string(src), "\n")
	for i, line := range lines {
		c, ok := commentText(line)
		if !ok {
			continue
		}
		for _, m := range markerPattern.FindAllStringSubmatchIndex(c, -1) {
			id := c[m[2]:m[3]]
			if !strings.HasSuffix(c[m[0]:m[1]], "]") || !ruleIDPattern.MatchString(id) {
				bad = append(bad, fmt.Sprintf("%s:%d: malformed rule marker %q: want [rule:NN.short-name], short-name lowercase words joined by hyphens", rel, i+1, c[m[0]:m[1]]))
				continue
			}
			rules = append(rules, Rule{ID: id, Text: sentence(c[m[1]:], lines[i+1:]), File: rel, Line: i + 1})
		}
	}
	return rules, bad
}

// commentText returns the text of a "//" comment line.
func commentText(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "//") {
		return "", false
	}
	return strings.TrimSpace(strings.TrimPrefix(t, "//")), true
}

// sentence returns the sentence that starts with first and may continue on
// the following comment lines: up to its full stop, the next marker or the
// end of the comment paragraph.
func sentence(first string, next []string) string {
	text := strings.TrimSpace(first)
	for _, line := range next {
		if end := sentenceEnd(text); end >= 0 {
			return text[:end+1]
		}
		c, ok := commentText(line)
		if !ok || c == "" || strings.Contains(c, "[rule:") {
			break
		}
		text += " " + c
	}
	if end := sentenceEnd(text); end >= 0 {
		return text[:end+1]
	}
	return text
}

// sentenceEnd returns the index of the full stop closing the first sentence
// of text, or -1.
func sentenceEnd(text string) int {
	for i := 0; i < len(text); i++ {
		if text[i] == '.' && (i == len(text)-1 || text[i+1] == ' ') {
			return i
		}
	}
	return -1
}

// SpecLabels returns every rule label written in the Go files under
// root/specs, mapped to the files that write it (relative to root). A label
// is any literal text "rule:…" up to a space, quote or comma, so that a
// malformed one is reported rather than missed. A spec package may also
// build its labels from a prefix and a rule's short name (a literal
// "rule:NN." or "rule:", and the short names as literals of their own): in
// a package holding such a prefix, every word of a literal that is the
// short name of a rule of a matching exercise counts as that rule's label.
func SpecLabels(root string) (map[string][]string, error) {
	known := map[string][]string{} // short name -> exercise numbers with a rule of that name
	for _, e := range Exercises {
		rules, _ := Rules(root, e)
		for _, r := range rules {
			_, name, _ := strings.Cut(r.ID, ".")
			known[name] = append(known[name], e.Number())
		}
	}
	out := map[string][]string{}
	type literal struct{ text, file string }
	literals := map[string][]literal{}       // package folder -> its literals
	prefixes := map[string]map[string]bool{} // package folder -> exercise numbers, or "" for any
	add := func(label, rel string) {
		if files := out[label]; len(files) == 0 || files[len(files)-1] != rel {
			out[label] = append(out[label], rel)
		}
	}
	err := filepath.WalkDir(filepath.Join(root, "specs"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		rel := relPath(root, path)
		dir := filepath.Dir(path)
		if prefixes[dir] == nil {
			prefixes[dir] = map[string]bool{}
		}
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING {
				continue
			}
			text, err := strconv.Unquote(lit)
			if err != nil {
				continue
			}
			if m := prefixPattern.FindStringSubmatch(text); m != nil {
				prefixes[dir][m[1]] = true
				continue
			}
			literals[dir] = append(literals[dir], literal{text, rel})
			for _, m := range labelPattern.FindAllStringSubmatch(text, -1) {
				add(m[1], rel)
			}
		}
		return nil
	})
	for dir, lits := range literals {
		for _, l := range lits {
			for _, word := range strings.Fields(l.text) { // "clock-evict clock-hit" names two
				for _, n := range known[word] {
					if prefixes[dir][n] || prefixes[dir][""] {
						add(n+"."+word, l.file)
					}
				}
			}
		}
	}
	for _, files := range out {
		sort.Strings(files)
	}
	return out, err
}

// READMERow is one row of a README's rule table.
type READMERow struct {
	ID string // the rule's ID, from the first cell
	// Specs is the number of specs the row says the rule has, from the last
	// cell when the table's last column is READMESpecsColumn's; otherwise -1.
	Specs int
}

// READMESpecsColumn maps each README to the header of the optional last
// column of its rule table, which gives each rule's number of specs.
var READMESpecsColumn = map[string]string{
	"README.md":    "specs",
	"README.ko.md": "스펙 수",
}

// READMERules returns the rules listed in the "What the specs check" table
// of the README at path: the first column of every row after the table's
// header, written `rule:NN.short-name`, and, when the header's last cell is
// specsColumn, the number in each row's last cell. heading is the start of
// the section's title ("## What the specs check", or its translation). It
// fails if the section or the table is missing, or a row does not name a
// rule or give a number.
func READMERules(path, heading, specsColumn string) ([]READMERow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []READMERow
	var bad []string
	counted := false
	in, rows, n := false, 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "## ") {
			if in {
				break
			}
			in = strings.HasPrefix(line, heading)
			continue
		}
		if !in || !strings.HasPrefix(line, "|") {
			continue
		}
		rows++
		cells := strings.Split(strings.Trim(line, "|"), "|")
		last := strings.TrimSpace(cells[len(cells)-1])
		if rows == 1 {
			counted = last == specsColumn
		}
		if rows <= 2 { // the header and the |---| separator
			continue
		}
		cell := strings.TrimSpace(cells[0])
		m := tableIDCell.FindStringSubmatch(cell)
		if m == nil || !ruleIDPattern.MatchString(m[1]) {
			bad = append(bad, fmt.Sprintf("line %d: first cell %q, want `rule:NN.short-name`", n, cell))
			continue
		}
		row := READMERow{ID: m[1], Specs: -1}
		if counted {
			if row.Specs, err = strconv.Atoi(last); err != nil || row.Specs < 1 {
				bad = append(bad, fmt.Sprintf("line %d: last cell %q, want the rule's number of specs", n, last))
				continue
			}
		}
		ids = append(ids, row)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case !in && rows == 0:
		return nil, fmt.Errorf("%s: no section starting %q", path, heading)
	case rows == 0:
		return nil, fmt.Errorf("%s: section %q has no table", path, heading)
	case len(bad) > 0:
		return ids, fmt.Errorf("%s: %s", path, strings.Join(bad, "; "))
	}
	return ids, nil
}

// READMEHeadings maps each README of an exercise to the title of the
// section that lists its rules.
var READMEHeadings = map[string]string{
	"README.md":    "## What the specs check",
	"README.ko.md": "## 스펙이 검사하는 것",
}

// CheckRules reports every way exercise e breaks the rule convention: a
// malformed or duplicate rule, a rule without a labelled spec, a spec label
// naming a rule e does not have, a README table whose rules differ from
// e's. labels is SpecLabels(root).
func CheckRules(root string, e Exercise, labels map[string][]string) []string {
	rules, problems := rulesOf(root, e)
	for i, p := range problems {
		problems[i] = e.ID + ": " + p
	}
	if len(rules) == 0 {
		problems = append(problems, fmt.Sprintf("%s: no [rule:%s.…] marker in the stub's doc comments or in vm", e.ID, e.Number()))
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
		if len(labels[r.ID]) == 0 {
			problems = append(problems, fmt.Sprintf("%s: rule %s (%s:%d) has no spec labelled %q", e.ID, r.ID, r.File, r.Line, r.Label()))
		}
	}
	for _, id := range sortedKeys(labels) {
		num, _, _ := strings.Cut(id, ".")
		switch {
		case !ruleIDPattern.MatchString(id):
			if strings.HasPrefix(id, e.Number()) {
				problems = append(problems, fmt.Sprintf("%s: malformed spec label %q in %s", e.ID, RuleLabelPrefix+id, strings.Join(labels[id], ", ")))
			}
		case num == e.Number() && !known[id]:
			problems = append(problems, fmt.Sprintf("%s: spec label %q in %s names no rule of the exercise", e.ID, RuleLabelPrefix+id, strings.Join(labels[id], ", ")))
		}
	}
	for _, name := range sortedKeys(READMEHeadings) {
		path := filepath.Join(root, e.Dir(), name)
		rows, err := READMERules(path, READMEHeadings[name], READMESpecsColumn[name])
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", e.ID, err))
		}
		listed := map[string]bool{}
		for _, row := range rows {
			id := row.ID
			if listed[id] {
				problems = append(problems, fmt.Sprintf("%s: %s lists rule %s twice", e.ID, name, id))
			}
			listed[id] = true
			if !known[id] {
				problems = append(problems, fmt.Sprintf("%s: %s lists rule %s, which the contract does not have", e.ID, name, id))
			}
		}
		for _, r := range rules {
			if !listed[r.ID] {
				problems = append(problems, fmt.Sprintf("%s: %s does not list rule %s", e.ID, name, r.ID))
			}
		}
	}
	return problems
}

// CheckLabels reports every spec label in labels (SpecLabels' result) that
// no exercise of list can claim: a malformed one, or one numbered for an
// exercise the list does not have.
func CheckLabels(list []Exercise, labels map[string][]string) []string {
	numbers := map[string]bool{}
	for _, e := range list {
		numbers[e.Number()] = true
	}
	var problems []string
	for _, id := range sortedKeys(labels) {
		num, _, _ := strings.Cut(id, ".")
		if !ruleIDPattern.MatchString(id) || !numbers[num] {
			problems = append(problems, fmt.Sprintf("spec label %q in %s names no exercise's rule", RuleLabelPrefix+id, strings.Join(labels[id], ", ")))
		}
	}
	return problems
}

// goFiles returns the .go files of dir that keep says to keep, sorted.
func goFiles(dir string, keep func(name, src string) bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, ent := range entries {
		if ent.IsDir() || !strings.HasSuffix(ent.Name(), ".go") {
			continue
		}
		path := filepath.Join(dir, ent.Name())
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if keep(ent.Name(), string(src)) {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out, nil
}

// BuildConstraint returns the expression of a Go file's //go:build line, or
// "" when it has none: "!solution" marks an exercise stub, "solution" the
// file aliasing the reference.
func BuildConstraint(src string) string {
	for _, line := range strings.Split(src, "\n") {
		if c, ok := strings.CutPrefix(strings.TrimSpace(line), "//go:build "); ok {
			return strings.TrimSpace(c)
		}
		if strings.HasPrefix(line, "package ") {
			break
		}
	}
	return ""
}

func relPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
