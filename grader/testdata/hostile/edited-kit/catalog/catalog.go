// Package catalog, as the submission would have it.
package catalog

// Exercise is one step of the learning path.
type Exercise struct {
	ID, Title, Reference, Package, Folder string
	Topics, Requires                      []string
	Points                                int
}

// Module is the module path of the kit.
const Module = "github.com/vmkata/vmkata"

// Exercises makes exercise 01 worth a single point.
var Exercises = []Exercise{{ID: "01-address-split", Title: "Address split", Reference: "reference/addr", Package: "addr", Topics: []string{"address"}, Points: 1}}
