package learn

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vmkata/vmkata/grader/internal/i18n"
)

// change is what watchFolders reports: a folder in which a .go file was
// written, created, removed or renamed, or a note for the learner about
// the watch itself.
type change struct {
	dir  string
	note i18n.Text
}

// watchFolders reports on the returned channel each folder of dirs in
// which a .go file changed, until ctx ends.
//
// It takes the file events of w, which watches dirs, and, beside them,
// looks at the folders every interval (names, sizes and times of their .go
// files). A change the look finds, with no event for that folder by the
// next look, means events do not arrive on this file system (some network
// mounts, WSL folders under /mnt): the watch then goes on by looking alone,
// and says so once in a note. With w nil it looks alone from the start.
// It closes w when done with it. A change may be sent more than once.
func watchFolders(ctx context.Context, dirs []string, w *fsnotify.Watcher, interval time.Duration) <-chan change {
	out := make(chan change)
	var (
		events chan fsnotify.Event
		errs   chan error
	)
	if w != nil {
		events, errs = w.Events, w.Errors
	}
	last := map[string]string{} // what the last look found, by folder
	for _, d := range dirs {
		last[d] = signature(d)
	}
	go func() {
		defer close(out)
		if w != nil {
			defer w.Close()
		}
		evented := map[string]bool{} // folders with an event since the last look
		pending := map[string]bool{} // folders whose change a look found without an event
		send := func(c change) bool {
			select {
			case out <- c:
				return true
			case <-ctx.Done():
				return false
			}
		}
		fallBack := func(why i18n.Text) bool {
			events, errs = nil, nil
			w.Close()
			return send(change{note: why})
		}
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case err, ok := <-errs:
				if !ok {
					errs = nil
					continue
				}
				if !fallBack(i18n.F("File events failed (%v): looking for changes every %v instead.",
					"파일 변경 알림이 실패했습니다 (%v). 대신 %v마다 파일을 확인합니다.", err, interval)) {
					return
				}
			case ev, ok := <-events:
				if !ok {
					if !fallBack(i18n.F("File events stopped: looking for changes every %v instead.",
						"파일 변경 알림이 멈췄습니다. 대신 %v마다 파일을 확인합니다.", interval)) {
						return
					}
					continue
				}
				if !strings.HasSuffix(ev.Name, ".go") || !ev.Has(fsnotify.Write|fsnotify.Create|fsnotify.Remove|fsnotify.Rename) {
					continue
				}
				dir := filepath.Dir(ev.Name)
				evented[dir] = true
				if !send(change{dir: dir}) {
					return
				}
			case <-tick.C:
				for _, d := range dirs {
					sig := signature(d)
					changed := sig != last[d]
					last[d] = sig
					switch {
					case events == nil:
						if changed && !send(change{dir: d}) {
							return
						}
					case evented[d]:
						pending[d] = false
					case pending[d]:
						if !fallBack(i18n.F("File events are not arriving here: looking for changes every %v instead.",
							"이 파일 시스템에서는 변경 알림이 오지 않습니다. 대신 %v마다 파일을 확인합니다.", interval)) || !send(change{dir: d}) {
							return
						}
					case changed:
						pending[d] = true
					}
					evented[d] = false
				}
			}
		}
	}()
	return out
}

// newEventWatcher watches every folder of dirs for file events.
func newEventWatcher(dirs []string) (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if err := w.Add(d); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// signature sums up the .go files of dir (names, sizes, modification
// times): it changes when one of them is saved.
func signature(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	var b strings.Builder
	for _, d := range entries {
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".go") {
			continue
		}
		info, err := d.Info()
		if err != nil {
			continue
		}
		fmt.Fprintf(&b, "%s %d %d\n", d.Name(), info.Size(), info.ModTime().UnixNano())
	}
	return b.String()
}
