package quiz

// These tests recompute each generator's answer from the data its prompt
// shows, by code that shares nothing with the reference packages (plain bit
// arithmetic, small models), and check the item's answer key against it.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// items makes n items of one kind at seeds 0..n-1.
func items(t *testing.T, g Generator, n int) []Item {
	var its []Item
	for seed := range uint64(n) {
		it, err := g.New(rand.New(rand.NewPCG(seed, 99)))
		require.NoError(t, err)
		its = append(its, it)
	}
	return its
}

func mustMatch(t *testing.T, re *regexp.Regexp, s string) []string {
	m := re.FindStringSubmatch(s)
	require.NotNil(t, m, "%v does not match:\n%s", re, s)
	return m
}

func hexOrDec(t *testing.T, s string) uint64 {
	v, err := strconv.ParseUint(s, 0, 64)
	require.NoError(t, err)
	return v
}

func TestSplitAgainstBitArithmetic(t *testing.T) {
	re := regexp.MustCompile(`address (0x[0-9a-f]+) on .*?\(?([0-9/]+)\)? into`)
	for _, it := range items(t, splitGen, 200) {
		m := mustMatch(t, re, it.Prompt.EN)
		va := hexOrDec(t, m[1])
		var bits []int
		for _, f := range strings.Split(m[2], "/") {
			n, _ := strconv.Atoi(f)
			bits = append(bits, n)
		}
		off := bits[len(bits)-1]
		var want []string
		shift := off
		for i := len(bits) - 2; i >= 0; i-- {
			want = append([]string{fmt.Sprint(va >> shift & (1<<bits[i] - 1))}, want...)
			shift += bits[i]
		}
		want = append(want, fmt.Sprintf("%#x", va&(1<<off-1)))
		assert.Equal(t, strings.Join(want, " "), it.Answer.Key(), it.Prompt.EN)
	}
}

func TestTranslateAgainstADumpWalker(t *testing.T) {
	cr3 := regexp.MustCompile(`PDBR \(CR3\) = (0x[0-9a-f]+)`)
	frameRe := regexp.MustCompile(`(?m)^  frame +(\d+): +(.*)$`)
	vaRe := regexp.MustCompile(`Translate the virtual address (0x[0-9a-f]+)`)
	for _, it := range items(t, translateGen, 200) {
		mem := map[uint64]uint32{} // physical address -> 4-byte entry
		for _, f := range frameRe.FindAllStringSubmatch(it.Prompt.EN, -1) {
			pfn, _ := strconv.ParseUint(f[1], 10, 64)
			for i, w := range strings.Fields(f[2]) {
				v, err := strconv.ParseUint(w, 16, 32)
				require.NoError(t, err)
				mem[pfn*64+uint64(4*i)] = uint32(v)
			}
		}
		table := hexOrDec(t, mustMatch(t, cr3, it.Prompt.EN)[1])
		va := hexOrDec(t, mustMatch(t, vaRe, it.Prompt.EN)[1])
		want := ""
		for level, shift := 2, 10; level >= 1; level, shift = level-1, shift-4 {
			e := mem[table+(va>>shift&0xf)*4]
			if e&1 == 0 {
				want = fmt.Sprintf("fault at level %d", level)
				break
			}
			table = uint64(e>>12) * 64
		}
		if want == "" {
			want = fmt.Sprintf("%#x", table|va&0x3f)
		}
		assert.Equal(t, want, it.Answer.Key(), it.Prompt.EN)
	}
}

// replayModel counts faults and lists victims for FIFO, LRU and OPT with a
// plain slice as memory.
func replayModel(policy string, frames int, refs []int) (faults int, victims []string) {
	var mem []int // FIFO: load order; LRU: least recent first
	for i, p := range refs {
		if j := slices.Index(mem, p); j >= 0 {
			if policy == "lru" {
				mem = append(slices.Delete(mem, j, j+1), p)
			}
			continue
		}
		faults++
		if len(mem) == frames {
			v := 0
			if policy == "opt" {
				far := -1
				for k, q := range mem {
					next := slices.Index(refs[i+1:], q)
					if next < 0 {
						next = math.MaxInt
					}
					if next > far {
						far, v = next, k
					}
				}
			}
			victims = append(victims, fmt.Sprint(mem[v]))
			mem = slices.Delete(mem, v, v+1)
		}
		mem = append(mem, p)
	}
	return faults, victims
}

