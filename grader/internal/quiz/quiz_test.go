package quiz

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/catalog"
)

// seedsPerKind is how many seeds each generator is checked at.
const seedsPerKind = 60

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}

// wrongReplies returns replies that are well-formed but wrong for a.
func wrongReplies(t *testing.T, a Answer) []string {
	switch a := a.(type) {
	case Number:
		return []string{fmt.Sprint(a.V + 1), fmt.Sprintf("%#x", a.V+1)}
	case List:
		if len(a.V) == 0 {
			return []string{"0"}
		}
		bumped := List{V: append([]uint64{a.V[0] + 1}, a.V[1:]...)}.Key()
		wrong := []string{bumped}
		if !a.Fixed {
			wrong = append(wrong, a.Key()+" 0", "-")
		}
		if len(a.V) > 1 && a.V[0] != a.V[1] {
			swapped := append([]uint64{a.V[1], a.V[0]}, a.V[2:]...)
			wrong = append(wrong, List{V: swapped}.Key())
		}
		return wrong
	case HitMiss:
		flipped := append(HitMiss{!a[0]}, a[1:]...)
		return []string{flipped.Key()}
	case OneOf:
		var wrong []string
		for i, o := range a.Options {
			if i != a.Want {
				wrong = append(wrong, o.Key, fmt.Sprint(i+1))
			}
		}
		return wrong
	case Real:
		return []string{fmt.Sprint(a.V * 1.5), fmt.Sprint(a.V * 0.5)}
	case Translation:
		if a.Fault {
			return []string{fmt.Sprintf("fault at level %d", a.Level%2+1), "0x0"}
		}
		return []string{fmt.Sprintf("%#x", a.PA+1), "fault at level 1", "fault at level 2"}
	}
	t.Fatalf("no wrong replies for answer type %T", a)
	return nil
}

func TestEveryKindIsWellFormedAtManySeeds(t *testing.T) {
	for _, g := range generators {
		t.Run(g.Kind, func(t *testing.T) {
			for seed := range uint64(seedsPerKind) {
				it, err := g.New(rand.New(rand.NewPCG(seed, 1)))
				require.NoError(t, err, "seed %d", seed)
				msg := fmt.Sprintf("%s at seed %d:\n%s", g.Kind, seed, it.Prompt.EN)
				for name, txt := range map[string]Text{"prompt": it.Prompt, "solution": it.Solution, "pointer": it.Read, "form": it.Answer.Form()} {
					assert.NotEmpty(t, strings.TrimSpace(txt.EN), "%s: English %s is empty", msg, name)
					assert.NotEmpty(t, strings.TrimSpace(txt.KO), "%s: Korean %s is empty", msg, name)
				}
				assert.True(t, hasHangul(it.Prompt.KO), "%s: Korean prompt has no Korean", msg)
				assert.True(t, hasHangul(it.Solution.KO), "%s: Korean solution has no Korean", msg)
				assert.NotContains(t, it.Prompt.EN+it.Solution.EN, "%!", "%s: a formatting error", msg)
				assert.NotContains(t, it.Prompt.KO+it.Solution.KO, "%!", "%s: a formatting error", msg)

				key := it.Answer.Key()
				ok, err := it.Answer.Check(key)
				require.NoError(t, err, "%s: Check(Key() = %q)", msg, key)
				assert.True(t, ok, "%s: Check(Key() = %q) = false", msg, key)
				for _, w := range wrongReplies(t, it.Answer) {
					ok, _ := it.Answer.Check(w)
					assert.False(t, ok, "%s: Check(%q) = true, want false (answer %q)", msg, w, key)
				}
			}
		})
	}
}

func TestDrawIsReplayable(t *testing.T) {
	sheet := func(seed uint64, lang Lang) string {
		items, err := Draw(seed, 20, nil, nil)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, Sheet(&b, items, seed, lang, true))
		return b.String()
	}
	for _, lang := range []Lang{LangEN, LangKO} {
		assert.Equal(t, sheet(42, lang), sheet(42, lang), "the same seed gave two different answer keys")
	}
	assert.NotEqual(t, sheet(42, LangEN), sheet(43, LangEN), "seeds 42 and 43 gave the same answer key")
}

