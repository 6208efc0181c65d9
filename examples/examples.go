// Package examples holds the shipped scenario scripts (*.vms, run by
// vmsim run), embedded so that other packages can run them.
package examples

import "embed"

// Scripts holds every scenario script of this folder, by file name.
//
//go:embed *.vms
var Scripts embed.FS
