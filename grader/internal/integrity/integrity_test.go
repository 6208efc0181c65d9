package integrity

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSearchFindsIndirectDependency(t *testing.T) {
	imports := map[string][]string{
		"m/exercises/04-tlb": {"fmt", "m/helper"},
		"m/helper":           {"m/reference/tlb"},
		"m/reference/tlb":    {"m/vm"},
	}
	v := search("m/exercises/04-tlb", imports, []string{"m/reference", "m/specs"})
	require.NotNil(t, v, "an indirect import of the reference must be found")
	assert.Equal(t, []string{"m/exercises/04-tlb", "m/helper", "m/reference/tlb"}, v.Chain)
	assert.Contains(t, v.Error(), "m/helper imports m/reference/tlb")
}

func TestSearchAllowsVocabularyAndLookalikes(t *testing.T) {
	imports := map[string][]string{
		"m/exercises/04-tlb": {"m/vm", "m/referenced"},
	}
	assert.Nil(t, search("m/exercises/04-tlb", imports, []string{"m/reference"}),
		"m/referenced only shares a prefix with m/reference and must be allowed")
}