func TestDrawCoversEveryKindAndHonoursTopics(t *testing.T) {
	items, err := Draw(5, len(generators), nil, nil)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.Kind] = true
	}
	assert.Len(t, seen, len(generators), "one round of the draw should hold every kind once")

	items, err = Draw(5, 12, []string{"tlb", "buddy"}, nil)
	require.NoError(t, err)
	for _, it := range items {
		assert.Contains(t, []string{"tlb", "buddy"}, it.Topic)
	}

	_, err = Draw(5, 3, []string{"nosuchtopic"}, nil)
	assert.ErrorContains(t, err, `unknown topic "nosuchtopic"`)
	_, err = Draw(5, 0, nil, nil)
	assert.Error(t, err)
}

func TestEveryTopicSelectsSomething(t *testing.T) {
	for _, topic := range append(Topics(), Kinds()...) {
		gens, err := selectGenerators([]string{topic})
		require.NoError(t, err)
		assert.NotEmpty(t, gens, "topic %q selects no generator", topic)
	}
}

// TestPointersLeadSomewhere checks that every item's "Read:" pointer names a
// file of the kit and, when it quotes a section, a heading of that file.
func TestPointersLeadSomewhere(t *testing.T) {
	re := regexp.MustCompile(`^(\S+)(?:, “(.+)”| \(.*\))?$`)
	for _, g := range generators {
		for seed := range uint64(20) {
			it, err := g.New(rand.New(rand.NewPCG(seed, 5)))
			require.NoError(t, err)
			for _, ptr := range []string{it.Read.EN, it.Read.KO} {
				m := re.FindStringSubmatch(ptr)
				require.NotNil(t, m, "%s: pointer %q is not `path, “section”`", g.Kind, ptr)
				body, err := os.ReadFile(filepath.Join("..", "..", "..", m[1]))
				require.NoError(t, err, "%s: pointer %q", g.Kind, ptr)
				if m[2] != "" {
					assert.Contains(t, string(body), "\n## "+m[2]+"\n", "%s: %s has no section %q", g.Kind, m[1], m[2])
				}
			}
		}
	}
}

// catalogTopics returns every topic the catalog's exercises teach.
func catalogTopics() []string {
	var t []string
	for _, e := range catalog.Exercises {
		t = append(t, e.Topics...)
	}
	return t
}

// TestScoresAreByCatalogTopic checks that items are scored under the
// catalog's topics, except the two that have no exercise: the buddy
// allocator, and the concept items' own selector.
func TestScoresAreByCatalogTopic(t *testing.T) {
	topics := append(catalogTopics(), "buddy", "concepts")
	for _, g := range generators {
		assert.Contains(t, topics, g.Topics[0], "%s is scored under %q", g.Kind, g.Topics[0])
	}
}

func TestEveryConceptIsWellFormed(t *testing.T) {
	topics := catalogTopics()
	for i, c := range concepts {
		msg := fmt.Sprintf("concept %d (%s)", i, c.prompt.EN)
		for _, txt := range []Text{c.prompt, c.explain, c.read} {
			assert.NotEmpty(t, txt.EN, msg)
			assert.True(t, hasHangul(txt.KO) || strings.HasPrefix(txt.KO, "exercises/"), "%s: no Korean text: %q", msg, txt.KO)
		}
		assert.Contains(t, topics, c.topic, "%s: topic %q is no catalog topic", msg, c.topic)
		ok, err := c.answer.Check(c.answer.Key())
		assert.NoError(t, err, msg)
		assert.True(t, ok, msg)
		for _, w := range wrongReplies(t, c.answer) {
			ok, _ := c.answer.Check(w)
			assert.False(t, ok, "%s: %q accepted", msg, w)
		}
		body, err := os.ReadFile(filepath.Join("..", "..", "..", strings.SplitN(c.read.EN, ",", 2)[0]))
		require.NoError(t, err, msg)
		section := strings.TrimSuffix(strings.SplitN(c.read.EN, "“", 2)[1], "”")
		assert.Contains(t, string(body), "\n## "+section+"\n", msg)
	}
}
