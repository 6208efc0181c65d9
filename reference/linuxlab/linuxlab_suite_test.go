package linuxlab_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/linuxlab"
	"github.com/vmkata/vmkata/specs/labspec"
)

func TestLinuxLab(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Linux lab")
}

var _ = labspec.Describe("reference", labspec.Lab{
	ParseMaps: linuxlab.ParseMaps, ParseSmaps: linuxlab.ParseSmaps, Classify: linuxlab.Classify,
	ReadSmaps: linuxlab.ReadSmaps, MinorFaults: linuxlab.MinorFaults, TouchFresh: linuxlab.TouchFresh,
	DropPages: linuxlab.DropPages, ProtectFault: linuxlab.ProtectFault, BusPastEOF: linuxlab.BusPastEOF,
	PrivateVsShared: linuxlab.PrivateVsShared, HugePage: linuxlab.HugePage,
})
