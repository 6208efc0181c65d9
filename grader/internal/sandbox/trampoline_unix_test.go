//go:build unix

package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSpecRoundTrips(t *testing.T) {
	for _, s := range []spec{
		{report: 5, limits: rlimits{AS: 1 << 30, NProc: 7, CPU: 2, NoFile: 64}, path: "/a dir/with;path=odd name"},
		{report: 4, files: filesReadOnly, drop: dropCapabilities, path: "/p"},
		{report: 2, files: filesPrivateTmp, drop: dropToNobody, probe: true, path: "/p"},
	} {
		got, err := parseSpec(s.String())
		assert.NoError(t, err)
		assert.Equal(t, s, got)
	}

	for _, bad := range []string{"", "report=3", "report=x;path=/p", "report=1;path=/p", "report=3;color=2;path=/p", "report=2;path=/p", "report=3;files=3;path=/p", "report=3;drop=9;path=/p"} {
		_, err := parseSpec(bad)
		assert.Error(t, err, "parseSpec(%q)", bad)
	}
}