func parseReplace(t *testing.T, prompt string) (policy string, frames int, refs []int) {
	m := mustMatch(t, regexp.MustCompile(`Reference string: ([\d ]+)\nPolicy (\S+), (\d+) frames`), prompt)
	for _, f := range strings.Fields(m[1]) {
		n, _ := strconv.Atoi(f)
		refs = append(refs, n)
	}
	frames, _ = strconv.Atoi(m[3])
	return m[2], frames, refs
}

func TestReplacementAgainstASliceModel(t *testing.T) {
	checked := map[string]int{}
	for _, it := range items(t, replaceFaultsGen, 300) {
		policy, frames, refs := parseReplace(t, it.Prompt.EN)
		if policy != "fifo" && policy != "lru" && policy != "opt" {
			continue
		}
		faults, _ := replayModel(policy, frames, refs)
		assert.Equal(t, fmt.Sprint(faults), it.Answer.Key(), it.Prompt.EN)
		checked[policy]++
	}
	for _, it := range items(t, replaceVictimsGen, 300) {
		policy, frames, refs := parseReplace(t, it.Prompt.EN)
		if policy != "fifo" && policy != "lru" { // OPT's ties among pages never used again are the reference's to break
			continue
		}
		_, victims := replayModel(policy, frames, refs)
		assert.Equal(t, strings.Join(victims, " "), it.Answer.Key(), it.Prompt.EN)
		checked[policy+" victims"]++
	}
	for _, k := range []string{"fifo", "lru", "opt", "fifo victims", "lru victims"} {
		assert.Positive(t, checked[k], "no %s item checked", k)
	}
}

func TestBeladyAgainstASliceModel(t *testing.T) {
	re := regexp.MustCompile(`Reference string: ([\d ]+)\nO or X: (\S+) faults more with (\d+) frames than with (\d+)`)
	anomalies := 0
	for _, it := range items(t, beladyGen, 100) {
		m := mustMatch(t, re, it.Prompt.EN)
		var refs []int
		for _, f := range strings.Fields(m[1]) {
			n, _ := strconv.Atoi(f)
			refs = append(refs, n)
		}
		big, _ := strconv.Atoi(m[3])
		small, _ := strconv.Atoi(m[4])
		fb, _ := replayModel(m[2], big, refs)
		fs, _ := replayModel(m[2], small, refs)
		want := "X"
		if fb > fs {
			want = "O"
			anomalies++
		}
		assert.Equal(t, want, it.Answer.Key(), it.Prompt.EN)
	}
	assert.Positive(t, anomalies, "no item showed the anomaly")
}

func TestEATAgainstTheFormula(t *testing.T) {
	re := regexp.MustCompile(`Memory access takes (\S+), servicing a page fault (\S+), and the page-fault rate is p = (\S+)\.`)
	for _, it := range items(t, eatGen, 100) {
		m := mustMatch(t, re, it.Prompt.EN)
		mem, _ := time.ParseDuration(m[1])
		fault, _ := time.ParseDuration(m[2])
		p, _ := strconv.ParseFloat(m[3], 64)
		want := (1-p)*float64(mem) + p*float64(fault)
		ok, err := it.Answer.Check(fmt.Sprint(want))
		assert.NoError(t, err)
		assert.True(t, ok, "EAT %g ns rejected; key %s\n%s", want, it.Answer.Key(), it.Prompt.EN)
	}
	reB := regexp.MustCompile(`Memory access takes (\S+) and servicing a page fault (\S+)\.\n.* within (\d+)%`)
	for _, it := range items(t, eatBoundGen, 100) {
		m := mustMatch(t, reB, it.Prompt.EN)
		mem, _ := time.ParseDuration(m[1])
		fault, _ := time.ParseDuration(m[2])
		pct, _ := strconv.ParseFloat(m[3], 64)
		p := pct / 100 * float64(mem) / float64(fault-mem)
		ok, err := it.Answer.Check(fmt.Sprint(p))
		assert.NoError(t, err)
		assert.True(t, ok, "p %g rejected; key %s\n%s", p, it.Answer.Key(), it.Prompt.EN)
	}
}

