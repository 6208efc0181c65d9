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

// notesQuestions are the questions of the study notes' interview section
// (면접 질문 예시 및 실무 팁) and of their confusing-questions section
// (공부하면서 헷갈렸던 부분들), each with the key concept items name it by.
var notesQuestions = []struct{ key, question string }{
	{"i1-why-vm", "가상 메모리를 사용하는 주된 이유는 무엇인가요?"},
	{"i2-tlb", "TLB(변환 색인 버퍼)는 무엇이며, 왜 필요한가요?"},
	{"i3-page-fault", "페이지 폴트(page fault)는 무엇이며, 발생 시 어떤 일이 일어나나요?"},
	{"i4-fifo-lru", "FIFO와 LRU 페이지 교체 알고리즘의 차이를 설명해보세요."},
	{"i5-cow", "Copy-on-Write는 어떤 개념이며 운영체제에서 어떻게 활용되나요?"},
	{"i6-stack-heap", "스택 영역과 힙 영역은 무엇이고 어떻게 다른가요?"},
	{"i7-mmap", "mmap 시스템 호출은 무엇이며 언제 활용하면 좋을까요?"},
	{"c-pt-in-pcb", "페이지 테이블은 어디에 저장될까? PCB?"},
	{"c-tlb-in-pcb", "TLB은 PCB에 저장되나? 컨텍스트 스위칭이 일어날때 프로세스별 TLB도 같이 복원되나?"},
	{"c-tlb-precache", "TLB를 선캐싱하기도 할까?"},
	{"c-cr3", "프로세스가 실행되는 시점에 PCB에 저장된 PageTable 시작 주소가 MMU 내부 레지스터에 들어가는건가?"},
	{"c-tlb-in-mmu", "TLB는 MMU 내부에 위치한다?"},
	{"c-who-maps", "논리 주소에 어떤 물리 주소를 맵핑할지 어디서 결정하나?"},
	{"c-frame-choice", "맵핑에 사용할 물리 주소는 어떤 기준으로 선택할까?"},
	{"c-jvm-heap", "JVM 힙은 OS로부터 이미 할당받은 공간 아닌가?"},
	{"c-va-alloc", "프로세스 레벨에서 논리주소는 어떻게 할당되지?"},
	{"c-multilevel", "다단계 페이지테이블이란?"},
	{"c-single-level", "성능이 중요한 경우에는 단일 페이지를 쓰기도 할까?"},
	{"c-kernel-in-process", "커널 영역도 가상 주소를 통해서 관리된다면 프로세스 메모리 영역 일부를 커널 영역으로 사용하는 대신 별도의 메모리 공간을 확보해두는게 효율적이지 않나?"},
	{"c-same-table", "프로세스 페이지 테이블 주소와 커널 영역 테이블 주소를 동일한 페이지테이블에서 관리했을때 어떤 문제점이 있을까?"},
	{"c-tlb-hit-cycles", "TLB hit의 경우 몇 사이클 안에 처리될까?"},
	{"c-tlb-replace-os", "TLB 교체 알고리즘은 OS에서 실행된다 (O/X)"},
	{"c-tlb-kernel-pinned", "TLB에서도 페이지 테이블처럼 커널 영역이 항상 고정적으로 올라가있을까?"},
	{"c-64bit-disk", "64비트 컴퓨터에서는 이론상 페이지 폴트로 인한 성능 사이즈를 감안하면 디스크 사이즈만큼 메모리를 사용할 수 있는건가"},
}

func TestEveryNotesQuestionHasAnItem(t *testing.T) {
	known := map[string]bool{}
	for _, q := range notesQuestions {
		require.False(t, known[q.key], "key %q is listed twice", q.key)
		known[q.key] = true
	}
	items := map[string]int{}
	for _, c := range concepts {
		assert.NotEmpty(t, c.notes, "concept %q answers none of the study notes' questions", c.prompt.EN)
		for _, k := range c.notes {
			assert.True(t, known[k], "concept %q names %q, which is no question of the study notes", c.prompt.EN, k)
			items[k]++
		}
	}
	for _, q := range notesQuestions {
		assert.Positive(t, items[q.key], "no concept item answers %s (%s)", q.key, q.question)
	}
}
