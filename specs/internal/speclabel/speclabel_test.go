package speclabel

import (
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/stretchr/testify/assert"
)

func TestRules(t *testing.T) {
	assert.Equal(t, ginkgo.Labels{"points:3", "rule:14.hash", "rule:14.walk-chain"}, Rules(3, "rule:14.", "hash", "walk-chain"))
	assert.Equal(t, ginkgo.Labels{"points:1"}, Rules(1, "rule:04."))
}
