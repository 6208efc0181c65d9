package replace

import (
	"fmt"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// Check drives p through refs and verifies the vm.Policy postconditions
// around every Access: hit exactly when the page was resident, a victim only
// on a miss with memory full and never the page itself, the victim gone and
// the page resident afterwards, 0 <= Len() <= Frames(), and Resident listing
// each resident page once. It returns nil, or an error naming the step, the
// call and what was wrong. It calls only the methods of vm.Policy, so it
// checks any implementation; the specs use it.
func Check(p vm.Policy, refs []Ref) error {
	frames := p.Frames()
	var res []vm.PageID
	for i, r := range refs {
		was := p.Contains(r.Page)
		before := p.Len()
		hit, victim, evicted := p.Access(r.Page, r.Write)
		call := fmt.Sprintf("step %d: Access(%v, write=%v)", i, r.Page, r.Write)
		switch {
		case hit != was:
			return fmt.Errorf("%s = hit %v, but Contains(%v) was %v just before", call, hit, r.Page, was)
		case evicted && hit:
			return fmt.Errorf("%s evicted %v on a hit", call, victim)
		case evicted && before < frames:
			return fmt.Errorf("%s evicted %v with %d of %d frames used", call, victim, before, frames)
		case !hit && !evicted && before == frames:
			return fmt.Errorf("%s: a miss with all %d frames used evicted nothing", call, frames)
		case evicted && victim == r.Page:
			return fmt.Errorf("%s evicted the page it loads", call)
		case evicted && p.Contains(victim):
			return fmt.Errorf("%s evicted %v, but Contains(%v) is still true", call, victim, victim)
		case !p.Contains(r.Page):
			return fmt.Errorf("%s: Contains(%v) is false right after", call, r.Page)
		}
		n := p.Len()
		if n < 0 || n > frames {
			return fmt.Errorf("%s: Len() = %d, want 0..%d", call, n, frames)
		}
		if _, releases := p.(vm.Releaser); !releases {
			want := before
			if !hit && !evicted {
				want++
			}
			if n != want {
				return fmt.Errorf("%s: Len() = %d, want %d (was %d, hit %v, evicted %v)", call, n, want, before, hit, evicted)
			}
		}
		res = p.Resident(res[:0])
		if len(res) != n {
			return fmt.Errorf("%s: Resident() = %v holds %d pages, Len() = %d", call, res, len(res), n)
		}
		slices.Sort(res)
		for j := 1; j < len(res); j++ {
			if res[j] == res[j-1] {
				return fmt.Errorf("%s: Resident() lists %v twice", call, res[j])
			}
		}
		if _, ok := slices.BinarySearch(res, r.Page); !ok {
			return fmt.Errorf("%s: Resident() = %v lacks %v", call, res, r.Page)
		}
	}
	return nil
}
