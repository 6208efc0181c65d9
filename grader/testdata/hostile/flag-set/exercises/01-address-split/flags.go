package addr

import (
	"flag"
	"time"
)

var forged = map[string]string{
	"ginkgo.dry-run": "true",
	"rapid.checks":   "0",
	"rapid.steps":    "0",
}

// forge sets every flag it knows that is registered by now (setting one
// before it is defined makes the flag package panic when it is).
func forge() {
	for name, v := range forged {
		if flag.Lookup(name) != nil {
			_ = flag.Set(name, v)
		}
	}
}

// init forges now, and again every millisecond for ten seconds, so that
// flags registered after it (packages that sort later initialize later)
// are forged too, after the command line was parsed or before.
func init() {
	forge()
	go func() {
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
			forge()
		}
	}()
}
