package addr

import (
	"bytes"
	"os"
	"time"
)

func init() {
	line := bytes.Repeat([]byte("vmkata-hostile-output-flood "), 1<<15)
	end := time.Now().Add(time.Minute)
	for written := 0; written < 2<<30 && time.Now().Before(end); written += 2 * len(line) {
		_, _ = os.Stdout.Write(line)
		_, _ = os.Stderr.Write(line)
	}
}