func TestTLBAgainstAnLRUModel(t *testing.T) {
	geo := regexp.MustCompile(`(fully associative|direct-mapped|(\d+)-way set-associative) \((?:one set of (\d+) ways|(\d+) sets)`)
	acc := regexp.MustCompile(`Accesses: (.*)`)
	for _, it := range items(t, tlbGen, 200) {
		g := mustMatch(t, geo, it.Prompt.EN)
		sets, ways := 1, 4
		switch {
		case g[1] == "fully associative":
		case g[1] == "direct-mapped":
			sets, ways = 4, 1
		default:
			ways, _ = strconv.Atoi(g[2])
			sets = 4 / ways
		}
		pcid := strings.Contains(it.Prompt.EN, "PCIDs on")
		type entry struct {
			proc   string
			vpn    uint64
			global bool
		}
		lru := make([][]entry, sets) // per set, least recent first
		cur := "A"
		var got []string
		for _, step := range strings.Fields(mustMatch(t, acc, it.Prompt.EN)[1]) {
			if to, ok := strings.CutPrefix(step, "switch→"); ok {
				cur = to
				if !pcid {
					for s := range lru {
						lru[s] = slices.DeleteFunc(lru[s], func(e entry) bool { return !e.global })
					}
				}
				continue
			}
			global := strings.HasSuffix(step, "(G)")
			vpn := hexOrDec(t, strings.TrimSuffix(strings.SplitN(step, ":", 2)[1], "(G)"))
			s := int(vpn % uint64(sets))
			i := slices.IndexFunc(lru[s], func(e entry) bool { return e.vpn == vpn && (e.global || e.proc == cur) })
			if i >= 0 {
				e := lru[s][i]
				lru[s] = append(slices.Delete(lru[s], i, i+1), e)
				got = append(got, "H")
				continue
			}
			got = append(got, "M")
			if len(lru[s]) == ways {
				lru[s] = lru[s][1:]
			}
			lru[s] = append(lru[s], entry{cur, vpn, global})
		}
		assert.Equal(t, strings.Join(got, " "), it.Answer.Key(), it.Prompt.EN)
	}
}

func TestBrkAgainstAByteModel(t *testing.T) {
	head := regexp.MustCompile(`heap starts at (0x[0-9a-f]+) .* allows (\d+) KiB`)
	call := regexp.MustCompile(`brk\((0x[0-9a-f]+)\)`)
	const ps = 4096
	up := func(a uint64) uint64 { return (a + ps - 1) &^ (ps - 1) }
	for _, it := range items(t, brkGen, 200) {
		m := mustMatch(t, head, it.Prompt.EN)
		start := hexOrDec(t, m[1])
		kib, _ := strconv.ParseUint(m[2], 10, 64)
		brk, released := start, uint64(0)
		for _, c := range call.FindAllStringSubmatch(it.Prompt.EN, -1) {
			req := hexOrDec(t, c[1])
			released = 0
			if req < start || req-start > kib<<10 {
				continue
			}
			if up(req) < up(brk) {
				released = (up(brk) - up(req)) / ps
			}
			brk = req
		}
		var want uint64
		switch {
		case strings.Contains(it.Prompt.EN, "Where is the break"):
			want = brk
		case strings.Contains(it.Prompt.EN, "How many pages does the last call release"):
			want = released
		default:
			want = (up(brk) - start) / ps
		}
		ok, err := it.Answer.Check(fmt.Sprint(want))
		assert.NoError(t, err)
		assert.True(t, ok, "want %d, key %s\n%s", want, it.Answer.Key(), it.Prompt.EN)
	}
}

func TestOSTEPAgainstADumpWalker(t *testing.T) {
	pdbrRe := regexp.MustCompile(`PDBR: (\d+)`)
	pageRe := regexp.MustCompile(`(?m)^page +(\d+):([0-9a-f]{64})$`)
	vaRe := regexp.MustCompile(`Virtual Address ([0-9a-f]{4}):`)
	faults := 0
	for _, it := range items(t, ostepGen, 200) {
		mem := map[uint64]byte{}
		for _, pg := range pageRe.FindAllStringSubmatch(it.Prompt.EN, -1) {
			n, _ := strconv.ParseUint(pg[1], 10, 64)
			for i := range 32 {
				b, err := strconv.ParseUint(pg[2][2*i:2*i+2], 16, 8)
				require.NoError(t, err)
				mem[n*32+uint64(i)] = byte(b)
			}
		}
		pdbr, _ := strconv.ParseUint(mustMatch(t, pdbrRe, it.Prompt.EN)[1], 10, 64)
		va, _ := strconv.ParseUint(mustMatch(t, vaRe, it.Prompt.EN)[1], 16, 64)
		pde := mem[pdbr*32+va>>10]
		want := "fault at level 2"
		if pde>>7 == 1 {
			pte := mem[uint64(pde&0x7f)*32+va>>5&0x1f]
			want = "fault at level 1"
			if pte>>7 == 1 {
				want = fmt.Sprintf("%#x", uint64(pte&0x7f)<<5|va&0x1f)
			}
		}
		if strings.HasPrefix(want, "fault") {
			faults++
		}
		assert.Equal(t, want, it.Answer.Key(), it.Prompt.EN)
	}
	assert.Positive(t, faults)
}

