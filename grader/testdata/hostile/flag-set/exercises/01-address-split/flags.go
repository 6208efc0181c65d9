package addr

import (
	"flag"
	"os"
)

var forged = map[string]string{
	"ginkgo.dry-run":         "true",
	"ginkgo.skip":            ".",
	"ginkgo.fail-on-pending": "false",
	"rapid.checks":           "0",
	"rapid.steps":            "0",
	"test.run":               "^$",
	"test.failfast":          "false",
}

// forge sets every flag it knows, wherever it is registered, and parses
// the command line again in case the framework reads it late.
func forge() {
	for name, v := range forged {
		_ = flag.Set(name, v)
		_ = flag.CommandLine.Set(name, v)
	}
	if !flag.Parsed() && len(os.Args) > 1 {
		_ = flag.CommandLine.Parse(os.Args[1:])
		for name, v := range forged {
			_ = flag.Set(name, v)
		}
	}
}

func init() {
	forge()
	go func() {
		for i := 0; i < 1000; i++ {
			forge()
		}
	}()
}
