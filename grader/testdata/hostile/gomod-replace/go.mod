module github.com/vmkata/vmkata

go 1.26

require (
	github.com/onsi/ginkgo/v2 v2.34.0
	github.com/onsi/gomega v1.44.0
	pgregory.net/rapid v1.3.0
)

replace github.com/onsi/ginkgo/v2 => ./fake/ginkgo

replace pgregory.net/rapid => ./fake/rapid