// buddyModel is a buddy allocator as sets of free block starts per order.
type buddyModel struct {
	free []map[int]bool // free[k]: the first frames of the free blocks of order k
}

func (b *buddyModel) alloc(k int) (int, bool) {
	for j := k; j < len(b.free); j++ {
		if len(b.free[j]) == 0 {
			continue
		}
		lowest := -1
		for p := range b.free[j] {
			if lowest < 0 || p < lowest {
				lowest = p
			}
		}
		delete(b.free[j], lowest)
		for ; j > k; j-- { // keep the lower half, free the upper one
			b.free[j-1][lowest+1<<(j-1)] = true
		}
		return lowest, true
	}
	return 0, false
}

func (b *buddyModel) release(p, k int) {
	for ; k < len(b.free)-1 && b.free[k][p^1<<k]; k++ {
		delete(b.free[k], p^1<<k)
		p &^= 1 << k
	}
	b.free[k][p] = true
}

func TestBuddyAgainstASetModel(t *testing.T) {
	head := regexp.MustCompile(`manages (\d+) frames .* largest block order (\d+)`)
	op := regexp.MustCompile(`(?m)^  \d+\. (?:alloc\(order (\d+)\)|free\(pfn (\d+), order (\d+)\))$`)
	for _, it := range items(t, buddyGen, 200) {
		m := mustMatch(t, head, it.Prompt.EN)
		maxOrder, _ := strconv.Atoi(m[2])
		b := buddyModel{free: make([]map[int]bool, maxOrder+1)}
		for k := range b.free {
			b.free[k] = map[int]bool{}
		}
		b.free[maxOrder][0] = true
		live := map[int]int{}
		for _, o := range op.FindAllStringSubmatch(it.Prompt.EN, -1) {
			if o[1] != "" {
				k, _ := strconv.Atoi(o[1])
				p, ok := b.alloc(k)
				require.True(t, ok, "the model has no block of order %d\n%s", k, it.Prompt.EN)
				live[p] = k
				continue
			}
			p, _ := strconv.Atoi(o[2])
			k, _ := strconv.Atoi(o[3])
			got, ok := live[p]
			require.True(t, ok && got == k, "free of a block the model did not allocate\n%s", it.Prompt.EN)
			delete(live, p)
			b.release(p, k)
		}
		counts := make([]string, maxOrder+1)
		for k := range counts {
			counts[k] = fmt.Sprint(len(b.free[k]))
		}
		assert.Equal(t, strings.Join(counts, " "), it.Answer.Key(), it.Prompt.EN)
	}
}

// cowModel is fork and copy-on-write on one heap: each process maps each
// page to nothing, the shared zero page (-1) or a frame; frames count
// their mappings.
type cowModel struct {
	maps   map[string][]int // process -> page -> 0 none, -1 zero page, f > 0 frame f
	refs   map[int]int      // frame -> mappings
	next   int
	copies int // copy-on-write copies (of a shared frame or of the zero page)
}

func (m *cowModel) write(proc string, page int) {
	cur := m.maps[proc][page]
	switch {
	case cur > 0 && m.refs[cur] == 1: // private already, or the last sharer: reuse
		return
	case cur > 0:
		m.refs[cur]--
		m.copies++
	case cur == -1:
		m.copies++
	}
	m.next++
	m.refs[m.next] = 1
	m.maps[proc][page] = m.next
}

