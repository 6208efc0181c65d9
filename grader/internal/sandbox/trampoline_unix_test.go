//go:build unix

package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSpecRoundTrips(t *testing.T) {
	s := spec{report: 5, limits: rlimits{AS: 1 << 30, NProc: 7, CPU: 2, NoFile: 64}, path: "/a dir/with;path=odd name"}
	got, err := parseSpec(s.String())
	assert.NoError(t, err)
	assert.Equal(t, s, got)

	for _, bad := range []string{"", "report=3", "report=x;path=/p", "report=1;path=/p", "report=3;color=2;path=/p"} {
		_, err := parseSpec(bad)
		assert.Error(t, err, "parseSpec(%q)", bad)
	}
}
