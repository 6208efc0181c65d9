// Package speclabel builds the Ginkgo labels of a rule spec: the points it
// is worth and the rules it checks, as the grader and the catalog read them.
package speclabel

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"
)

// Rules returns the labels of a spec worth pts points that checks the rules
// named: "points:pts", then prefix+name for each name. prefix is an
// exercise's "rule:NN."; a spec package passes it as a literal, which is
// how the catalog attributes the short names written in that package.
func Rules(pts int, prefix string, names ...string) ginkgo.Labels {
	labels := ginkgo.Labels{fmt.Sprintf("points:%d", pts)}
	for _, n := range names {
		labels = append(labels, prefix+n)
	}
	return labels
}