func TestCOWAgainstAMappingModel(t *testing.T) {
	head := regexp.MustCompile(`heap by (\d+) pages`)
	step := regexp.MustCompile(`(?m)^  \d+\. (?:(parent|child) (writes|reads) h(\d+)|the parent forks a child)$`)
	for _, it := range items(t, cowGen, 200) {
		pages, _ := strconv.Atoi(mustMatch(t, head, it.Prompt.EN)[1])
		m := cowModel{maps: map[string][]int{"parent": make([]int, pages)}, refs: map[int]int{}}
		copiesAtFork := 0
		for _, s := range step.FindAllStringSubmatch(it.Prompt.EN, -1) {
			if s[1] == "" { // fork
				m.maps["child"] = slices.Clone(m.maps["parent"])
				for _, f := range m.maps["parent"] {
					if f > 0 {
						m.refs[f]++
					}
				}
				copiesAtFork = m.copies
				continue
			}
			page, _ := strconv.Atoi(s[3])
			if s[2] == "writes" {
				m.write(s[1], page)
			} else if m.maps[s[1]][page] == 0 {
				m.maps[s[1]][page] = -1
			}
		}
		var want int
		switch {
		case strings.Contains(it.Prompt.EN, "How many pages are copied"):
			want = m.copies - copiesAtFork
		case strings.Contains(it.Prompt.EN, "the child's RSS"):
			for _, f := range m.maps["child"] {
				if f > 0 {
					want++
				}
			}
		case strings.Contains(it.Prompt.EN, "How many frames hold heap pages"):
			for _, n := range m.refs {
				if n > 0 {
					want++
				}
			}
		default:
			p, _ := strconv.Atoi(mustMatch(t, regexp.MustCompile(`parent's h(\d+)`), it.Prompt.EN)[1])
			want = m.refs[m.maps["parent"][p]]
		}
		assert.Equal(t, fmt.Sprint(want), it.Answer.Key(), it.Prompt.EN)
	}
}

// clockFrame is one frame of the clock and second-chance models: its page
// and reference bit.
type clockFrame struct {
	page int
	r    bool
}

// clockModel replays refs through the clock algorithm as textbooks draw it:
// frames in a circle, filled in order while some are empty, a hand that
// clears R=1 bits as it passes and evicts the first page with R=0, stopping
// just past the frame it refilled. A load or a hit sets R.
func clockModel(frames int, refs []int) (faults int, victims []string) {
	var circle []clockFrame
	hand := 0
	for _, p := range refs {
		if i := slices.IndexFunc(circle, func(f clockFrame) bool { return f.page == p }); i >= 0 {
			circle[i].r = true
			continue
		}
		faults++
		if len(circle) < frames {
			circle = append(circle, clockFrame{p, true})
			continue
		}
		for circle[hand].r {
			circle[hand].r = false
			hand = (hand + 1) % frames
		}
		victims = append(victims, fmt.Sprint(circle[hand].page))
		circle[hand] = clockFrame{p, true}
		hand = (hand + 1) % frames
	}
	return faults, victims
}

// secondChanceModel replays refs through second chance: a FIFO queue whose
// oldest page, if R=1, loses R and goes to the back instead of being
// evicted. A load or a hit sets R.
func secondChanceModel(frames int, refs []int) (faults int, victims []string) {
	var queue []clockFrame // oldest first
	for _, p := range refs {
		if i := slices.IndexFunc(queue, func(f clockFrame) bool { return f.page == p }); i >= 0 {
			queue[i].r = true
			continue
		}
		faults++
		if len(queue) == frames {
			for queue[0].r {
				queue = append(queue[1:], clockFrame{queue[0].page, false})
			}
			victims = append(victims, fmt.Sprint(queue[0].page))
			queue = queue[1:]
		}
		queue = append(queue, clockFrame{p, true})
	}
	return faults, victims
}

func TestClockAndSecondChanceAgainstReferenceBitModels(t *testing.T) {
	models := map[string]func(int, []int) (int, []string){"clock": clockModel, "second-chance": secondChanceModel}
	checked := map[string]int{}
	for _, it := range items(t, replaceFaultsGen, 400) {
		policy, frames, refs := parseReplace(t, it.Prompt.EN)
		if model, ok := models[policy]; ok {
			faults, _ := model(frames, refs)
			assert.Equal(t, fmt.Sprint(faults), it.Answer.Key(), it.Prompt.EN)
			checked[policy]++
		}
	}
	for _, it := range items(t, replaceVictimsGen, 400) {
		policy, frames, refs := parseReplace(t, it.Prompt.EN)
		if model, ok := models[policy]; ok {
			_, victims := model(frames, refs)
			want := strings.Join(victims, " ")
			if want == "" {
				want = "-"
			}
			assert.Equal(t, want, it.Answer.Key(), it.Prompt.EN)
			checked[policy+" victims"]++
		}
	}
	for _, k := range []string{"clock", "second-chance", "clock victims", "second-chance victims"} {
		assert.Greater(t, checked[k], 20, "too few %s items checked", k)
	}
}

