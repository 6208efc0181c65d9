package kernel

import (
	"fmt"
	"maps"
	"slices"

	"github.com/vmkata/vmkata/vm"
)

// File is a file of the kernel's in-memory file system: its bytes are the
// "disk". Pages of a file reach memory only through the page cache, one
// frame per (file, page index) shared by every process that maps or reads
// it. A MAP_SHARED anonymous mapping is backed by an unnamed File (Linux's
// shmem, shown as /dev/zero in /proc/self/maps) that is not in the file
// system's listing.
type File struct {
	id    int
	name  string
	data  []byte // the bytes on disk; the page cache may hold newer ones
	shmem bool
}

// Name returns the file's name.
func (f *File) Name() string { return f.name }

// cacheKey identifies a page-cache page.
type cacheKey struct {
	file  *File
	index uint64
}

// WriteFile creates (or replaces) the file name with a copy of data, as
// writing it to disk would. Cached pages of a replaced file are dropped
// from the cache once no process maps them; mapped ones keep their bytes.
func (k *Kernel) WriteFile(name string, data []byte) {
	if old, ok := k.files[name]; ok {
		old.name = name + " (deleted)"
	}
	k.nextFile++
	k.files[name] = &File{id: k.nextFile, name: name, data: slices.Clone(data)}
}

// lookupFile finds the file a VMA names: a file of the file system or the
// unnamed file behind a shared anonymous mapping.
func (k *Kernel) lookupFile(name string) (*File, bool) {
	if f, ok := k.files[name]; ok {
		return f, true
	}
	f, ok := k.shmem[name]
	return f, ok
}

// Files returns the names of the files, sorted.
func (k *Kernel) Files() []string { return slices.Sorted(maps.Keys(k.files)) }

// ReadFile returns the contents of name as read(2) would see them: through
// the page cache, so that writes made through MAP_SHARED mappings are
// visible before they are written back.
func (k *Kernel) ReadFile(name string) ([]byte, error) {
	f, ok := k.files[name]
	if !ok {
		return nil, fmt.Errorf("kernel: read %q: %w", name, ErrNoFile)
	}
	out := slices.Clone(f.data)
	for key, pfn := range k.cache {
		if key.file != f {
			continue
		}
		lo := key.index * k.pageSize
		if lo < uint64(len(out)) {
			copy(out[lo:], k.pageBytes(pfn))
		}
	}
	return out, nil
}

// Sync implements the semantics of Linux's sync(2): every dirty page-cache
// page is written back to its file (and its PTEs' dirty bits cleared).
func (k *Kernel) Sync() {
	for _, pfn := range k.cachePages() {
		k.cleanFilePage(pfn)
	}
}

// DropCaches implements echo 3 > /proc/sys/vm/drop_caches: writes back
// dirty page-cache pages, then frees every cached page no process maps.
func (k *Kernel) DropCaches() {
	for _, pfn := range k.cachePages() {
		f := &k.frames[pfn]
		if len(f.rmap) == 0 {
			k.cleanFilePage(pfn)
			k.uncache(pfn)
		}
	}
}

// cachePages lists the page-cache frames in frame order.
func (k *Kernel) cachePages() []vm.PFN {
	out := slices.Collect(maps.Values(k.cache))
	slices.Sort(out)
	return out
}

// cachedPage returns the page-cache frame holding page index of file f,
// reading it from the file on a miss (a major fault: file I/O). The bytes
// past the end of the file are zero. The frame is pinned against reclaim
// only by the caller mapping it at once.
func (k *Kernel) cachedPage(p *Process, file *File, index uint64) (vm.PFN, bool, error) {
	key := cacheKey{file, index}
	if pfn, ok := k.cache[key]; ok {
		return pfn, false, nil
	}
	id := fileID(file, index)
	pfn, err := k.allocFrame(p, id, pageFile, false)
	if err != nil {
		return 0, false, err
	}
	f := &k.frames[pfn]
	f.file, f.index = file, index
	b := k.pageBytes(pfn)
	clear(b)
	if lo := index * k.pageSize; lo < uint64(len(file.data)) {
		copy(b, file.data[lo:])
	}
	k.cache[key] = pfn
	_, _ = k.refs.Inc(pfn) // the cache's own hold
	k.stats.FileReads++
	return pfn, true, nil
}

// cleanFilePage writes a dirty page-cache page back to its file and clears
// the D bits of the PTEs mapping it (flushing their TLB entries, so that
// the next write sets D again). A clean page is left alone.
func (k *Kernel) cleanFilePage(pfn vm.PFN) {
	if !k.pageDirty(pfn) {
		return
	}
	f := &k.frames[pfn]
	file := f.file
	lo := f.index * k.pageSize
	if lo < uint64(len(file.data)) {
		copy(file.data[lo:], k.pageBytes(pfn)) // the file does not grow: bytes past EOF stay in memory only
	}
	k.clearDirtyBits(pfn)
	f.dirty = false
	k.stats.Writebacks++
	if k.observing() {
		e := ev(EvWriteback, 0, 0)
		e.PFN = int64(pfn)
		e.Detail = fmt.Sprintf("dirty page %d of %s written back to the file", f.index, file.name)
		k.emit(e)
	} else {
		k.seq++
	}
}

// uncache removes an unmapped page-cache page from the cache and frees it.
func (k *Kernel) uncache(pfn vm.PFN) {
	f := &k.frames[pfn]
	delete(k.cache, cacheKey{f.file, f.index})
	if n, _ := k.refs.Dec(pfn); n == 0 {
		k.freeFrame(pfn)
	}
}
