package quiz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// An Item is one generated question with everything needed to check a reply
// and teach from a wrong one. Its answer and solution were computed by the
// reference packages when the item was generated; nothing is stored.
type Item struct {
	Kind     string // the generator's name, e.g. "split"
	Topic    string // the catalog topic it is scored under, e.g. "tlb"; Draw sets it from the generator unless the generator did
	Prompt   Text   // the question, with its data
	Answer   Answer
	Solution Text   // the worked solution, step by step
	Read     Text   // where the concept is taught: an exercise README and its section
	Show     string // a command that shows the same thing happening ("" if none)
}

// A Generator makes items of one kind from a random source. Each item it
// makes must be well formed: both languages, an answer its own checker
// accepts.
type Generator struct {
	Kind   string
	Topics []string // catalog topics; the first is the one the item is scored under
	New    func(r *rand.Rand) (Item, error)
}

// generators lists every item kind, in a fixed order (the draw depends on it).
var generators = []Generator{
	splitGen, translateGen, ostepGen, tableMemGen,
	tlbGen,
	replaceFaultsGen, replaceVictimsGen, beladyGen,
	eatGen, eatBoundGen,
	cowGen, signalGen, brkGen, buddyGen,
	conceptGen,
}

// Kinds returns the name of every item kind, in order.
func Kinds() []string {
	k := make([]string, len(generators))
	for i, g := range generators {
		k[i] = g.Kind
	}
	return k
}

// Topics returns every topic an item can be selected by, sorted.
func Topics() []string {
	var t []string
	for _, g := range generators {
		for _, s := range g.Topics {
			if !slices.Contains(t, s) {
				t = append(t, s)
			}
		}
	}
	slices.Sort(t)
	return t
}

// selectGenerators returns the generators with any of topics (each a topic
// or an item kind), or all of them for no topics.
func selectGenerators(topics []string) ([]Generator, error) {
	if len(topics) == 0 {
		return generators, nil
	}
	var sel []Generator
	known := append(Topics(), Kinds()...)
	for _, t := range topics {
		if !slices.Contains(known, t) {
			return nil, fmt.Errorf("unknown topic %q; topics: %s (or an item kind: %s)",
				t, strings.Join(Topics(), ", "), strings.Join(Kinds(), ", "))
		}
	}
	for _, g := range generators {
		if slices.Contains(topics, g.Kind) || slices.ContainsFunc(g.Topics, func(s string) bool { return slices.Contains(topics, s) }) {
			sel = append(sel, g)
		}
	}
	return sel, nil
}

// Draw returns n items for seed: kinds are taken in a shuffled round-robin
// over the selected generators, so topics come evenly (or, with weights, each
// item's generator is drawn with a chance proportional to the weight of its
// topic, 1 for a topic weights does not list), and item i is made
// from its own random stream (seed, i), drawn again from a further stream
// (up to 7 times) if it repeats an earlier item. The same seed, n and topics always give
// the same items.
func Draw(seed uint64, n int, topics []string, weights map[string]float64) ([]Item, error) {
	if n < 1 {
		return nil, fmt.Errorf("the number of items must be at least 1, not %d", n)
	}
	gens, err := selectGenerators(topics)
	if err != nil {
		return nil, err
	}
	order := rand.New(rand.NewPCG(seed, 0x71))
	items := make([]Item, 0, n)
	var round []int
	for i := range n {
		var g Generator
		if weights != nil {
			g = weighted(order, gens, weights)
		} else {
			if len(round) == 0 {
				round = order.Perm(len(gens))
			}
			g, round = gens[round[0]], round[1:]
		}
		var it Item
		for attempt := range uint64(8) {
			var err error
			if it, err = g.New(rand.New(rand.NewPCG(seed, attempt<<32|uint64(i+1)))); err != nil {
				return nil, fmt.Errorf("item %d (%s): %w", i+1, g.Kind, err)
			}
			if !slices.ContainsFunc(items, func(x Item) bool { return x.Prompt == it.Prompt }) {
				break
			}
		}
		it.Kind = g.Kind
		if it.Topic == "" {
			it.Topic = g.Topics[0]
		}
		items = append(items, it)
	}
	return items, nil
}

// weighted picks one of gens with a chance proportional to the weight of
// its scored topic.
func weighted(r *rand.Rand, gens []Generator, weights map[string]float64) Generator {
	w := func(g Generator) float64 {
		if x, ok := weights[g.Topics[0]]; ok && x > 0 {
			return x
		}
		return 1
	}
	total := 0.0
	for _, g := range gens {
		total += w(g)
	}
	x := r.Float64() * total
	for _, g := range gens {
		if x -= w(g); x < 0 {
			return g
		}
	}
	return gens[len(gens)-1]
}