// TestSignalAgainstTheLayoutRules decides each access from the VMA list the
// prompt prints: no VMA (and not within the stack's reach below a grows-down
// VMA) is SEGV_MAPERR; a VMA without the access's permission is
// SEGV_ACCERR; a page of /data wholly past the end of the file is SIGBUS;
// anything else raises no signal.
func TestSignalAgainstTheLayoutRules(t *testing.T) {
	head := regexp.MustCompile(`the file /data is (\d+) bytes long.* the stack may grow to (\d+) MiB`)
	vmaRe := regexp.MustCompile(`(?m)^  ([0-9a-f]+)-([0-9a-f]+) ([r-])([w-])([x-])[ps] ([0-9a-f]+)(.*)$`)
	accRe := regexp.MustCompile(`The process tries to (read|write|execute) .*: address (0x[0-9a-f]+)\. What`)
	type area struct {
		start, end, offset uint64
		perm               map[string]bool
		file               string
		growsDown          bool
	}
	seen := map[string]int{}
	for _, it := range items(t, signalGen, 300) {
		h := mustMatch(t, head, it.Prompt.EN)
		fileSize, _ := strconv.ParseUint(h[1], 10, 64)
		limitMiB, _ := strconv.ParseUint(h[2], 10, 64)
		var areas []area
		for _, v := range vmaRe.FindAllStringSubmatch(it.Prompt.EN, -1) {
			a := area{start: hexOrDec(t, "0x"+v[1]), end: hexOrDec(t, "0x"+v[2]), offset: hexOrDec(t, "0x"+v[6]),
				perm: map[string]bool{"read": v[3] == "r", "write": v[4] == "w", "execute": v[5] == "x"}}
			for _, f := range strings.Fields(v[7]) {
				if strings.HasPrefix(f, "/") {
					a.file = f
				}
				a.growsDown = a.growsDown || f == "growsdown"
			}
			areas = append(areas, a)
		}
		require.NotEmpty(t, areas, it.Prompt.EN)
		acc := mustMatch(t, accRe, it.Prompt.EN)
		kind, va := acc[1], hexOrDec(t, acc[2])
		i := slices.IndexFunc(areas, func(a area) bool {
			return a.start <= va && va < a.end || a.growsDown && va < a.start && va >= a.end-limitMiB<<20
		})
		want := "none"
		switch {
		case i < 0:
			want = "SEGV_MAPERR"
		case !areas[i].perm[kind]:
			want = "SEGV_ACCERR"
		case areas[i].file == "/data" && va-areas[i].start+areas[i].offset >= (fileSize+4095)/4096*4096:
			want = "SIGBUS"
		}
		assert.Equal(t, want, it.Answer.Key(), it.Prompt.EN)
		seen[want]++
	}
	for _, k := range []string{"none", "SEGV_MAPERR", "SEGV_ACCERR", "SIGBUS"} {
		assert.Positive(t, seen[k], "no item answered %s", k)
	}
}

// TestTableMemoryAgainstPrefixCounting counts, level by level, the distinct
// virtual-address prefixes above each level's index among the mapped pages:
// each is one table page.
func TestTableMemoryAgainstPrefixCounting(t *testing.T) {
	geoRe := regexp.MustCompile(`on \S+ \(([\d/]+)\) maps these pages \((\d+) KiB each\)`)
	regRe := regexp.MustCompile(`(?m)^  \S+ +(\d+) pages? +from (0x[0-9a-f]+)$`)
	for _, it := range items(t, tableMemGen, 200) {
		g := mustMatch(t, geoRe, it.Prompt.EN)
		var bits []int
		for _, f := range strings.Split(g[1], "/") {
			n, _ := strconv.Atoi(f)
			bits = append(bits, n)
		}
		pageKiB, _ := strconv.ParseUint(g[2], 10, 64)
		levels := len(bits) - 1
		require.Equal(t, uint64(1)<<bits[levels], pageKiB<<10, it.Prompt.EN)
		regions := regRe.FindAllStringSubmatch(it.Prompt.EN, -1)
		require.Len(t, regions, 4, it.Prompt.EN)
		total := 0
		for d := range levels { // a table at depth d is named by the bits above its index
			shift := 0
			for _, b := range bits[d:] {
				shift += b
			}
			prefixes := map[uint64]bool{}
			for _, r := range regions {
				n, _ := strconv.ParseUint(r[1], 10, 64)
				start := hexOrDec(t, r[2])
				for p := range n {
					prefixes[(start+p*pageKiB<<10)>>shift] = true
				}
			}
			total += len(prefixes)
		}
		assert.Equal(t, fmt.Sprint(total), it.Answer.Key(), it.Prompt.EN)
	}
}
